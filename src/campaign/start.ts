import path from "path";
import { TokenspiceError } from "../errors";
import type { TokenspiceEnvironment } from "./environment";
import type { AnyNetlist } from "../model/netlist";
import type { LoadedNetlist } from "../runner/netlists";
import { freshRunDir } from "../runner/out-dir";
import type { RunEnvironment } from "../runner/run";
import { INLINE, commandDefaultsOf, resolveRunSpec } from "../runner/run-spec";
import { defaultWorkerCount, openBackend, openWorkerPool, type CampaignWork, type WorkerOptions } from "./backends/choose";
import { readOwnCampaignFile } from "../output/formats/campaign-file";
import { readShardOf, runCampaign, type CampaignSummary, type OutputWriter } from "./campaign";
import { warmCampaignOutputs, writeCampaignOutputs } from "./outputs";
import { InProcessBackend } from "./backends/in-process";
import { planCampaign, type CampaignPlan } from "./plan";
import { campaignCommand, campaignResumeCommand, resolveCampaignSpec, type CampaignRequest } from "./spec";
import type { BackendEvents, BackendSource, CampaignBackend, CampaignSpec } from "./types";

/** Options of a campaign (`hre.tokenspice.campaign`, `startCampaign`): what to run (the spec) and how (folder, workers, shard). */
export interface CampaignStartOptions extends CampaignRequest, WorkerOptions {
  /** The campaign's folder (default `<outDir>/<netlist>/<UTC time>-campaign<seed>`). */
  out?: string;
  /** Overwrite a campaign of ours already in `out`. */
  force?: boolean;
  /** Continue the campaign in `out`: run only the runs that have not ended (its spec comes from its campaign file). */
  resume?: boolean;
  /** Run only shard `index` of `count` (1-based); merge the shards' folders with `merge`. */
  shard?: { index: number; count: number };
  events?: BackendEvents;
  /** Called once the runs to start are known (after skipping those a resume finds ended). */
  onJobs?: (jobs: number, skipped: number) => void;
  /** Called when SIGINT, SIGTERM or SIGHUP stops the campaign, with the command that resumes it (see `runCampaign`). */
  onInterrupt?: (interruption: { signal: NodeJS.Signals; resume: string }) => void;
}

/**
 * What a finished campaign (not a shard) and a merge write beside the runs: bands.csv, points.csv,
 * runs.csv, campaign.duckdb, the Parquet files and report.html (src/campaign/outputs.ts). DuckDB is
 * loaded when a campaign ends (or, on worker processes, while they run its runs), not when the plugin loads.
 */
export const campaignOutputWriter: OutputWriter = (dir, campaign, outcomes) => writeCampaignOutputs(dir, campaign, outcomes);

/** A campaign request resolved once: the netlist, the serialisable spec, its plan and its folder. */
export interface ResolvedCampaign {
  loaded: LoadedNetlist;
  spec: CampaignSpec;
  plan: CampaignPlan;
  /** The campaign's folder, absolute. */
  dir: string;
  /** The command that runs the whole campaign again. */
  command: string;
}

/**
 * Resolves a campaign request (or, with `resume`, the spec in its folder's campaign file) into its
 * spec, plan and folder, with nothing written or run.
 * @throws TokenspiceError OPTION_INVALID (resume without a folder, or naming another netlist than
 *   the campaign's), PARAM_*, CAMPAIGN_TOO_LARGE, RUN_FOLDER_INVALID / CAMPAIGN_FOLDER_INVALID for a resumed folder
 */
export function resolveCampaign(environment: TokenspiceEnvironment, env: RunEnvironment, nameOrNetlist: string | AnyNetlist, options: CampaignStartOptions): ResolvedCampaign {
  // A resumed campaign names its netlist and spec in its campaign file: `sim --resume <dir>` needs no name.
  const existing = options.resume ? resumedSpec(nameOrNetlist, options.out) : undefined;
  const loaded = environment.load(existing && typeof nameOrNetlist === "string" ? existing.netlist.name : nameOrNetlist);
  const request: CampaignRequest = existing
    ? {
        replicates: existing.runs,
        sweep: existing.sweep.length === 0 ? undefined : Object.fromEntries(existing.sweep.map((a) => [a.param, a.values])),
        zip: existing.zip,
        commonSeeds: existing.commonSeeds === true,
        sample: existing.sample ?? undefined,
        seed: existing.seed,
        params: existing.params,
        steps: existing.steps,
        stepTimeoutMs: existing.stepTimeoutMs ?? 0,
      }
    : options;
  const file = loaded.file === INLINE ? INLINE : path.relative(env.root, loaded.file).split(path.sep).join("/");
  const spec = resolveCampaignSpec(loaded, request, { file, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
  const defaults = commandDefaultsOf(env);
  const plan = planCampaign(
    spec,
    loaded.netlist.params,
    (params, seed) =>
      resolveRunSpec(loaded, { params, seed, steps: spec.steps, stepTimeoutMs: spec.stepTimeoutMs ?? 0 }, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs }),
    defaults,
  );
  const dir = path.resolve(options.out ?? freshRunDir(environment.outDir, loaded.name, `campaign${spec.seed}`));
  return { loaded, spec, plan, dir, command: campaignCommand(spec, defaults) };
}

/**
 * Starts (or, with `resume`, continues) a campaign: resolves the request once (`resolveCampaign`),
 * opens its backend (this process or worker processes: `openBackend`, or `backend` when given),
 * takes its folder and runs it (`runCampaign`). Failed runs are recorded, not thrown.
 * @param deps.backend runs the jobs instead of the backend the options choose (it is closed at the end)
 * @param deps.early worker processes started before the campaign was planned (`startWorkersEarly`):
 *   kept (limited to the worker count the plan gives) when that count is above 1, closed otherwise
 * @param deps.writeOutputs what a finished campaign writes beside its runs (default `campaignOutputWriter`)
 * @throws TokenspiceError for a bad request, folder or worker count, before any run (see `resolveCampaign`, `openBackend`, `runCampaign`)
 */
export async function startCampaign(
  environment: TokenspiceEnvironment,
  nameOrNetlist: string | AnyNetlist,
  options: CampaignStartOptions = {},
  deps: { backend?: CampaignBackend; writeOutputs?: OutputWriter; early?: CampaignBackend } = {},
): Promise<CampaignSummary> {
  let backend: CampaignBackend | undefined;
  let resolved: ResolvedCampaign;
  let env: RunEnvironment;
  try {
    env = await environment.runEnvironment();
    resolved = resolveCampaign(environment, env, nameOrNetlist, options);
    const { loaded, spec, plan } = resolved;
    const work: CampaignWork = { runs: options.shard ? Math.ceil(plan.runs.length / options.shard.count) : plan.runs.length, steps: spec.steps };
    backend = deps.backend ?? (await keepOrOpenBackend(deps.early, () => openBackend(environment, loaded, env, options, work), options, work));
  } finally {
    if (deps.early !== undefined && backend !== deps.early) await deps.early.close(); // not needed, or the request was refused
  }
  const { spec, plan, dir, command } = resolved;
  try {
    return await runCampaign({
      dir,
      spec,
      plan,
      versions: env.versions,
      command,
      backend,
      events: options.events,
      onJobs: options.onJobs,
      onInterrupt: options.onInterrupt,
      shard: options.shard,
      resume: options.resume,
      force: options.force,
      writeOutputs: deps.writeOutputs ?? campaignOutputWriter,
      // With the runs in worker processes this one waits: it loads what the outputs need meanwhile.
      ...(deps.writeOutputs === undefined && !(backend instanceof InProcessBackend) ? { warmOutputs: warmCampaignOutputs } : {}),
      ...(env.fork?.bundle ? { forkBundle: () => env.fork!.bundle!() } : {}),
    });
  } finally {
    await backend.close();
  }
}

/**
 * What the command line knows of a campaign's work before it is planned, from its flags: the runs
 * (replicates without a sweep or sample) and the steps, when they say.
 */
export interface KnownWork {
  runs?: number;
  steps?: number;
}

/**
 * Starts a campaign's worker processes at once, before the compile check, loading the netlist and
 * planning (which need the contracts compiled), so that their boot overlaps that work; pass the
 * result to `startCampaign` as `deps.early`, which keeps it (shrunk to the worker count the plan
 * gives: `limit`) or closes it. Boots as many workers as the count given or the default allows for
 * what the flags say (`defaultWorkerCount`; the runs, when known, bound it). Workers boot without the
 * contracts: they read artifacts only in a run, and no run reaches them before the compile check
 * ended. Undefined (nothing started) when that count is 1, the environment has no worker processes,
 * or it refuses the pool (the refusal is then made, with its message, when the campaign starts).
 */
export function startWorkersEarly(environment: BackendSource, options: CampaignStartOptions, known: KnownWork = {}): CampaignBackend | undefined {
  if (environment.workerBackend === undefined || options.resume) return undefined; // a resume's own spec decides
  const work = known.runs !== undefined && known.steps !== undefined ? { runs: known.runs, steps: known.steps } : undefined;
  const count = Math.min(options.workers ?? defaultWorkerCount(options.workersFor ?? "api", work), known.runs ?? Infinity);
  if (!(Number.isSafeInteger(count) && count > 1)) return undefined;
  let pool: CampaignBackend;
  try {
    pool = openWorkerPool(environment, count, options);
  } catch {
    return undefined;
  }
  pool.prestart?.(count);
  return pool;
}

/**
 * @internal The backend a planned campaign runs on: the early pool (`startWorkersEarly`), limited to
 * the worker count the options or the default give for `work`, when that count is above 1 and the
 * pool can be limited; otherwise `open()` (the early pool, if any, is closed by the caller).
 */
export async function keepOrOpenBackend(early: CampaignBackend | undefined, open: () => CampaignBackend, options: WorkerOptions, work: CampaignWork): Promise<CampaignBackend> {
  const workers = options.workers ?? defaultWorkerCount(options.workersFor ?? "api", work);
  if (early?.limit !== undefined && Number.isSafeInteger(workers) && workers > 1) {
    early.limit(workers);
    return early;
  }
  return open();
}

/**
 * The spec of the campaign in `out`, to resume it.
 * @throws TokenspiceError OPTION_INVALID without a folder, or when a netlist is named that is not the campaign's
 */
function resumedSpec(nameOrNetlist: string | AnyNetlist, out: string | undefined): CampaignSpec {
  if (out === undefined) throw new TokenspiceError("OPTION_INVALID", "resume needs the campaign's folder (out, or --resume <dir>)");
  const existing = readOwnCampaignFile(path.resolve(out)).spec;
  if (typeof nameOrNetlist === "string" && nameOrNetlist !== "" && nameOrNetlist !== existing.netlist.name) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `${out} holds a campaign of netlist "${existing.netlist.name}", not "${nameOrNetlist}": resume it with ${campaignResumeCommand(existing, out, readShardOf(path.resolve(out)))}.`,
      { dir: out, netlist: existing.netlist.name },
    );
  }
  return existing;
}
