import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { SIM_EDR_ENV, createSimNetwork } from "../src/hardhat/sim-network";
import { loadEdrNext } from "../src/hardhat/edr-provider";
import { Tokenspice } from "../src/hardhat/tokenspice";
import type { Eip1193Provider } from "../src/engine/provider";
import { ROOT, useEnvironment } from "./helpers";

/** Runs `fn` with TOKENSPICE_EDR set to `choice` (the simulation network reads it when it is created), then puts it back. */
async function withEdr<T>(choice: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[SIM_EDR_ENV];
  process.env[SIM_EDR_ENV] = choice;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[SIM_EDR_ENV];
    else process.env[SIM_EDR_ENV] = before;
  }
}

const hex = (n: bigint | number) => "0x" + BigInt(n).toString(16);
/** Init code that deploys `runtime` (hex, under 256 bytes). */
const deployCode = (runtime: string) => {
  const n = (runtime.length / 2).toString(16).padStart(2, "0");
  return `0x60${n}600c60003960${n}6000f3${runtime}`;
};
const SENDER = "0x1000000000000000000000000000000000000001";
const REVERT_WITH_CALLDATA = "366000600037366000fd"; // reverts with its calldata as revert data
const LOOP = "5b600056"; // runs out of gas
const INVALID = "fe";
const GASLEFT = "5a60005260206000f3"; // returns the gas it was given
const REASON = "0x08c379a0" + (32).toString(16).padStart(64, "0") + "2".padStart(64, "0") + "6e6f".padEnd(64, "0");
const PANIC = "0x4e487b71" + "11".padStart(64, "0");
const CUSTOM = "0xdeadbeef" + "00".repeat(32);

/** What the engine reads of a failure (src/engine/transactions.ts readSendFailure; ethers through DirectProvider): message, code, data, hash. */
function failureOf(error: unknown) {
  const e = error as { message?: string; code?: number; data?: unknown; transactionHash?: string };
  return { message: e.message, code: e.code, data: e.data, transactionHash: e.transactionHash };
}

/** Every kind of failure the engine reads, on `provider`: mined and reverted (each kind of revert data), out of gas, refused, failed calls. */
async function failures(provider: Eip1193Provider): Promise<Record<string, unknown>> {
  const rq = (method: string, params: unknown[] = []) => provider.request({ method, params }) as Promise<any>;
  const out: Record<string, unknown> = {};
  const attempt = async (key: string, fn: () => Promise<unknown>) => {
    try {
      out[key] = { result: await fn() };
    } catch (error) {
      out[key] = failureOf(error);
    }
  };
  await rq("hardhat_setBalance", [SENDER, hex(10n ** 20n)]);
  await rq("hardhat_impersonateAccount", [SENDER]);
  const deploy = async (runtime: string) => {
    const hash = await rq("eth_sendTransaction", [{ from: SENDER, data: deployCode(runtime), gas: hex(1_000_000) }]);
    return (await rq("eth_getTransactionReceipt", [hash])).contractAddress as string;
  };
  const [reverter, loop, invalid, gasleft] = [await deploy(REVERT_WITH_CALLDATA), await deploy(LOOP), await deploy(INVALID), await deploy(GASLEFT)];
  await attempt("call without gas", () => rq("eth_call", [{ to: gasleft }]));
  for (const [kind, to, data] of [
    ["empty revert", reverter, "0x"],
    ["reason", reverter, REASON],
    ["panic", reverter, PANIC],
    ["custom error", reverter, CUSTOM],
    ["invalid opcode", invalid, "0x"],
    ["out of gas", loop, "0x"],
  ]) {
    await attempt(`send: ${kind}`, () => rq("eth_sendTransaction", [{ from: SENDER, to, data, gas: hex(100_000) }]));
    await attempt(`batched send: ${kind}`, () =>
      provider.requestBatch!([
        { method: "evm_setNextBlockTimestamp", params: [hex(1_700_000_000)] },
        { method: "eth_sendTransaction", params: [{ from: SENDER, to, data, gas: hex(100_000) }] },
      ]),
    );
    await attempt(`call: ${kind}`, () => rq("eth_call", [{ from: SENDER, to, data, gas: hex(100_000) }]));
    // (not the endless loop: estimating it runs it to the gas cap at every step of the search)
    if (to !== loop) await attempt(`estimate: ${kind}`, () => rq("eth_estimateGas", [{ from: SENDER, to, data }]));
  }
  const poor = "0x3000000000000000000000000000000000000003";
  await rq("hardhat_impersonateAccount", [poor]);
  await attempt("refused: cannot pay", () => rq("eth_sendTransaction", [{ from: poor, to: SENDER, value: "0x1", gas: hex(21_000) }]));
  await attempt("refused: unknown account", () => rq("eth_sendTransaction", [{ from: "0x2000000000000000000000000000000000000002", to: SENDER, gas: hex(21_000) }]));
  await attempt("refused: over the transaction gas cap", () => rq("eth_sendTransaction", [{ from: SENDER, to: SENDER, gas: hex(30_000_000) }]));
  await attempt("refused: under the intrinsic gas", () => rq("eth_sendTransaction", [{ from: SENDER, to: SENDER, gas: hex(20_000) }]));
  // Its header but for what depends on the wall clock (blocks not pinned to a time take the genesis date plus the seconds since the network was made).
  await attempt("latest block", async () => {
    const { hash: _hash, parentHash: _parent, timestamp: _time, ...header } = await rq("eth_getBlockByNumber", ["latest", false]);
    return header;
  });
  return out;
}

/**
 * The Hardhat 2 simulation network runs on EDR 0.22 where it is installed (src/hardhat/edr-provider.ts)
 * and on Hardhat's own EDR with TOKENSPICE_EDR=hardhat. Both must give the same runs byte for byte,
 * and fail the same way: the engine reads failures by their message, data and hash.
 */
describe("simulation network: EDR 0.22 and Hardhat's EDR", function () {
  useEnvironment(ROOT);

  before(function () {
    if (loadEdrNext() === null) {
      // CI installs it (.ci/run: npm on Node 22): there, a missing module is a broken install, not a skip.
      if (process.env.CI) throw new Error("EDR 0.22's native module is not installed (.ci/run installs the root with npm on Node 22: scripts/with-node22.sh npm ci)");
      this.skip(); // npm left EDR 0.22's native module out (Node < 22): only Hardhat's EDR to run on
    }
  });

  it("fail the same way: reverts (hash, data, message), out of gas, refused sends, failed calls and estimates", async function () {
    this.timeout(60_000);
    const onNew = await withEdr("0.22", () => createSimNetwork(this.hre.config));
    const onOld = await withEdr("hardhat", () => createSimNetwork(this.hre.config));
    expect(onNew.edr).to.equal("0.22.0");
    expect(onOld.edr).to.not.equal("0.22.0");
    const [now, before] = [await failures(onNew.provider), await failures(onOld.provider)];
    expect(now).to.deep.equal(before);
    // The cases are what they say: a mined revert has a hash and data, a refused send neither, out of gas says so.
    expect(now["send: reason"])
      .to.include({ data: REASON })
      .and.to.have.property("transactionHash")
      .that.matches(/^0x[0-9a-f]{64}$/);
    expect(now["refused: cannot pay"])
      .to.have.property("message")
      .that.matches(/enough funds/);
    expect(now["send: out of gas"]).to.have.property("message", "Transaction ran out of gas");
  });

  it("give the same runs byte for byte: a send-heavy model (token-flow) and a read-heavy one (oceanv4)", async function () {
    this.timeout(120_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-edr-"));
    try {
      for (const model of ["token-flow", "oceanv4"]) {
        const runOn = (choice: string) =>
          withEdr(choice, async () => {
            const dir = path.join(out, `${model}-${choice}`);
            // A new hre.tokenspice: its simulation network is made at its first run, on the EDR chosen then.
            await new Tokenspice(this.hre).run(model, { seed: 1, steps: 8, out: dir });
            return dir;
          });
        const [now, before] = [await runOn("0.22"), await runOn("hardhat")];
        for (const file of ["kpis.csv", "reverts.csv", "result.json"]) {
          expect(fs.readFileSync(path.join(now, file), "utf8"), `${model} ${file}`).to.equal(fs.readFileSync(path.join(before, file), "utf8"));
        }
        const edrOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).versions.edr;
        expect([edrOf(now), edrOf(before)]).to.deep.equal(["0.22.0", onHardhatEdr()]);
      }
      // token-flow's agents revert (custom errors, at send time): the comparison covered failed sends too.
      expect(
        fs
          .readFileSync(path.join(out, "token-flow-0.22", "reverts.csv"), "utf8")
          .trim()
          .split("\n").length,
      ).to.be.greaterThan(1);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

/** The version of Hardhat 2's own EDR package. */
function onHardhatEdr(): string {
  const main = require.resolve("@nomicfoundation/edr", { paths: [path.dirname(require.resolve("hardhat/package.json"))] });
  return JSON.parse(fs.readFileSync(path.join(path.dirname(main), "package.json"), "utf8")).version;
}
