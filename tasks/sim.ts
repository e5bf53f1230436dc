import path from "path";
import { SingleBar, Presets } from "cli-progress";
import { task, types } from "hardhat/config";
import type { SimulationObserver } from "../src/engine/engine";
import { describeSpec, parseParamAssignments } from "../src/model/params";
import type { KpiInfo } from "../src/model/kpi";
import type { NetlistInfo } from "../src/hardhat/tokenspice";
import { asPluginErrorsSync, pluginError } from "../src/hardhat/errors";
import type { SimResult } from "../src/runner/result";
import { randomSeed, reproduceCommand } from "../src/runner/run";
import { freshRunDir } from "../src/runner/out-dir";
import { finishBaseline, planBaseline } from "./sim-baseline";
import { failedRunReporter, reportRun } from "./sim-report";
import { RUN_FILES } from "../src/output/run-writer";
import { kpiInfo } from "../src/model/netlist";
import { kpiSummaryTable } from "../src/report/table";
import { REPORT_FILES, type WrittenReport } from "../src/report/write";

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
  noReport: boolean;
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
  .addFlag("noReport", "Don't write plots/ and report.html (rebuild them later with sim-report)")
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
    const onFailure = failedRunReporter(out, args.force, args.noReport, log);
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
      onFailure();
      throw error;
    }
    progress?.stop();
    const command = reproduceCommand(name, seed, steps, result.params as Record<string, unknown>, hre.network.name);
    const report = reportRun(out, args.noReport);
    if (args.quiet) console.log(out);
    else printSummary(result, out, command, kpiInfo(loaded.netlist), report);
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

function printSummary(result: SimResult, out: string, command: string, kpis: KpiInfo[], report: WrittenReport | undefined): void {
  const summary = result.summary();
  const rows = kpis.map((meta) => ({ meta, ...summary[meta.name], values: result.kpi(meta.name).values }));
  console.log("");
  console.log(kpiSummaryTable(rows));
  const txs = Object.entries(result.transactions).filter(([agent]) => agent !== "setup").reduce((n, [, c]) => n + c, 0);
  console.log(`${result.ticks} ticks, ${txs} agent transactions, ${result.reverts.length} reverts`);
  console.log(`Files in ${out}:`);
  for (const f of Object.values(RUN_FILES)) console.log(`  ${f}`);
  if (report) console.log(`  ${REPORT_FILES.plots}/ (${report.plots.length} files)\n  ${REPORT_FILES.html}`);
  console.log(`Reproduce: ${command}`);
  if (report) console.log(`Report: ${report.html}`);
}

function printList(netlists: NetlistInfo[]): void {
  if (netlists.length === 0) {
    console.log("No netlists found. Add sims/<name>/netlist.ts (or sims/<name>.ts) exporting defineNetlist({...}).");
    return;
  }
  for (const n of netlists) {
    console.log(`${n.name} — ${n.description}`);
    console.log(`  ${n.steps} steps of ${n.stepSeconds} s`);
    for (const [pname, spec] of Object.entries(n.params)) {
      console.log(`  --params ${pname}=${String(spec.default)}  ${describeSpec(spec)}, ${spec.kind}${spec.doc ? ` — ${spec.doc}` : ""}`);
    }
    console.log(`  KPIs:`);
    for (const k of n.kpiInfo) console.log(`  ${describeKpi(k)}`);
    console.log("");
  }
}

/** `totalSupply  Total supply, FLOW (18 decimals), chart "FLOW supply" — FLOW in existence` */
function describeKpi(k: KpiInfo): string {
  const unit = [k.unit, k.decimals ? `${k.decimals} decimals` : "", k.scale === "log" ? "log scale" : ""].filter(Boolean);
  const what = [k.label !== k.name ? k.label : "", unit.length ? unit.join(", ") : "", k.group ? `chart "${k.group}"` : ""].filter(Boolean).join("; ");
  return `  ${k.name}${what ? `  ${what}` : ""}${k.doc ? ` — ${k.doc}` : ""}`;
}
