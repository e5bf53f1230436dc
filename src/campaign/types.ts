import type { LoadedNetlist } from "../runner/netlists";
import type { SimResult } from "../runner/result";
import type { RunControls, RunEnvironment } from "../runner/run";
import type { RunSpec } from "../runner/run-spec";

/**
 * The shapes the campaign layer passes between its parts: the plan (spec → runs), the backends
 * that run them (in-process, worker processes), and the outputs (store, bands, points). All are
 * plain JSON, so a run can cross a process boundary and a campaign can be resumed or merged from
 * its files.
 */

export type { CampaignPoint, CampaignRun, CampaignSpec, ParamValue, SampleSpec, SweepAxis } from "../output/formats/campaign-file";

/** How a run ended, as a backend reports it and `runs` in the store records it. */
export interface RunOutcome {
  key: string;
  status: "complete" | "failed";
  /** For a failed run: the plugin error's code (or "WORKER_DIED") and message. */
  error: { code: string; message: string } | null;
  /** How many times it was started (a run whose worker died is retried once on a fresh one). */
  attempts: number;
}

/** A backend runs jobs and reports each outcome as it comes; `run` resolves when all have. */
export interface CampaignBackend {
  run(jobs: RunJob[], events: BackendEvents): Promise<RunOutcome[]>;
  /** Frees workers and anything else the backend holds. */
  close(): Promise<void>;
  /**
   * Boots up to `count` workers now, before any `run` (a pool of processes; absent elsewhere): they
   * wait, idle, for the first `run`, and do not keep this process alive meanwhile.
   */
  prestart?(count: number): void;
  /** Lowers the number of workers to `workers` (at least 1), stopping those above it (absent: fixed). */
  limit?(workers: number): void;
}

/** One job for a backend: a run spec and the folder (absolute) its files go to. */
export interface RunJob {
  key: string;
  spec: RunSpec;
  /** Absolute path of the run's folder; a previous incomplete attempt there is overwritten. */
  out: string;
}

/** What a backend's runs are given (jobControls). */
export type JobControls = RunControls & { out: string; force: true; reuseSetup: true };

/**
 * How every backend runs a job (in process or on a worker): into its folder, over an incomplete
 * attempt, with setup reused from the previous run where its requests are the same
 * (src/engine/setup-reuse.ts: the campaign's runs are the process's only use of the chain).
 */
export function jobControls(job: RunJob): JobControls {
  return { out: job.out, force: true, reuseSetup: true };
}

/**
 * What a backend reports while it runs jobs, in order: a run started (worker 0: in this process), a run ended, a worker was recycled or replaced.
 */
export interface BackendEvents {
  onStart?(key: string, worker: number): void;
  onOutcome?(outcome: RunOutcome): void;
  /** A worker was recycled (count or memory) or replaced (it died). */
  onWorker?(event: { worker: number; reason: "max-runs" | "memory" | "died"; rssBytes?: number }): void;
}

/** What a pool of worker processes is asked for (counts already checked by the core). */
export interface WorkerPoolRequest {
  /** Worker processes, 2 or more. */
  workers: number;
  /** Runs a worker does before a fresh one replaces it (default: the pool's, 250). */
  maxRunsPerWorker?: number;
  /** RSS in bytes past which a worker is replaced between runs (default: the pool's). */
  workerMemoryBytes?: number;
}

/**
 * Where an environment (src/campaign/environment.ts) runs a campaign's or search's specs: in this process,
 * and (optionally) on a pool of worker processes. `openBackend` picks one.
 */
export interface BackendSource {
  /**
   * Runs one spec in this process (`runSpec` of src/runner/run.ts, or a wrapper of it). Runs that
   * share a chain must take turns: the adapter serialises them.
   */
  runSpec(env: RunEnvironment, loaded: LoadedNetlist, spec: RunSpec, controls: RunControls): Promise<SimResult>;
  /**
   * A pool of worker processes that each boot the project and run specs by netlist name (for
   * `workers` > 1). Absent: the environment runs only in this process, and more than one worker is
   * refused.
   * @throws TokenspiceError OPTION_INVALID when the network cannot be shared by several processes
   */
  workerBackend?(request: WorkerPoolRequest): CampaignBackend;
}
