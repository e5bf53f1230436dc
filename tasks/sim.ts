import path from "path";
import { SingleBar, Presets } from "cli-progress";
import { task, types } from "hardhat/config";
import type { CLIArgumentType, HardhatRuntimeEnvironment } from "hardhat/types";
import { TokenspiceError } from "../src/errors";
import type { SimulationObserver } from "../src/engine/engine";
import { describeSpec, parseParamAssignments } from "../src/model/params";
import type { KpiInfo } from "../src/model/kpi";
import type { BrokenNetlistInfo, NetlistInfo } from "../src/hardhat/tokenspice";
import { asPluginErrors } from "../src/hardhat/errors";
import type { SimResult } from "../src/runner/result";
import { freshRunDir } from "../src/runner/out-dir";
import { assertSeed, assertSteps, assertStepTimeout } from "../src/runner/run-spec";
import { RUN_FILES } from "../src/output/run-writer";
import { checkFolder } from "../src/output/take-folder";
import { kpiInfo } from "../src/model/netlist";
import { plural } from "../src/report/format";
import { kpiSummaryTable } from "../src/report/table";
import { REPORT_FILES, type WrittenReport } from "../src/report/write";
import { asCommand, hardhatPrefixOf } from "./command";
import { campaignOptions, isCampaign, simCampaign, type CampaignArgs } from "./sim-campaign";
import { finishBaseline, planBaseline } from "./sim-baseline";
import { reportFailedRun, reportRun } from "./sim-report";

interface SimArgs extends Omit<CampaignArgs, "seed" | "steps" | "stepTimeout" | "runs" | "samples" | "campaignSeed" | "workers" | "maxRunsPerWorker" | "workerMemory" | "shards"> {
  netlist?: string;
  // Numbers arrive as text from the command line (parsed here, so bad values get our errors and
  // exit code 2, not Hardhat's HH301 and exit 1), and as numbers from `hre.run("sim", ...)`.
  steps?: number | string;
  seed?: number | string;
  params?: string;
  out?: string;
  force: boolean;
  quiet: boolean;
  list: boolean;
  noCompile: boolean;
  baseline?: string;
  updateBaseline: boolean;
  stepTimeout?: number | string;
  noReport: boolean;
  runs?: number | string;
  samples?: number | string;
  campaignSeed?: number | string;
  workers?: number | string;
  maxRunsPerWorker?: number | string;
  workerMemory?: number | string;
  shards?: number | string;
}

/**
 * An integer flag the task parses itself: Hardhat's `types.int` would refuse bad text with its own
 * HH301 and exit code 1 before the task runs, where bad input must exit 2 with the plugin's error.
 * Takes a number from `hre.run("sim", { seed: 7 })`, or text from the command line.
 */
const integerArgument: CLIArgumentType<number | string> = {
  name: "int",
  parse: (_name, text) => text,
  validate: (name, value) => {
    if (typeof value !== "number" && typeof value !== "string") {
      throw new TokenspiceError("OPTION_INVALID", `--${name} must be an integer, got ${typeof value}`, { [name]: String(value) });
    }
  },
};

task("sim", "Runs a tokenomics netlist on the Hardhat network and writes its KPI time series")
  .addOptionalPositionalParam("netlist", "Netlist name: sims/<name>/netlist.ts or sims/<name>.ts")
  .addOptionalParam("steps", "Ticks to run (default: the netlist's time.steps)", undefined, integerArgument)
  .addOptionalParam("seed", "Run seed, an integer in [0, 2^32-1] (default: random, printed)", undefined, integerArgument)
  .addOptionalParam("params", "Param overrides as k=v,k=v (in a value, write a comma as \\, and a backslash as \\\\)", undefined, types.string)
  .addOptionalParam("out", "Output folder (default: <outDir>/<netlist>/<time>-seed<seed>)", undefined, types.string)
  .addFlag("force", "Overwrite a run already in --out")
  .addFlag("quiet", "No progress and no KPI table: print only the output folder")
  .addFlag("list", "List the netlists with their params and KPIs, and exit")
  .addFlag("noCompile", "Don't compile before running")
  .addOptionalParam("baseline", "Compare the run's KPI summary with this baseline JSON (it fixes seed, steps and params)", undefined, types.string)
  .addFlag("updateBaseline", "Write the --baseline file from this run instead of comparing")
  .addOptionalParam("stepTimeout", "Milliseconds setup, an agent's step or a KPI may take (0: no limit; default: config tokenspice.stepTimeoutMs, 60000)", undefined, integerArgument)
  .addFlag("noReport", "Don't write plots/ and report.html (rebuild them later with sim-report)")
  // Campaigns: many runs of one netlist (see README "Campaigns").
  .addOptionalParam("runs", "Campaign: runs (replicates, each with its own seed) at each point", undefined, integerArgument)
  .addOptionalParam("sweep", "Campaign: param=v1,v2,... or param=lo:hi:n or param=log:lo:hi:n; repeat for more params (a grid)", undefined, types.string)
  .addFlag("zip", "Campaign: pair the --sweep lists value by value instead of crossing them")
  .addFlag("commonSeeds", "Campaign: common random numbers: replicate r has the same seed at every point, so points are compared on the same draws")
  .addOptionalParam("sample", "Campaign: sample params over their ranges: random, lhs or sobol (with --samples)", undefined, types.string)
  .addOptionalParam("samples", "Campaign: points to draw with --sample", undefined, integerArgument)
  .addOptionalParam("over", "Campaign: params to sample, as a,b (default: every uncontrollable param)", undefined, types.string)
  .addOptionalParam("campaignSeed", "Campaign: the seed every run's seed is derived from (default: random, printed)", undefined, integerArgument)
  .addOptionalParam("workers", "Campaign: worker processes (default: the machine's cores)", undefined, integerArgument)
  .addOptionalParam("maxRunsPerWorker", "Campaign: restart a worker after this many runs", undefined, integerArgument)
  .addOptionalParam("workerMemory", "Campaign: restart a worker once its RSS passes this many MiB", undefined, integerArgument)
  .addOptionalParam("shard", "Campaign: run only shard i/n (1-based), e.g. 2/8", undefined, types.string)
  .addOptionalParam("shards", "Campaign: n shards, this one's index from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs)", undefined, integerArgument)
  .addOptionalParam("resume", "Campaign: continue the campaign in this folder (runs only what has not ended)", undefined, types.string)
  .setAction((args: SimArgs, hre) => asCommand("sim", hre, () => sim(args, hre)));

/** An integer flag: a number from code, or decimal text from the command line. */
function integerFlag(flag: string, value: number | string | undefined, code: "SEED_INVALID" | "STEPS_INVALID" | "OPTION_INVALID"): number | undefined {
  if (value === undefined || typeof value === "number") return value;
  if (!/^[-+]?\d+$/.test(value.trim())) {
    throw new TokenspiceError(code, `${flag} ${JSON.stringify(value)} is not valid: use a decimal integer.`, { [flag]: value });
  }
  return Number(value);
}

async function sim(rawArgs: SimArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  // Everything that can be checked without compiling is checked first: bad input costs nothing.
  const args = {
    ...rawArgs,
    seed: integerFlag("--seed", rawArgs.seed, "SEED_INVALID"),
    steps: integerFlag("--steps", rawArgs.steps, "STEPS_INVALID"),
    stepTimeout: integerFlag("--step-timeout", rawArgs.stepTimeout, "OPTION_INVALID"),
    runs: integerFlag("--runs", rawArgs.runs, "OPTION_INVALID"),
    samples: integerFlag("--samples", rawArgs.samples, "OPTION_INVALID"),
    campaignSeed: integerFlag("--campaign-seed", rawArgs.campaignSeed, "SEED_INVALID"),
    workers: integerFlag("--workers", rawArgs.workers, "OPTION_INVALID"),
    maxRunsPerWorker: integerFlag("--max-runs-per-worker", rawArgs.maxRunsPerWorker, "OPTION_INVALID"),
    workerMemory: integerFlag("--worker-memory", rawArgs.workerMemory, "OPTION_INVALID"),
    shards: integerFlag("--shards", rawArgs.shards, "OPTION_INVALID"),
  };
  if (isCampaign(args)) {
    const options = campaignOptions(args);
    if (args.stepTimeout !== undefined) assertStepTimeout(args.stepTimeout);
    if (!args.noCompile) await hre.run("compile", { quiet: true });
    return simCampaign(args, options, hre);
  }
  if (args.zip || args.commonSeeds || args.samples !== undefined || args.over !== undefined || args.campaignSeed !== undefined || args.workers !== undefined) {
    throw new TokenspiceError("OPTION_INVALID", "--zip, --common-seeds, --samples, --over, --campaign-seed and --workers are campaign flags: add --runs N, --sweep or --sample.");
  }
  if (args.seed !== undefined) assertSeed(args.seed);
  if (args.steps !== undefined) assertSteps(args.steps);
  if (!args.list && args.netlist === undefined && args.noCompile) {
    throw new TokenspiceError("OPTION_INVALID", "Name a netlist: npx hardhat sim <netlist> (or --list to see them).");
  }
  const out = args.out !== undefined ? path.resolve(args.out) : undefined;
  if (out !== undefined) checkFolder(out, "run", { force: args.force });
  if (args.stepTimeout !== undefined) assertStepTimeout(args.stepTimeout);
  const paramText = args.params === undefined ? undefined : parseParamAssignments(args.params);
  const baseline = args.netlist === undefined ? undefined : planBaseline(args.netlist, args, hardhatPrefixOf(hre));

  if (!args.noCompile) await hre.run("compile", { quiet: true });
  if (args.list) return printList(await hre.tokenspice.catalog());
  if (args.netlist === undefined) {
    const names = (await hre.tokenspice.list()).map((n) => n.name);
    throw new TokenspiceError("OPTION_INVALID", `Name a netlist: npx hardhat sim <netlist>. Known netlists: ${names.join(", ") || "(none)"}.`, { known: names });
  }
  const name = args.netlist;
  const loaded = hre.tokenspice.resolve(name); // unknown or broken netlists fail here, before anything is written
  const spec = await hre.tokenspice.plan(name, {
    seed: baseline?.run?.seed ?? args.seed,
    steps: baseline?.run?.steps ?? args.steps,
    params: baseline?.run?.params ?? paramText ?? {},
    paramsFromText: baseline?.run === undefined, // a baseline's params are typed JSON values
    stepTimeoutMs: args.stepTimeout,
  });
  const runDir = out ?? freshRunDir(hre.config.tokenspice.outDir, name, `seed${spec.seed}`);
  const log = args.quiet ? () => undefined : (line: string) => console.log(line);
  log(`${name}: ${loaded.netlist.description}`);
  const seedNote = baseline?.run ? " (the baseline's)" : args.seed === undefined ? " (chosen at random; pass --seed to fix it)" : "";
  log(`seed ${spec.seed}${seedNote}, ${plural(spec.steps, "step")}`);

  const progress = args.quiet ? undefined : progressObserver(name);
  let result: SimResult;
  try {
    result = await hre.tokenspice.runSpec(spec, { out: runDir, force: args.force, observer: progress?.observer });
  } catch (error) {
    progress?.stop();
    // A report of what the run recorded, in the folder the runner opened (never one it refused).
    const outDir = (error as { details?: { outDir?: unknown } } | undefined)?.details?.outDir;
    if (typeof outDir === "string" && !args.noReport) reportFailedRun(outDir, log);
    throw error;
  }
  progress?.stop();
  const report = reportRun(runDir, args.noReport);
  if (args.quiet) console.log(runDir);
  else printSummary(result, runDir, kpiInfo(loaded.netlist), report);
  if (baseline) await asPluginErrors(async () => finishBaseline(baseline, result));
}

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
          console.log(`${name}: tick ${tick}/${steps} (${percent}%), ${plural(reverts, "revert")}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      },
    },
    stop: () => bar?.stop(),
  };
}

function printSummary(result: SimResult, out: string, kpis: KpiInfo[], report: WrittenReport | undefined): void {
  const summary = result.summary();
  const rows = kpis.map((meta) => ({ meta, ...summary[meta.name], values: result.kpi(meta.name).values }));
  console.log("");
  if (rows.length > 0) console.log(kpiSummaryTable(rows));
  const txs = Object.entries(result.transactions).filter(([agent]) => agent !== "setup").reduce((n, [, c]) => n + c, 0);
  console.log(`${plural(result.ticks, "tick")}, ${plural(txs, "agent transaction")}, ${plural(result.reverts.length, "revert")}`);
  console.log(`Files in ${out}:`);
  for (const f of Object.values(RUN_FILES)) console.log(`  ${f}`);
  if (report) console.log(`  ${REPORT_FILES.plots}/ (${report.plots.length} files)\n  ${REPORT_FILES.html}`);
  console.log(`Reproduce: ${result.command}`);
  if (report) console.log(`Report: ${report.html}`);
}

function printList({ netlists, broken }: { netlists: NetlistInfo[]; broken: BrokenNetlistInfo[] }): void {
  if (netlists.length === 0 && broken.length === 0) {
    console.log("No netlists found. Add sims/<name>/netlist.ts (or sims/<name>.ts) exporting defineNetlist({...}).");
    return;
  }
  for (const n of netlists) {
    console.log(`${n.name} — ${n.description}`);
    console.log(`  ${n.steps} steps of ${n.stepSeconds} s`);
    for (const [pname, spec] of Object.entries(n.params)) {
      console.log(`  --params ${pname}=${String(spec.default)}  ${describeSpec(spec)}, ${spec.kind}${spec.doc ? ` — ${spec.doc}` : ""}`);
    }
    console.log(n.kpiInfo.length ? `  KPIs:` : "  KPIs: (none)");
    for (const k of n.kpiInfo) console.log(`  ${describeKpi(k)}`);
    console.log("");
  }
  for (const b of broken) {
    console.log(`${b.name} — BROKEN (${b.error.code}): ${b.error.message}`);
    console.log("");
  }
  if (broken.length > 0) {
    // Listed in full, and still an error: a netlist that cannot load is bad input.
    throw new TokenspiceError(
      "NETLIST_INVALID",
      `${broken.length} netlist${broken.length === 1 ? "" : "s"} could not be loaded: ${broken.map((b) => b.name).join(", ")} (see above).`,
      { broken: broken.map((b) => ({ name: b.name, files: b.files, code: b.error.code })) },
    );
  }
}

/** `totalSupply  Total supply, FLOW (18 decimals), chart "FLOW supply" — FLOW in existence` */
function describeKpi(k: KpiInfo): string {
  const unit = [k.unit, k.decimals ? `${k.decimals} decimals` : "", k.scale === "log" ? "log scale" : ""].filter(Boolean);
  const what = [k.label !== k.name ? k.label : "", unit.length ? unit.join(", ") : "", k.group ? `chart "${k.group}"` : ""].filter(Boolean).join("; ");
  return `  ${k.name}${what ? `  ${what}` : ""}${k.doc ? ` — ${k.doc}` : ""}`;
}
