import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { createEnvironment, readArtifactsFolder } from "../../src/campaign/environment";
import { defineNetlist } from "../../src/model/netlist";
import { TokenspiceError } from "../../src/errors";
import { DEFAULT_STEP_TIMEOUT_MS } from "../../src/runner/run-spec";
import type { Eip1193Provider } from "../../src/engine/provider";

// createEnvironment: the TokenspiceEnvironment a plain Node script builds from a provider and folders
// (hardhat-tokenspice/core). Its runs are tested end to end by test/no-hardhat-example.test.ts.

const errorOf = async (f: () => unknown): Promise<TokenspiceError> => {
  try {
    await f();
  } catch (e) {
    return e as TokenspiceError;
  }
  throw new Error("expected an error");
};

describe("createEnvironment (hardhat-tokenspice/core)", () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-env-"))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("asks the provider's chain id once, records it as the custom network, and resolves folders against root", async () => {
    const asked: string[] = [];
    const provider: Eip1193Provider = { request: async ({ method }) => (asked.push(method), "0x2a") };
    const environment = createEnvironment({ provider, root: tmp });
    expect(environment.outDir).to.equal(path.join(tmp, "sim-results"));
    const [a, b] = await Promise.all([environment.runEnvironment(), environment.runEnvironment()]);
    expect(a).to.equal(b);
    expect(asked).to.deep.equal(["eth_chainId"]);
    expect(a).to.include({ root: tmp, provider, stepTimeoutMs: DEFAULT_STEP_TIMEOUT_MS }); // tokenspice.stepTimeoutMs's default
    expect(a.network).to.deep.equal({ name: "custom", chainId: 42 });
    expect(a.walletWei).to.equal(10n ** 24n); // 1,000,000 ETH, the config's default
    expect(a.projectContracts).to.deep.equal([]);
  });

  it("names an inline netlist from its description and refuses a value that is no netlist", async () => {
    const environment = createEnvironment({ provider: { request: async () => "0x1" }, root: tmp });
    const netlist = defineNetlist({ description: "Savers put coins in a jar!", params: {}, time: { steps: 1, stepSeconds: 1 }, setup: async () => ({ world: {}, agents: [] }), kpis: {} });
    expect(environment.load(netlist)).to.include({ name: "savers-put-coins-in-a-jar", file: "(inline)" });
    const error = await errorOf(() => environment.load({ description: "nope" } as never));
    expect(error.code).to.equal("OPTION_INVALID");
  });

  it("says NODE_ERROR when the provider does not answer eth_chainId, and asks again next time", async () => {
    let calls = 0;
    const provider: Eip1193Provider = {
      request: async () => {
        if (++calls === 1) throw new Error("connection refused");
        return "0x7a69";
      },
    };
    const environment = createEnvironment({ provider, root: tmp });
    const error = await errorOf(() => environment.runEnvironment());
    expect(error.code).to.equal("NODE_ERROR");
    expect(error.message).to.contain("connection refused");
    expect((await environment.runEnvironment()).network.chainId).to.equal(31337);
  });

  it("reads an artifacts folder: each contract with an abi, sorted by path; debug files, build-info and other JSON skipped", () => {
    const write = (rel: string, json: unknown) => {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), JSON.stringify(json));
    };
    write("contracts/Jar.sol/Jar.json", { contractName: "Jar", sourceName: "contracts/Jar.sol", abi: [], bytecode: "0x60", deployedBytecode: "0x61" });
    write("contracts/Jar.sol/Jar.dbg.json", { abi: [], buildInfo: "x" });
    write("build-info/abc.json", { abi: [] });
    write("a/Lib.json", { abi: [], evm: { deployedBytecode: { object: "0x62" } } });
    write("notes.json", { hello: 1 });
    const contracts = readArtifactsFolder(tmp);
    expect(contracts.map((c) => [c.name, c.source, c.deployedBytecode])).to.deep.equal([
      ["Lib", undefined, "0x62"],
      ["Jar", "contracts/Jar.sol", "0x61"],
    ]);
    fs.writeFileSync(path.join(tmp, "broken.json"), "{");
    expect(() => readArtifactsFolder(tmp)).to.throw(TokenspiceError, /broken\.json is not JSON/);
    expect(() => readArtifactsFolder(path.join(tmp, "missing"))).to.throw(TokenspiceError, /does not exist/);
  });
});
