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
 * The worker count a campaign or search runs with when none is given: the one place that decides
 * it.
 * - A campaign from the command line: the cores Node may use (`os.availableParallelism()`): it is
 *   the whole job of that process, and runs of a named netlist scale with processes.
 * - Everything else, 1 (runs in this process, one after another): a script or test may pass a
 *   netlist object, which workers cannot load by name, may run on a JSON-RPC node that several
 *   processes cannot share, and expects no processes spawned behind its back; a search's runs come
 *   in batches decided one at a time, so workers help only with large batches (`--workers N`).
 */
export function defaultWorkerCount(requestedBy: WorkerDefaultFor): number {
  return requestedBy === "campaign-task" ? defaultWorkers() : 1;
}

/** How many workers, and how they are bounded: the options campaigns and searches share. */
export interface WorkerOptions {
  /** Worker processes (default: `defaultWorkerCount("api")`, 1: runs in this process). */
  workers?: number;
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
export function openBackend(environment: BackendSource, loaded: LoadedNetlist, env: RunEnvironment, options: WorkerOptions): CampaignBackend {
  const workers = options.workers ?? defaultWorkerCount("api");
  if (!Number.isSafeInteger(workers) || workers < 1) throw new TokenspiceError("OPTION_INVALID", `workers ${JSON.stringify(workers)} is not valid: use a positive integer.`, { workers });
  if (workers > 1 && loaded.file === INLINE) {
    throw new TokenspiceError("OPTION_INVALID", "A netlist object cannot go to worker processes (they load netlists by name): use a netlist from the sims folder, or workers: 1.", { workers });
  }
  if (workers === 1) return new InProcessBackend((spec, controls) => environment.runSpec(env, loaded, spec, controls));
  const memory = options.workerMemoryMB;
  if (memory !== undefined && !(Number.isFinite(memory) && memory > 0)) {
    throw new TokenspiceError("OPTION_INVALID", `workerMemoryMB ${JSON.stringify(memory)} is not valid: use a positive number of megabytes.`, { workerMemoryMB: memory });
  }
  if (environment.workerBackend === undefined) throw new TokenspiceError("OPTION_INVALID", `${workers} workers: this environment runs in its own process only: use workers: 1.`, { workers });
  return environment.workerBackend({ workers, maxRunsPerWorker: options.maxRunsPerWorker, workerMemoryBytes: memory === undefined ? undefined : Math.round(memory * 2 ** 20) });
}
