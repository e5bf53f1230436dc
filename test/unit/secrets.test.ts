import { expect } from "chai";
import { forgetSecretUrls, redactUrl, rememberSecretUrl, scrubDeep, scrubError, scrubSecrets } from "../../src/output/secrets";

describe("RPC keys: redacted URLs and scrubbed text", function () {
  afterEach(forgetSecretUrls);

  it("records only the scheme, the registrable domain and the port, wherever the provider puts the key", function () {
    const cases: [string, string][] = [
      ["https://eth-mainnet.g.alchemy.com/v2/AbCdEf0123456789AbCdEf0123", "https://*.alchemy.com"], // path
      ["https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef", "https://*.infura.io"], // path
      ["https://f3key0123456789abcdef.eth.rpc.rivet.cloud/", "https://*.rivet.cloud"], // first host label
      ["https://lb.drpc.org/ogrpc?network=ethereum&dkey=Secret0123456789", "https://*.drpc.org"], // query
      ["https://user:Secret0123456789@node.example.com:8545/", "https://*.example.com:8545"], // user info, port kept
      ["https://0123456789abcdef0123.com/rpc", "https://<redacted>.com"], // a key as the domain itself
      ["http://127.0.0.1:8545/x", "http://127.0.0.1:8545"],
      ["http://localhost:8545", "http://localhost:8545"],
      ["not a url", "(unparseable URL)"],
    ];
    expect(cases.map(([url]) => redactUrl(url))).to.deep.equal(cases.map(([, redacted]) => redacted));
  });

  it("scrubs a remembered URL, its host and its key-length parts from any text, and nothing before one is remembered", function () {
    const url = "https://f3key0123456789abcdef.eth.rpc.example.invalid/v2/PathKey0123456789?dkey=QueryKey0123456789";
    const edr = "self sending request for host (f3key0123456789abcdef.eth.rpc.example.invalid): error trying to connect: dns error";
    expect(scrubSecrets(edr)).to.equal(edr);
    rememberSecretUrl(url, { Authorization: "Bearer HeaderToken0123456789" });
    const texts = [edr, `GET ${url} failed`, "HTTP 401 for /v2/PathKey0123456789", "sent Bearer HeaderToken0123456789", "F3KEY0123456789ABCDEF.ETH.RPC.EXAMPLE.INVALID"];
    const scrubbed = texts.map(scrubSecrets);
    for (const text of scrubbed) expect(text).to.not.match(/f3key0123456789abcdef|PathKey0123456789|QueryKey0123456789|HeaderToken0123456789/i);
    expect(scrubbed[0]).to.equal("self sending request for host (*.example.invalid): error trying to connect: dns error");
    expect(scrubbed[1]).to.equal("GET https://*.example.invalid failed");
    expect(scrubbed[2]).to.equal("HTTP 401 for /v2/<redacted>");
    expect(scrubDeep({ a: [edr], n: 1 })).to.deep.equal({ a: [scrubbed[0]], n: 1 });
    const cause = new Error(`connect to ${url}`);
    const copy = scrubError(Object.assign(new Error(edr, { cause }), { code: "GenericFailure" })) as Error & { code: string; cause: Error };
    expect([copy.message, copy.code, copy.cause.message]).to.deep.equal([scrubbed[0], "GenericFailure", "connect to https://*.example.invalid"]);
    expect(copy.stack).to.not.contain("f3key0123456789abcdef");
  });

  it("scrubs a short credential in the query (?apikey=, ?token=) and a short password, but not other short values", function () {
    rememberSecretUrl("http://127.0.0.1:8545/rpc?apikey=S3cr&network=main&access_token=tok9");
    rememberSecretUrl("https://user:pw12@node.example.com/");
    expect(scrubSecrets("sent ?apikey=S3cr&network=main&access_token=tok9 as user:pw12")).to.equal("sent ?apikey=<redacted>&network=main&access_token=<redacted> as user:<redacted>");
  });
});
