import path from "path";
import { SingleBar, Presets } from "cli-progress";
import { TokenspiceError } from "../errors";
import type { SimulationObserver } from "../engine/engine";
import { describeSpec, parseParamAssignments } from "../model/params";
import type { KpiInfo } from "../model/kpi";
import { kpiInfo } from "../model/netlist";
import { netlistCatalog, type NetlistCatalog } from "../runner/catalog";
import type { SimResult } from "../runner/result";
import { freshRunDir } from "../runner/out-dir";
import { repeatableValues } from "./flags-table";
import { assertSeed, assertSteps, assertStepTimeout, resolveRunSpec } from "../runner/run-spec";
import { RUN_FILES } from "../output/run-writer";
import { checkFolder } from "../output/take-folder";
import { plural } from "../report/format";
import { kpiSummaryTable } from "../report/table";
import { REPORT_FILES, type WrittenReport } from "../report/write";
import { finishBaseline, planBaseline } from "./baseline";
import { applyForkFlags, type ForkArgs } from "./fork-flags";
import { campaignOptions, isCampaign, simCampaign, type CampaignArgs } from "./campaign";
import { startWorkersEarly } from "../campaign/start";
import { hasForkFlags } from "../fork/options";
import type { CliContext, CliOutput } from "./context";
import { integerFlag, renamedFlag } from "./flags";
import { reportFailedRun, reportRun } from "./report";

/**
 * The arguments of `sim`, as a task receives them: numbers as text from a command line (parsed and
 * checked here, so bad values get the plugin's errors and exit code 2) or as numbers from code;
 * flags as booleans (absent = off); `--sweep` as one text per flag given.
 */
export interface SimArgs extends ForkArgs {
  netlist?: string;
  steps?: number | string;
  seed?: number | string;
  params?: string;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  list?: boolean;
  noCompile?: boolean;
  baseline?: string;
  updateBaseline?: boolean;
  stepTimeout?: number | string;
  noReport?: boolean;
  /** Campaign: replicates (runs, each with its own seed) per point. */
  replicates?: number | string;
  /** @deprecated the old name of `replicates` (`--runs`): accepted with a warning. */
  runs?: number | string;
  sweep?: string[];
  zip?: boolean;
  commonSeeds?: boolean;
  sample?: string;
  samples?: number | string;
  over?: string;
  campaignSeed?: number | string;
  workers?: number | string;
  maxRunsPerWorker?: number | string;
  workerMemory?: number | string;
  shard?: string;
  shards?: number | string;
  resume?: string;
}

/**
 * `sim`: one run of a netlist (progress, KPI table, files, reproduce command; `--baseline`
 * compares it), `--list`, or a campaign (`--replicates`, `--sweep`, `--sample`, `--resume`,
 * `--shard`). Everything that can be checked without compiling is checked first.
 * @throws TokenspiceError for bad input (exit code 2), a failed run, baseline or campaign (1)
 */
export async function simCommand(ctx: CliContext, rawArgs: SimArgs): Promise<void> {
  const replicates = renamedFlag<number | string>(rawArgs, "replicates", "runs", ctx.output);
  const args = {
    ...rawArgs,
    seed: integerFlag("--seed", rawArgs.seed, "SEED_INVALID"),
    steps: integerFlag("--steps", rawArgs.steps, "STEPS_INVALID"),
    stepTimeout: integerFlag("--step-timeout", rawArgs.stepTimeout, "OPTION_INVALID"),
    replicates: integerFlag(replicates.flag, replicates.value, "OPTION_INVALID"),
    replicatesFlag: replicates.flag,
    sweep: repeatableValues(rawArgs.sweep).length === 0 ? undefined : repeatableValues(rawArgs.sweep),
    samples: integerFlag("--samples", rawArgs.samples, "OPTION_INVALID"),
    campaignSeed: integerFlag("--campaign-seed", rawArgs.campaignSeed, "SEED_INVALID"),
    workers: integerFlag("--workers", rawArgs.workers, "OPTION_INVALID"),
    maxRunsPerWorker: integerFlag("--max-runs-per-worker", rawArgs.maxRunsPerWorker, "OPTION_INVALID"),
    workerMemory: integerFlag("--worker-memory", rawArgs.workerMemory, "OPTION_INVALID"),
    shards: integerFlag("--shards", rawArgs.shards, "OPTION_INVALID"),
  } satisfies CampaignArgs;
  const forkFlags = applyForkFlags(ctx, rawArgs);
  if (isCampaign(args)) {
    const options = campaignOptions(args, { forks: ctx.environment.workerBackend !== undefined });
    if (args.stepTimeout !== undefined) assertStepTimeout(args.stepTimeout);
    // The workers boot while the contracts are checked and the campaign is planned (they need neither).
    const known = args.sweep === undefined && args.sample === undefined ? { runs: args.replicates, steps: args.steps } : { steps: args.steps };
    // Not on a fork: each worker is told its share of the fork's limits when it starts, and a plan
    // that gives fewer workers than were started would leave the shares too small.
    const early = hasForkFlags(forkFlags) ? undefined : startWorkersEarly(ctx.environment, options, known);
    try {
      if (!args.noCompile) await ctx.compile();
    } catch (error) {
      await early?.close();
      throw error;
    }
    return simCampaign(ctx, args, options, early);
  }
  if (args.zip || args.commonSeeds || args.samples !== undefined || args.over !== undefined || args.campaignSeed !== undefined || args.workers !== undefined) {
    throw new TokenspiceError("OPTION_INVALID", "--zip, --common-seeds, --samples, --over, --campaign-seed and --workers are campaign flags: add --replicates N, --sweep or --sample.");
  }
  if (args.seed !== undefined) assertSeed(args.seed);
  if (args.steps !== undefined) assertSteps(args.steps);
  if (!args.list && args.netlist === undefined && args.noCompile) {
    throw new TokenspiceError("OPTION_INVALID", "Name a netlist: npx hardhat sim <netlist> (or --list to see them).");
  }
  const out = args.out !== undefined ? path.resolve(args.out) : undefined;
  if (out !== undefined) checkFolder(out, "run", { force: args.force === true });
  if (args.stepTimeout !== undefined) assertStepTimeout(args.stepTimeout);
  const paramText = args.params === undefined ? undefined : parseParamAssignments(args.params);
  const baseline = args.netlist === undefined ? undefined : planBaseline(args.netlist, args, ctx.commandPrefix);

  if (!args.noCompile) await ctx.compile();
  if (args.list) return printList(netlistCatalog(ctx.simsDir), ctx.output);
  if (args.netlist === undefined) {
    const names = netlistCatalog(ctx.simsDir).netlists.map((n) => n.name);
    throw new TokenspiceError("OPTION_INVALID", `Name a netlist: npx hardhat sim <netlist>. Known netlists: ${names.join(", ") || "(none)"}.`, { known: names });
  }
  const name = args.netlist;
  const { environment, output } = ctx;
  const loaded = environment.load(name); // unknown or broken netlists fail here, before anything is written
  const env = await environment.runEnvironment();
  const spec = resolveRunSpec(
    loaded,
    {
      seed: baseline?.run?.seed ?? args.seed,
      steps: baseline?.run?.steps ?? args.steps,
      params: baseline?.run?.params ?? paramText ?? {},
      paramsFromText: baseline?.run === undefined, // a baseline's params are typed JSON values
      stepTimeoutMs: args.stepTimeout,
    },
    { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs },
  );
  const runDir = out ?? freshRunDir(environment.outDir, name, `seed${spec.seed}`);
  const log = args.quiet ? () => undefined : (line: string) => output.log(line);
  log(`${name}: ${loaded.netlist.description}`);
  const seedNote = baseline?.run ? " (the baseline's)" : args.seed === undefined ? " (chosen at random; pass --seed to fix it)" : "";
  log(`seed ${spec.seed}${seedNote}, ${plural(spec.steps, "step")}`);

  const progress = args.quiet ? undefined : progressObserver(name, output);
  let result: SimResult;
  try {
    result = await environment.runSpec(env, loaded, spec, { out: runDir, force: args.force, observer: progress?.observer });
  } catch (error) {
    progress?.stop();
    // A report of what the run recorded, in the folder the runner opened (never one it refused).
    const outDir = (error as { details?: { outDir?: unknown } } | undefined)?.details?.outDir;
    if (typeof outDir === "string" && !args.noReport) reportFailedRun(outDir, log);
    throw error;
  }
  progress?.stop();
  const report = reportRun(runDir, args.noReport === true);
  if (args.quiet) output.log(runDir);
  else printSummary(result, runDir, kpiInfo(loaded.netlist), report, output);
  if (baseline) finishBaseline(baseline, result, output);
}

/** A progress bar on a terminal; plain lines every 10% otherwise (CI logs). */
function progressObserver(name: string, output: CliOutput): { observer: SimulationObserver; stop(): void } {
  const stream = output.progress ?? process.stderr;
  const tty = stream.isTTY === true;
  let bar: SingleBar | undefined;
  let lastPercent = -1;
  let reverts = 0;
  const started = Date.now();
  return {
    observer: {
      onStart: ({ steps }) => {
        if (tty) {
          bar = new SingleBar({ format: `${name} [{bar}] {percentage}% | tick {value}/{total} | {reverts} reverts | {duration_formatted}`, hideCursor: true, stream }, Presets.shades_classic);
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
          output.log(`${name}: tick ${tick}/${steps} (${percent}%), ${plural(reverts, "revert")}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      },
    },
    stop: () => bar?.stop(),
  };
}

function printSummary(result: SimResult, out: string, kpis: KpiInfo[], report: WrittenReport | undefined, output: CliOutput): void {
  const log = (line: string) => output.log(line);
  const summary = result.summary();
  const rows = kpis.map((meta) => ({ meta, ...summary[meta.name], values: result.kpi(meta.name).values }));
  log("");
  if (rows.length > 0) log(kpiSummaryTable(rows));
  const txs = Object.entries(result.transactions)
    .filter(([agent]) => agent !== "setup")
    .reduce((n, [, c]) => n + c, 0);
  log(`${plural(result.ticks, "tick")}, ${plural(txs, "agent transaction")}, ${plural(result.reverts.length, "revert")}`);
  log(`Files in ${out}:`);
  for (const f of Object.values(RUN_FILES)) log(`  ${f}`);
  if (report) log(`  ${REPORT_FILES.plots}/ (${report.plots.length} files)\n  ${REPORT_FILES.html}`);
  log(`Reproduce: ${result.command}`); // a forked run's ends with its bundle's flags (commandDefaultsOf)
  if (report) log(`Report: ${report.html}`);
}

function printList({ netlists, broken }: NetlistCatalog, output: CliOutput): void {
  const log = (line: string) => output.log(line);
  if (netlists.length === 0 && broken.length === 0) {
    log("No netlists found. Add sims/<name>/netlist.ts (or sims/<name>.ts) exporting defineNetlist({...}).");
    return;
  }
  for (const n of netlists) {
    log(`${n.name} — ${n.description}`);
    log(`  ${n.steps} steps of ${n.stepSeconds} s`);
    for (const [pname, spec] of Object.entries(n.params)) {
      log(`  --params ${pname}=${String(spec.default)}  ${describeSpec(spec)}, ${spec.kind}${spec.doc ? ` — ${spec.doc}` : ""}`);
    }
    log(n.kpiInfo.length ? `  KPIs:` : "  KPIs: (none)");
    for (const k of n.kpiInfo) log(`  ${describeKpi(k)}`);
    log("");
  }
  for (const b of broken) {
    log(`${b.name} — BROKEN (${b.error.code}): ${b.error.message}`);
    log("");
  }
  if (broken.length > 0) {
    // Listed in full, and still an error: a netlist that cannot load is bad input.
    throw new TokenspiceError("NETLIST_INVALID", `${broken.length} netlist${broken.length === 1 ? "" : "s"} could not be loaded: ${broken.map((b) => b.name).join(", ")} (see above).`, {
      broken: broken.map((b) => ({ name: b.name, files: b.files, code: b.error.code })),
    });
  }
}

/** `totalSupply  Total supply, FLOW (18 decimals), chart "FLOW supply" — FLOW in existence` */
function describeKpi(k: KpiInfo): string {
  const unit = [k.unit, k.decimals ? `${k.decimals} decimals` : "", k.scale === "log" ? "log scale" : ""].filter(Boolean);
  const what = [k.label !== k.name ? k.label : "", unit.length ? unit.join(", ") : "", k.group ? `chart "${k.group}"` : ""].filter(Boolean).join("; ");
  return `  ${k.name}${what ? `  ${what}` : ""}${k.doc ? ` — ${k.doc}` : ""}`;
}
