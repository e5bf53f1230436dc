import fs from "fs";
import path from "path";
import type { StackTraceEntryType } from "@nomicfoundation/edr-next";
import type { Eip1193Provider } from "../engine/provider";

/**
 * The simulation network on EDR 0.22 (Hardhat 3's in-process node, `@nomicfoundation/edr@0.22.0`,
 * installed under the alias `@nomicfoundation/edr-next` beside Hardhat 2's own EDR 0.12), created
 * directly rather than through Hardhat 2's provider. Same transactions, same results, 1.45–1.8× less
 * CPU per transaction (docs/explanation/performance.md). src/hardhat/sim-network.ts decides when it
 * is used; this file only builds the provider and makes its errors look like Hardhat 2's.
 */

/** The settings a simulation network is built with (src/hardhat/sim-network.ts fills them from `networks.hardhat`). */
export interface EdrNextSettings {
  chainId: number;
  networkId: number;
  /** A Hardhat 2 hardfork name ("osaka", "prague", "cancun", …); EDR 0.22 knows "byzantium" and later (see `edrNextHardfork`). */
  hardfork: string;
  /** Gas, of the genesis block and every mined block. */
  blockGasLimit: bigint | number;
  /** Wei; undefined: EDR's default for the hardfork. */
  initialBaseFeePerGas?: bigint | number;
  /** Wei. */
  minGasPrice: bigint | number;
  /** 0x-prefixed address; undefined: Hardhat's default coinbase. */
  coinbase?: string;
  allowUnlimitedContractSize: boolean;
  /** Adds the P-256 verification precompile (RIP-7212) before Osaka, which has it natively. */
  enableRip7212: boolean;
  /** The genesis block's timestamp. */
  genesisDate: Date;
}

/** Hardhat 2's default coinbase (hardhat/internal/hardhat-network/provider/provider.js, DEFAULT_COINBASE). */
const DEFAULT_COINBASE = "0xc014ba5ec014ba5ec014ba5ec014ba5ec014ba5e";

/** The gas limit Hardhat 2 reads as solidity-coverage's, and the transaction gas cap it then sets (provider.js). */
const COVERAGE_BLOCK_GAS_LIMIT = 0x1fffffffffffff;
const COVERAGE_TRANSACTION_GAS_CAP = 0xfffffffffffffn;

/** EIP-7825's per-transaction gas cap, from Osaka on: the gas of an `eth_call` or `eth_estimateGas` that names none. */
const EIP_7825_TRANSACTION_GAS_CAP = 16_777_216n;

type EdrNext = typeof import("@nomicfoundation/edr-next");

let loaded: EdrNext | null | undefined;

/**
 * EDR 0.22's module, or null when it is not installed or its native module is not 0.22's. npm
 * leaves the native package out under Node < 22 (it declares `engines: node >= 22` and npm skips
 * an optional package whose engines do not match); the alias's `require` then finds Hardhat 2's EDR
 * 0.12 native module instead, which lacks 0.22's API (`L1Hardfork`, `l1HardforkLatest`).
 */
export function loadEdrNext(): EdrNext | null {
  if (loaded !== undefined) return loaded;
  try {
    const edr = require("@nomicfoundation/edr-next") as EdrNext;
    loaded = typeof edr.l1HardforkLatest === "function" && typeof edr.L1Hardfork === "object" && typeof edr.l1ProviderFactory === "function" ? edr : null;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** The version of EDR 0.22's package (what a run's manifest records as `edr`). */
export function edrNextVersion(): string {
  return edrPackageVersion(require.resolve("@nomicfoundation/edr-next"));
}

/**
 * The version of the EDR package whose entry point is `main` (its package.json sits beside it: the
 * package's `exports` do not include `./package.json`, so it cannot be required by name).
 */
export function edrPackageVersion(main: string): string {
  return (JSON.parse(fs.readFileSync(path.join(path.dirname(main), "package.json"), "utf8")) as { version: string }).version;
}

/**
 * EDR 0.22's name of a Hardhat 2 hardfork, or undefined when EDR 0.22 does not simulate it (before
 * Byzantium) or is not available.
 */
export function edrNextHardfork(hardfork: string): string | undefined {
  const edr = loadEdrNext();
  if (edr === null) return undefined;
  try {
    return edr.l1HardforkToString(edr.l1HardforkFromString(hardfork));
  } catch {
    return undefined;
  }
}

let context: Promise<InstanceType<EdrNext["EdrContext"]>> | undefined;

/** EDR allows one context per process (its docs: "Should only be called once!"); made on first use. */
function edrContext(edr: EdrNext): Promise<InstanceType<EdrNext["EdrContext"]>> {
  context ??= (async () => {
    const ctx = new edr.EdrContext();
    await ctx.registerProviderFactory(edr.L1_CHAIN_TYPE, edr.l1ProviderFactory());
    return ctx;
  })();
  return context;
}

/**
 * Creates an EDR 0.22 provider with the simulation network's fixed behaviour: automine, priority
 * mempool, failed transactions and calls answered with errors, blocks with equal timestamps
 * allowed, no genesis accounts (only the hardfork's system contracts), no logging, no call traces,
 * no artifacts (the engine decodes reverts itself). The caller caps EDR's state cache while this
 * runs (`__EDR_MAX_CACHED_STATES` is read at creation).
 *
 * The provider's `request` and `requestBatch` throw what Hardhat 2's provider throws (see
 * `providerError`). `requestBatch` sends one JSON-RPC batch: EDR handles it in order, under one lock,
 * and stops at the first failure.
 * @throws Error when EDR 0.22 is not available (check `loadEdrNext` first) or does not know the hardfork
 */
export async function createEdrNextProvider(settings: EdrNextSettings): Promise<Eip1193Provider> {
  const edr = loadEdrNext();
  if (edr === null) throw new Error("EDR 0.22 (@nomicfoundation/edr-next) is not available");
  const hardfork = edr.l1HardforkFromString(settings.hardfork);
  const hardforkName = edr.l1HardforkToString(hardfork);
  const blockGasLimit = BigInt(settings.blockGasLimit);
  const coverage = Number(settings.blockGasLimit) === COVERAGE_BLOCK_GAS_LIMIT;
  const osaka = hardfork >= edr.L1Hardfork.Osaka;
  const provider = await (
    await edrContext(edr)
  ).createProvider(
    edr.L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: true,
      allowUnlimitedContractSize: settings.allowUnlimitedContractSize,
      bailOnCallFailure: true,
      bailOnTransactionFailure: true,
      chainId: BigInt(settings.chainId),
      coinbase: Buffer.from((settings.coinbase ?? DEFAULT_COINBASE).slice(2), "hex"),
      // What EDR 0.12 gives a call that names no gas: the transaction gas cap from Osaka on, else the block's limit.
      defaultTransactionGasLimit: coverage ? COVERAGE_TRANSACTION_GAS_CAP : osaka ? EIP_7825_TRANSACTION_GAS_CAP : blockGasLimit,
      genesisState: edr.l1GenesisState(hardfork),
      hardfork: hardforkName,
      ...(settings.initialBaseFeePerGas === undefined ? {} : { initialBaseFeePerGas: BigInt(settings.initialBaseFeePerGas) }),
      minGasPrice: BigInt(settings.minGasPrice),
      mining: { autoMine: true, blockGasLimit, memPool: { order: edr.MineOrdering.Priority } },
      network: { genesisBlockGasLimit: blockGasLimit, genesisBlockTime: BigInt(Math.floor(settings.genesisDate.getTime() / 1000)) },
      networkId: BigInt(settings.networkId),
      observability: {},
      ownedAccounts: [],
      precompileOverrides: settings.enableRip7212 && !osaka ? [edr.precompileP256Verify()] : [],
      ...(coverage ? { transactionGasCap: COVERAGE_TRANSACTION_GAS_CAP } : {}),
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => undefined },
    { subscriptionCallback: () => undefined },
    edr.ContractDecoder.withContracts({}),
  );
  let nextId = 1;
  const handle = async (body: unknown): Promise<unknown> => {
    const response = await provider.handleRequest(JSON.stringify(body));
    const data = (typeof response.data === "string" ? JSON.parse(response.data) : response.data) as JsonRpcResponse | JsonRpcResponse[];
    const failed = Array.isArray(data) ? data.find((d) => d.error !== undefined) : data.error !== undefined ? data : undefined;
    if (failed?.error !== undefined) throw providerError(edr, failed.error, stackTraceOf(response));
    return Array.isArray(data) ? data.map((d) => d.result) : data.result;
  };
  return {
    request({ method, params }) {
      return handle({ jsonrpc: "2.0", id: nextId++, method, params: params ?? [] });
    },
    async requestBatch(calls) {
      return (await handle(calls.map(({ method, params }) => ({ jsonrpc: "2.0", id: nextId++, method, params })))) as unknown[];
    },
  };
}

interface JsonRpcResponse {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

type Entry = { type: StackTraceEntryType; returnData?: Uint8Array; isInvalidOpcodeError?: boolean; errorCode?: bigint; message?: string; value?: bigint; precompile?: number };

/** The failure's stack trace entries, or null (EDR computes it on request; a failure to compute it is no stack trace, as in Hardhat). */
function stackTraceOf(response: { stackTrace(): unknown }): Entry[] | null {
  try {
    const trace = response.stackTrace() as { kind?: string; entries?: Entry[] } | null;
    return trace?.kind === "StackTrace" && Array.isArray(trace.entries) ? trace.entries : null;
  } catch {
    return null;
  }
}

/**
 * The error Hardhat 2's provider throws for a JSON-RPC error (hardhat/internal/hardhat-network/provider/provider.js,
 * `request`), which the engine reads (src/engine/transactions.ts `readSendFailure`; ethers through
 * DirectProvider for calls):
 * - a failed execution (a mined transaction that reverted or ran out of gas, a reverted `eth_call` or
 *   `eth_estimateGas`): an Error whose message Hardhat's stack trace would give
 *   (`getMessageFromLastStackTraceEntry` in hardhat/internal/hardhat-network/stack-traces/solidity-errors.js),
 *   with `data` the revert data and, for a mined transaction, `transactionHash`; no `code`;
 * - anything else (a send the node refused, unknown methods, bad parameters): an Error with the node's
 *   message, `code` and `data`.
 * No Solidity stack trace is attached: the plugin gives EDR no artifacts.
 */
export function providerError(edr: EdrNext, error: { code: number; message: string; data?: unknown }, entries: Entry[] | null): Error {
  if (entries !== null && entries.length > 0) {
    const inner = (typeof error.data === "object" && error.data !== null ? error.data : {}) as { data?: unknown; transactionHash?: unknown };
    const e = new Error(messageOfEntry(edr, entries[entries.length - 1]) ?? error.message) as Error & { data?: unknown; transactionHash?: unknown };
    e.data = inner.data ?? undefined;
    e.transactionHash = inner.transactionHash ?? undefined;
    return e;
  }
  const e = new Error(error.message) as Error & { code: number; data?: unknown };
  e.code = error.code;
  e.data = error.data;
  return e;
}

/** Hardhat 2's message for a failure's last stack trace entry (solidity-errors.js, `getMessageFromLastStackTraceEntry`). */
function messageOfEntry(edr: EdrNext, entry: Entry): string | undefined {
  const T = edr.StackTraceEntryType;
  const fromReturnData = (unrecognized: boolean): string => {
    const returnData = new edr.ReturnData(entry.returnData ?? new Uint8Array());
    if (returnData.isErrorReturnData()) return `VM Exception while processing transaction: reverted with reason string '${returnData.decodeError()}'`;
    if (unrecognized && returnData.isPanicReturnData()) return `VM Exception while processing transaction: ${panicMessage(returnData.decodePanic())}`;
    if (unrecognized && !returnData.isEmpty())
      return `VM Exception while processing transaction: reverted with an unrecognized custom error (return data: 0x${Buffer.from(returnData.value).toString("hex")})`;
    if (entry.isInvalidOpcodeError) return "VM Exception while processing transaction: invalid opcode";
    return "Transaction reverted without a reason string";
  };
  switch (entry.type) {
    case T.PRECOMPILE_ERROR:
      return `Transaction reverted: call to precompile ${entry.precompile} failed`;
    case T.FUNCTION_NOT_PAYABLE_ERROR:
      return `Transaction reverted: non-payable function was called with value ${entry.value?.toString(10)}`;
    case T.INVALID_PARAMS_ERROR:
      return `Transaction reverted: function was called with incorrect parameters`;
    case T.FALLBACK_NOT_PAYABLE_ERROR:
      return `Transaction reverted: fallback function is not payable and was called with value ${entry.value?.toString(10)}`;
    case T.FALLBACK_NOT_PAYABLE_AND_NO_RECEIVE_ERROR:
      return `Transaction reverted: there's no receive function, fallback function is not payable and was called with value ${entry.value?.toString(10)}`;
    case T.UNRECOGNIZED_FUNCTION_WITHOUT_FALLBACK_ERROR:
      return `Transaction reverted: function selector was not recognized and there's no fallback function`;
    case T.MISSING_FALLBACK_OR_RECEIVE_ERROR:
      return `Transaction reverted: function selector was not recognized and there's no fallback nor receive function`;
    case T.RETURNDATA_SIZE_ERROR:
      return `Transaction reverted: function returned an unexpected amount of data`;
    case T.NONCONTRACT_ACCOUNT_CALLED_ERROR:
      return `Transaction reverted: function call to a non-contract account`;
    case T.CALL_FAILED_ERROR:
      return `Transaction reverted: function call failed to execute`;
    case T.DIRECT_LIBRARY_CALL_ERROR:
      return `Transaction reverted: library was called directly`;
    case T.UNRECOGNIZED_CREATE_ERROR:
    case T.UNRECOGNIZED_CONTRACT_ERROR:
      return fromReturnData(true);
    case T.REVERT_ERROR:
      return fromReturnData(false);
    case T.PANIC_ERROR:
      return `VM Exception while processing transaction: ${panicMessage(entry.errorCode ?? 0n)}`;
    case T.CUSTOM_ERROR:
      return `VM Exception while processing transaction: ${entry.message}`;
    case T.OTHER_EXECUTION_ERROR:
      return `Transaction reverted and Hardhat couldn't infer the reason.`;
    case T.UNMAPPED_SOLC_0_6_3_REVERT_ERROR:
      return "Transaction reverted without a reason string and without a valid sourcemap provided by the compiler. Some line numbers may be off. We strongly recommend upgrading solc and always using revert reasons.";
    case T.CONTRACT_TOO_LARGE_ERROR:
      return "Transaction reverted: trying to deploy a contract whose code is too large";
    case T.CONTRACT_CALL_RUN_OUT_OF_GAS_ERROR:
      return "Transaction reverted: contract call run out of gas and made the transaction revert";
  }
  return undefined;
}

/** Solidity's panic codes as Hardhat 2 words them (hardhat/internal/hardhat-network/stack-traces/panic-errors.js). */
const PANIC_REASONS: Record<string, string> = {
  "1": "Assertion error",
  "11": "Arithmetic operation overflowed outside of an unchecked block",
  "12": "Division or modulo division by zero",
  "21": "Tried to convert a value into an enum, but the value was too big or negative",
  "22": "Incorrectly encoded storage byte array",
  "31": ".pop() was called on an empty array",
  "32": "Array accessed at an out-of-bounds or negative index",
  "41": "Too much memory was allocated, or an array was created that is too large",
  "51": "Called a zero-initialized variable of internal function type",
};

function panicMessage(code: bigint): string {
  const hex = code.toString(16);
  const reason = PANIC_REASONS[hex];
  return reason !== undefined ? `reverted with panic code 0x${hex} (${reason})` : `reverted with unknown panic code 0x${hex}`;
}
