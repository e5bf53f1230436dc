import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TokenspiceError } from "../errors";
import { InProcessBackend } from "../campaign/backends/in-process";
import { WorkerPoolBackend } from "../campaign/backends/workers";
import { defaultWorkerCount } from "../campaign/backends/choose";
import { workerForkEnv } from "../fork/options";

/** How a campaign's worker processes are sized and recycled (passed on to `WorkerPoolBackend`). */
export interface WorkerBackendOptions {
  /** Worker processes (default `defaultWorkerCount("campaign-task")`: `os.availableParallelism()`; the sim task passes the count its plan gives). */
  workers?: number;
  /** Runs a worker does before a fresh one replaces it (default 250). */
  maxRunsPerWorker?: number;
  /** RSS in bytes past which a worker is replaced between runs (default: `defaultWorkerMemoryBytes`). */
  workerMemoryBytes?: number;
  /** ms a worker may take to boot (default 180 000). */
  bootTimeoutMs?: number;
}

/** The backend that runs a campaign's jobs one at a time in this process, with `hre.tokenspice.runSpec`. */
export function createInProcessBackend(hre: HardhatRuntimeEnvironment): InProcessBackend {
  return new InProcessBackend((spec, controls) => hre.tokenspice.runSpec(spec, controls));
}

/**
 * The backend that runs a campaign's jobs in worker processes, each booting this project's Hardhat
 * once (src/hardhat/campaign-worker) on the same network and config as this process. Compile before
 * running it: workers don't.
 *
 * Several workers need the plugin's own simulation network (each worker has its own): runs of
 * several processes on one JSON-RPC node would mine into each other's ticks.
 *
 * @throws TokenspiceError OPTION_INVALID for more than one worker on a network other than "hardhat",
 *   or bad options
 */
export function createWorkerBackend(hre: HardhatRuntimeEnvironment, options: WorkerBackendOptions = {}): WorkerPoolBackend {
  const workers = options.workers ?? defaultWorkerCount("campaign-task");
  if (hre.network.name !== "hardhat" && workers > 1) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `${workers} workers cannot share network "${hre.network.name}": runs from several processes on one node would mine into each other's ticks. ` +
        `Use --workers 1 on it, or the plugin's simulation network (--network hardhat, the default), where each worker has a chain of its own.`,
      { network: hre.network.name, workers },
    );
  }
  const entry = workerEntry();
  const env: Record<string, string> = { HARDHAT_NETWORK: hre.network.name, HARDHAT_CONFIG: hre.config.paths.configFile };
  if (hre.hardhatArguments.tsconfig !== undefined) env.HARDHAT_TSCONFIG = hre.hardhatArguments.tsconfig;
  if (hre.hardhatArguments.typecheck === true) env.HARDHAT_TYPECHECK = "true";
  Object.assign(env, workerForkEnv(hre.tokenspice.givenForkFlags(), workers)); // every worker forks the same chain and bundle, with its share of the limits
  return new WorkerPoolBackend({
    entry: entry.file,
    execArgv: entry.execArgv,
    args: [hre.config.paths.root],
    cwd: hre.config.paths.root,
    env,
    workers,
    maxRunsPerWorker: options.maxRunsPerWorker,
    workerMemoryBytes: options.workerMemoryBytes,
    bootTimeoutMs: options.bootTimeoutMs,
  });
}

/**
 * The worker's entry script next to this file: `campaign-worker.js` in the packed plugin's dist/
 * (plain Node runs it), or `campaign-worker.ts` when the plugin itself runs from its TypeScript
 * sources under ts-node (this repo's tests and examples), which the worker then needs too.
 */
export function workerEntry(dir = __dirname, ownFile = __filename): { file: string; execArgv: string[] } {
  const ext = path.extname(ownFile);
  const file = path.join(dir, `campaign-worker${ext}`);
  if (ext !== ".ts") return { file, execArgv: [] };
  return { file, execArgv: ["--require", require.resolve("ts-node/register/transpile-only")] };
}
