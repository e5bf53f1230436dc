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

/** A value a param takes at a point (typed: never the command-line text). */
export type ParamValue = number | string | boolean;

/** One axis of a sweep: a param and the values it takes, in the order given. */
export interface SweepAxis {
  param: string;
  values: ParamValue[];
}

/** Quasi-random or random sampling of params over their declared ranges. */
export interface SampleSpec {
  method: "random" | "lhs" | "sobol";
  /** Points to draw. */
  samples: number;
  /** Params to sample (each needs a finite min and max, or choices); default every uncontrollable param. */
  over: string[];
}

/** What a campaign is: everything that decides its runs, as JSON. `campaign.json` holds it. */
export interface CampaignSpec {
  netlist: RunSpec["netlist"];
  /** Ticks per run. */
  steps: number;
  /** Params fixed for every run (typed), on top of the netlist's defaults. */
  params: Record<string, ParamValue>;
  /** Replicates (runs, each with its own seed) at each point. */
  runs: number;
  sweep: SweepAxis[];
  /** Pair the sweep axes element by element instead of crossing them (a grid). */
  zip: boolean;
  sample: SampleSpec | null;
  /**
   * Common random numbers: replicate r has the same seed at every point (derived from the campaign
   * seed and r alone), so points are compared on the same random draws. Present only when true, so
   * campaigns without it keep their spec hash.
   */
  commonSeeds?: true;
  /** The campaign seed every run's seed is derived from. */
  seed: number;
  stepTimeoutMs: number | null;
  network: RunSpec["network"];
}

/** A point of the campaign: every param of the netlist, typed, and a key that names it. */
export interface CampaignPoint {
  /** Short stable id of the point's params (a hash), e.g. "p-3f9a1c0e2b7d". */
  key: string;
  /** The params that vary across the campaign, as they are at this point (sweep and sample axes). */
  varying: Record<string, ParamValue>;
  /** Every param of the netlist at this point. */
  params: Record<string, ParamValue>;
}

/** One run of the campaign: a point, a replicate, and the run spec that reproduces it alone. */
export interface CampaignRun {
  /** `<point key>/r<replicate>`, e.g. "p-3f9a1c0e2b7d/r0": unique in the campaign, stable across shards. */
  key: string;
  point: string;
  /** 0-based. */
  replicate: number;
  /** Derived from (campaign seed, point params, replicate); see plan.ts. */
  seed: number;
  spec: RunSpec;
  /** The `npx hardhat sim` command that repeats this one run. */
  command: string;
  /** The run's folder, relative to the campaign's folder: `runs/<point key>/r<replicate>`. */
  dir: string;
}

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
}

/** One job for a backend: a run spec and the folder (absolute) its files go to. */
export interface RunJob {
  key: string;
  spec: RunSpec;
  /** Absolute path of the run's folder; a previous incomplete attempt there is overwritten. */
  out: string;
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
