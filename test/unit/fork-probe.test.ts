import { expect } from "chai";
import http from "http";
import type { AddressInfo } from "net";
import { probeFork } from "../../src/hardhat/sim-network";
import { forgetSecretUrls } from "../../src/output/secrets";
import type { TokenspiceError } from "../../src/errors";

const KEY = "KeyInPath0123456789";

/** A JSON-RPC node on loopback whose behaviour is the URL's first path segment. */
function fakeNode(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const mode = req.url!.split("/")[1];
      const { id, method } = JSON.parse(body);
      if (mode === "unauthorized") return res.writeHead(401, "Unauthorized").end("invalid key");
      if (mode === "html") return res.writeHead(200, { "content-type": "text/html" }).end("<html>maintenance</html>");
      if (mode === "refuses") return res.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32601, message: "method not found" } }));
      const result = method === "eth_chainId" ? "0x1" : method === "eth_blockNumber" ? "0x64" : mode === "short" ? null : { number: "0x10" };
      return res.end(JSON.stringify({ jsonrpc: "2.0", id, result }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function failure(url: string, block = 16): Promise<TokenspiceError> {
  try {
    await probeFork(url, block);
  } catch (error) {
    return error as TokenspiceError;
  }
  throw new Error("expected the probe to fail");
}

describe("probeFork: a fork that cannot be used is one FORK_FAILED error, without its key", function () {
  let server: http.Server;
  let base: string;
  before(async () => {
    server = await fakeNode();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(forgetSecretUrls);

  it("accepts a node that has the pinned block", async function () {
    await probeFork(`${base}/ok/${KEY}`, 16);
  });

  it("names what is wrong: refused connection, HTTP error, not JSON-RPC, an error answer, no such block", async function () {
    const closed = await fakeNode();
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve())); // nothing listens there now
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${port}/v2/${KEY}`, /nothing accepts connections at its host and port \(ECONNREFUSED\)/],
      [`${base}/unauthorized/${KEY}`, /answered eth_chainId with HTTP 401 Unauthorized/],
      [`${base}/html/${KEY}`, /answer to eth_chainId is not JSON-RPC/],
      [`${base}/refuses/${KEY}`, /refused eth_chainId: method not found/],
      [`${base}/short/${KEY}`, /\(chain id 1\) has no block 16 \(its latest is 100\): a URL of another chain/],
    ];
    for (const [url, why] of cases) {
      const e = await failure(url);
      expect(e.code, url).to.equal("FORK_FAILED");
      expect(e.message)
        .to.match(why)
        .and.match(/^networks\.hardhat\.forking \(url http:\/\/127\.0\.0\.1:\d+, blockNumber 16\) cannot be forked: /);
      expect(JSON.stringify({ message: e.message, details: e.details, cause: String((e.cause as Error)?.stack ?? "") })).to.not.contain(KEY);
    }
  });

  it("names an unknown host by the redacted URL, not the key in its first label", async function () {
    const e = await failure("https://f3key0123456789abcdef.eth.rpc.example.invalid/");
    expect(e.code).to.equal("FORK_FAILED");
    expect(e.message).to.contain("(url https://*.example.invalid, blockNumber 16)").and.not.contain("f3key0123456789abcdef");
  });
});
