import http from "http";
import type { AddressInfo } from "net";

/**
 * A "live chain" on loopback, for forks: an in-process Hardhat network (EDR) served over HTTP
 * JSON-RPC on 127.0.0.1. It counts the requests it gets (by method), can make every answer wait
 * (`delayMs`: a remote node's round trip, to measure what cold reads cost), answers a GET with its
 * counts (`curl http://127.0.0.1:<port>/`), and can answer the next
 * requests with faults (HTTP 429, JSON-RPC -32005, no answer, a body that is not JSON, HTTP 503).
 * The fork tests (test/fork-upstream.ts) and the worked example's chain
 * (sims/uniswap-v2-fork/live-chain.ts, scripts/uniswap-v2-live-chain.ts) serve theirs with it.
 */

/** A fault the upstream answers one request with, in order of arrival. */
export type UpstreamFault = "429" | "-32005" | "timeout" | "malformed" | "503";

/** An EIP-1193 provider: what the chain is served from. */
export interface ChainProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** Hardhat's account #0 (its well-known test key): the chain's only funded account, which makes its history. */
export const ACCOUNT_0 = { address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" };

/**
 * A fresh in-process Hardhat network (automine, no interval mining), account #0 holding 1,000,000
 * ETH, its genesis at `initialDate` (default 2019-06-01).
 */
export async function createLoopbackChain(options: { chainId?: number; hardfork?: string; initialDate?: Date } = {}): Promise<ChainProvider> {
  const { createHardhatNetworkProvider } = require("hardhat/internal/hardhat-network/provider/provider");
  const { defaultHardhatNetworkParams } = require("hardhat/internal/core/config/default-config");
  return createHardhatNetworkProvider(
    {
      ...defaultHardhatNetworkParams,
      chainId: options.chainId ?? 31337,
      networkId: options.chainId ?? 31337,
      hardfork: options.hardfork ?? "prague",
      automine: true,
      intervalMining: 0,
      mempoolOrder: "priority",
      genesisAccounts: [{ privateKey: ACCOUNT_0.privateKey, balance: (10n ** 24n).toString() }],
      initialDate: options.initialDate ?? new Date("2019-06-01T00:00:00Z"),
      throwOnTransactionFailures: true,
      throwOnCallFailures: true,
      allowBlocksWithSameTimestamp: false,
      chains: defaultHardhatNetworkParams.chains,
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false },
  );
}

/** A chain served over HTTP JSON-RPC on 127.0.0.1, counting requests; see the module's comment. */
export class LoopbackUpstream {
  /** HTTP requests received (a batch is one). */
  requests = 0;
  readonly byMethod: Record<string, number> = {};
  faults: UpstreamFault[] = [];
  /** Milliseconds every answer waits (a remote node's round trip), for measuring cold reads. */
  delayMs = 0;
  private held: http.ServerResponse[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly provider: ChainProvider,
  ) {}

  /** Serves `provider` on 127.0.0.1:`port` (0: a free port). */
  static async serve(provider: ChainProvider, options: { port?: number; delayMs?: number } = {}): Promise<LoopbackUpstream> {
    const server = http.createServer();
    const upstream = new LoopbackUpstream(server, provider);
    upstream.delayMs = options.delayMs ?? 0;
    server.on("request", (req, res) => void upstream.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    return upstream;
  }

  /** `http://127.0.0.1:<port>` and `suffix` (a path and query with a fake key, as providers put them). */
  url(suffix = ""): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${suffix}`;
  }

  async head(): Promise<number> {
    return Number(await this.provider.request({ method: "eth_blockNumber" }));
  }

  /** Resets the counts. */
  resetCounts(): void {
    this.requests = 0;
    for (const k of Object.keys(this.byMethod)) delete this.byMethod[k];
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // GET: the counts so far, as JSON (not counted): `curl http://127.0.0.1:8545/`.
    if (req.method === "GET") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ requests: this.requests, byMethod: this.byMethod }) + "\n");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: any;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return void res.writeHead(400).end("not JSON");
    }
    const calls = Array.isArray(body) ? body : [body];
    this.requests++;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    for (const c of calls) this.byMethod[c.method] = (this.byMethod[c.method] ?? 0) + 1;
    const fault = this.faults.shift();
    if (fault === "429") return void res.writeHead(429, "Too Many Requests").end("slow down");
    if (fault === "503") return void res.writeHead(503, "Service Unavailable").end("<html>maintenance</html>");
    if (fault === "timeout") return void this.held.push(res); // never answered
    if (fault === "malformed") return void res.writeHead(200, { "content-type": "application/json" }).end('{"jsonrpc":"2.0","id":1,"resu');
    if (fault === "-32005") return void res.end(JSON.stringify({ jsonrpc: "2.0", id: calls[0].id, error: { code: -32005, message: "limit exceeded" } }));
    const answer = async (c: { id: unknown; method: string; params?: unknown[] }) => {
      try {
        return { jsonrpc: "2.0", id: c.id, result: await this.provider.request({ method: c.method, params: c.params ?? [] }) };
      } catch (error) {
        return { jsonrpc: "2.0", id: c.id, error: { code: (error as { code?: number }).code ?? -32603, message: (error as Error).message } };
      }
    };
    const out = Array.isArray(body) ? await Promise.all(calls.map(answer)) : await answer(body);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
  }
}
