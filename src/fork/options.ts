/**
 * What a fork is asked for: the `--fork*` flags of `sim`, and `tokenspice.fork` in the config, in
 * one shape, checked before anything starts.
 */
import path from "path";
import { TokenspiceError } from "../errors";
import { redactUrl, rememberSecretUrl } from "../output/secrets";
import { FORK_LIMIT_DEFAULTS, type UpstreamLimits } from "./upstream";

/**
 * `tokenspice.fork` (and what the `--fork*` flags give): the chain to fork, at which block, where
 * its bundle is, and the upstream's limits.
 */
export interface ForkUserConfig {
  /** The upstream node's JSON-RPC URL (it may hold a key: it is never printed or written). Not needed with `offline`. */
  url?: string;
  /** The block to fork at (required: a fork of the latest block changes from one run to the next). */
  blockNumber?: number;
  /** The bundle folder (relative to the project root): read first, then added to. Default `<cache>/tokenspice-forks/<chainId>-<block>-<hash>`. */
  bundle?: string;
  /** Fork from the bundle alone, never the upstream (needs `bundle`). */
  offline?: boolean;
  /** The chain id the upstream must have (checked before any run). */
  chainId?: number;
  /** HTTP headers sent upstream (an API key sent as a header). Never printed or written. */
  httpHeaders?: Record<string, string>;
  /** Upstream limits (src/fork/upstream.ts): HTTP requests in all, requests per second, retries per request, ms per request, first retry's wait in ms. */
  budget?: number;
  rps?: number;
  retries?: number;
  timeoutMs?: number;
  backoffMs?: number;
}

/** A fork request, checked: absolute bundle path, limits filled in. */
export interface ForkRequest {
  url: string | undefined;
  blockNumber: number;
  bundle: string | undefined;
  offline: boolean;
  chainId: number | undefined;
  httpHeaders: Record<string, string>;
  limits: UpstreamLimits;
  /** What messages call the setting: `--fork` or `tokenspice.fork`. */
  setting: string;
}

/** The `sim` flags that ask for a fork (camelCase, as tasks receive them). */
export interface ForkFlags {
  fork?: string;
  forkBlock?: number;
  forkBundle?: string;
  offline?: boolean;
  forkChainId?: number;
  forkBudget?: number;
  forkRps?: number;
  forkRetries?: number;
  /**
   * @internal set by a campaign or search for its worker processes (`workerForkEnv`): this process
   * is one of `workerShare` forking the same upstream at once, so it gets that share of the request
   * budget and of the rate (`budget / workerShare`, rounded down, at least 1; `rps / workerShare`),
   * and the workers together stay within `--fork-budget` and `--fork-rps`.
   */
  workerShare?: number;
}

/**
 * The environment variable a campaign's worker processes get the `--fork*` flags of the campaign's
 * command in (JSON of ForkFlags), so that each worker forks the same chain, block and bundle. It may
 * hold the URL's key: it is only ever read, never printed or written.
 */
export const FORK_FLAGS_ENV = "TOKENSPICE_FORK_FLAGS";

/** The fork flags a worker was started with (FORK_FLAGS_ENV), or undefined. */
export function forkFlagsFromEnv(env: NodeJS.ProcessEnv = process.env): ForkFlags | undefined {
  const text = env[FORK_FLAGS_ENV];
  return text === undefined || text === "" ? undefined : (JSON.parse(text) as ForkFlags);
}

/**
 * The environment a campaign's or search's `workers` worker processes get for the `--fork*` flags of
 * its command (FORK_FLAGS_ENV, with their share of the upstream's limits: `workerShare`), or {}
 * without a fork from flags.
 */
export function workerForkEnv(flags: ForkFlags | undefined, workers: number): Record<string, string> {
  return flags === undefined ? {} : { [FORK_FLAGS_ENV]: JSON.stringify({ ...flags, workerShare: Math.max(1, workers) }) };
}

/** True when any `--fork*` flag (or `--offline`) is given. */
export function hasForkFlags(flags: ForkFlags): boolean {
  return [flags.fork, flags.forkBlock, flags.forkBundle, flags.forkChainId, flags.forkBudget, flags.forkRps, flags.forkRetries].some((v) => v !== undefined) || flags.offline === true;
}

const bad = (message: string, details: Record<string, unknown> = {}) => new TokenspiceError("OPTION_INVALID", message, details);

function integerIn(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) throw bad(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}.`, { [name]: JSON.stringify(value) });
  return value;
}

/**
 * The fork asked for by `flags` over `config` (a flag wins over the config's field), or undefined
 * when neither asks for one.
 * @param root the project root (a relative `bundle` is resolved against it)
 * @throws TokenspiceError OPTION_INVALID naming the flag or field: no block number, a URL that is
 *   not http(s) (shown redacted), `--offline` without a bundle, no URL and not offline, a limit that
 *   is not a whole number in range
 */
export function resolveForkRequest(flags: ForkFlags, config: ForkUserConfig | undefined, root: string): ForkRequest | undefined {
  const fromFlags = hasForkFlags(flags);
  if (!fromFlags && config === undefined) return undefined;
  const setting = flags.fork !== undefined || config === undefined ? "--fork" : "tokenspice.fork";
  const c = config ?? {};
  const name = (flag: string, field: string) => (setting === "--fork" || (flags as Record<string, unknown>)[flag] !== undefined ? `--${kebab(flag)}` : `tokenspice.fork.${field}`);
  const url = flags.fork ?? c.url;
  const offline = flags.offline === true || c.offline === true;
  const bundle = flags.forkBundle ?? c.bundle;
  const blockNumber = integerIn(name("forkBlock", "blockNumber"), flags.forkBlock ?? c.blockNumber, 0);
  if (blockNumber === undefined) {
    throw bad(
      `${setting === "--fork" ? "--fork needs --fork-block <n>" : "tokenspice.fork needs blockNumber"}: a fork of the latest block changes from one run to the next, so a fork must be pinned to a block (a whole number ≥ 0).`,
      { setting },
    );
  }
  if (offline && bundle === undefined) throw bad(`--offline forks from a bundle alone: give --fork-bundle <dir> (tokenspice.fork.bundle), the folder a run with --fork <url> recorded.`, { setting });
  if (url === undefined && !offline) throw bad(`A fork needs the upstream's URL: --fork <url> (tokenspice.fork.url), or --offline with --fork-bundle <dir>.`, { setting });
  if (url !== undefined) {
    rememberSecretUrl(url, c.httpHeaders ?? {});
    let protocol = "";
    try {
      protocol = new URL(url).protocol;
    } catch {
      // refused below
    }
    if (protocol !== "http:" && protocol !== "https:") {
      throw bad(
        `${setting === "--fork" && flags.fork !== undefined ? "--fork" : "tokenspice.fork.url"} must be an http:// or https:// JSON-RPC URL, got ${protocol === "" ? "(unparseable URL)" : `a ${protocol} URL (${redactUrl(url)})`}.`,
        { setting },
      );
    }
  }
  // A campaign's worker gets its share of the budget and the rate (workerForkEnv): the workers together stay within them.
  const share = integerIn("workerShare", flags.workerShare, 1) ?? 1;
  const limits: UpstreamLimits = {
    budget: Math.max(1, Math.floor((integerIn(name("forkBudget", "budget"), flags.forkBudget ?? c.budget, 1) ?? FORK_LIMIT_DEFAULTS.budget) / share)),
    rps: (integerIn(name("forkRps", "rps"), flags.forkRps ?? c.rps, 0) ?? FORK_LIMIT_DEFAULTS.rps) / share,
    retries: integerIn(name("forkRetries", "retries"), flags.forkRetries ?? c.retries, 0) ?? FORK_LIMIT_DEFAULTS.retries,
    timeoutMs: integerIn("tokenspice.fork.timeoutMs", c.timeoutMs, 1) ?? FORK_LIMIT_DEFAULTS.timeoutMs,
    backoffMs: integerIn("tokenspice.fork.backoffMs", c.backoffMs, 0) ?? FORK_LIMIT_DEFAULTS.backoffMs,
    maxBackoffMs: FORK_LIMIT_DEFAULTS.maxBackoffMs,
  };
  return {
    url: offline ? undefined : url,
    blockNumber,
    bundle: bundle === undefined ? undefined : path.resolve(root, bundle),
    offline,
    chainId: integerIn(name("forkChainId", "chainId"), flags.forkChainId ?? c.chainId, 1),
    httpHeaders: c.httpHeaders ?? {},
    limits,
    setting,
  };
}

function kebab(name: string): string {
  return name.replace(/([A-Z])/g, (ch) => `-${ch.toLowerCase()}`);
}

/**
 * The `--fork*` flags of one process's command, kept for its run environment (`request`) and for a
 * campaign's or search's worker processes (`given`, passed on in FORK_FLAGS_ENV): what both Hardhat
 * adapters' run environments hold, so that each only says where its project's config is and whether
 * its chain is open yet.
 */
export class ForkFlagState {
  private flags: ForkFlags = {};

  /**
   * @param project the project's `tokenspice.fork` and root, read at each call
   */
  constructor(private readonly project: () => { config: ForkUserConfig | undefined; root: string }) {}

  /**
   * Makes `flags` the fork this process's runs use (they win over `tokenspice.fork`), checked.
   * @param state.network the selected network's name when it is not an in-process one (a fork is refused on it)
   * @param state.opened true once the simulation chain was built (the flags come too late)
   * @throws TokenspiceError OPTION_INVALID for flags that are not valid, given after the chain was
   *   built, or with a `--network` other than the in-process one
   */
  use(flags: ForkFlags, state: { network?: string; opened: boolean }): void {
    const { config, root } = this.project();
    resolveForkRequest(flags, config, root);
    if (state.network !== undefined) {
      throw new TokenspiceError("OPTION_INVALID", `--fork forks the plugin's in-process simulation network: drop --network ${state.network}.`, { network: state.network });
    }
    if (state.opened) throw new TokenspiceError("OPTION_INVALID", "The --fork flags came after the simulation network was built.");
    this.flags = flags;
  }

  /** The `--fork*` flags given (for a campaign's or search's workers), or undefined. */
  given(): ForkFlags | undefined {
    return Object.keys(this.flags).length === 0 ? undefined : this.flags;
  }

  /**
   * The fork the flags and `tokenspice.fork` ask for, or undefined.
   * @throws TokenspiceError OPTION_INVALID (`resolveForkRequest`)
   */
  request(): ForkRequest | undefined {
    const { config, root } = this.project();
    return resolveForkRequest(this.flags, config, root);
  }
}
