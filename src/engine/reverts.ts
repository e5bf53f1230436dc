import { AbiCoder, Interface, dataSlice } from "ethers";

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
  /** "Contract.method" when the callee's interface is known, else the 4-byte selector. */
  call: string;
  reason: string;
  data: string;
  txHash: string | null;
  gasUsed: bigint;
}

/**
 * Thrown to an agent when its transaction reverts; ends its step unless it catches it. The code
 * matches ethers' so code written against ethers' CALL_EXCEPTION handles it too.
 */
const REVERTED_BRAND = Symbol.for("hardhat-tokenspice/transaction-reverted");

export class TransactionRevertedError extends Error {
  readonly code = "CALL_EXCEPTION";
  readonly [REVERTED_BRAND] = true;
  constructor(readonly record: RevertRecord) {
    super(`${record.call} reverted: ${record.reason}`);
    this.name = "TransactionRevertedError";
  }
  get reason(): string {
    return this.record.reason;
  }
  get data(): string {
    return this.record.data;
  }
}

/** True for a TransactionRevertedError, even one from another copy of this package. */
export function isTransactionReverted(error: unknown): error is TransactionRevertedError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[REVERTED_BRAND] === true;
}

/** Names reverts and calls using the interfaces of every contract the run deployed. */
export class RevertDecoder {
  private readonly interfaces = new Map<string, { name: string; iface: Interface }>();
  private readonly byAddress = new Map<string, string>();

  register(contractName: string, iface: Interface, address?: string): void {
    this.interfaces.set(contractName, { name: contractName, iface });
    if (address) this.byAddress.set(address.toLowerCase(), contractName);
  }

  describeCall(to: string | null, data: string): string {
    if (to === null) return "deploy";
    const selector = dataSlice(data || "0x", 0, Math.min(4, (data.length - 2) / 2));
    const known = this.byAddress.get(to.toLowerCase());
    const candidates = known ? [this.interfaces.get(known)!] : [...this.interfaces.values()];
    for (const { name, iface } of candidates) {
      const fn = data.length >= 10 ? iface.getFunction(selector) : null;
      if (fn) return `${name}.${fn.name}`;
    }
    return data.length >= 10 ? `${to}:${selector}` : `${to}:transfer`;
  }

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
      for (const { iface } of this.interfaces.values()) {
        const parsed = iface.parseError(data);
        if (parsed) return `${parsed.name}(${parsed.args.map(formatArg).join(", ")})`;
      }
      return `unknown error ${selector}`;
    }
    const fromNode = fallbackMessage?.match(/reverted with (?:reason string )?(.*)$/)?.[1];
    return fromNode ?? (fallbackMessage ? fallbackMessage : "reverted without a reason");
  }
}
