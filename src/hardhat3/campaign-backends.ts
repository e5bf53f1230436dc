import { fileURLToPath } from "url";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TokenspiceError } from "../errors.js";
import { WorkerPoolBackend } from "../campaign/backends/workers.js";
import type { WorkerPoolRequest } from "../campaign/types.js";
import { selectedNetwork } from "./sim-network.js";
import { workerForkEnv } from "../fork/options.js";

/**
 * The backend that runs a campaign's jobs in worker processes on Hardhat 3, each booting this
 * project's Hardhat once (./campaign-worker.js) with the same config and network as this process:
 * the Hardhat 3 twin of src/hardhat/campaign-backends.ts. Compile before running it: workers don't.
 *
 * Several workers need an in-process network (each worker has a chain of its own): runs of several
 * processes on one JSON-RPC node would mine into each other's ticks.
 *
 * @throws TokenspiceError OPTION_INVALID for more than one worker on a JSON-RPC network, or without a config file
 */
export function createWorkerBackend3(hre: HardhatRuntimeEnvironment, request: WorkerPoolRequest): WorkerPoolBackend {
  const network = selectedNetwork(hre);
  if (hre.config.networks[network]?.type !== "edr-simulated" && request.workers > 1) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `${request.workers} workers cannot share network "${network}": runs from several processes on one node would mine into each other's ticks. ` +
        `Use workers: 1 on it, or an in-process network (the default), where each worker has a chain of its own.`,
      { network, workers: request.workers },
    );
  }
  const configFile = hre.config.paths.config;
  if (configFile === undefined) {
    throw new TokenspiceError("OPTION_INVALID", `${request.workers} workers need the project's config file to boot Hardhat from, and this runtime environment was made without one. Use workers: 1.`, {
      workers: request.workers,
    });
  }
  return new WorkerPoolBackend({
    entry: path.join(path.dirname(fileURLToPath(import.meta.url)), "campaign-worker.js"),
    execArgv: [],
    args: [hre.config.paths.root, configFile, network],
    cwd: hre.config.paths.root,
    // every worker forks the same chain and bundle as the campaign's --fork* flags say, with its share of the limits
    env: workerForkEnv(hre.tokenspice.givenForkFlags(), request.workers),
    workers: request.workers,
    maxRunsPerWorker: request.maxRunsPerWorker,
    workerMemoryBytes: request.workerMemoryBytes,
  });
}
