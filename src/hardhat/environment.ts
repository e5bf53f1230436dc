import { parseEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TokenspiceError, messageOf } from "../errors";
import { compilerOf } from "../engine/artifacts";
import type { ProjectContract } from "../engine/contracts";
import { redactUrl, rememberSecretUrl, scrubError, scrubSecrets } from "../output/secrets";
import type { RunEnvironment } from "../runner/run";
import { configFlag, type NetworkFacts } from "../runner/run-spec";
import { gitState, pluginVersion, withConfigFile } from "../runner/project-facts";
import { createSimNetwork, simNetworkFacts, type SimNetwork } from "./sim-network";
import { ForkFlagState, type ForkFlags } from "../fork/options";

/**
 * What runs on in a Hardhat 2 project (`hre.tokenspice.environment()`): the plugin's own simulation
 * network when the network is "hardhat" (see sim-network.ts), else the configured network's provider
 * (a node over JSON-RPC), probed; the project's contracts, versions and git state. The network and
 * contracts are made once per process.
 */
export class HardhatRunEnvironment {
  private simNetwork: Promise<SimNetwork> | undefined;
  private contracts: Promise<ProjectContract[]> | undefined;
  /** The `--fork*` flags of this process's command (src/fork/options.ts). */
  readonly forkFlags: ForkFlagState;

  constructor(private readonly hre: HardhatRuntimeEnvironment) {
    this.forkFlags = new ForkFlagState(() => ({ config: hre.config.tokenspice.fork, root: hre.config.paths.root }));
  }

  /** @throws TokenspiceError OPTION_INVALID (`ForkFlagState.use`): bad flags, given too late, or on a `--network` other than "hardhat" */
  useForkFlags(flags: ForkFlags): void {
    const network = this.hre.network.name;
    this.forkFlags.use(flags, { network: network === "hardhat" ? undefined : network, opened: this.simNetwork !== undefined });
  }

  /**
   * Builds the plugin's simulation network (once), without reading the project's contracts: what a
   * campaign worker does while it boots, which may be while its campaign still compiles (`get` reads
   * them at its first run). Nothing on another network (its node is reached by `get`).
   * @throws TokenspiceError NETWORK_UNSUPPORTED (an unpinned fork); a fork's errors
   */
  async prepare(): Promise<void> {
    if (this.hre.network.name === "hardhat") await this.openChainOnly();
  }

  private openChainOnly(): Promise<SimNetwork> {
    simNetworkFacts(this.hre.config); // refuses an unpinned fork before anything starts
    this.simNetwork ??= createSimNetwork(this.hre.config, this.forkFlags.request());
    return this.simNetwork.catch((error) => {
      this.simNetwork = undefined;
      throw error;
    });
  }

  /** @throws TokenspiceError NETWORK_UNSUPPORTED (an unpinned fork), NODE_ERROR (a JSON-RPC node that does not answer) */
  async get(): Promise<RunEnvironment> {
    const { config, network } = this.hre;
    let provider: RunEnvironment["provider"];
    let facts: NetworkFacts;
    let node: RunEnvironment["node"];
    let forkHooks: RunEnvironment["fork"];
    let edr: string | undefined;
    if (network.name === "hardhat") {
      const sim = await this.openChainOnly();
      ({ provider, facts, node, edr } = sim);
      forkHooks = sim.fork;
    } else {
      provider = network.provider;
      const http = "url" in network.config ? network.config : undefined;
      const url = http?.url;
      if (http !== undefined) rememberSecretUrl(http.url, http.httpHeaders);
      let chainId: number;
      try {
        chainId = Number(await network.provider.request({ method: "eth_chainId" }));
      } catch (error) {
        throw new TokenspiceError(
          "NODE_ERROR",
          `Cannot reach network "${network.name}"${url !== undefined ? ` at ${redactUrl(url)}` : ""}: ${scrubSecrets(messageOf(error))}`,
          { network: network.name },
          scrubError(error),
        );
      }
      facts = { name: network.name, chainId };
    }
    this.contracts ??= readProjectContracts(this.hre); // runs follow the compile: read once per process
    return {
      provider,
      projectContracts: await this.contracts,
      walletWei: parseEther(config.tokenspice.walletEth),
      // The config file, when not the default one, is part of what a run ran on: its commands name it.
      network: withConfigFile(facts, configFlag(config.paths.root, config.paths.configFile)),
      node,
      root: config.paths.root,
      stepTimeoutMs: config.tokenspice.stepTimeoutMs,
      defaultNetwork: config.defaultNetwork,
      ...(forkHooks ? { fork: forkHooks } : {}),
      versions: {
        "hardhat-tokenspice": pluginVersion(),
        hardhat: require("hardhat/package.json").version,
        // The simulation network's EDR (0.22, or Hardhat's own): src/hardhat/sim-network.ts.
        ...(edr !== undefined ? { edr } : {}),
        solc: config.solidity.compilers.map((c) => c.version),
        node: process.version,
      },
      // Two git processes: only worth spawning when a manifest is written (runs given `out`).
      get git() {
        return gitState(config.paths.root);
      },
    };
  }
}

/** The project's compiled contracts, as the engine names calls and reverts and records deployments with. */
async function readProjectContracts(hre: HardhatRuntimeEnvironment): Promise<ProjectContract[]> {
  const out: ProjectContract[] = [];
  let names: string[] = [];
  try {
    names = await hre.artifacts.getAllFullyQualifiedNames();
  } catch {
    return out; // not compiled yet: nothing to name contracts by
  }
  for (const fqn of names.sort()) {
    try {
      const a = hre.artifacts.readArtifactSync(fqn);
      out.push({ name: a.contractName, abi: a.abi, deployedBytecode: a.deployedBytecode, source: a.sourceName, compiler: compilerOf({}, a.deployedBytecode) });
    } catch {
      // an artifact that cannot be read names nothing
    }
  }
  return out;
}
