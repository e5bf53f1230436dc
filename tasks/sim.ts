import path from "path";
import { SingleBar, Presets } from "cli-progress";
import Table from "cli-table3";
import { task, types } from "hardhat/config";
import type { SimulationObserver } from "../src/engine/engine";
import { describeSpec, parseParamAssignments } from "../src/model/params";
import type { NetlistInfo } from "../src/hardhat/tokenspice";
import { asPluginErrorsSync, pluginError } from "../src/hardhat/errors";
import type { SimResult } from "../src/runner/result";
import { randomSeed, reproduceCommand } from "../src/runner/run";
import { freshRunDir } from "../src/runner/out-dir";
import { finishBaseline, planBaseline } from "./sim-baseline";
import { RUN_FILES } from "../src/output/run-writer";

interface SimArgs {
  netlist?: string;
  steps?: number;
  seed?: number;
  params?: string;
  out?: string;
  force: boolean;
  quiet: boolean;
  list: boolean;
  noCompile: boolean;
  baseline?: string;
  updateBaseline: boolean;
}

task("sim", "Runs a tokenomics netlist on the Hardhat network and writes its KPI time series")
  .addOptionalPositionalParam("netlist", "Netlist name: sims/<name>/netlist.ts or sims/<name>.ts")
  .addOptionalParam("steps", "Ticks to run (default: the netlist's time.steps)", undefined, types.int)
  .addOptionalParam("seed", "Run seed, an integer in [0, 2^32-1] (default: random, printed)", undefined, types.int)
  .addOptionalParam("params", "Param overrides as k=v,k=v (checked against the netlist's params)", undefined, types.string)
  .addOptionalParam("out", "Output folder (default: <outDir>/<netlist>/<time>-seed<seed>)", undefined, types.string)
  .addFlag("force", "Overwrite a run already in --out")
  .addFlag("quiet", "No progress and no KPI table: print only the output folder")
  .addFlag("list", "List the netlists with their params and KPIs, and exit")
  .addFlag("noCompile", "Don't compile before running")
  .addOptionalParam("baseline", "Compare the run's KPI summary with this baseline JSON (it fixes seed, steps and params)", undefined, types.string)
  .addFlag("updateBaseline", "Write the --baseline file from this run instead of comparing")
  .setAction(async (args: SimArgs, hre) => {
    if (!args.noCompile) await hre.run("compile", { quiet: true });
    if (args.list) return printList(await hre.tokenspice.list());
    if (args.netlist === undefined) {
      const names = (await hre.tokenspice.list()).map((n) => n.name);
      throw pluginError(`Name a netlist: npx hardhat sim <netlist>. Known netlists: ${names.join(", ") || "(none)"}.`);
    }
    const name = args.netlist;
    const loaded = hre.tokenspice.resolve(name); // unknown names fail here, before anything is written
    const baseline = planBaseline(name, args);
    const seed = baseline?.run?.seed ?? args.seed ?? randomSeed();
    const steps = baseline?.run?.steps ?? args.steps ?? loaded.netlist.time.steps;
    const paramOverrides = baseline?.run?.params ?? (args.params === undefined ? {} : asPluginErrorsSync(() => parseParamAssignments(args.params!)));
    const out = args.out !== undefined ? path.resolve(args.out) : freshRunDir(hre.config.tokenspice.outDir, name, `seed${seed}`);
    const log = args.quiet ? () => undefined : (line: string) => console.log(line);
    log(`${name}: ${loaded.netlist.description}`);
    const seedNote = baseline?.run ? " (the baseline's)" : args.seed === undefined ? " (chosen at random; pass --seed to fix it)" : "";
    log(`seed ${seed}${seedNote}, ${steps} steps`);

    const progress = args.quiet ? undefined : progressObserver(name);
    let result: SimResult;
    try {
      result = await hre.tokenspice.runInternal(name, {
        seed,
        steps,
        params: paramOverrides,
        paramsFromText: baseline?.run === undefined, // a baseline's params are typed JSON values
        out,
        force: args.force,
        observer: progress?.observer,
      });
    } catch (error) {
      progress?.stop();
      throw error;
    }
    progress?.stop();
    const command = reproduceCommand(name, seed, steps, result.params as Record<string, unknown>, hre.network.name);
    if (args.quiet) console.log(out);
    else printSummary(result, out, command);
    if (baseline) finishBaseline(baseline, result);
  });


/** A progress bar on a terminal; plain lines every 10% otherwise (CI logs). */
function progressObserver(name: string): { observer: SimulationObserver; stop(): void } {
  const tty = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let lastPercent = -1;
  let reverts = 0;
  const started = Date.now();
  return {
    observer: {
      onStart: ({ steps }) => {
        if (tty) {
          bar = new SingleBar(
            { format: `${name} [{bar}] {percentage}% | tick {value}/{total} | {reverts} reverts | {duration_formatted}`, hideCursor: true },
            Presets.shades_classic,
          );
          bar.start(steps, 0, { reverts: 0 });
        }
      },
      onRevert: () => {
        reverts++;
      },
      onTick: (tick, steps) => {
        if (bar) return void bar.update(tick, { reverts });
        const percent = Math.floor((tick / steps) * 10) * 10;
        if (percent !== lastPercent && (percent > 0 || tick === steps)) {
          lastPercent = percent;
          console.log(`${name}: tick ${tick}/${steps} (${percent}%), ${reverts} reverts, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      },
    },
    stop: () => bar?.stop(),
  };
}

function printSummary(result: SimResult, out: string, command: string): void {
  const summary = result.summary();
  // bigints exactly; numbers to 6 significant digits unless they are modest integers
  const fmt = (v: number | bigint) => (typeof v === "bigint" ? v.toString() : Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : v.toPrecision(6));
  const table = new Table({
    head: ["KPI", "final", "min", "max", "mean"],
    colAligns: ["left", "right", "right", "right", "right"],
    style: { head: [], border: [] }, // no colours: the table also goes to CI logs and files
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" }, // one line per KPI
  });
  for (const [kpi, s] of Object.entries(summary)) table.push([kpi, fmt(s.final), fmt(s.min), fmt(s.max), fmt(s.mean)]);
  console.log("");
  console.log(table.toString());
  const txs = Object.entries(result.transactions).filter(([agent]) => agent !== "setup").reduce((n, [, c]) => n + c, 0);
  console.log(`${result.ticks} ticks, ${txs} agent transactions, ${result.reverts.length} reverts`);
  console.log(`Files in ${out}:`);
  for (const f of Object.values(RUN_FILES)) console.log(`  ${f}`);
  console.log(`Reproduce: ${command}`);
}

function printList(netlists: NetlistInfo[]): void {
  if (netlists.length === 0) {
    console.log("No netlists found. Add sims/<name>/netlist.ts (or sims/<name>.ts) exporting defineNetlist({...}).");
    return;
  }
  for (const n of netlists) {
    console.log(`${n.name} — ${n.description}`);
    console.log(`  ${n.steps} steps of ${n.stepSeconds} s; KPIs: ${n.kpis.join(", ")}`);
    for (const [pname, spec] of Object.entries(n.params)) {
      console.log(`  --params ${pname}=${String(spec.default)}  ${describeSpec(spec)}, ${spec.kind}${spec.doc ? ` — ${spec.doc}` : ""}`);
    }
    console.log("");
  }
}
