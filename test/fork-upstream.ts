import fs from "fs";
import http from "http";
import type { AddressInfo } from "net";
import path from "path";

/** A fault the upstream answers one request with, in order of arrival. */
export type UpstreamFault = "429" | "-32005" | "timeout" | "malformed" | "503";

/**
 * A "live chain" on loopback for fork tests: an in-process Hardhat network (EDR) served over HTTP
 * JSON-RPC, with history made on it (a Testbed deployed by Hardhat's account #0 at nonce 0, so at
 * 0x5FbDB2315678afecb367f032d93F642f64180aa3, and poked). It counts the requests it gets (by method)
 * and answers the next requests with `faults` when given some: HTTP 429, JSON-RPC -32005, no answer
 * (a timeout), a body that is not JSON, HTTP 503.
 */
export class LoopbackUpstream {
  requests = 0;
  readonly byMethod: Record<string, number> = {};
  faults: UpstreamFault[] = [];
  /** Milliseconds every answer waits (a remote node's round trip), for measuring cold reads. */
  delayMs = 0;
  private held: http.ServerResponse[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> },
  ) {}

  /** A node whose chain has the Testbed deployed and poked `pokes` times; its head is `head`. */
  static async start(options: { chainId?: number; pokes?: number } = {}): Promise<LoopbackUpstream> {
    const { createHardhatNetworkProvider } = require("hardhat/internal/hardhat-network/provider/provider");
    const { defaultHardhatNetworkParams } = require("hardhat/internal/core/config/default-config");
    const provider = await createHardhatNetworkProvider(
      {
        ...defaultHardhatNetworkParams,
        chainId: options.chainId ?? 31337,
        networkId: options.chainId ?? 31337,
        hardfork: "prague",
        automine: true,
        intervalMining: 0,
        mempoolOrder: "priority",
        genesisAccounts: [{ privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", balance: (10n ** 24n).toString() }],
        initialDate: new Date("2019-06-01T00:00:00Z"),
        throwOnTransactionFailures: true,
        throwOnCallFailures: true,
        allowBlocksWithSameTimestamp: false,
        chains: defaultHardhatNetworkParams.chains,
        enableTransientStorage: false,
        enableRip7212: false,
      },
      { enabled: false },
    );
    const artifact = JSON.parse(fs.readFileSync(path.join(__dirname, "fixture-projects/testbed/artifacts/contracts/Testbed.sol/Testbed.json"), "utf8"));
    const from = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    const limit = (100).toString(16).padStart(64, "0");
    await provider.request({ method: "eth_sendTransaction", params: [{ from, data: artifact.bytecode + limit, gas: "0x" + (3_000_000).toString(16) }] });
    const testbed = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    for (let i = 0; i < (options.pokes ?? 3); i++) await provider.request({ method: "eth_sendTransaction", params: [{ from, to: testbed, data: "0x18178358" /* poke() */ }] });
    const server = http.createServer();
    const upstream = new LoopbackUpstream(server, provider);
    server.on("request", (req, res) => void upstream.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
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
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
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
