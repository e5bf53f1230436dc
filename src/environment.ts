import type { AnyNetlist } from "./model/netlist";
import type { CampaignBackend } from "./campaign/types";
import type { LoadedNetlist } from "./runner/netlists";
import type { RunControls, RunEnvironment } from "./runner/run";
import type { RunSpec } from "./runner/run-spec";
import type { SimResult } from "./runner/result";

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
 * Everything the core's orchestration (campaigns: `src/campaign/start.ts`; searches:
 * `src/search/run-search.ts`) takes from the framework it runs in. An adapter implements it: the
 * Hardhat 2 one is `hre.tokenspice` (`src/hardhat/tokenspice.ts`); a Hardhat 3 adapter, or a plain
 * Node script, implements the same (test/core-without-hardhat.test.ts builds one by hand).
 */
export interface TokenspiceEnvironment {
  /**
   * The netlist a name stands for (its file in the project's sims folder, loaded), or an inline
   * netlist (a `defineNetlist` value) as given.
   * @throws TokenspiceError NETLIST_NOT_FOUND, NETLIST_INVALID… for a name; OPTION_INVALID for a value that is no netlist
   */
  load(nameOrNetlist: string | AnyNetlist): LoadedNetlist;
  /**
   * The node runs go to and the facts recorded with them: the network's facts (name, chainId, the
   * config file when not the default one), the versions (plugin, framework, solc, Node), the
   * project root, the default step timeout. Called once per campaign or search, before any run.
   * @throws TokenspiceError NODE_ERROR, NETWORK_UNSUPPORTED when the network cannot be used
   */
  runEnvironment(): Promise<RunEnvironment>;
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
  /** The folder campaigns and searches go under by default (`<outDir>/<netlist>/<UTC time>-<what><seed>`), absolute. */
  readonly outDir: string;
}
