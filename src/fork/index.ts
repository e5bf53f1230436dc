/**
 * Forks of a live chain at a pinned block, recorded into fork bundles (src/fork/bundle.ts) by a
 * recorder of the plugin's own (src/fork/recorder.ts) that the simulation network forks from. No
 * framework: the Hardhat adapters build their simulation network on `OpenFork.url`.
 */
import path from "path";
import { TokenspiceError } from "../errors";
import { redactUrl, rememberSecretUrl } from "../output/secrets";
import { ForkBundle, type ForkPoint } from "./bundle";
import type { ForkRequest } from "./options";
import { ForkRecorder, type RecorderCounts } from "./recorder";
import { Upstream } from "./upstream";

export { ForkBundle, BUNDLE_FILE, canonicalJson, readKey, describeRead, type ForkPoint, type BundleManifest } from "./bundle";
export { resolveForkRequest, hasForkFlags, workerForkEnv, type ForkFlags, type ForkRequest, type ForkUserConfig } from "./options";
export { ForkRecorder, type RecorderCounts } from "./recorder";
export { Upstream, FORK_LIMIT_DEFAULTS, type UpstreamLimits } from "./upstream";

/** What a run's manifest records of the fork (`forkBundle`): the bundle and how its reads went during the run. */
export type ForkBundleRecord = {
  /** The bundle folder, relative to the project root when inside it. */
  dir: string;
  /** The bundle's hash after the run (`sha256:…`). */
  hash: string;
  entries: number;
  offline: boolean;
  /** During the run: reads the simulation network made, how many the bundle answered, HTTP requests sent upstream (retries included). */
  reads: number;
  fromBundle: number;
  upstreamRequests: number;
  upstreamRetries: number;
};

/** What a campaign's or search's file records of the bundle its runs forked from: its hash and entries once they ended. */
export type ForkBundleState = { hash: string; entries: number };

/** The fork facts recorded in every run's spec (`network.fork`): the same for a recorded and an offline run. */
export interface ForkFacts extends ForkPoint {
  /** The upstream's URL, redacted (the bundle's `recordedFrom` offline). */
  url: string;
}

/** A fork ready to be forked from: the recorder's URL, the facts, and the hooks a run calls. */
export interface OpenFork {
  /** The loopback URL the simulation network forks from (`forking.url` / EDR's `fork.url`). */
  url: string;
  blockNumber: number;
  facts: ForkFacts;
  recorder: ForkRecorder;
  /** The first error that must end the run (a read missing offline, the budget spent, the upstream lost). */
  fault(): TokenspiceError | undefined;
  /** Saves the bundle's manifest and returns what the run manifest records (counts since the last call). */
  record(): ForkBundleRecord;
  /**
   * The bundle as it is now, every process's entries counted (saved first when not offline): what a
   * campaign's or search's file records once its runs ended (`forkBundle`), without touching the
   * counts `record` reports.
   */
  bundle(): ForkBundleState;
  /**
   * The flags that rerun a run of this fork exactly, from its bundle and offline (no URL, so no key):
   * `--fork-block N --fork-bundle <dir> --offline`, the folder relative to the project root when
   * inside it. Every reproduce command of a forked run ends with them.
   */
  reproduceArgs(): string[];
  close(): Promise<void>;
}

/**
 * Opens a fork: offline, the bundle (checked); else the upstream is checked first with
 * `eth_chainId` and `eth_getBlockByNumber` (its chain id against `chainId` when given; the block
 * must exist), then the bundle folder is opened (default `<cacheDir>/tokenspice-forks/<chainId>-<block>-<first 12 hex of the block hash>`)
 * and must be of the same chain, block and block hash. Nothing is written before these checks pass.
 * @throws TokenspiceError FORK_FAILED (upstream unusable, another chain id, no such block),
 *   FORK_BUDGET_SPENT, FORK_BUNDLE_INVALID (a bundle missing offline, malformed, or of another fork)
 */
export async function openFork(request: ForkRequest, options: { cacheDir: string; root: string }): Promise<OpenFork> {
  let bundle: ForkBundle;
  let upstream: Upstream | undefined;
  let url: string;
  if (request.offline) {
    bundle = ForkBundle.open(request.bundle!, undefined, { mustExist: true });
    const point = bundle.point;
    if (point.blockNumber !== request.blockNumber) {
      throw new TokenspiceError("FORK_BUNDLE_INVALID", `The fork bundle ${bundle.dir} was recorded at block ${point.blockNumber}, not --fork-block ${request.blockNumber}.`, {
        bundle: bundle.dir,
        blockNumber: point.blockNumber,
      });
    }
    if (request.chainId !== undefined && request.chainId !== point.chainId) {
      throw new TokenspiceError("FORK_BUNDLE_INVALID", `The fork bundle ${bundle.dir} was recorded from chain id ${point.chainId}, not --fork-chain-id ${request.chainId}.`, {
        bundle: bundle.dir,
        chainId: point.chainId,
      });
    }
    url = bundle.manifest().recordedFrom ?? "(offline)";
  } else {
    rememberSecretUrl(request.url!, request.httpHeaders);
    upstream = new Upstream(request.url!, request.httpHeaders, request.limits, request.setting);
    const point = await probe(upstream, request);
    url = redactUrl(request.url!);
    const dir = request.bundle ?? path.join(options.cacheDir, "tokenspice-forks", `${point.chainId}-${point.blockNumber}-${point.blockHash.slice(2, 14)}`);
    bundle = ForkBundle.open(dir, point, { recordedFrom: url });
    for (const [read, result] of point.reads) bundle.put(read, result);
  }
  const recorder = await ForkRecorder.start(bundle, upstream);
  let last: RecorderCounts = { reads: 0, fromBundle: 0, upstreamRequests: 0, upstreamRetries: 0 };
  const rel = path.relative(options.root, bundle.dir);
  const shownDir = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : bundle.dir;
  return {
    url: recorder.url,
    blockNumber: bundle.point.blockNumber,
    facts: { url, chainId: bundle.point.chainId, blockNumber: bundle.point.blockNumber, blockHash: bundle.point.blockHash.toLowerCase() },
    recorder,
    fault: () => recorder.fault,
    record() {
      const manifest = recorder.offline ? bundle.manifest() : recorder.save();
      const now = { ...recorder.counts };
      const since = (k: keyof RecorderCounts) => now[k] - last[k];
      const out: ForkBundleRecord = {
        dir: shownDir,
        hash: manifest.hash,
        entries: manifest.entries,
        offline: recorder.offline,
        reads: since("reads"),
        fromBundle: since("fromBundle"),
        upstreamRequests: since("upstreamRequests"),
        upstreamRetries: since("upstreamRetries"),
      };
      last = now;
      return out;
    },
    bundle() {
      const manifest = recorder.offline ? bundle.manifest() : recorder.save();
      return { hash: manifest.hash, entries: manifest.entries };
    },
    reproduceArgs: () => ["--fork-block", String(bundle.point.blockNumber), "--fork-bundle", shownDir, "--offline"],
    close: () => recorder.close(),
  };
}

/** Checks the upstream's chain id and pinned block; the fork point and the reads made. */
async function probe(upstream: Upstream, request: ForkRequest): Promise<ForkPoint & { reads: [{ method: string; params: unknown[] }, unknown][] }> {
  const chainRead = { method: "eth_chainId", params: [] as unknown[] };
  const chainHex = await upstream.call(chainRead.method, chainRead.params).catch((e) => rethrow(upstream, e));
  const chainId = Number(chainHex);
  if (typeof chainHex !== "string" || !Number.isSafeInteger(chainId)) throw upstream.error("FORK_FAILED", `its node's chain id is not a number (${JSON.stringify(chainHex)})`);
  if (request.chainId !== undefined && request.chainId !== chainId) {
    throw upstream.error("FORK_FAILED", `its chain id is ${chainId}, not the ${request.chainId} asked for (--fork-chain-id, tokenspice.fork.chainId): a URL of another chain`, {
      chainId,
      expected: request.chainId,
    });
  }
  const blockRead = { method: "eth_getBlockByNumber", params: ["0x" + request.blockNumber.toString(16), false] as unknown[] };
  const block = (await upstream.call(blockRead.method, blockRead.params).catch((e) => rethrow(upstream, e))) as { hash?: unknown } | null;
  if (block === null || typeof block !== "object") {
    const latest = await upstream.call("eth_blockNumber", []).catch(() => undefined);
    throw upstream.error(
      "FORK_FAILED",
      `its chain (chain id ${chainId}) has no block ${request.blockNumber}${typeof latest === "string" ? `: its head is block ${Number(latest)}` : ""}; fork at a block that was mined`,
      { chainId, blockNumber: request.blockNumber, ...(typeof latest === "string" ? { head: Number(latest) } : {}) },
    );
  }
  if (typeof block.hash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(block.hash)) throw upstream.error("FORK_FAILED", `its block ${request.blockNumber} has no hash`);
  return {
    chainId,
    blockNumber: request.blockNumber,
    blockHash: block.hash.toLowerCase(),
    reads: [
      [chainRead, chainHex],
      [blockRead, block],
    ],
  };
}

function rethrow(upstream: Upstream, error: unknown): never {
  if (error instanceof TokenspiceError) throw error;
  throw upstream.error("FORK_FAILED", `its node refused the check before the run: ${(error as Error)?.message ?? String(error)}`, {}, error);
}
