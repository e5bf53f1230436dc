import { createRequire } from "module";
import { parseEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { compilerOf } from "../engine/artifacts.js";
import type { ProjectContract } from "../engine/contracts.js";
import type { RunEnvironment } from "../runner/run.js";
import { configFlag } from "../runner/run-spec.js";
import { gitState, pluginVersion, withConfigFile } from "../runner/project-facts.js";
import { HH3_DEFAULT_NETWORK, type Chain3 } from "./sim-network.js";
import { ForkFlagState, type ForkFlags, type ForkRequest } from "../fork/options.js";

/**
 * What runs on in a Hardhat 3 project: a chain (src/hardhat3/sim-network.ts), the project's
 * contracts, versions and git state: the Hardhat 3 twin of src/hardhat/environment.ts, made once per
 * chain (the contracts once per process).
 */
export class Hardhat3RunEnvironment {
  private chain: Promise<Chain3> | undefined;
  private contracts: Promise<ProjectContract[]> | undefined;

  /** The `--fork*` flags of this process's command (src/fork/options.ts). */
  readonly forkFlags: ForkFlagState;

  constructor(
    private readonly hre: HardhatRuntimeEnvironment,
    private readonly openChain: (fork?: ForkRequest) => Promise<Chain3>,
  ) {
    this.forkFlags = new ForkFlagState(() => ({ config: hre.config.tokenspice.fork, root: hre.config.paths.root }));
  }

  /** @throws TokenspiceError OPTION_INVALID (`ForkFlagState.use`): bad flags, or given after the chain was opened */
  useForkFlags(flags: ForkFlags): void {
    this.forkFlags.use(flags, { opened: this.chain !== undefined });
  }

  /**
   * Opens the chain (once), without reading the project's contracts: what a campaign worker does
   * while it boots, which may be while its campaign still compiles (`get` reads them at its first run).
   * @throws TokenspiceError NETWORK_UNSUPPORTED, NODE_ERROR (from the chain); OPTION_INVALID and FORK_* (a fork)
   */
  async prepare(): Promise<void> {
    await this.openChainOnly();
  }

  private openChainOnly(): Promise<Chain3> {
    this.chain ??= this.openChain(this.forkFlags.request());
    return this.chain.catch((error) => {
      this.chain = undefined;
      throw error;
    });
  }

  /** @throws TokenspiceError NETWORK_UNSUPPORTED, NODE_ERROR (from the chain); OPTION_INVALID and FORK_* (a fork) */
  async get(): Promise<RunEnvironment> {
    const { config } = this.hre;
    const chain = await this.openChainOnly();
    this.contracts ??= readProjectContracts3(this.hre);
    return {
      provider: chain.provider,
      projectContracts: await this.contracts,
      walletWei: parseEther(config.tokenspice.walletEth),
      network: withConfigFile(chain.facts, configFlag(config.paths.root, config.paths.config)),
      node: chain.node,
      root: config.paths.root,
      stepTimeoutMs: config.tokenspice.stepTimeoutMs,
      defaultNetwork: HH3_DEFAULT_NETWORK,
      ...(chain.fork ? { fork: chain.fork } : {}),
      versions: {
        "hardhat-tokenspice": pluginVersion(),
        hardhat: hardhatVersion(),
        solc: [...new Set(Object.values(config.solidity.profiles).flatMap((p) => p.compilers.map((c) => c.version)))],
        node: process.version,
      },
      get git() {
        return gitState(config.paths.root);
      },
    };
  }

  /** Closes the chain's connection, if one was opened. */
  async close(): Promise<void> {
    const chain = this.chain;
    this.chain = undefined;
    if (chain !== undefined) await (await chain.catch(() => undefined))?.connection.close();
  }
}

function hardhatVersion(): string {
  try {
    return createRequire(import.meta.url)("hardhat/package.json").version;
  } catch {
    return "unknown";
  }
}

/** The project's compiled contracts (Hardhat 3's artifacts manager has only async reads). */
async function readProjectContracts3(hre: HardhatRuntimeEnvironment): Promise<ProjectContract[]> {
  const out: ProjectContract[] = [];
  let names: string[];
  try {
    names = [...(await hre.artifacts.getAllFullyQualifiedNames())].sort();
  } catch {
    return out; // not compiled yet: nothing to name contracts by
  }
  for (const fqn of names) {
    try {
      const a = await hre.artifacts.readArtifact(fqn);
      out.push({ name: a.contractName, abi: a.abi as ProjectContract["abi"], deployedBytecode: a.deployedBytecode, source: a.sourceName, compiler: compilerOf({}, a.deployedBytecode) });
    } catch {
      // an artifact that cannot be read names nothing
    }
  }
  return out;
}
