import { expect } from "chai";
import fs from "fs";
import http from "http";
import type { AddressInfo } from "net";
import os from "os";
import path from "path";
import { openFork, resolveForkRequest, workerForkEnv, Upstream, FORK_LIMIT_DEFAULTS, type ForkRequest } from "../../src/fork";
import { forkFlagsFromEnv } from "../../src/fork/options";
import { forgetSecretUrls } from "../../src/output/secrets";
import type { TokenspiceError } from "../../src/errors";

const KEY = "SECRET123";
const HASH = "0x" + "12".repeat(32);

type Fault = "429" | "-32005" | "timeout" | "malformed" | "401";

/** A JSON-RPC node on loopback with a chain of blocks 0..16 (chain id 5), that counts requests and answers the next ones with `faults`. */
class FakeNode {
  requests = 0;
  faults: Fault[] = [];
  private held: http.ServerResponse[] = [];
  private server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      this.requests++;
      const { id, method, params } = JSON.parse(body);
      const fault = this.faults.shift();
      if (fault === "429") return res.writeHead(429, { "retry-after": "0" }).end("slow down");
      if (fault === "401") return res.writeHead(401, "Unauthorized").end("bad key");
      if (fault === "timeout") return void this.held.push(res);
      if (fault === "malformed") return res.end("<html>bad gateway");
      if (fault === "-32005") return res.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32005, message: "daily request count exceeded" } }));
      if (method === "eth_unknown") return res.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32601, message: "method not found" } }));
      const block = Number(params?.[0]);
      const result =
        method === "eth_chainId"
          ? "0x5"
          : method === "eth_blockNumber"
            ? "0x10"
            : method === "eth_getBlockByNumber"
              ? block <= 16
                ? { number: params[0], hash: HASH }
                : null
              : `0x${this.requests.toString(16)}`;
      return res.end(JSON.stringify({ jsonrpc: "2.0", id, result }));
    });
  });
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    return this;
  }
  url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v3/${KEY}?apikey=${KEY}`;
  }
  async stop(): Promise<void> {
    for (const r of this.held) r.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

const noKey = (e: TokenspiceError) => expect(JSON.stringify({ m: e.message, d: e.details, c: String((e.cause as Error)?.stack ?? "") })).to.not.contain(KEY);

async function rejection(p: Promise<unknown>): Promise<TokenspiceError> {
  try {
    await p;
  } catch (error) {
    return error as TokenspiceError;
  }
  throw new Error("expected a rejection");
}

describe("fork upstream: budget, rate and retries", function () {
  let node: FakeNode;
  let waits: number[];
  const sleep = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };
  const upstream = (limits: Partial<typeof FORK_LIMIT_DEFAULTS> = {}) => new Upstream(node.url(), {}, { ...FORK_LIMIT_DEFAULTS, rps: 0, ...limits }, "--fork", sleep);
  beforeEach(async () => {
    node = await new FakeNode().start();
    waits = [];
  });
  afterEach(async () => {
    await node.stop();
    forgetSecretUrls();
  });

  it("retries HTTP 429, -32005, a timeout and a malformed answer with exponential backoff, each try counted", async function () {
    node.faults = ["429", "-32005", "timeout", "malformed"];
    const u = upstream({ timeoutMs: 200, backoffMs: 100 });
    expect(await u.call("eth_chainId", [])).to.equal("0x5");
    expect(u.counts).to.deep.equal({ requests: 5, retries: 4 });
    expect(node.requests).to.equal(5);
    expect(waits).to.deep.equal([100, 200, 400, 800]);
  });

  it("caps the backoff, and gives up after the retries with one FORK_FAILED naming the last trouble", async function () {
    node.faults = ["429", "429", "429", "429"];
    const u = upstream({ retries: 3, backoffMs: 1000, maxBackoffMs: 1500 });
    const e = await rejection(u.call("eth_getCode", ["0x1", "0x4"]));
    expect(e.code).to.equal("FORK_FAILED");
    expect(e.message).to.match(/^The fork's upstream \(--fork http:\/\/127\.0\.0\.1:\d+\) cannot be used: its node still failed eth_getCode after 3 retries \(the last: HTTP 429\)\.$/);
    expect(waits).to.deep.equal([1000, 1500, 1500]);
    expect(node.requests).to.equal(4);
    noKey(e);
  });

  it("stops at the budget with FORK_BUDGET_SPENT, retries counted against it", async function () {
    node.faults = ["429"];
    const u = upstream({ budget: 3 });
    await u.call("eth_chainId", []); // 2 requests
    await u.call("eth_chainId", []); // 3
    const e = await rejection(u.call("eth_getStorageAt", ["0x1", "0x0", "0x4"]));
    expect(e.code).to.equal("FORK_BUDGET_SPENT");
    expect(e.message).to.match(/its request budget of 3 is spent \(3 requests sent, 1 of them retries\) with eth_getStorageAt still to read/);
    expect(node.requests).to.equal(3);
    noKey(e);
  });

  it("does not retry what waiting does not mend (HTTP 401), nor a JSON-RPC error answer, which is passed on", async function () {
    node.faults = ["401"];
    const e = await rejection(upstream().call("eth_chainId", []));
    expect(e.code).to.equal("FORK_FAILED");
    expect(e.message).to.match(/answered eth_chainId with HTTP 401 Unauthorized/);
    expect(node.requests).to.equal(1);
    const answer = await rejection(upstream().call("eth_unknown", []));
    expect(answer).to.include({ rpcCode: -32601, message: "method not found" });
  });

  it("spaces requests to the rate limit", async function () {
    const u = upstream({ rps: 10 });
    await Promise.all([u.call("eth_chainId", []), u.call("eth_chainId", []), u.call("eth_chainId", [])]);
    // the first goes at once; the others wait for their 100 ms slots
    expect(waits.length).to.equal(2);
    expect(waits[1]).to.be.greaterThan(waits[0]);
    expect(waits[1]).to.be.at.most(200);
  });
});

describe("fork: checks before any run, and the recorder", function () {
  let node: FakeNode;
  let dir: string;
  const request = (over: Partial<ForkRequest> = {}): ForkRequest => ({ ...resolveForkRequest({ fork: node.url(), forkBlock: 4, forkBundle: path.join(dir, "bundle") }, undefined, dir)!, ...over });
  beforeEach(async () => {
    node = await new FakeNode().start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fork-open-"));
  });
  afterEach(async () => {
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    forgetSecretUrls();
  });

  it("refuses another chain id, a block beyond the head and an unreachable host, writing nothing", async function () {
    const closed = await new FakeNode().start();
    const port = new URL(closed.url()).port;
    await closed.stop(); // nothing listens there now
    const cases: [ForkRequest, RegExp][] = [
      [request({ chainId: 1 }), /its chain id is 5, not the 1 asked for \(--fork-chain-id, tokenspice\.fork\.chainId\)/],
      [request({ blockNumber: 99 }), /its chain \(chain id 5\) has no block 99: its head is block 16; fork at a block that was mined/],
      [request({ url: `http://127.0.0.1:${port}/v3/${KEY}` }), /nothing accepts connections at its host and port \(ECONNREFUSED\)/],
    ];
    for (const [req, why] of cases) {
      const e = await rejection(openFork(req, { cacheDir: dir, root: dir }));
      expect(e.code, String(why)).to.equal("FORK_FAILED");
      expect(e.message).to.match(why);
      noKey(e);
      expect(fs.existsSync(path.join(dir, "bundle"))).to.equal(false);
    }
  });

  it("records reads once, serves them from the bundle after, and offline refuses a read it lacks by name", async function () {
    const fork = await openFork(request(), { cacheDir: dir, root: dir });
    const post = async (url: string, body: unknown): Promise<any> => (await fetch(url, { method: "POST", body: JSON.stringify(body) })).json();
    const read = { jsonrpc: "2.0", id: 7, method: "eth_getStorageAt", params: ["0xabc", "0x0", "0x4"] };
    const first = await post(fork.url, [read, { ...read, id: 8, method: "eth_getCode", params: ["0xabc", "0x4"] }]);
    expect(first.map((r: { id: number }) => r.id)).to.deep.equal([7, 8]);
    const sent = node.requests;
    expect(await post(fork.url, read)).to.deep.equal(first[0]);
    expect(node.requests).to.equal(sent); // from the bundle
    expect((await post(fork.url, { ...read, method: "eth_sendRawTransaction", params: ["0x00"] })).error.message).to.match(/forwards reads only/);
    const recorded = fork.record();
    expect(recorded).to.include({ entries: 4, offline: false, upstreamRequests: 4, fromBundle: 1 }); // probe (2) + 2 reads
    expect(fork.facts).to.deep.equal({ url: `http://127.0.0.1:${new URL(node.url()).port}`, chainId: 5, blockNumber: 4, blockHash: HASH });
    await fork.close();

    // Online again on the same bundle: only the two checks of the upstream (chain id, block) are sent.
    const sentBefore = node.requests;
    const again = await openFork(request(), { cacheDir: dir, root: dir });
    expect(await post(again.url, read)).to.deep.equal(first[0]);
    expect(node.requests - sentBefore).to.equal(2);
    expect(again.record()).to.include({ upstreamRequests: 2, fromBundle: 1, hash: recorded.hash });
    await again.close();

    const offline = await openFork(resolveForkRequest({ offline: true, forkBlock: 4, forkBundle: path.join(dir, "bundle") }, undefined, dir)!, { cacheDir: dir, root: dir });
    expect(offline.facts).to.deep.equal(fork.facts);
    const before = node.requests;
    expect(await post(offline.url, read)).to.deep.equal(first[0]);
    const missing = await post(offline.url, { ...read, params: ["0xabc", "0x1", "0x4"] });
    expect(missing.error.message).to.match(/does not hold a read the simulation network needed: eth_getStorageAt \["0xabc","0x1","0x4"\]/);
    expect(offline.fault()?.code).to.equal("FORK_READ_MISSING");
    expect(offline.fault()?.details).to.deep.include({ method: "eth_getStorageAt", params: ["0xabc", "0x1", "0x4"] });
    expect(node.requests).to.equal(before);
    expect(offline.record()).to.include({ hash: recorded.hash, upstreamRequests: 0 });
    await offline.close();
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (fs.statSync(path.join(dir, file)).isFile()) expect(fs.readFileSync(path.join(dir, file), "utf8"), file).to.not.contain(KEY);
    }
  });

  it("sends a read asked twice at once upstream once", async function () {
    const fork = await openFork(request(), { cacheDir: dir, root: dir });
    const before = node.requests;
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getCode", params: ["0xdef", "0x4"] });
    const [a, b] = await Promise.all([1, 2].map(() => fetch(fork.url, { method: "POST", body }).then((r) => r.json() as Promise<any>)));
    expect(a.result).to.equal(b.result);
    expect(node.requests - before).to.equal(1);
    expect(fork.record()).to.include({ reads: 2, fromBundle: 0 });
    await fork.close();
  });

  it("ends the run with the budget's error when EDR's reads spend it", async function () {
    const fork = await openFork(request({ limits: { ...FORK_LIMIT_DEFAULTS, budget: 3 } }), { cacheDir: dir, root: dir });
    const post = (params: unknown[]) => fetch(fork.url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBalance", params }) }).then((r) => r.json() as Promise<any>);
    expect((await post(["0x1", "0x4"])).result).to.be.a("string");
    expect((await post(["0x2", "0x4"])).error.message).to.match(/request budget of 3 is spent/);
    expect(fork.fault()?.code).to.equal("FORK_BUDGET_SPENT");
    await fork.close();
  });
});

describe("fork options: refused before anything starts", function () {
  const refused = (fn: () => unknown): TokenspiceError => {
    try {
      fn();
    } catch (error) {
      return error as TokenspiceError;
    }
    throw new Error("expected an error");
  };

  it("needs a pinned block, a URL or a bundle offline, an http(s) URL, and whole-number limits", function () {
    const cases: [() => unknown, RegExp][] = [
      [() => resolveForkRequest({ fork: "http://127.0.0.1:8545" }, undefined, "/p"), /^--fork needs --fork-block <n>: a fork of the latest block changes from one run to the next/],
      [() => resolveForkRequest({}, { url: "http://127.0.0.1:8545" }, "/p"), /^tokenspice\.fork needs blockNumber/],
      [() => resolveForkRequest({ offline: true, forkBlock: 4 }, undefined, "/p"), /--offline forks from a bundle alone: give --fork-bundle <dir>/],
      [() => resolveForkRequest({ forkBlock: 4 }, undefined, "/p"), /A fork needs the upstream's URL: --fork <url>/],
      [
        () => resolveForkRequest({ fork: `ws://node.example.com/${KEY}`, forkBlock: 4 }, undefined, "/p"),
        /--fork must be an http:\/\/ or https:\/\/ JSON-RPC URL, got a ws: URL \(ws:\/\/\*\.example\.com\)/,
      ],
      [() => resolveForkRequest({ fork: `not a url ${KEY}`, forkBlock: 4 }, undefined, "/p"), /got \(unparseable URL\)/],
      [() => resolveForkRequest({ fork: "http://x", forkBlock: -1 }, undefined, "/p"), /--fork-block must be an integer ≥ 0/],
      [() => resolveForkRequest({ fork: "http://x", forkBlock: 1, forkBudget: 0 }, undefined, "/p"), /--fork-budget must be an integer ≥ 1/],
      [() => resolveForkRequest({}, { url: "http://x", blockNumber: 1, timeoutMs: 1.5 }, "/p"), /tokenspice\.fork\.timeoutMs must be an integer ≥ 1/],
    ];
    for (const [fn, why] of cases) {
      const e = refused(fn);
      expect(e.code, String(why)).to.equal("OPTION_INVALID");
      expect(e.message).to.match(why).and.not.contain(KEY);
    }
  });

  it("lets a flag win over the config's field, and resolves the bundle against the project root", function () {
    const r = resolveForkRequest({ forkBlock: 9, forkRps: 0 }, { url: "https://eth.example.com", blockNumber: 4, bundle: "forks/main", rps: 5, budget: 10 }, "/p")!;
    expect(r).to.deep.include({ url: "https://eth.example.com", blockNumber: 9, bundle: path.resolve("/p", "forks/main"), offline: false, setting: "tokenspice.fork" });
    expect(r.limits).to.include({ rps: 0, budget: 10 });
    expect(resolveForkRequest({}, undefined, "/p")).to.equal(undefined);
  });

  it("gives each of a campaign's workers its share of the budget and the rate, so that together they stay within them", function () {
    const env = workerForkEnv({ fork: "https://eth.example.com", forkBlock: 4, forkBudget: 100, forkRps: 10 }, 4);
    const flags = forkFlagsFromEnv(env)!;
    expect(flags.workerShare).to.equal(4);
    expect(resolveForkRequest(flags, undefined, "/p")!.limits).to.include({ budget: 25, rps: 2.5 });
    expect(resolveForkRequest({ ...flags, forkBudget: 3 }, undefined, "/p")!.limits.budget).to.equal(1); // never 0
    expect(resolveForkRequest({ fork: "https://eth.example.com", forkBlock: 4, workerShare: 2 }, undefined, "/p")!.limits).to.include({
      budget: FORK_LIMIT_DEFAULTS.budget / 2,
      rps: FORK_LIMIT_DEFAULTS.rps / 2,
    });
    expect(workerForkEnv(undefined, 4)).to.deep.equal({});
  });
});
