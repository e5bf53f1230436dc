import { HardhatPluginError } from "hardhat/plugins";
import { ERROR_CODES, exitCodeOf, type ErrorCode, type ErrorKind } from "../errors.js";
import { asAdapterError } from "../output/secrets.js";

export const PLUGIN_ID = "hardhat-tokenspice";

/**
 * The Hardhat 3 plugin error users see ("Error in community plugin hardhat-tokenspice: ..."),
 * keeping what the framework-free error carried: `code`, `details`, `cause`, and its exit code
 * (1 for a failed run or property, 2 for bad input or infrastructure). The Hardhat 2 twin is
 * src/hardhat/errors.ts's TokenspicePluginError.
 */
export class TokenspiceHardhat3Error extends HardhatPluginError {
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(PLUGIN_ID, message, cause instanceof Error ? cause : undefined);
    this.name = "TokenspicePluginError";
    this.details = details;
    Object.defineProperty(this, "cause", { value: cause, enumerable: false, configurable: true, writable: true });
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind;
  }

  get exitCode(): number {
    return exitCodeOf(this.kind);
  }
}

/** A core TokenspiceError as the Hardhat 3 plugin error (a check's PropertyFailedError, and anything else, pass unchanged). */
export function toHardhat3Error(error: unknown): unknown {
  return asAdapterError(error, (code, message, details, cause) => new TokenspiceHardhat3Error(code, message, details, cause));
}

/** Runs `fn`, turning what it throws into the plugin's Hardhat 3 error (secrets scrubbed, code kept). */
export async function asHardhat3Errors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toHardhat3Error(error);
  }
}

/** `asHardhat3Errors` for a synchronous `fn`. */
export function asHardhat3ErrorsSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toHardhat3Error(error);
  }
}
