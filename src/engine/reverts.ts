import { AbiCoder, Interface, dataSlice, keccak256, type InterfaceAbi } from "ethers";

const ERROR_STRING = "0x08c379a0";
const PANIC = "0x4e487b71";
const PANIC_REASONS: Record<number, string> = {
  0x01: "assert failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop on empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialized function",
};

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatArg).join(", ")}]`;
  return String(value);
}

/** A reverted agent transaction (or call), as recorded and as thrown to the agent. */
export interface RevertRecord {
  tick: number;
  agent: string;
  from: string;
  to: string | null;
  /**
   * "Contract.method" when the callee is identified (registered, a clone of a known contract, or
   * code equal to a known artifact's); "0x…address.method?" when only the selector is known (a
   * guess, said by the "?"); the address and selector otherwise.
   */
  call: string;
  reason: string;
  data: string;
  txHash: string | null;
  gasUsed: bigint;
}

const REVERTED_BRAND = Symbol.for("hardhat-tokenspice/transaction-reverted");

/**
 * Thrown to an agent when its transaction reverts; ends its step unless it catches it. The code
 * matches ethers' so code written against ethers' CALL_EXCEPTION handles it too.
 */
export class TransactionRevertedError extends Error {
  readonly code = "CALL_EXCEPTION";
  readonly [REVERTED_BRAND] = true;
  constructor(readonly record: RevertRecord) {
    super(`${record.call} reverted: ${record.reason}`);
    this.name = "TransactionRevertedError";
  }
  /**
   * The decoded revert reason: a require message, a custom error with its args ("TooLarge(500, 100)"), a panic, or what the node said.
   */
  get reason(): string {
    return this.record.reason;
  }
  /** The raw revert data (hex, "0x" when there was none). */
  get data(): string {
    return this.record.data;
  }
}

/** True for a TransactionRevertedError, even one from another copy of this package. */
export function isTransactionReverted(error: unknown): error is TransactionRevertedError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[REVERTED_BRAND] === true;
}

/** A contract the project knows: its ABI and, when known, its runtime code (immutables zeroed, as solc leaves them). */
export interface KnownContract {
  name: string;
  abi: InterfaceAbi | Interface;
  /** Runtime bytecode as compiled (0x…); lets a contract deployed by another contract be recognised by its code. */
  deployedBytecode?: string;
}

/** How a callee was identified. */
export type Identification = { name: string; iface: Interface; how: "registered" | "clone" | "code" };

// EIP-1167 minimal proxy: 363d3d373d3d3d363d73 <20-byte implementation> 5af43d82803e903d91602b57fd5bf3
const CLONE = /^0x363d3d373d3d3d363d73([0-9a-f]{40})5af43d82803e903d91602b57fd5bf3$/i;

/**
 * Names calls and reverts with every ABI the run knows: the project's compiled artifacts and
 * published artifacts it deploys, every factory used, every contract deployed or attached (`at`).
 *
 * A callee is identified by its address (registered), then as an EIP-1167 clone of a registered
 * implementation, then by its runtime code: equal to a known contract's, bytes solc leaves zero for
 * immutables aside. A custom error is decoded by its selector in any known ABI (an error's selector
 * is the hash of its signature, wherever it is declared, and it may come from a contract the callee
 * called): only when two different signatures share a selector is the reason marked as a guess.
 */
export class RevertDecoder {
  private readonly byName = new Map<string, Interface>();
  private readonly byAddress = new Map<string, string>();
  private readonly codes = new Map<number, { name: string; code: Buffer }[]>();
  private errors: Map<string, { signature: string; iface: Interface }[]> | undefined;
  private readonly identified = new Map<string, Identification | null>();

  constructor(
    known: readonly KnownContract[] = [],
    /** Reads a contract's runtime code (eth_getCode); without it, only registered addresses are identified. */
    private readonly getCode?: (address: string) => Promise<string>,
  ) {
    for (const k of known) this.know(k);
  }

  /** A contract the project knows, with no address yet. */
  know(k: KnownContract): void {
    const iface = k.abi instanceof Interface ? k.abi : new Interface(k.abi);
    if (!this.byName.has(k.name)) this.byName.set(k.name, iface);
    if (k.deployedBytecode && k.deployedBytecode.length > 2) {
      const code = Buffer.from(k.deployedBytecode.slice(2), "hex");
      const list = this.codes.get(code.length) ?? [];
      list.push({ name: k.name, code });
      this.codes.set(code.length, list);
    }
    this.errors = undefined;
  }

  /** A contract of the run: by name, and at `address` when given (deployed or attached). */
  register(contractName: string, iface: Interface, address?: string): void {
    this.byName.set(contractName, iface);
    if (address) {
      this.byAddress.set(address.toLowerCase(), contractName);
      this.identified.delete(address.toLowerCase());
    }
    this.errors = undefined;
  }

  /** Which contract is at `address`, and how that is known; undefined when it is not. */
  async identify(address: string): Promise<Identification | undefined> {
    const key = address.toLowerCase();
    const named = this.byAddress.get(key);
    if (named) return { name: named, iface: this.byName.get(named)!, how: "registered" };
    if (this.identified.has(key)) return this.identified.get(key) ?? undefined;
    let found: Identification | undefined;
    if (this.getCode) {
      const code = await this.getCode(address).catch(() => "0x");
      const clone = CLONE.exec(code);
      if (clone) {
        const impl = await this.identify("0x" + clone[1]);
        if (impl) found = { name: impl.name, iface: impl.iface, how: "clone" };
      } else if (code.length > 2) {
        const runtime = Buffer.from(code.slice(2), "hex");
        const match = (this.codes.get(runtime.length) ?? []).find((c) => sameCodeButImmutables(c.code, runtime));
        if (match) found = { name: match.name, iface: this.byName.get(match.name)!, how: "code" };
      }
    }
    this.identified.set(key, found ?? null);
    return found;
  }

  /** `Contract.method` for a call, from the callee's identity; a selector's name with "?" when only guessed. */
  async describeCall(to: string | null, data: string): Promise<string> {
    if (to === null) return "deploy";
    const hasSelector = data.length >= 10;
    const selector = hasSelector ? dataSlice(data, 0, 4) : "";
    const who = await this.identify(to);
    if (who) {
      const fn = hasSelector ? who.iface.getFunction(selector) : null;
      if (fn) return `${who.name}.${fn.name}`;
      return hasSelector ? `${who.name}:${selector}` : `${who.name}:transfer`;
    }
    if (!hasSelector) return `${to}:transfer`;
    for (const iface of this.byName.values()) {
      const fn = iface.getFunction(selector);
      if (fn) return `${to}.${fn.name}?`; // a selector match names the method, not the contract
    }
    return `${to}:${selector}`;
  }

  /** The reason of a revert from its data: a require string, a panic, or a custom error with its arguments. */
  describeError(data: string | undefined, fallbackMessage?: string): string {
    if (data && data.length >= 10) {
      const selector = data.slice(0, 10).toLowerCase();
      try {
        if (selector === ERROR_STRING) return AbiCoder.defaultAbiCoder().decode(["string"], dataSlice(data, 4))[0] as string;
        if (selector === PANIC) {
          const code = Number(AbiCoder.defaultAbiCoder().decode(["uint256"], dataSlice(data, 4))[0]);
          return `panic 0x${code.toString(16)} (${PANIC_REASONS[code] ?? "unknown panic"})`;
        }
      } catch {
        // malformed payload: fall through to the raw data
      }
      const candidates = this.errorsBySelector().get(selector) ?? [];
      for (const { iface } of candidates) {
        try {
          const parsed = iface.parseError(data);
          if (parsed) {
            const text = `${parsed.name}(${parsed.args.map(formatArg).join(", ")})`;
            return candidates.length > 1 ? `${text}? (a guess: ${candidates.length} known errors share selector ${selector})` : text;
          }
        } catch {
          // the data does not decode with this signature: try the next
        }
      }
      return `unknown error ${selector}`;
    }
    const fromNode = fallbackMessage?.match(/reverted with (?:reason string )?(.*)$/)?.[1];
    return fromNode ?? (fallbackMessage ? fallbackMessage : "reverted without a reason");
  }

  /** Every known error fragment by selector, one entry per distinct signature. */
  private errorsBySelector(): Map<string, { signature: string; iface: Interface }[]> {
    if (this.errors) return this.errors;
    const map = new Map<string, { signature: string; iface: Interface }[]>();
    for (const iface of this.byName.values()) {
      iface.forEachError((fragment) => {
        const list = map.get(fragment.selector) ?? [];
        if (!list.some((e) => e.signature === fragment.format("sighash"))) list.push({ signature: fragment.format("sighash"), iface });
        map.set(fragment.selector, list);
      });
    }
    this.errors = map;
    return map;
  }
}

/**
 * Whether on-chain runtime code is an artifact's: equal bytes, except where the artifact holds a
 * zeroed 32-byte word (solc's placeholder for an immutable, filled in at deployment).
 */
function sameCodeButImmutables(artifact: Buffer, runtime: Buffer): boolean {
  if (artifact.length !== runtime.length) return false;
  for (let i = 0; i < artifact.length; i++) {
    if (artifact[i] === runtime[i]) continue;
    if (artifact[i] !== 0) return false;
    // A difference must sit inside a run of at least 32 zero bytes in the artifact.
    let start = i;
    while (start > 0 && artifact[start - 1] === 0) start--;
    let end = i;
    while (end < artifact.length && artifact[end] === 0) end++;
    if (end - start < 32) return false;
    i = end - 1; // the rest of this zero run may differ
  }
  return true;
}

/** keccak256 of runtime or creation code, as the manifest records it. */
export function codeHash(bytecode: string): string {
  return keccak256(bytecode);
}
