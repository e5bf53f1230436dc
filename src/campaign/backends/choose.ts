import { TokenspiceError } from "../../errors";
import type { LoadedNetlist } from "../../runner/netlists";
import type { RunEnvironment } from "../../runner/run";
import { INLINE } from "../../runner/run-spec";
import type { BackendSource, CampaignBackend } from "../types";
import { InProcessBackend } from "./in-process";
import { defaultWorkers } from "./workers";

/**
 * Who asks for a campaign or search, as far as its default worker count goes:
 * - `"campaign-task"`: `npx hardhat sim --runs/--sweep/--sample` (and `--resume`);
 * - `"api"`: `hre.tokenspice.campaign` and the searches (`verify`, `worstCase`, `corners`,
 *   `optimize`), from code or from their tasks (`sim-verify`…).
 */
export type WorkerDefaultFor = "campaign-task" | "api";

/**
 * Ticks of work (runs × steps) each worker beyond the first needs before a campaign from the
 * command line starts it by default. A worker costs a boot (≈0.8 s wall, 0.9 s CPU alone; 1.4–2.5 s
 * when two boot at once on 2 shared cores) and a cold first run (≈0.5 s more), ≈1.5 s in all, or
 * ≈110 ticks of token-flow, the cheapest shipped model per tick (≈13 ms at 60 steps). W workers beat
 * one when the work exceeds W/(W−1) times that cost (N·r/W + C < N·r), 220 ticks for a second
 * worker; 250 per extra worker keeps a margin. Measured 2026-12-08 (docs/explanation/performance.md).
 */
export const TICKS_PER_EXTRA_WORKER = 250;

/** A campaign's work, as the default worker count weighs it: its runs and the steps of each. */
export interface CampaignWork {
  runs: number;
  steps: number;
}

/**
 * The worker count a campaign or search runs with when none is given: the one place that decides
 * it. Pure: `cores` defaults to the cores Node may use (`os.availableParallelism()`).
 * - A campaign from the command line: as many workers as the cores, the runs and the work allow,
 *   `min(cores, runs, max(1, floor(runs·steps / TICKS_PER_EXTRA_WORKER)))`: a second worker only when
 *   the campaign's work pays for its boot, so a short campaign is never slower with more workers
 *   (on an otherwise idle machine: a loaded one leaves fewer free cores than it has). Without `work`
 *   (not planned yet), the cores: the most it can be.
 * - Everything else, 1 (runs in this process, one after another): a script or test may pass a
 *   netlist object, which workers cannot load by name, may run on a JSON-RPC node that several
 *   processes cannot share, and expects no processes spawned behind its back; a search's runs come
 *   in batches decided one at a time, so workers help only with large batches (`--workers N`).
 */
export function defaultWorkerCount(requestedBy: WorkerDefaultFor, work?: CampaignWork, cores = defaultWorkers()): number {
  if (requestedBy !== "campaign-task") return 1;
  if (work === undefined) return Math.max(1, cores);
  const byWork = Math.floor((Math.max(0, work.runs) * Math.max(0, work.steps)) / TICKS_PER_EXTRA_WORKER);
  return Math.max(1, Math.min(cores, work.runs, byWork));
}

/** How many workers, and how they are bounded: the options campaigns and searches share. */
export interface WorkerOptions {
  /** Worker processes (default: `defaultWorkerCount(workersFor, the campaign's work)`). */
  workers?: number;
  /** Whose default applies when `workers` is not given (default `"api"`: 1, runs in this process). */
  workersFor?: WorkerDefaultFor;
  /** Restart a worker after this many runs (bounds memory). */
  maxRunsPerWorker?: number;
  /** Restart a worker once its RSS passes this many MiB. */
  workerMemoryMB?: number;
}

/**
 * Where a campaign's or search's runs go: this process, one run after another (one worker, or a
 * netlist object, which workers cannot load by name), or the environment's pool of worker processes.
 * @throws TokenspiceError OPTION_INVALID for a worker count that is not a positive integer, several
 *   workers for a netlist object or in an environment without worker processes, or a workerMemoryMB
 *   that is not a positive number (and what the environment's pool refuses: several workers on a
 *   JSON-RPC network)
 */
export function openBackend(environment: BackendSource, loaded: LoadedNetlist, env: RunEnvironment, options: WorkerOptions, work?: CampaignWork): CampaignBackend {
  const workers = options.workers ?? defaultWorkerCount(options.workersFor ?? "api", work);
  if (!Number.isSafeInteger(workers) || workers < 1) throw new TokenspiceError("OPTION_INVALID", `workers ${JSON.stringify(workers)} is not valid: use a positive integer.`, { workers });
  if (workers > 1 && loaded.file === INLINE) {
    throw new TokenspiceError("OPTION_INVALID", "A netlist object cannot go to worker processes (they load netlists by name): use a netlist from the sims folder, or workers: 1.", { workers });
  }
  if (workers === 1) return new InProcessBackend((spec, controls) => environment.runSpec(env, loaded, spec, controls));
  return openWorkerPool(environment, workers, options);
}

/**
 * The environment's pool of `workers` (> 1) worker processes, none started yet.
 * @throws TokenspiceError OPTION_INVALID for a workerMemoryMB that is not a positive number, an
 *   environment without worker processes, and what the environment's pool refuses
 */
export function openWorkerPool(environment: BackendSource, workers: number, options: WorkerOptions): CampaignBackend {
  const memory = options.workerMemoryMB;
  if (memory !== undefined && !(Number.isFinite(memory) && memory > 0)) {
    throw new TokenspiceError("OPTION_INVALID", `workerMemoryMB ${JSON.stringify(memory)} is not valid: use a positive number of megabytes.`, { workerMemoryMB: memory });
  }
  if (environment.workerBackend === undefined) throw new TokenspiceError("OPTION_INVALID", `${workers} workers: this environment runs in its own process only: use workers: 1.`, { workers });
  return environment.workerBackend({ workers, maxRunsPerWorker: options.maxRunsPerWorker, workerMemoryBytes: memory === undefined ? undefined : Math.round(memory * 2 ** 20) });
}
