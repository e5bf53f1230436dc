import fs from "fs";
import path from "path";
import { parseEther } from "ethers";
import { DEFAULT_WALLET_ETH } from "../config";
import { TokenspiceError, messageOf } from "../errors";
import { compilerOf } from "../engine/artifacts";
import type { NodeBehaviour } from "../engine/chain";
import type { ProjectContract } from "../engine/contracts";
import type { Eip1193Provider } from "../engine/provider";
import type { AnyNetlist } from "../model/netlist";
import { loadNetlistOrInline, type LoadedNetlist } from "../runner/netlists";
import { gitState, pluginVersion } from "../runner/project-facts";
import { runSpec, type RunEnvironment } from "../runner/run";
import { DEFAULT_STEP_TIMEOUT_MS, type NetworkFacts } from "../runner/run-spec";
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

/** What `createEnvironment` takes: a node, and where netlists, results and compiled contracts are. */
export interface EnvironmentOptions {
  /** The node runs go to: any EIP-1193 provider (EDR's, a JSON-RPC node's) that answers the `evm_*` and `hardhat_*` methods the engine sends (snapshots, mining at a time, funding and impersonating wallets). */
  provider: Eip1193Provider;
  /** The project's root: netlist files and deployed sources are recorded relative to it (default: the current directory). */
  root?: string;
  /** The netlists' folder, for netlists given by name (default `<root>/sims`). */
  simsDir?: string;
  /** Where campaigns and searches go by default (default `<root>/sim-results`). */
  outDir?: string;
  /** A folder of compiled contracts' JSON artifacts (Hardhat's `artifacts/`, read recursively; `*.dbg.json` and `build-info/` skipped): they name calls and reverts in the run files. Default: none. */
  artifactsDir?: string;
  /** ETH every agent wallet starts with, in wei (default 1,000,000 ETH: `tokenspice.walletEth`'s default, `DEFAULT_WALLET_ETH`). */
  walletWei?: bigint;
  /** The network's facts recorded with each run (default `{ name: "custom", chainId }`, the chain id asked of the provider). */
  network?: NetworkFacts;
  /** How the node stamps blocks, when you configured it (default: probed once per run, as for a `--network` node). */
  node?: NodeBehaviour;
  /** The step timeout (ms) of runs that give none; null: none (default `DEFAULT_STEP_TIMEOUT_MS`, as `tokenspice.stepTimeoutMs`). */
  stepTimeoutMs?: number | null;
}

/**
 * A `TokenspiceEnvironment` from a provider and folders, with no framework: what a plain Node
 * script passes to `startCampaign` and `runSearch` (`hardhat-tokenspice/core`; examples/no-hardhat).
 * Runs go one at a time to the provider, in this process (`workers` above 1 is refused: worker
 * processes need an adapter that can start one). Netlists are loaded by name from `simsDir`
 * (a `.ts` netlist needs a TypeScript loader such as ts-node registered; `.js` loads as is), or
 * given as `defineNetlist` values. The provider's chain id is asked once, when the first campaign
 * or search starts.
 * @throws TokenspiceError ARTIFACT_INVALID (from `runEnvironment()`) for an artifacts folder that cannot be read; NODE_ERROR when the provider does not answer `eth_chainId`
 */
export function createEnvironment(options: EnvironmentOptions): TokenspiceEnvironment {
  const root = path.resolve(options.root ?? process.cwd());
  const simsDir = path.resolve(root, options.simsDir ?? "sims");
  let environment: Promise<RunEnvironment> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const make = async (): Promise<RunEnvironment> => {
    let network = options.network;
    if (network === undefined) {
      let chainId: unknown;
      try {
        chainId = await options.provider.request({ method: "eth_chainId" });
      } catch (error) {
        throw new TokenspiceError("NODE_ERROR", `The provider does not answer eth_chainId: ${messageOf(error)}`, {}, error);
      }
      network = { name: "custom", chainId: Number(chainId) };
    }
    return {
      provider: options.provider,
      walletWei: options.walletWei ?? parseEther(DEFAULT_WALLET_ETH),
      network,
      ...(options.node ? { node: options.node } : {}),
      root,
      projectContracts: options.artifactsDir === undefined ? [] : readArtifactsFolder(path.resolve(root, options.artifactsDir)),
      stepTimeoutMs: options.stepTimeoutMs === undefined ? DEFAULT_STEP_TIMEOUT_MS : options.stepTimeoutMs,
      versions: { "hardhat-tokenspice": pluginVersion(), node: process.version },
      // two git processes: only worth spawning when a manifest is written (runs given `out`)
      get git() {
        return gitState(root);
      },
    };
  };
  return {
    outDir: path.resolve(root, options.outDir ?? "sim-results"),
    load: (nameOrNetlist) => loadNetlistOrInline(simsDir, nameOrNetlist),
    runEnvironment() {
      environment ??= make().catch((error: unknown) => {
        environment = undefined;
        throw error;
      });
      return environment;
    },
    // one run at a time on the one provider: a run's snapshot and revert must not interleave with another's
    runSpec(env, loaded, spec, controls) {
      const next = queue.then(() => runSpec(env, loaded, spec, controls));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/**
 * The compiled contracts of an artifacts folder (Hardhat's layout, or any folder of artifact JSON
 * files), sorted by path: each file with an `abi` and bytecode. `*.dbg.json` and `build-info/` are skipped.
 * @throws TokenspiceError ARTIFACT_INVALID naming a folder that does not exist or a file that is not JSON
 */
export function readArtifactsFolder(dir: string): ProjectContract[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new TokenspiceError("ARTIFACT_INVALID", `The artifacts folder ${dir} does not exist.`, { artifactsDir: dir });
  const out: ProjectContract[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "build-info") walk(file);
      } else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
        let json: any;
        try {
          json = JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (error) {
          throw new TokenspiceError("ARTIFACT_INVALID", `${file} is not JSON: ${messageOf(error)}`, { file }, error);
        }
        if (!Array.isArray(json?.abi)) continue;
        const deployed = typeof json.deployedBytecode === "string" ? json.deployedBytecode : json.evm?.deployedBytecode?.object;
        const name = typeof json.contractName === "string" ? json.contractName : path.basename(entry.name, ".json");
        out.push({ name, abi: json.abi, deployedBytecode: deployed, source: typeof json.sourceName === "string" ? json.sourceName : undefined, compiler: compilerOf(json, deployed ?? "") });
      }
    }
  };
  walk(dir);
  return out;
}
