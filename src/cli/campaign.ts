import fs from "fs";
import path from "path";
import { TokenspiceError } from "../errors";
import { CAMPAIGN_FILE, campaignFilePath, readCampaignFile } from "../output/formats/campaign-file";
import { RUN_MANIFEST_FILE } from "../output/formats/run-manifest";
import type { CampaignSummary } from "../campaign/campaign";
import { parseParamAssignments } from "../model/params";
import { campaignProgress, type CampaignProgress } from "../campaign/progress";
import { CAMPAIGN_OUTPUT_FILES, printOutputs, readFinalKpis } from "../campaign/outputs";
import { plural } from "../report/format";
import { finalKpisTable } from "../report/table";
import { seedsSharing, runsToHalveLine } from "../report/campaign";
import { mergeCampaigns } from "../campaign/merge";
import { campaignOutputWriter, startCampaign, type CampaignStartOptions } from "../campaign/start";
import type { CampaignBackend } from "../campaign/types";
import type { CliContext, CliOutput } from "./context";
import { listFlag } from "./flags";

/** The campaign flags of `sim`, as `simCommand` passes them on (numbers parsed, renamed flags resolved). */
export interface CampaignArgs {
  netlist?: string;
  /** Replicates (runs, each with its own seed) per point. */
  replicates?: number;
  /** The flag `replicates` was given as (`--replicates`, or the deprecated `--runs`), for messages. */
  replicatesFlag?: string;
  /** `--sweep` texts, one per flag given (`param=v1,v2,...`; each may join several with `;`). */
  sweep?: string[];
  zip?: boolean;
  commonSeeds?: boolean;
  sample?: string;
  samples?: number;
  over?: string;
  campaignSeed?: number;
  workers?: number;
  maxRunsPerWorker?: number;
  workerMemory?: number;
  shard?: string;
  shards?: number;
  resume?: string;
  seed?: number;
  steps?: number;
  params?: string;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  baseline?: string;
  stepTimeout?: number;
}

/** True when the flags ask for a campaign rather than one run. */
export function isCampaign(args: CampaignArgs): boolean {
  return args.replicates !== undefined || args.sweep !== undefined || args.sample !== undefined || args.resume !== undefined || args.shard !== undefined || args.shards !== undefined;
}

/**
 * Checks a campaign's flags and turns them into campaign options, before anything is compiled or
 * run. `--seed` (one run's seed) and `--baseline` (one run's summary) do not apply to a campaign;
 * `--shards n` takes its index from Kubernetes' JOB_COMPLETION_INDEX (0-based). Workers default to
 * what the campaign's work pays for once it is planned (`defaultWorkerCount("campaign-task", work)`:
 * at most the cores and the runs), or to 1 when the environment has no worker processes (`forks: false`).
 *
 * @throws TokenspiceError OPTION_INVALID naming the flag
 */
export function campaignOptions(args: CampaignArgs, environment: { forks: boolean } = { forks: true }): CampaignStartOptions {
  const bad = (why: string, details: Record<string, unknown> = {}) => new TokenspiceError("OPTION_INVALID", why, details);
  if (args.seed !== undefined) {
    throw bad(`--seed sets one run's seed; a campaign derives each run's seed from its campaign seed: use --campaign-seed ${args.seed}.`);
  }
  if (args.baseline !== undefined) throw bad("--baseline compares one run; it does not apply to a campaign (--replicates, --sweep, --sample).");
  const resume = args.resume !== undefined;
  if (
    resume &&
    (args.replicates !== undefined ||
      args.sweep !== undefined ||
      args.zip ||
      args.commonSeeds ||
      args.sample !== undefined ||
      args.campaignSeed !== undefined ||
      args.params !== undefined ||
      args.steps !== undefined)
  ) {
    throw bad(`--resume continues a campaign with its own spec (its ${CAMPAIGN_FILE}): drop --replicates, --sweep, --zip, --common-seeds, --sample, --campaign-seed, --params and --steps.`);
  }
  if (resume && args.out !== undefined && path.resolve(args.out) !== path.resolve(args.resume!)) throw bad("--resume <dir> is the campaign's folder: drop --out.");
  if ((args.samples !== undefined || args.over !== undefined) && args.sample === undefined) throw bad("--samples and --over go with --sample random|lhs|sobol.");
  if (args.shard !== undefined && args.shards !== undefined) throw bad("Give --shard i/n, or --shards n with JOB_COMPLETION_INDEX, not both.");
  if ((args.shard !== undefined || args.shards !== undefined) && args.campaignSeed === undefined && !resume) {
    throw bad("Shards must agree on the campaign seed: pass the same --campaign-seed to every shard.");
  }
  const shard = args.shard !== undefined ? parseShard(args.shard) : args.shards !== undefined ? shardFromJobIndex(args.shards) : undefined;
  // Without --workers: as many as the campaign's work pays for, once it is planned (defaultWorkerCount).
  const workers = args.workers ?? (environment.forks ? undefined : 1);
  const counts = [
    ["--workers", args.workers],
    ["--max-runs-per-worker", args.maxRunsPerWorker],
    ["--worker-memory", args.workerMemory],
    [args.replicatesFlag ?? "--replicates", args.replicates],
    ["--samples", args.samples],
  ] as const;
  for (const [flag, v] of counts) {
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1)) throw bad(`${flag} ${v} is not valid: use a positive integer.`, { [flag]: v });
  }
  return {
    replicates: args.replicates,
    sweep: args.sweep,
    zip: args.zip === true,
    commonSeeds: args.commonSeeds === true,
    sample: args.sample === undefined ? undefined : { method: args.sample, samples: args.samples, over: listFlag(args.over) },
    seed: args.campaignSeed,
    params: args.params === undefined ? undefined : parseParamAssignments(args.params),
    paramsFromText: true,
    steps: args.steps,
    stepTimeoutMs: args.stepTimeout,
    out: resume ? args.resume : args.out,
    force: args.force === true,
    resume,
    workers,
    workersFor: "campaign-task",
    maxRunsPerWorker: args.maxRunsPerWorker,
    workerMemoryMB: args.workerMemory,
    shard,
  };
}

function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new TokenspiceError("OPTION_INVALID", `--shard ${JSON.stringify(text)} is not valid: use i/n, as --shard 2/8 (1-based).`, { shard: text });
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    throw new TokenspiceError("OPTION_INVALID", `--shard ${text} is out of range: the index goes from 1 to ${shard.count}.`, { shard: text });
  }
  return shard;
}

function shardFromJobIndex(count: number): { index: number; count: number } {
  const env = process.env.JOB_COMPLETION_INDEX;
  if (env === undefined || !/^\d+$/.test(env)) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `--shards ${count} takes this shard's index from JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job), which is ${env === undefined ? "not set" : JSON.stringify(env)}. Elsewhere use --shard i/n.`,
      { shards: count },
    );
  }
  return parseShard(`${Number(env) + 1}/${count}`);
}

/**
 * Runs the campaign the flags describe (options from `campaignOptions`); prints its summary. A
 * campaign with failed runs throws CAMPAIGN_FAILED (exit code 1) once its folder is complete.
 * `early`: its workers, started before the compile check (`startWorkersEarly`); kept or closed here.
 * @throws TokenspiceError OPTION_INVALID without a netlist (unless resuming); what `startCampaign` throws
 */
export async function simCampaign(ctx: CliContext, args: CampaignArgs, options: CampaignStartOptions, early?: CampaignBackend): Promise<void> {
  if (args.netlist === undefined && !options.resume) {
    await early?.close();
    throw new TokenspiceError("OPTION_INVALID", "Name a netlist: npx hardhat sim <netlist> --replicates N.");
  }
  const { output } = ctx;
  const log = args.quiet ? () => undefined : (line: string) => output.log(line);
  // The bar (or plain lines off a terminal) starts once the runs to do are known.
  let progress: CampaignProgress | undefined;
  let summary: CampaignSummary;
  try {
    summary = await startCampaign(
      ctx.environment,
      args.netlist ?? "",
      {
        ...options,
        onJobs: (jobs, skipped) => {
          if (!args.quiet) progress = campaignProgress({ label: args.netlist ?? path.basename(options.out ?? "campaign"), total: jobs + skipped, done: skipped, stream: output.progress, log });
        },
        // Printed even with --quiet: without it the campaign cannot be continued.
        onInterrupt: ({ signal, resume }) => {
          progress?.stop();
          output.warn(`\nCampaign interrupted by ${signal}. Runs that ended are kept; continue it with:\n  ${resume}`);
        },
        events: {
          onStart: (key, worker) => progress?.events.onStart?.(key, worker),
          onOutcome: (o) => progress?.events.onOutcome?.(o),
          onWorker: (e) => progress?.events.onWorker?.(e),
        },
      },
      { early },
    );
  } finally {
    progress?.stop();
  }
  if (args.quiet) output.log(summary.dir);
  else {
    log(`${plural(summary.runs, "run")}${summary.skipped ? ` (${summary.skipped} had ended before)` : ""}: ${summary.complete} complete, ${summary.failed.length} failed`);
    if (!options.shard) printFinals(summary.dir, log);
    log(`Files in ${summary.dir}`);
  }
  if (summary.failed.length > 0) {
    throw new TokenspiceError(
      "CAMPAIGN_FAILED",
      `${summary.failed.length} of ${summary.runs} runs failed (their errors and reproduce commands are in ${campaignFilePath(summary.dir)} and each run's ${RUN_MANIFEST_FILE}): ` +
        summary.failed
          .slice(0, 3)
          .map((f) => `${f.key}: ${f.error?.message ?? "failed"}`)
          .join("; "),
      { outDir: summary.dir, failed: summary.failed.map((f) => f.key) },
    );
  }
}

/**
 * The end of a finished campaign or merge (not a shard: it writes no outputs): each KPI's final p5,
 * median and p95 per point, from the points.csv just written, the output files (from the registry
 * of campaign outputs), and where the report is.
 */
function printFinals(dir: string, log: (line: string) => void): void {
  const points = path.join(dir, CAMPAIGN_OUTPUT_FILES.points);
  if (!fs.existsSync(points)) return;
  const finals = readFinalKpis(dir);
  log(finalKpisTable(finals.kpis, finals.points));
  const campaign = readCampaignFile(dir);
  const sharing = seedsSharing(campaign.spec.commonSeeds, campaign.points.length);
  if (sharing) log(`Seeds: ${sharing}`);
  const precision = runsToHalveLine(campaign.spec.runs, campaign.points.length);
  if (precision) log(`Precision: ${precision}`);
  printOutputs(dir, {}, log);
  const report = path.join(dir, CAMPAIGN_OUTPUT_FILES.report);
  if (fs.existsSync(report)) log(`Report: ${report}`);
}

/** The arguments of `sim-merge`. */
export interface MergeArgs {
  /** The shards' campaign folders. */
  dirs: string[];
  /** The merged campaign's folder. */
  out: string;
  /** Replace a campaign of ours already in `out`. */
  force?: boolean;
}

/**
 * `sim-merge`: merges a campaign's shard folders into one campaign folder and prints its summary.
 * @throws TokenspiceError what `mergeCampaigns` throws; CAMPAIGN_FAILED (exit code 1) when runs failed
 */
export async function mergeCommand(args: MergeArgs, output: CliOutput): Promise<void> {
  const log = (line: string) => output.log(line);
  const merged = await mergeCampaigns(args.dirs, args.out, { force: args.force, writeOutputs: campaignOutputWriter });
  for (const d of merged.duplicates) log(`run ${d.key} is in ${d.dirs.length} folders (same results): ${d.dirs.join(", ")}`);
  log(`Merged ${args.dirs.length} folders: ${merged.runs} runs, ${merged.failed.length} failed, in ${merged.dir}`);
  printFinals(merged.dir, log);
  if (merged.failed.length > 0) {
    throw new TokenspiceError("CAMPAIGN_FAILED", `${merged.failed.length} of ${merged.runs} runs failed (see ${merged.dir}/${CAMPAIGN_FILE} and the runs' manifests).`, {
      outDir: merged.dir,
    });
  }
}
