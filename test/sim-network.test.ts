import { expect } from "chai";
import http from "http";
import type { AddressInfo } from "net";
import { inspect } from "util";
import type { HardhatConfig } from "hardhat/types";
import { SIM_MAX_CACHED_STATES, createSimNetwork } from "../src/hardhat/sim-network";
import { forgetSecretUrls } from "../src/output/secrets";
import type { TokenspiceError } from "../src/errors";
import { fixture, useEnvironment } from "./helpers";

/**
 * The simulation network keeps only SIM_MAX_CACHED_STATES blocks' states in memory (EDR's
 * __EDR_MAX_CACHED_STATES). Older states must still be there when asked for: EDR rebuilds them
 * from the blocks. These read state from further back than the cache reaches.
 */
describe("simulation network: a bounded cache of block states", function () {
  useEnvironment(fixture("testbed"));

  it("leaves the process environment as it found it (EDR reads its cache size while the provider is created)", async function () {
    await this.hre.tokenspice.environment();
    expect(process.env.__EDR_MAX_CACHED_STATES).to.equal(undefined);
  });

  it("answers for blocks older than the cache, and reverts to a snapshot older than the cache", async function () {
    this.timeout(120_000);
    const { provider } = await this.hre.tokenspice.environment();
    const rq = (method: string, params: unknown[] = []) => provider.request({ method, params }) as Promise<any>;
    const from = "0x00000000000000000000000000000000000c0ffe";
    const to = "0x00000000000000000000000000000000000000b0";
    const snapshot = await rq("evm_snapshot");
    try {
      await rq("hardhat_setBalance", [from, "0x" + (10n ** 20n).toString(16)]);
      await rq("hardhat_impersonateAccount", [from]);
      const start = Number(await rq("eth_blockNumber"));
      const blocks = 3 * SIM_MAX_CACHED_STATES;
      for (let i = 1; i <= blocks; i++) await rq("eth_sendTransaction", [{ from, to, value: "0x" + i.toString(16), gas: "0x5208" }]);
      // after the k-th transfer (block start + k), `to` holds 1 + 2 + ... + k wei
      for (const k of [1, 2, SIM_MAX_CACHED_STATES, blocks]) {
        expect(BigInt(await rq("eth_getBalance", [to, "0x" + (start + k).toString(16)]))).to.equal(BigInt((k * (k + 1)) / 2));
      }
      await rq("hardhat_stopImpersonatingAccount", [from]);
    } finally {
      expect(await rq("evm_revert", [snapshot])).to.equal(true);
    }
    expect(BigInt(await rq("eth_getBalance", [to, "latest"]))).to.equal(0n);
    expect(BigInt(await rq("eth_getBalance", [from, "latest"]))).to.equal(0n);
  });
});

describe("simulation network: a fork EDR cannot reach", function () {
  useEnvironment(fixture("testbed"));

  it("is one FORK_FAILED error whose text (EDR's, which names the host) keeps no key", async function () {
    this.timeout(120_000);
    // Behind a proxy the fork is not probed first: EDR's own error (which quotes the URL) is what there is
    // to report. The "proxy" answers 401, as a provider does to a bad key.
    const proxy = http.createServer((req, res) => res.writeHead(401, "Unauthorized").end("invalid key"));
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve()));
    const port = (proxy.address() as AddressInfo).port;
    const url = "http://f3key0123456789abcdef.eth.rpc.example.invalid/v2/PathKey0123456789";
    const hardhat = { ...this.hre.config.networks.hardhat, forking: { enabled: true, url, blockNumber: 19_000_000, httpHeaders: {} } };
    const config = { ...this.hre.config, networks: { ...this.hre.config.networks, hardhat } } as HardhatConfig;
    const before = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = `http://127.0.0.1:${port}`;
    let error: TokenspiceError | undefined;
    try {
      await createSimNetwork(config);
    } catch (e) {
      error = e as TokenspiceError;
    } finally {
      if (before === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = before;
      forgetSecretUrls();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
    expect(error?.code).to.equal("FORK_FAILED");
    expect(error!.message).to.match(/^networks\.hardhat\.forking \(url http:\/\/\*\.example\.invalid, blockNumber 19000000\) cannot be forked: the simulation network could not fork it: /);
    expect(inspect(error, { depth: 10 })).to.not.match(/f3key0123456789abcdef|PathKey0123456789/);
  });
});
