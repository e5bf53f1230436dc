import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { EdrNetworkConfig, NetworkConfig } from "hardhat/types/config";
import type { NetworkConnection } from "hardhat/types/network";
import { TokenspiceError, messageOf } from "../errors.js";
import type { NodeBehaviour } from "../engine/chain.js";
import type { Eip1193Provider } from "../engine/provider.js";
import type { NetworkFacts } from "../runner/run-spec.js";
import { SIM_GENESIS_DATE, withCappedStateCache } from "../runner/sim-chain.js";
import { redactUrl, rememberSecretUrl, scrubError, scrubSecrets } from "../output/secrets.js";
import { openFork, type ForkRequest, type OpenFork } from "../fork/index.js";

/** Hardhat 3 names the network used without `--network` "default" (Hardhat 2: "hardhat"). */
export const HH3_DEFAULT_NETWORK = "default";

/** A chain runs go to: its provider, the facts recorded with each run, and the node's block-time behaviour when the plugin set it. */
export interface Chain3 {
  provider: Eip1193Provider;
  facts: NetworkFacts;
  node?: NodeBehaviour;
  /** The Hardhat connection behind it (closed with `close`). */
  connection: NetworkConnection<string>;
  /** The fork's recorder, when the chain forks through it (`--fork`, `tokenspice.fork`). */
  fork?: OpenFork;
}

/** The network `hre.tokenspice` runs on: `--network`, else Hardhat 3's default one. */
export function selectedNetwork(hre: HardhatRuntimeEnvironment): string {
  const chosen = (hre.globalOptions as { network?: string }).network;
  return chosen === undefined || chosen === "" ? HH3_DEFAULT_NETWORK : chosen;
}

function isSimulated(config: NetworkConfig | undefined): config is EdrNetworkConfig {
  return config?.type === "edr-simulated";
}

/**
 * The facts a run records about a simulated network, from its config (the settings a model may
 * legitimately choose; see src/hardhat/sim-network.ts for the Hardhat 2 list).
 * @throws TokenspiceError NETWORK_UNSUPPORTED for a fork without a pinned block
 */
export async function simNetworkFacts3(name: string, net: EdrNetworkConfig): Promise<NetworkFacts> {
  const fork = net.forking?.enabled === true ? net.forking : undefined;
  if (fork !== undefined && fork.blockNumber === undefined) {
    throw new TokenspiceError(
      "NETWORK_UNSUPPORTED",
      `networks.${name}.forking has no blockNumber: a fork of the latest block changes from one run to the next. Pin networks.${name}.forking.blockNumber to simulate on a fork.`,
      { setting: "forking.blockNumber" },
    );
  }
  return {
    name,
    chainId: net.chainId,
    blockTime: "tick",
    hardfork: net.hardfork,
    blockGasLimit: net.blockGasLimit === undefined || net.blockGasLimit === false ? undefined : String(net.blockGasLimit),
    initialBaseFeePerGas: net.initialBaseFeePerGas === undefined ? null : String(net.initialBaseFeePerGas),
    // Hardhat 3 resolves the URL lazily (a configuration variable): read it, then redact any key.
    fork: fork ? { url: redactUrl(await fork.url.getUrl()), blockNumber: Number(fork.blockNumber) } : null,
  };
}

/**
 * Opens the chain runs go to on Hardhat 3 (`hre.network.create`, never the deprecated `connect`):
 * - for an in-process network (`type: "edr-simulated"`, as Hardhat 3's "default"): a chain of the
 *   plugin's own with the same fixed settings as on Hardhat 2 (src/hardhat/sim-network.ts): no
 *   genesis accounts (agents get wallets of their own), automine, failing transactions and calls
 *   throwing, blocks with equal timestamps allowed, genesis at SIM_GENESIS_DATE, no logging, and
 *   EDR's state cache capped (SIM_MAX_CACHED_STATES). Chain id, hardfork, gas limit, base fee and
 *   fork come from the network's config and are recorded in the manifest.
 * - for a JSON-RPC network: a connection to it, probed with `eth_chainId`.
 *
 * @throws TokenspiceError NETWORK_UNSUPPORTED (unknown network, unpinned fork), NODE_ERROR (a node that does not answer)
 */
export async function openChain3(hre: HardhatRuntimeEnvironment, name: string, recorded?: ForkRequest): Promise<Chain3> {
  const config = hre.config.networks[name];
  if (config === undefined) {
    throw new TokenspiceError("NETWORK_UNSUPPORTED", `No network "${name}" in hardhat.config (networks: ${Object.keys(hre.config.networks).join(", ")}).`, { network: name });
  }
  if (recorded !== undefined && !isSimulated(config)) {
    throw new TokenspiceError("OPTION_INVALID", `${recorded.setting} forks an in-process network: network "${name}" is a JSON-RPC one (drop --network, or pick an edr-simulated network).`, {
      network: name,
    });
  }
  if (isSimulated(config)) {
    const facts = await simNetworkFacts3(name, config);
    if (recorded !== undefined && facts.fork) {
      throw new TokenspiceError(
        "OPTION_INVALID",
        `${recorded.setting} and networks.${name}.forking both fork a chain: keep one (${recorded.setting} records the fork's reads into a bundle; networks.${name}.forking does not).`,
        { setting: recorded.setting },
      );
    }
    // Through the plugin's recorder (src/fork): EDR forks from its loopback URL.
    const opened = recorded === undefined ? undefined : await openFork(recorded, { cacheDir: hre.config.paths.cache, root: hre.config.paths.root });
    if (opened) facts.fork = opened.facts;
    const connection = await withCappedStateCache(() =>
      hre.network.create({
        network: name,
        chainType: "l1",
        override: {
          ...(opened ? { forking: { enabled: true, url: opened.url, blockNumber: opened.blockNumber } } : {}),
          accounts: [],
          allowBlocksWithSameTimestamp: true,
          initialDate: SIM_GENESIS_DATE.toISOString(),
          throwOnTransactionFailures: true,
          throwOnCallFailures: true,
          loggingEnabled: false,
          mining: { auto: true, interval: 0, mempool: { order: "priority" } },
        },
      }),
    ).catch(async (error) => {
      if (!opened) throw error;
      await opened.close();
      throw (
        opened.fault() ??
        new TokenspiceError("FORK_FAILED", `The simulation network could not fork ${opened.facts.url} at block ${opened.blockNumber}: ${scrubSecrets(messageOf(error))}`, {}, scrubError(error))
      );
    });
    const provider = connection.provider as Eip1193Provider;
    const genesis = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { gasLimit?: string; baseFeePerGas?: string } | null;
    if (facts.blockGasLimit === undefined && genesis?.gasLimit !== undefined) facts.blockGasLimit = BigInt(genesis.gasLimit).toString();
    const fees = facts.fork === null && genesis?.baseFeePerGas !== undefined ? simFeeFields(BigInt(genesis.baseFeePerGas)) : undefined;
    return { provider: fees ? withFeeFields(provider, fees) : provider, facts, node: { blockTime: "tick" }, connection, ...(opened ? { fork: opened } : {}) };
  }
  const url = "url" in config ? String((config as { url: unknown }).url) : undefined;
  if (url !== undefined) rememberSecretUrl(url);
  const connection = await hre.network.create({ network: name });
  let chainId: number;
  try {
    chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw new TokenspiceError(
      "NODE_ERROR",
      `Cannot reach network "${name}"${url !== undefined ? ` at ${redactUrl(url)}` : ""}: ${scrubSecrets(messageOf(error))}`,
      { network: name },
      scrubError(error),
    );
  }
  return { provider: connection.provider, facts: { name, chainId }, connection };
}

/** EDR's default priority fee (1 gwei): what Hardhat 2's in-process network fills in for a send without fee fields. */
export const SIM_PRIORITY_FEE_WEI = 1_000_000_000n;

/**
 * The fee fields the plugin's Hardhat 3 simulation chain sends with every transaction that has none.
 * Hardhat 3 otherwise adds an `eth_feeHistory` request before every such send (its
 * AutomaticGasPriceHandler; Hardhat 2 lets EDR fill them in). The priority fee is EDR's default
 * (1 gwei), so every transaction pays what it pays on Hardhat 2: base fee + 1 gwei per gas. The
 * cap is 2 × the genesis base fee + 1 gwei: the base fee never rises above its genesis value on the
 * simulation chain while a block (one transaction) stays under half the block gas limit, which
 * the per-transaction gas cap of Osaka (2^24) guarantees at the default limit (60M).
 * Hashes differ from Hardhat 2's, whose cap is 2 × the next block's base fee + 1 gwei: see
 * docs/how-to/hardhat3.md.
 */
export function simFeeFields(genesisBaseFeeWei: bigint): { maxFeePerGas: string; maxPriorityFeePerGas: string } {
  return { maxFeePerGas: "0x" + (2n * genesisBaseFeeWei + SIM_PRIORITY_FEE_WEI).toString(16), maxPriorityFeePerGas: "0x" + SIM_PRIORITY_FEE_WEI.toString(16) };
}

/** The provider, with `fees` added to every `eth_sendTransaction` that sets no fee field of its own. */
export function withFeeFields(provider: Eip1193Provider, fees: { maxFeePerGas: string; maxPriorityFeePerGas: string }): Eip1193Provider {
  return {
    request(args) {
      if (args.method === "eth_sendTransaction" && Array.isArray(args.params) && typeof args.params[0] === "object" && args.params[0] !== null) {
        const tx = args.params[0] as Record<string, unknown>;
        if (tx.gasPrice === undefined && tx.maxFeePerGas === undefined && tx.maxPriorityFeePerGas === undefined) {
          return provider.request({ method: args.method, params: [{ ...tx, ...fees }, ...args.params.slice(1)] });
        }
      }
      return provider.request(args);
    },
  };
}
