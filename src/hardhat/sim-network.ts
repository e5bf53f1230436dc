import fs from "fs";
import os from "os";
import path from "path";
import type { HardhatConfig } from "hardhat/types";
import { TokenspiceError, messageOf } from "../errors";
import { redactUrl, rememberSecretUrl, scrubError, scrubSecrets } from "../output/secrets";
import type { NodeBehaviour } from "../engine/chain";
import type { Eip1193Provider } from "../engine/provider";
import type { NetworkFacts } from "../runner/run-spec";
import { openFork, type ForkRequest, type OpenFork } from "../fork";
import { SIM_GENESIS_DATE, SIM_MAX_CACHED_STATES, withCappedStateCache } from "../runner/sim-chain";
import { createEdrNextProvider, edrNextHardfork, edrNextVersion, edrPackageVersion, loadEdrNext } from "./edr-provider";

/**
 * The in-process network simulations run on when the network is "hardhat": a chain of the
 * plugin's own, apart from `hre.network.provider`, so that
 * - a run never touches the chain a test is using (a test's transactions are never rolled back by
 *   a run's evm_revert, and a run never sees a test's state);
 * - the node settings a run depends on are fixed, not whatever the project's tests need: automine
 *   on, failing transactions throwing, blocks with equal timestamps allowed (every block of a tick
 *   carries the tick's time), and a fixed genesis date (2020-01-01) instead of the wall clock;
 * - the settings a model may legitimately choose come from the project's `networks.hardhat`
 *   config and are recorded in each run's manifest: chainId, hardfork, blockGasLimit,
 *   initialBaseFeePerGas, minGasPrice, coinbase, allowUnlimitedContractSize,
 *   enableTransientStorage, and forking (which must pin a block number to be reproducible);
 * - the node itself is EDR 0.22 (src/hardhat/edr-provider.ts) when it is installed and the chain is
 *   not a fork, else Hardhat 2's own EDR (see `chooseSimEdr`): the same results, less CPU.
 */
export interface SimNetwork {
  provider: Eip1193Provider;
  facts: NetworkFacts;
  node: NodeBehaviour;
  /** The fork's recorder, when the network forks through it (`--fork`, `tokenspice.fork`). */
  fork?: OpenFork;
  /** The version of the EDR the network runs on (recorded in each run's manifest as `versions.edr`). */
  edr: string;
}

/** The environment variable that picks the simulation network's EDR (`chooseSimEdr`). */
export const SIM_EDR_ENV = "TOKENSPICE_EDR";

/**
 * Which EDR the simulation network runs on, from TOKENSPICE_EDR:
 * - unset, "" or "auto": EDR 0.22 when it is installed, the network does not fork and EDR 0.22
 *   knows the hardfork (byzantium and later); else Hardhat 2's own EDR;
 * - "hardhat": Hardhat 2's own EDR (0.12 with Hardhat 2.29), as before EDR 0.22 was added;
 * - "0.22": EDR 0.22, or an error when it cannot be used.
 * Forks always run on Hardhat's EDR: a recorded fork's bundle holds the reads its EDR made, and
 * `networks.hardhat.forking` keeps Hardhat's fork cache and chain settings.
 * @throws TokenspiceError OPTION_INVALID for another value, or "0.22" where EDR 0.22 cannot run the network
 */
export function chooseSimEdr(hardfork: string, forks: boolean, env: Record<string, string | undefined> = process.env): "0.22" | "hardhat" {
  const asked = (env[SIM_EDR_ENV] ?? "").trim();
  if (asked !== "" && asked !== "auto" && asked !== "hardhat" && asked !== "0.22") {
    throw new TokenspiceError("OPTION_INVALID", `${SIM_EDR_ENV}=${JSON.stringify(asked)} is not a choice of EDR: use "auto" (the default), "hardhat" or "0.22".`, { setting: SIM_EDR_ENV });
  }
  if (asked === "hardhat") return "hardhat";
  const why =
    loadEdrNext() === null
      ? "EDR 0.22 (@nomicfoundation/edr-next) is not installed with its native module (npm leaves it out under Node < 22; see docs/reference/config.md#environment-variables)"
      : forks
        ? "the network forks a chain, and forks run on Hardhat's EDR"
        : edrNextHardfork(hardfork) === undefined
          ? `EDR 0.22 does not simulate hardfork "${hardfork}" (it knows byzantium and later)`
          : undefined;
  if (why === undefined) return "0.22";
  if (asked === "0.22") throw new TokenspiceError("OPTION_INVALID", `${SIM_EDR_ENV}=0.22 cannot be used: ${why}. Unset ${SIM_EDR_ENV} to let the plugin choose.`, { setting: SIM_EDR_ENV });
  return "hardhat";
}

/**
 * The chain settings a model may choose (the project's `networks.hardhat`), as both EDRs take them:
 * chain and network id, hardfork, block gas limit, initial base fee, minimum gas price, coinbase,
 * unlimited contract size and RIP-7212.
 */
function projectChainSettings(net: HardhatConfig["networks"]["hardhat"]) {
  return {
    chainId: net.chainId,
    networkId: net.chainId,
    hardfork: net.hardfork,
    blockGasLimit: net.blockGasLimit,
    initialBaseFeePerGas: net.initialBaseFeePerGas,
    minGasPrice: net.minGasPrice,
    coinbase: net.coinbase,
    allowUnlimitedContractSize: net.allowUnlimitedContractSize,
    enableRip7212: net.enableRip7212 ?? false,
  };
}

/** The version of Hardhat 2's own EDR package (the one its in-process network is built with). */
function hardhatEdrVersion(): string {
  const hardhatDir = path.dirname(require.resolve("hardhat/package.json"));
  return edrPackageVersion(require.resolve("@nomicfoundation/edr", { paths: [hardhatDir] }));
}

export { SIM_GENESIS_DATE, SIM_MAX_CACHED_STATES };

type CreateProvider = (config: Record<string, unknown>, logger: { enabled: boolean }, artifacts?: unknown) => Promise<Eip1193Provider>;

function loadCreateProvider(): CreateProvider {
  try {
    // Hardhat 2's own constructor of its in-process (EDR) network: what `hre.network.provider` is built with.
    return require("hardhat/internal/hardhat-network/provider/provider").createHardhatNetworkProvider;
  } catch (error) {
    throw new TokenspiceError(
      "NETWORK_UNSUPPORTED",
      "This Hardhat version does not provide its in-process network constructor (hardhat/internal/hardhat-network/provider/provider): " + "hardhat-tokenspice needs Hardhat ^2.28.",
      {},
      error,
    );
  }
}

/** The facts a run records about the simulation network, from the project's `networks.hardhat` config. */
export function simNetworkFacts(config: HardhatConfig): NetworkFacts {
  const net = config.networks.hardhat;
  const fork = net.forking?.enabled === true && net.forking.url !== undefined ? net.forking : undefined;
  if (fork !== undefined && fork.blockNumber === undefined) {
    throw new TokenspiceError(
      "NETWORK_UNSUPPORTED",
      `networks.hardhat.forking has no blockNumber: a fork of the latest block changes from one run to the next. ` + `Pin networks.hardhat.forking.blockNumber to simulate on a fork.`,
      { setting: "forking.blockNumber" },
    );
  }
  return {
    name: "hardhat",
    chainId: net.chainId,
    blockTime: "tick",
    hardfork: net.hardfork,
    blockGasLimit: String(net.blockGasLimit),
    initialBaseFeePerGas: net.initialBaseFeePerGas === undefined ? null : String(net.initialBaseFeePerGas),
    fork: fork ? { url: redactUrl(fork.url), blockNumber: fork.blockNumber! } : null,
  };
}

/**
 * How long the fork's node may take to answer each of the two requests that check it before the
 * network is built (Hardhat's own default timeout of an HTTP network, 20 s).
 */
export const FORK_PROBE_TIMEOUT_MS = 20_000;

/**
 * The error of a fork that cannot be used, naming the setting and its redacted URL; `why` and the
 * cause are scrubbed of the URL's key.
 */
function forkError(url: string, blockNumber: number, why: string, cause?: unknown): TokenspiceError {
  const shown = redactUrl(url);
  return new TokenspiceError(
    "FORK_FAILED",
    `networks.hardhat.forking (url ${shown}, blockNumber ${blockNumber}) cannot be forked: ${scrubSecrets(why)}. ` +
      `Check the URL, its key and the connection, or remove networks.hardhat.forking to simulate on a fresh chain.`,
    { setting: "networks.hardhat.forking", url: shown, blockNumber },
    scrubError(cause),
  );
}

/**
 * Checks that the fork's node answers JSON-RPC and has the pinned block, with two requests
 * (`eth_chainId`, `eth_getBlockByNumber`), each within `timeoutMs`: a fast, plain error where EDR
 * retries for most of a minute and then prints the URL. Sends the config's `httpHeaders`.
 *
 * @throws TokenspiceError FORK_FAILED when the host does not resolve, the connection is refused or
 *   times out, the node answers with an HTTP error or something that is not JSON-RPC, or its chain
 *   has no block `blockNumber` (a URL of another chain, or a block not mined yet)
 */
export async function probeFork(url: string, blockNumber: number, headers: Record<string, string> = {}, timeoutMs = FORK_PROBE_TIMEOUT_MS): Promise<void> {
  rememberSecretUrl(url, headers);
  const call = async (method: string, params: unknown[]): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw forkError(url, blockNumber, transportFailure(error, timeoutMs), error);
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) throw forkError(url, blockNumber, `its node answered ${method} with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    let body: { result?: unknown; error?: { code?: number; message?: string } };
    try {
      body = JSON.parse(text);
    } catch {
      throw forkError(url, blockNumber, `its node's answer to ${method} is not JSON-RPC (it begins ${JSON.stringify(text.slice(0, 40))})`);
    }
    if (body?.error !== undefined) throw forkError(url, blockNumber, `its node refused ${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
    if (typeof body !== "object" || body === null || !("result" in body)) throw forkError(url, blockNumber, `its node's answer to ${method} is not JSON-RPC (no result)`);
    return body.result;
  };
  const chainId = await call("eth_chainId", []);
  const block = await call("eth_getBlockByNumber", ["0x" + blockNumber.toString(16), false]);
  if (block === null || typeof block !== "object") {
    const latest = await call("eth_blockNumber", []).catch(() => undefined);
    throw forkError(
      url,
      blockNumber,
      `the chain its node serves (chain id ${Number(chainId)}) has no block ${blockNumber}` +
        (typeof latest === "string" ? ` (its latest is ${Number(latest)})` : "") +
        `: a URL of another chain, or a block not mined yet`,
    );
  }
}

/** What a failed fetch says, without the host (its message and cause name it). */
function transportFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string; name?: string } };
  if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError") return `its node did not answer within ${timeoutMs / 1000} s`;
  const code = e?.cause?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `its host name does not resolve (${code}: unknown host, or no DNS)`;
  if (code === "ECONNREFUSED") return "nothing accepts connections at its host and port (ECONNREFUSED)";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `the connection to its node was dropped (${code})`;
  if (typeof code === "string" && /^(CERT_|ERR_TLS|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return `its node's TLS certificate is not valid (${code})`;
  return `the request to its node failed (${code ?? scrubSecrets(messageOf((error as { cause?: unknown })?.cause ?? error))})`;
}

/** True when the environment routes HTTP through a proxy (EDR honours it; Node's fetch does not). */
function usesProxy(): boolean {
  return ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"].some((name) => (process.env[name] ?? process.env[name.toLowerCase()] ?? "") !== "");
}

/**
 * Builds the simulation network from the project's config (cheap: a few milliseconds) on the EDR
 * `chooseSimEdr` picks: EDR 0.22 directly (src/hardhat/edr-provider.ts), or Hardhat 2's own, forking
 * through the plugin's recorder (src/fork) when `recorded` asks for a fork (`--fork`,
 * `tokenspice.fork`): EDR forks from the recorder's loopback URL, with EDR's own disk cache off so
 * that every read it makes of the fork reaches the recorder (and so the bundle).
 * @throws TokenspiceError OPTION_INVALID for both `networks.hardhat.forking` and a recorded fork, and
 *   for a TOKENSPICE_EDR that is not a choice or cannot be used (`chooseSimEdr`);
 *   FORK_FAILED, FORK_BUDGET_SPENT, FORK_BUNDLE_INVALID, FORK_READ_MISSING from the fork (src/fork)
 */
export async function createSimNetwork(config: HardhatConfig, recorded?: ForkRequest): Promise<SimNetwork> {
  const facts = simNetworkFacts(config);
  const net = config.networks.hardhat;
  const edr = chooseSimEdr(net.hardfork, recorded !== undefined || facts.fork !== null);
  if (edr === "0.22") {
    const provider = await withCappedStateCache(() => createEdrNextProvider({ ...projectChainSettings(net), genesisDate: SIM_GENESIS_DATE }));
    return { provider, facts, node: { blockTime: "tick" }, edr: edrNextVersion() };
  }
  const create = loadCreateProvider();
  if (recorded !== undefined && facts.fork) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `${recorded.setting} and networks.hardhat.forking both fork a chain: keep one (${recorded.setting} records the fork's reads into a bundle; networks.hardhat.forking does not).`,
      { setting: recorded.setting },
    );
  }
  const opened = recorded === undefined ? undefined : await openFork(recorded, { cacheDir: config.paths.cache, root: config.paths.root });
  if (opened) facts.fork = opened.facts;
  const fork = opened ? { url: opened.url, blockNumber: opened.blockNumber, httpHeaders: {} } : net.forking?.enabled === true && net.forking.url !== undefined ? net.forking : undefined;
  let forkCachePath: string | undefined;
  // EDR caches a fork's reads by host and port, in ./edr-cache when given no folder: the recorder's
  // port is new each time, so its cache would only fill a folder. A throwaway one.
  if (opened) forkCachePath = throwawayDir();
  if (fork && !opened) {
    rememberSecretUrl(fork.url, fork.httpHeaders);
    // Behind a proxy only EDR (which honours HTTP_PROXY) can tell whether the fork is reachable.
    if (!usesProxy()) await probeFork(fork.url, fork.blockNumber!, fork.httpHeaders);
    const { getForkCacheDirPath } = require("hardhat/internal/hardhat-network/provider/utils/disk-cache");
    forkCachePath = getForkCacheDirPath(config.paths);
  }
  const provider = await withCappedStateCache(() =>
    create(
      {
        ...projectChainSettings(net),
        throwOnTransactionFailures: true,
        throwOnCallFailures: true,
        automine: true,
        intervalMining: 0,
        mempoolOrder: "priority",
        chains: net.chains,
        genesisAccounts: [],
        allowBlocksWithSameTimestamp: true,
        initialDate: SIM_GENESIS_DATE,
        forkConfig: fork ? { jsonRpcUrl: fork.url, blockNumber: fork.blockNumber, httpHeaders: fork.httpHeaders } : undefined,
        forkCachePath,
        enableTransientStorage: net.enableTransientStorage ?? false,
      },
      { enabled: false },
      undefined, // no artifacts: the engine decodes reverts itself, and loading build infos costs seconds
    ),
  ).catch(async (error) => {
    if (opened) {
      await opened.close();
      throw (
        opened.fault() ??
        new TokenspiceError("FORK_FAILED", `The simulation network could not fork ${opened.facts.url} at block ${opened.blockNumber}: ${scrubSecrets(messageOf(error))}`, {}, scrubError(error))
      );
    }
    // EDR's error names the URL it could not reach (its host, with any key in it): never shown as it is.
    throw fork ? forkError(fork.url, fork.blockNumber!, `the simulation network could not fork it: ${messageOf(error)}`, error) : error;
  });
  return { provider: withBatches(provider), facts, node: { blockTime: "tick" }, edr: hardhatEdrVersion(), ...(opened ? { fork: opened } : {}) };
}

/** A temporary folder removed when the process exits. */
function throwawayDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-edr-"));
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Hardhat 2's in-process provider (EdrProviderWrapper), as far as batches need it. */
interface EdrProviderWrapper extends Eip1193Provider {
  _provider: { handleRequest(json: string): Promise<{ data: string | object; stackTrace(): unknown }> };
}

/**
 * The provider with `requestBatch`: EDR handles a JSON-RPC batch in one call, in order, under one
 * lock, and stops at the first failure (crates/edr_provider/src/provider.rs, `handle_batch_request`).
 * Hardhat's wrapper sends single requests only, so a batch goes to its EDR provider (read at each
 * call: hardhat_reset replaces it), and a failure is turned into the error the wrapper would have
 * thrown for that request (hardhat/internal/hardhat-network/provider/provider.js, `request`): a
 * SolidityError with the node's stack trace, `data` and `transactionHash` for a failed transaction,
 * a ProviderError otherwise. Only the engine's pinned sends use it; everything else goes through
 * Hardhat as before.
 */
function withBatches(provider: Eip1193Provider): Eip1193Provider {
  const wrapper = provider as EdrProviderWrapper;
  if (typeof wrapper._provider?.handleRequest !== "function") return provider;
  const { encodeSolidityStackTrace } = require("hardhat/internal/hardhat-network/stack-traces/solidity-errors");
  const { InvalidArgumentsError, ProviderError } = require("hardhat/internal/core/providers/errors");
  return {
    request: (args) => provider.request(args),
    async requestBatch(calls) {
      const responseObject = await wrapper._provider.handleRequest(JSON.stringify(calls.map(({ method, params }) => ({ method, params }))));
      const response = (typeof responseObject.data === "string" ? JSON.parse(responseObject.data) : responseObject.data) as {
        result?: unknown[];
        error?: { code: number; message: string; data?: any };
      };
      if (response.error === undefined) return response.result!;
      let stackTrace: unknown = null;
      try {
        stackTrace = responseObject.stackTrace();
      } catch {
        // as Hardhat: no stack trace, a plain ProviderError
      }
      let error: any;
      if (stackTrace !== null) {
        error = encodeSolidityStackTrace(response.error.message, stackTrace);
        error.data = response.error.data?.data ?? undefined;
        error.transactionHash = response.error.data?.transactionHash ?? undefined;
      } else {
        error = response.error.code === InvalidArgumentsError.CODE ? new InvalidArgumentsError(response.error.message) : new ProviderError(response.error.message, response.error.code);
        error.data = response.error.data;
      }
      throw error;
    },
  };
}
