import { HardhatPluginError } from "hardhat/plugins";
import { HardhatError } from "hardhat/internal/core/errors";
import { ERROR_CODES, exitCodeOf, messageOf, type ErrorCode, type ErrorKind } from "../errors";
import { relativeStack } from "../model/user-frame";
import { asAdapterError, scrubSecrets } from "../output/secrets";

/** The plugin's name, as Hardhat shows it in "Error in plugin hardhat-tokenspice: ...". */
export const PLUGIN_NAME = "hardhat-tokenspice";

/**
 * The Hardhat plugin error users see ("Error in plugin hardhat-tokenspice: ..."), keeping what the
 * framework-free error carried: `code`, `details`, `cause`, and the exit code it calls for. A test
 * can `catch (e) { expect(e.code).to.equal("PARAM_INVALID") }`.
 */
export class TokenspicePluginError extends HardhatPluginError {
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(PLUGIN_NAME, message, cause instanceof Error ? cause : undefined);
    // HardhatPluginError's constructor resets the prototype to its own: restore the subclass's.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = "TokenspicePluginError";
    this.details = details;
    // HardhatPluginError keeps an Error parent only; keep any thrown value as the standard cause.
    Object.defineProperty(this, "cause", { value: cause, enumerable: false, configurable: true, writable: true });
  }

  /** The code's kind (`ERROR_CODES[code].kind`): "input", "infrastructure" or "failure". */
  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind;
  }

  /** 1 for a failed run, property or baseline; 2 for bad input or infrastructure. */
  get exitCode(): number {
    return exitCodeOf(this.kind);
  }

  /** The run's folder, when the failing run wrote one. */
  get outDir(): string | undefined {
    return typeof this.details.outDir === "string" ? this.details.outDir : undefined;
  }
}

/** A `TokenspicePluginError` with `code`, `message`, `details` and `cause` (what the adapter throws for its own checks). */
export function pluginError(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown): TokenspicePluginError {
  return new TokenspicePluginError(code, message, details, cause);
}

/**
 * The framework-free layers' errors become the plugin error users expect; others pass unchanged.
 * A report object (a check's PropertyFailedError) passes unchanged too: it is already a
 * TokenspiceError with code and details, and its fields are what tests read.
 */
export function toPluginError(error: unknown): unknown {
  return asAdapterError(error, (code, message, details, cause) => new TokenspicePluginError(code, message, details, cause));
}

/**
 * The whole story of an error, for `--show-stack-traces`: its stack, then the stack of each error
 * behind it (`cause`, or a Hardhat error's `parent`), down to the one the user's code threw, with
 * paths relative to `root` and any RPC key scrubbed.
 */
export function errorStack(error: unknown, root: string): string {
  const stackOf = (e: unknown) => (e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : messageOf(e));
  const causeOf = (e: unknown): unknown => (typeof e === "object" && e !== null ? ((e as { parent?: unknown }).parent ?? (e as { cause?: unknown }).cause) : undefined);
  let text = stackOf(error);
  const seen = new Set<unknown>([error]);
  for (let prev = error, c = causeOf(error); c !== undefined && c !== null && !seen.has(c); prev = c, c = causeOf(c)) {
    seen.add(c);
    // A Hardhat error's stack already ends with its parent's ("Caused by: ...").
    const included = (HardhatPluginError.isHardhatPluginError(prev) || HardhatError.isHardhatError(prev)) && (prev as { parent?: unknown }).parent === c;
    if (!included)
      text += `\n\n    Caused by: ${stackOf(c)
        .split("\n")
        .map((line) => `    ${line}`)
        .join("\n")
        .trim()}`;
  }
  return scrubSecrets(relativeStack(text, root));
}

/**
 * Runs `fn` and rethrows what it rejects with as `toPluginError` makes it: a TokenspiceError becomes
 * a TokenspicePluginError (same code and details, any RPC key scrubbed); anything else passes unchanged.
 */
export async function asPluginErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toPluginError(error);
  }
}

/** `asPluginErrors` for a synchronous `fn`. */
export function asPluginErrorsSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toPluginError(error);
  }
}
