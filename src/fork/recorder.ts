/**
 * The recording layer between the simulation network and the forked chain: a JSON-RPC server on
 * loopback (`http://127.0.0.1:<port>`) that the simulation network (EDR) forks from instead of the
 * upstream node. Each read EDR sends (single or batched) is answered from the fork bundle when the
 * bundle holds it, else (not offline) forwarded to the upstream within its limits
 * (src/fork/upstream.ts) and the answer added to the bundle. Offline, a read the bundle lacks is
 * refused, and the run fails with FORK_READ_MISSING naming it.
 *
 * What is recorded is only what EDR reads of the forked chain's state at the pinned block (accounts'
 * balances, nonces, code and storage, block headers, the chain id): EDR keeps the simulation's own
 * transactions and their writes in its local state and never sends them upstream, so a bundle never
 * holds what a run did. Methods that would write (`eth_send*`, `eth_sign*`, `personal_*`) are refused.
 */
import http from "http";
import type { AddressInfo } from "net";
import { TokenspiceError } from "../errors";
import { ForkBundle, describeRead, readKey, type BundleManifest, type ForkPoint, type ForkRead } from "./bundle";
import { RpcErrorAnswer, type Upstream } from "./upstream";

/** JSON-RPC error code of a read refused by the recorder (offline and not in the bundle, a write, a spent budget). */
export const RECORDER_ERROR_CODE = -32099;

/** How the reads of one recorder went. */
export interface RecorderCounts {
  /** Reads EDR asked for. */
  reads: number;
  /** Of which answered from the bundle. */
  fromBundle: number;
  /** HTTP requests sent upstream, retries included (0 offline). */
  upstreamRequests: number;
  upstreamRetries: number;
}

/** Methods never forwarded: they would write to, or sign with, the upstream node. */
function isWrite(method: string): boolean {
  return /^(eth_send|eth_sign|personal_|wallet_|eth_submit)/.test(method);
}

/**
 * A running recorder. `url` is what EDR forks from; `fault` is the first error that must end the
 * run (a read missing offline, the budget spent, the upstream lost), which the adapter throws in
 * place of whatever EDR made of it.
 */
export class ForkRecorder {
  fault: TokenspiceError | undefined;
  private reads = 0;
  private fromBundle = 0;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private server: http.Server | undefined;
  private port = 0;

  private constructor(
    readonly bundle: ForkBundle,
    private readonly upstream: Upstream | undefined,
  ) {}

  /**
   * Starts a recorder on 127.0.0.1 (a free port) serving `bundle`, and `upstream` for what it lacks
   * (none: offline).
   */
  static async start(bundle: ForkBundle, upstream: Upstream | undefined): Promise<ForkRecorder> {
    const recorder = new ForkRecorder(bundle, upstream);
    await recorder.listen();
    return recorder;
  }

  /** The loopback URL EDR forks from. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get point(): ForkPoint {
    return this.bundle.point;
  }

  /** The counts so far, the upstream's including the checks made before the recorder started. */
  get counts(): RecorderCounts {
    return { reads: this.reads, fromBundle: this.fromBundle, upstreamRequests: this.upstream?.counts.requests ?? 0, upstreamRetries: this.upstream?.counts.retries ?? 0 };
  }

  get offline(): boolean {
    return this.upstream === undefined;
  }

  /**
   * The answer to one read: the bundle's, else the upstream's (recorded).
   * @throws RpcErrorAnswer for the upstream's error answer, or a refused read (with `fault` set for one that must end the run)
   */
  async read(read: ForkRead): Promise<unknown> {
    this.reads++;
    const recorded = this.bundle.get(read);
    if (recorded !== undefined) {
      this.fromBundle++;
      return recorded.result;
    }
    if (isWrite(read.method)) throw new RpcErrorAnswer(RECORDER_ERROR_CODE, `hardhat-tokenspice's fork recorder forwards reads only, not ${read.method}`);
    if (this.upstream === undefined) {
      const fault = new TokenspiceError(
        "FORK_READ_MISSING",
        `The run is offline and its fork bundle ${this.bundle.dir} does not hold a read the simulation network needed: ${describeRead(read)}. ` +
          `Record it with a run that may reach the upstream (drop --offline, keep --fork <url> and --fork-bundle), then run offline again.`,
        { bundle: this.bundle.dir, method: read.method, params: read.params },
      );
      this.fault ??= fault;
      throw new RpcErrorAnswer(RECORDER_ERROR_CODE, fault.message);
    }
    // The same read asked again while the first is on its way (EDR reads concurrently): one request.
    const key = readKey(read);
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const fetching = this.forward(read);
    this.inFlight.set(key, fetching);
    try {
      return await fetching;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async forward(read: ForkRead): Promise<unknown> {
    const upstream = this.upstream!;
    // Another process forking the bundle (a campaign's other worker) fetching the same read: wait for its entry.
    const staleMs = upstream.limits.timeoutMs;
    if (!this.bundle.claim(read, staleMs)) {
      const recorded = await this.waitForOther(read, staleMs);
      if (recorded !== undefined) {
        this.fromBundle++;
        return recorded.result;
      }
      this.bundle.claim(read, 0);
    }
    try {
      const result = await upstream.call(read.method, read.params);
      this.bundle.put(read, result);
      return result;
    } catch (error) {
      if (error instanceof RpcErrorAnswer) throw error; // the node's own answer: EDR decides (not recorded)
      const fault = error instanceof TokenspiceError ? error : new TokenspiceError("FORK_FAILED", `The fork's upstream failed ${read.method}.`, { method: read.method }, error);
      this.fault ??= fault;
      throw new RpcErrorAnswer(RECORDER_ERROR_CODE, fault.message);
    } finally {
      this.bundle.release(read);
    }
  }

  /**
   * Waits (polling every 20 ms, at most `maxMs`) for another process's claimed read to be in the
   * bundle; undefined when its claim went without an entry (its fetch failed) or took too long.
   */
  private async waitForOther(read: ForkRead, maxMs: number): Promise<{ result: unknown } | undefined> {
    const until = Date.now() + maxMs;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const recorded = this.bundle.get(read);
      if (recorded !== undefined) return recorded;
      if (!this.bundle.claimed(read)) return this.bundle.get(read);
    }
    return undefined;
  }

  /** Writes the bundle's manifest; returns it. */
  save(): BundleManifest {
    return this.bundle.save();
  }

  /** Stops serving (connections EDR keeps open are closed). */
  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private listen(): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    // EDR keeps connections open between reads; the recorder must not keep the process alive.
    server.unref();
    server.on("connection", (socket) => socket.unref());
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } }));
      return;
    }
    const answer = async (call: unknown) => {
      const { id = null, method, params } = (call ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
      if (typeof method !== "string") return { jsonrpc: "2.0", id, error: { code: -32600, message: "invalid request" } };
      try {
        const result = await this.read({ method, params: Array.isArray(params) ? params : params === undefined ? [] : [params] });
        return { jsonrpc: "2.0", id, result };
      } catch (error) {
        const e = error instanceof RpcErrorAnswer ? error : new RpcErrorAnswer(RECORDER_ERROR_CODE, String((error as Error)?.message ?? error));
        return { jsonrpc: "2.0", id, error: { code: e.rpcCode, message: e.message, ...(e.data === undefined ? {} : { data: e.data }) } };
      }
    };
    const out = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
  }
}
