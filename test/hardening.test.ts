import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import fc from "fast-check";
import { Agent, defineNetlist, param, PropertyFailedError, Series, TokenspiceError, type StepContext } from "../src/api";
import { TokenspicePluginError } from "../src/hardhat/errors";
import { simNetworkFacts } from "../src/hardhat/sim-network";
import { walletKey } from "../src/engine/wallets";
import { computeAddress } from "ethers";
import { errorOf, fixture, nextWallClockSecond, quietConsoleLog, readJson, useEnvironment } from "./helpers";
import { thrownBy } from "./unit/thrown";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-hardening-"));

/** The error a promise rejects with, as the plugin error tests catch. */
async function codeOf(fn: () => Promise<unknown>): Promise<TokenspicePluginError> {
  const error = await errorOf(fn);
  expect(error, String(error)).to.be.instanceOf(TokenspicePluginError);
  return error as TokenspicePluginError;
}

describe("hardening (testbed fixture project)", function () {
  useEnvironment(fixture("testbed"));
  quietConsoleLog();
  const typechain = () => require("./fixture-projects/testbed/typechain-types");

  describe("hangs: a per-step timeout for setup, agents and KPIs", () => {
    it("fails a step that never settles, naming netlist, agent, tick and seed, and frees the run queue", async function () {
      this.timeout(30_000);
      const out = tmp();
      const e = await codeOf(() => this.hre.tokenspice.run("faults", { seed: 5, params: { mode: "hang", at: 2 }, stepTimeoutMs: 500, out, force: true }));
      expect(e.code).to.equal("STEP_TIMEOUT");
      expect(e.message).to.match(/Agent "faulty" did not finish within 500 ms \(netlist "faults", tick 2, seed 5\)/);
      expect(e.details).to.include({ netlist: "faults", agent: "faulty", tick: 2, seed: 5, outDir: out });
      const manifest = readJson(path.join(out, "manifest.json"));
      expect([manifest.status, manifest.errorCode]).to.deep.equal(["failed", "STEP_TIMEOUT"]);
      expect(fs.existsSync(path.join(out, ".tokenspice.lock")), "lock released").to.equal(false);
      // The queue is free: the next run goes ahead.
      const next = await this.hre.tokenspice.run("faults", { seed: 5, steps: 2 });
      expect(next.ticks).to.equal(2);
    });

    it("fails a KPI that never settles, and setup that never settles", async function () {
      const kpi = await codeOf(() => this.hre.tokenspice.run("faults", { seed: 1, params: { kpi: "hang", at: 1 }, stepTimeoutMs: 300 }));
      expect([kpi.code, kpi.details.kpi, kpi.details.tick]).to.deep.equal(["STEP_TIMEOUT", "ratio", 1]);
      const stuck = defineNetlist({
        description: "setup hangs",
        time: { steps: 1, stepSeconds: 60 },
        setup: () => new Promise<never>(() => undefined),
        kpis: {},
      });
      const setup = await codeOf(() => this.hre.tokenspice.run(stuck, { seed: 3, stepTimeoutMs: 300 }));
      expect([setup.code, setup.details.agent, setup.details.tick]).to.deep.equal(["STEP_TIMEOUT", "setup", 0]);
      expect(setup.message).to.match(/^setup did not finish within 300 ms \(netlist "setup-hangs", tick 0, seed 3\)/);
    });

    it("a step that outlives its run cannot send into the next run", async function () {
      this.timeout(30_000);
      const { Testbed__factory } = typechain();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let lateSend!: (error: unknown) => void;
      const lateError = new Promise<unknown>((resolve) => (lateSend = resolve));
      class Late extends Agent<{ t: any }> {
        async step({ world, tick }: StepContext<{ t: any }, unknown>) {
          if (tick !== 1) return;
          await released; // held past its 200 ms timeout, until its run has failed
          await world.t
            .connect(this.wallet.signer)
            .poke()
            .then(() => lateSend(undefined), lateSend);
        }
      }
      const n = defineNetlist({
        description: "late",
        time: { steps: 1, stepSeconds: 60 },
        async setup({ deploy, wallet }) {
          return { world: { t: await deploy(Testbed__factory, 1n) }, agents: [new Late(await wallet("late"))] };
        },
        kpis: {},
      });
      expect((await codeOf(() => this.hre.tokenspice.run(n, { seed: 1, stepTimeoutMs: 200 }))).code).to.equal("STEP_TIMEOUT");
      release();
      expect(String(await lateError)).to.match(/sent after its run ended/);
    });

    it("refuses a step timeout that is not a positive integer (0 turns it off)", async function () {
      const e = await codeOf(() => this.hre.tokenspice.run("faults", { seed: 1, stepTimeoutMs: -5 }));
      expect(e.code).to.equal("OPTION_INVALID");
      expect(e.message).to.match(/Step timeout -5 is not valid: use a positive number of milliseconds, or 0 for none/);
      const r = await this.hre.tokenspice.run("faults", { seed: 1, steps: 1, stepTimeoutMs: 0 });
      expect(r.spec.stepTimeoutMs).to.equal(null);
    });
  });

  describe("failed transactions", () => {
    it("records an out-of-gas transaction with its hash and the gas it burnt, and the run goes on", async function () {
      const r = await this.hre.tokenspice.run("faults", { seed: 1, params: { mode: "oog", at: 2 } });
      expect(r.ticks).to.equal(4);
      const oog = r.reverts.find((x) => x.tick === 2)!;
      expect(oog.reason).to.equal("out of gas (gas limit 100000)");
      expect(oog.call).to.equal("Testbed.burnAll");
      expect(oog.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(oog.gasUsed).to.equal(100_000n);
      expect(r.transactions.faulty).to.equal(4); // 3 pokes and the failed burn (which ended tick 2's step): its block counts
      expect(r.kpi("pokes").final()).to.equal(3n);
    });

    it("records a transaction the node refuses (no hash, no gas) as refused", async function () {
      const r = await this.hre.tokenspice.run("faults", { seed: 1, params: { mode: "refused", at: 2 } });
      const refused = r.reverts.find((x) => x.tick === 2)!;
      expect(refused.reason).to.match(/^rejected by the node: Sender doesn't have enough funds/);
      expect([refused.txHash, refused.gasUsed]).to.deep.equal([null, 0n]);
      expect(r.ticks).to.equal(4);
    });

    it("accepts what a real chain accepts: all ETH but a small reserve for gas (F16)", async function () {
      const { Testbed__factory } = typechain();
      const deposited: bigint[] = [];
      class Staker extends Agent<{ t: any }, { reserveWei: number }> {
        async step({ world, params }: StepContext<{ t: any }, { reserveWei: number }>) {
          const t = world.t.connect(this.wallet.signer);
          const value = (await this.wallet.ethBalance()) - BigInt(params.reserveWei);
          await t.deposit({ value });
          deposited.push(value);
        }
      }
      const n = defineNetlist({
        description: "stake all but a reserve",
        params: { reserveWei: param.int({ default: 10 ** 15 }) }, // 0.001 ETH: the deposit costs about 0.00004 ETH of gas
        time: { steps: 1, stepSeconds: 3600 },
        async setup({ deploy, wallet }) {
          return { world: { t: await deploy(Testbed__factory, 1n) }, agents: [new Staker(await wallet("staker"))] };
        },
        kpis: { staked: async ({ world, agents }) => world.t.deposits(agents[0].wallet.address) },
      });
      const ok = await this.hre.tokenspice.run(n, { seed: 1 });
      expect(ok.reverts).to.deep.equal([]);
      expect(ok.kpi("staked").final()).to.equal(deposited[0]);
      const none = await this.hre.tokenspice.run(n, { seed: 1, params: { reserveWei: 0 } }); // nothing left for gas: refused, as on a real chain
      expect(none.reverts.map((x) => x.reason)[0]).to.match(/^rejected by the node: Sender doesn't have enough funds/);
    });
  });

  describe("revert reasons", () => {
    it("decode a constructor's custom error, and a callee's custom error bubbling up through a view (F1, F3)", async function () {
      const { CappedCtor__factory, Quoter__factory, Testbed__factory } = typechain();
      const ctor = await codeOf(() =>
        this.hre.tokenspice.run(
          defineNetlist({
            description: "ctor reverts",
            time: { steps: 1, stepSeconds: 60 },
            async setup({ deploy }) {
              await deploy(CappedCtor__factory, 11n);
              return { world: {}, agents: [] };
            },
            kpis: {},
          }),
          { seed: 1 },
        ),
      );
      expect([ctor.code, ctor.message]).to.deep.equal(["SETUP_FAILED", 'setup failed (netlist "ctor-reverts", tick 0, seed 1): deploy reverted: CapTooHigh(11, 10)']);
      class Asker extends Agent<{ q: any; t: string }> {
        async step({ world }: StepContext<{ q: any; t: string }, unknown>) {
          await world.q.connect(this.wallet.signer).quote(world.t, 500);
        }
      }
      const r = await this.hre.tokenspice.run(
        defineNetlist({
          description: "nested view revert",
          time: { steps: 1, stepSeconds: 60 },
          async setup({ deploy, wallet }) {
            const t: any = await deploy(Testbed__factory, 100n);
            const q = await deploy(Quoter__factory);
            return { world: { q, t: await t.getAddress() }, agents: [new Asker(await wallet("asker"))] };
          },
          kpis: {},
        }),
        { seed: 1 },
      );
      expect(r.reverts.map((x) => [x.call, x.reason])).to.deep.equal([["eth_call Quoter.quote", "TooLarge(500, 100)"]]);
    });
  });

  describe("seeded runs depend on netlist, params and seed only", () => {
    /** `pause`: each step first waits for the wall clock's next second (a node's clock moves on mid-tick). */
    const concurrent = (pause: boolean) => {
      const { Testbed__factory } = typechain();
      const nonces: number[][] = [];
      class Batcher extends Agent<{ t: any }> {
        async step({ world }: StepContext<{ t: any }, unknown>) {
          if (pause) await nextWallClockSecond();
          const t = world.t.connect(this.wallet.signer);
          const txs = await Promise.all([t.setLast(1), t.setLast(2), t.setLast(3)]);
          const onChain = await Promise.all(txs.map(async (x: any) => (await this.wallet.signer.provider!.getTransaction(x.hash))!.nonce));
          nonces.push(
            txs.map((x: any) => x.nonce),
            onChain,
          );
        }
      }
      const netlist = defineNetlist({
        description: "concurrent sends",
        time: { steps: 2, stepSeconds: 3600 },
        async setup({ deploy, wallet }) {
          return { world: { t: await deploy(Testbed__factory, 1n) }, agents: [new Batcher(await wallet("batcher"))] };
        },
        kpis: { sequence: ({ world }) => world.t.sequence() },
      });
      return { netlist, nonces };
    };

    it("mines an agent's concurrent sends (Promise.all) in call order, with exact nonces (F14)", async function () {
      this.timeout(30_000);
      for (const pause of [false, true]) {
        const { netlist, nonces } = concurrent(pause);
        const a = await this.hre.tokenspice.run(netlist, { seed: 1 });
        const b = await this.hre.tokenspice.run(netlist, { seed: 1 });
        expect(a.kpi("sequence").values).to.deep.equal([0n, 123n, 123123n]);
        expect(b.kpi("sequence").values).to.deep.equal(a.kpi("sequence").values);
        expect(nonces[0]).to.deep.equal([0, 1, 2]);
        expect(nonces[0]).to.deep.equal(nonces[1]); // what the responses say = what the chain recorded
      }
    });

    it("gives every block of a tick the tick's time: views and KPIs see it after any number of transactions (F11)", async function () {
      const { Testbed__factory } = typechain();
      const seen: bigint[] = [];
      class Trader extends Agent<{ t: any }> {
        async step({ world }: StepContext<{ t: any }, unknown>) {
          const t = world.t.connect(this.wallet.signer);
          await t.poke();
          await t.poke();
          seen.push(await t.viewNow(), await t.lastPokeTime());
        }
      }
      const r = await this.hre.tokenspice.run(
        defineNetlist({
          description: "view time",
          time: { steps: 3, stepSeconds: 86_400, start: 2_000_000_000 },
          async setup({ deploy, wallet }) {
            return { world: { t: await deploy(Testbed__factory, 1n) }, agents: [new Trader(await wallet("trader")), new Trader(await wallet("other"))] };
          },
          kpis: { viewMinusTick: async ({ world, time }) => Number(await world.t.viewNow()) - time },
        }),
        { seed: 1 },
      );
      const times = [1, 2, 3].flatMap((t) => Array(4).fill(2_000_000_000n + BigInt(t) * 86_400n));
      expect(seen).to.deep.equal(times);
      expect(r.kpi("viewMinusTick").values).to.deep.equal([0, 0, 0, 0]);
    });

    it("runs on a chain of its own: a test's transactions are neither seen nor rolled back, impersonation does not leak", async function () {
      const provider = this.hre.network.provider;
      const [account] = (await provider.request({ method: "eth_accounts" })) as string[];
      const before = Number(await provider.request({ method: "eth_blockNumber" }));
      const run = this.hre.tokenspice.run("faults", { seed: 2 });
      await provider.request({ method: "eth_sendTransaction", params: [{ from: account, to: account, value: "0x1" }] });
      const result = await run;
      expect(Number(await provider.request({ method: "eth_blockNumber" }))).to.equal(before + 1); // kept, not reverted
      expect(result.ticks).to.equal(4);
      // After the run, the simulation chain no longer impersonates the agent's wallet.
      const sim = (await this.hre.tokenspice.environment()).provider;
      const address = computeAddress(walletKey("faulty"));
      const sent = await sim.request({ method: "eth_sendTransaction", params: [{ from: address, to: address, value: "0x0" }] }).then(
        () => "sent",
        (e: Error) => e.message,
      );
      expect(sent).to.match(/unknown account|not.*impersonat|Unknown account/i);
    });

    it("refuses a fork that is not pinned to a block (its results would change from run to run)", function () {
      const config = { networks: { hardhat: { ...this.hre.config.networks.hardhat, forking: { enabled: true, url: "http://127.0.0.1:1/x", httpHeaders: {} } } } } as any;
      expect(() => simNetworkFacts(config)).to.throw(TokenspiceError, /forking has no blockNumber/);
      config.networks.hardhat.forking.blockNumber = 123;
      expect(simNetworkFacts(config).fork).to.deep.equal({ url: "http://127.0.0.1:1", blockNumber: 123 });
    });
  });

  describe("non-finite KPIs are carried as the values they are (F8)", () => {
    it("writes NaN and Infinity to kpis.csv and as strings to result.json, and min/max/mean follow IEEE rules", async function () {
      const out = tmp();
      await this.hre.tokenspice.run("faults", { seed: 1, params: { kpi: "inf", at: 3 }, out, force: true });
      const rows = fs.readFileSync(path.join(out, "kpis.csv"), "utf8").trim().split("\n");
      expect(rows.map((l) => l.split(",").at(-1))).to.deep.equal(["ratio", "0", "0.5", "1", "Infinity", "Infinity"]);
      expect(readJson(path.join(out, "result.json")).kpis.ratio).to.deep.equal({ final: "Infinity", min: 0, max: "Infinity", mean: "Infinity", std: "NaN" });
      const nan = await this.hre.tokenspice.run("faults", { seed: 1, params: { kpi: "nan", at: 3 } });
      const s = nan.kpi<number>("ratio");
      expect([s.min(), s.max(), s.mean()].every(Number.isNaN)).to.equal(true);
    });

    it("chai: stay.within, nonDecreasing and never.dropBelow fail on a NaN sample", () => {
      const s = new Series("utilisation", [0, 0.1, NaN, 0.3], [0, 1, 2, 3]);
      expect(() => expect(s).to.stay.within(0, 1)).to.throw(/at tick 2 it was NaN/);
      expect(() => expect(s).to.be.nonDecreasing).to.throw(/to 0\.3 at tick 3|to NaN at tick 2/);
      expect(() => expect(s).to.never.dropBelow(0)).to.throw(/at tick 2 it was NaN/);
      expect(() => expect(s).to.never.riseAbove(1)).to.throw(/at tick 2 it was NaN/);
      expect(() => expect(s).to.dropBelow(0)).to.throw(/minimum was 0/); // NaN does not count as below
      expect(new Series("ok", [0, 0.5, Infinity], [0, 1, 2])).to.be.nonDecreasing;
    });
  });

  describe("names", () => {
    const base = { description: "names", time: { steps: 1, stepSeconds: 60 }, setup: async () => ({ world: {}, agents: [] }) };
    it("refuses KPI names that cannot be used everywhere, naming each", () => {
      const e = thrownBy(() => defineNetlist({ ...base, kpis: { "line1\nline2": () => 1, "": () => 2, " x": () => 3, Tick: () => 4, ok: () => 5, OK: () => 6 } }));
      expect(e.code).to.equal("NAME_INVALID");
      for (const bad of ['"line1\\nline2"', '"": it is empty', '" x": it starts or ends with whitespace', '"Tick": kpis.csv already has a "tick" column', '"OK": differs from "ok" only in case']) {
        expect(e.message).to.contain(bad);
      }
    });

    it("refuses param names that are not identifiers, and wallet names the engine uses itself", async function () {
      expect(() => defineNetlist({ ...base, params: { "fee bps": param.int({ default: 1 }) }, kpis: {} })).to.throw(/param name "fee bps" cannot be used: it is not an identifier/);
      class Idle extends Agent {
        step() {}
      }
      const n = defineNetlist({ ...base, setup: async ({ wallet }: any) => ({ world: {}, agents: [new Idle(await wallet("setup"))] }), kpis: {} });
      const e = await codeOf(() => this.hre.tokenspice.run(n, { seed: 1 }));
      expect(e.code).to.equal("NAME_INVALID");
      expect(e.message).to.match(/wallet name "setup" cannot be used: "setup" is what the engine records its own transactions under/);
    });

    it("refuses choice values that cannot be written on the command line and read back", () => {
      expect(() => param.choice({ choices: [" padded", "x"], default: "x" })).to.throw(/surrounding whitespace/);
      expect(() => param.choice({ choices: [1, "1"], default: 1 })).to.throw(/two choices read as "1"/);
    });
  });

  describe("bad input fails before any work, with one plugin error", () => {
    it("F13: check with a time limit shorter than one simulation resolves interrupted", async function () {
      this.timeout(60_000);
      const summary = await this.hre.tokenspice.check("faults", { params: { sleepMs: 300 }, property: () => true, steps: 4, runs: 5, seed: 1, timeLimitMs: 50 });
      expect(summary).to.deep.include({ netlist: "faults", seed: 1, interrupted: true });
      expect(summary.runs).to.be.below(5);
    });

    it("float params take decimal notation only, as int params do", async function () {
      const p = (text: string) => this.hre.tokenspice.plan("treasury", { params: { noise: text }, paramsFromText: true, seed: 1 });
      for (const good of ["0.5", "1e-3", ".25", "+0.1"]) expect((await p(good)).params.noise).to.equal(Number(good));
      for (const bad of ["0x1", "0b1", "0o1", "Infinity", "NaN", "1_0", ""]) {
        const e = await codeOf(() => p(bad));
        expect(e.code, bad).to.be.oneOf(["PARAM_INVALID", "PARAMS_MALFORMED"]);
      }
      const big = await codeOf(() => this.hre.tokenspice.plan("treasury", { params: { withdrawPerTick: "99999999999999999999" }, paramsFromText: true }));
      expect(big.code).to.equal("PARAM_INVALID");
    });

    it("the manifest records the netlist file relative to the project root, and the run spec", async function () {
      const out = tmp();
      const r = await this.hre.tokenspice.run("treasury", { seed: 4, steps: 2, out, force: true });
      const manifest = readJson(path.join(out, "manifest.json"));
      expect(manifest.netlist.file).to.equal("sims/treasury.ts");
      expect(manifest.spec).to.deep.equal(JSON.parse(JSON.stringify(r.spec)));
      expect(manifest.command).to.equal(r.command);
    });
  });

  describe("errors", () => {
    it("carry a stable code, details and the cause, for every public path", async function () {
      const unknown = await codeOf(() => this.hre.tokenspice.run("nope"));
      expect(unknown.code).to.equal("NETLIST_NOT_FOUND");
      expect(unknown.details.known).to.include("treasury");
      expect(unknown.exitCode).to.equal(2);
      const param = await codeOf(() => this.hre.tokenspice.run("treasury", { params: { noise: 2 } }));
      expect([param.code, param.details.param, param.details.value]).to.deep.equal(["PARAM_INVALID", "noise", 2]);
      const thrown = await codeOf(() => this.hre.tokenspice.run("faults", { seed: 1, params: { mode: "throwString" } }));
      expect([thrown.code, thrown.exitCode, thrown.details.agent]).to.deep.equal(["AGENT_FAILED", 1, "faulty"]);
      expect((thrown.cause as TokenspiceError).cause).to.equal("a plain string");
    });

    it("PropertyFailedError is one report object with a code", async function () {
      const e = (await errorOf(() =>
        this.hre.tokenspice.check("treasury", { params: { withdrawPerTick: fc.constant(1000) }, invariant: (s) => s.kpi<bigint>("balance") >= 5_000n, steps: 10, runs: 1, seed: 1 }),
      )) as PropertyFailedError;
      expect(e).to.be.instanceOf(PropertyFailedError);
      expect(e).to.be.instanceOf(TokenspiceError);
      expect(e.code).to.equal("PROPERTY_FAILED");
      expect(e.report).to.include({ netlist: "treasury", folder: e.folder, command: e.command });
      expect(e.details.outDir).to.equal(e.folder);
      expect(e.message).to.not.match(/Everything recorded/);
    });
  });

  describe("the run spec", () => {
    it("plan() resolves options once into JSON; runSpec() runs it and gives what run() gives", async function () {
      const spec = await this.hre.tokenspice.plan("treasury", { seed: 9, steps: 3, params: { noise: 0.25 } });
      expect(JSON.parse(JSON.stringify(spec))).to.deep.equal(spec);
      expect(spec).to.deep.include({ seed: 9, steps: 3, netlist: { name: "treasury", file: "sims/treasury.ts" } });
      expect(spec.params).to.deep.equal({ withdrawPerTick: 100, noise: 0.25 });
      expect(spec.network).to.include({ name: "hardhat", blockTime: "tick" });
      const a = await this.hre.tokenspice.runSpec(spec);
      const b = await this.hre.tokenspice.run("treasury", { seed: 9, steps: 3, params: { noise: 0.25 } });
      expect(a.kpi("balance").values).to.deep.equal(b.kpi("balance").values);
      expect(a.command).to.equal("npx hardhat sim treasury --seed 9 --steps 3 --params withdrawPerTick=100,noise=0.25");
    });
  });
});
