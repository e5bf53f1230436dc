import type { AnyNetlist } from "../model/netlist";
import type { LoadedNetlist } from "../runner/netlists";
import type { RunEnvironment } from "../runner/run";
import type { BackendSource, WorkerPoolRequest } from "./types";

export type { WorkerPoolRequest };

/**
 * Everything the core's orchestration (campaigns: `src/campaign/start.ts`; searches:
 * `src/search/run-search.ts`) takes from the framework it runs in. An adapter implements it: the
 * Hardhat 2 one is `hre.tokenspice` (`src/hardhat/tokenspice.ts`); a Hardhat 3 adapter, or a plain
 * Node script, implements the same (test/core-without-hardhat.test.ts builds one by hand). Where
 * runs go (`runSpec`, `workerBackend`) is the campaign layer's `BackendSource`.
 */
export interface TokenspiceEnvironment extends BackendSource {
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
  /** The folder campaigns and searches go under by default (`<outDir>/<netlist>/<UTC time>-<what><seed>`), absolute. */
  readonly outDir: string;
}
