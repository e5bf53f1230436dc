import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { HardhatPluginError } from "hardhat/plugins";
import { verifyMessage } from "ethers";
import { Agent, defineNetlist, param, prepareCall, TransactionRevertedError, DEFAULT_START_TIME, type StepContext } from "../src/api";
import { errorOf, fixture, useEnvironment } from "./helpers";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-engine-"));

describe("engine (testbed fixture project)", function () {
  useEnvironment(fixture("testbed"));
  // typechain-types exist once the fixture is compiled (in useEnvironment's before hook)
  const typechain = () => require("./fixture-projects/testbed/typechain-types");

  describe("chain time", () => {
    it("moves block.timestamp by stepSeconds each tick", async function () {
      const r = await this.hre.tokenspice.run("pokes", { seed: 1, steps: 6 });
      const times = r.kpi<number>("time").values;
      expect(times).to.deep.equal([0, 1, 2, 3, 4, 5, 6].map((t) => DEFAULT_START_TIME + t * 3600));
      // every block of a tick, its transactions' included, carries the tick's time
      expect(r.kpi<bigint>("lastPokeTime").values.slice(1).map(Number)).to.deep.equal(times.slice(1));
    });

    it("stays exact when a tick takes longer than a second of wall time", async function () {
      this.timeout(60_000);
      const fast = await this.hre.tokenspice.run("pokes", { seed: 3, steps: 4 });
      const slow = await this.hre.tokenspice.run("pokes", { seed: 3, steps: 4, params: { slowEvery: 2 } });
      expect(slow.kpi("lastPokeTime").values).to.deep.equal(fast.kpi("lastPokeTime").values);
    });

    it("lets views read the tick's time", async function () {
      const { Testbed__factory } = typechain();
      const seen: bigint[] = [];
      class Reader extends Agent<{ testbed: any }> {
        async step({ world }: StepContext<{ testbed: any }, unknown>) {
          seen.push(await world.testbed.viewNow());
        }
      }
      await this.hre.tokenspice.run(
        defineNetlist({
          description: "view-time",
          time: { steps: 3, stepSeconds: 86_400, start: 2_000_000_000 },
          async setup({ deploy, wallet }) {
            return { world: { testbed: await deploy(Testbed__factory, 1n) }, agents: [new Reader(await wallet("reader"))] };
          },
          kpis: {},
        }),
        { seed: 1 },
      );
      expect(seen).to.deep.equal([1n, 2n, 3n].map((t) => 2_000_000_000n + t * 86_400n));
    });
  });

  describe("determinism and reset", () => {
    it("gives byte-identical kpis.csv for the same seed, and different for another", async function () {
      const [a, b, c] = [tmp(), tmp(), tmp()];
      await this.hre.tokenspice.run("pokes", { seed: 42, out: a, force: true });
      await this.hre.tokenspice.run("pokes", { seed: 42, out: b, force: true });
      await this.hre.tokenspice.run("pokes", { seed: 43, out: c, force: true });
      const read = (d: string, f: string) => fs.readFileSync(path.join(d, f));
      expect(read(a, "kpis.csv").equals(read(b, "kpis.csv"))).to.equal(true);
      expect(read(a, "result.json").equals(read(b, "result.json"))).to.equal(true);
      expect(read(a, "kpis.csv").equals(read(c, "kpis.csv"))).to.equal(false);
    });

    it("reverts the chain to where it was before the run", async function () {
      const provider = this.hre.network.provider;
      const before = await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
      await this.hre.tokenspice.run("pokes", { seed: 5, steps: 3 });
      const after = await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
      expect(after).to.deep.equal(before);
    });
  });

  describe("reverts", () => {
    const revertNetlist = () => {
      const { Testbed__factory } = typechain();
      type W = { testbed: any };
      class TooLarge extends Agent<W> {
        async step({ world, tick }: StepContext<W, unknown>) {
          await world.testbed.connect(this.wallet.signer).checkedPoke(tick % 2 === 0 ? 150 : 5);
        }
      }
      class Requirer extends Agent<W> {
        async step({ world, tick }: StepContext<W, unknown>) {
          if (tick === 3) await world.testbed.connect(this.wallet.signer).requirePositive(0);
        }
      }
      class Divider extends Agent<W> {
        async step({ world, tick }: StepContext<W, unknown>) {
          if (tick === 2) await world.testbed.connect(this.wallet.signer).divide(1, 0);
        }
      }
      /** Catches its revert and goes on: the revert is still recorded. */
      class Persistent extends Agent<W> {
        async step({ world }: StepContext<W, unknown>) {
          const t = world.testbed.connect(this.wallet.signer);
          try {
            await t.checkedPoke(1000);
          } catch (error) {
            if (!(error instanceof TransactionRevertedError)) throw error;
          }
          await t.poke();
        }
      }
      /** A view that reverts (staticCall): recorded as a revert of a call. */
      class Simulator extends Agent<W> {
        async step({ world, tick }: StepContext<W, unknown>) {
          if (tick === 1) await world.testbed.connect(this.wallet.signer).checkedPoke.staticCall(500);
        }
      }
      return defineNetlist({
        description: "reverts",
        time: { steps: 4, stepSeconds: 60 },
        async setup({ deploy, wallet }) {
          const testbed = await deploy(Testbed__factory, 100n);
          const agents = [];
          for (const [A, name] of [
            [TooLarge, "big"],
            [Requirer, "req"],
            [Divider, "div"],
            [Persistent, "persist"],
            [Simulator, "sim"],
          ] as const) {
            agents.push(new A(await wallet(name)));
          }
          return { world: { testbed }, agents };
        },
        kpis: { pokes: ({ world }) => world.testbed.pokes(), reverts: ({ reverts }) => reverts },
      });
    };

    it("records each revert with agent, tick and decoded reason, and the run goes on", async function () {
      const r = await this.hre.tokenspice.run(revertNetlist(), { seed: 1 });
      expect(r.ticks).to.equal(4);
      const rows = r.reverts.map((x) => `${x.tick} ${x.agent} ${x.call} ${x.reason}`);
      expect(rows).to.include.members([
        "2 big Testbed.checkedPoke TooLarge(150, 100)",
        "4 big Testbed.checkedPoke TooLarge(150, 100)",
        "3 req Testbed.requirePositive value must be positive",
        "2 div Testbed.divide panic 0x12 (division or modulo by zero)",
        "1 persist Testbed.checkedPoke TooLarge(1000, 100)",
        "1 sim eth_call Testbed.checkedPoke TooLarge(500, 100)",
      ]);
      expect(r.reverts).to.have.length(4 /* persist */ + 2 /* big */ + 1 + 1 + 1);
      // persist pokes every tick despite its revert; big succeeds on odd ticks
      expect(r.kpi("pokes").final()).to.equal(4n + 2n);
      expect(r.kpi("reverts").final()).to.equal(9);
      const mined = r.reverts.filter((x) => x.txHash !== null);
      expect(mined.every((x) => x.gasUsed > 21_000n)).to.equal(true);
    });

    it("counts gas exactly: per-agent totals equal the receipts' gasUsed", async function () {
      const byHash = new Map<string, bigint>();
      const { provider } = await this.hre.tokenspice.environment(); // the chain runs go to (not the tests' own)
      const snapshot = await provider.request({ method: "evm_snapshot" });
      const r = await this.hre.tokenspice.run(revertNetlist(), {
        seed: 1,
        keepChainState: true,
        observer: { onTransaction: (tx) => void byHash.set(tx.hash, tx.gasUsed) },
      });
      let total = 0n;
      for (const [hash, gas] of byHash) {
        const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { gasUsed: string };
        expect(gas, hash).to.equal(BigInt(receipt.gasUsed));
        total += gas;
      }
      expect(Object.values(r.gasUsed).reduce((a, b) => a + b, 0n)).to.equal(total);
      expect(r.transactions.persist).to.equal(8);
      await provider.request({ method: "evm_revert", params: [snapshot] });
    });
  });

  describe("errors that stop the run", () => {
    it("an agent's JavaScript error names netlist, agent, tick and seed, and keeps what was written", async function () {
      const out = tmp();
      const error = await errorOf(() => this.hre.tokenspice.run("pokes", { seed: 9, params: { failAt: 3 }, out, force: true }));
      expect(error).to.be.instanceOf(HardhatPluginError);
      expect(error.message).to.match(/Agent "poker-0" threw \(netlist "pokes", tick 3, seed 9\): boom/);
      expect((error as any).details).to.include({ netlist: "pokes", agent: "poker-0", tick: 3, seed: 9, outDir: out });
      const rows = fs.readFileSync(path.join(out, "kpis.csv"), "utf8").trim().split("\n");
      expect(rows.map((l) => l.split(",")[0])).to.deep.equal(["tick", "0", "1", "2"]);
      const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
      expect(manifest.status).to.equal("failed");
      expect(manifest.error).to.contain("boom");
    });

    it("a KPI that returns neither number nor bigint is named", async function () {
      const { Testbed__factory } = typechain();
      const error = await errorOf(() =>
        this.hre.tokenspice.run(
          defineNetlist({
            description: "bad kpi",
            time: { steps: 2, stepSeconds: 60 },
            async setup({ deploy }) {
              return { world: { t: await deploy(Testbed__factory, 1n) }, agents: [] };
            },
            kpis: { oops: () => "text" as unknown as number },
          }),
          { seed: 2 },
        ),
      );
      expect(error.message).to.match(/KPI "oops" returned the string "text" \(netlist "bad-kpi", tick 0, seed 2\)/);
    });

    it("a netlist file whose default export is not a netlist", async function () {
      const error = await errorOf(() => this.hre.tokenspice.run("not-a-netlist"));
      expect(error).to.be.instanceOf(HardhatPluginError);
      expect(error.message).to.match(/not-a-netlist\.ts does not default-export a netlist .*defineNetlist/);
    });

    it("an unknown netlist lists the known ones", async function () {
      const error = await errorOf(() => this.hre.tokenspice.run("pokez"));
      expect(error.message).to.match(/Unknown netlist "pokez" .*Known netlists: design-fee, design-yield, faults, forked, ishigami, not-a-netlist, odd names, pokes, trades, treasury\./);
    });
  });

  describe("agents, order and sampling", () => {
    const orderNetlist = (order: "declared" | "shuffle", log: string[]) => {
      class Logger extends Agent {
        step() {
          log.push(this.name);
        }
      }
      return defineNetlist({
        description: "order",
        agentOrder: order,
        sampleEvery: 5,
        time: { steps: 12, stepSeconds: 60 },
        async setup({ wallet }) {
          const agents = [];
          for (const n of ["a", "b", "c", "d", "e"]) agents.push(new Logger(await wallet(n)));
          return { world: {}, agents };
        },
        kpis: { t: ({ tick }) => tick },
      });
    };

    it("steps in declared order, or a seeded shuffle that repeats for a seed", async function () {
      const declared: string[] = [];
      await this.hre.tokenspice.run(orderNetlist("declared", declared), { seed: 1 });
      expect(declared.slice(0, 10)).to.deep.equal(["a", "b", "c", "d", "e", "a", "b", "c", "d", "e"]);
      const [s1, s1again, s2]: string[][] = [[], [], []];
      await this.hre.tokenspice.run(orderNetlist("shuffle", s1), { seed: 1 });
      await this.hre.tokenspice.run(orderNetlist("shuffle", s1again), { seed: 1 });
      await this.hre.tokenspice.run(orderNetlist("shuffle", s2), { seed: 2 });
      expect(s1).to.deep.equal(s1again);
      expect(s1).to.not.deep.equal(s2);
      expect([...s1.slice(0, 5)].sort()).to.deep.equal(["a", "b", "c", "d", "e"]);
      const perTick = Array.from({ length: 12 }, (_, t) => s1.slice(5 * t, 5 * t + 5).join(""));
      expect(new Set(perTick).size, "reshuffled each tick").to.be.greaterThan(1);
    });

    it("samples every sampleEvery ticks and always the last", async function () {
      const r = await this.hre.tokenspice.run(orderNetlist("declared", []), { seed: 1 });
      expect(r.kpi("t").ticks).to.deep.equal([0, 5, 10, 12]);
      expect(r.kpi("t").values).to.deep.equal([0, 5, 10, 12]);
      expect(() => r.kpi("nope")).to.throw(/has no KPI "nope"\. Its KPIs: t\./);
    });

    it("rejects reserved KPI names and malformed time", () => {
      const base = { description: "bad", time: { steps: 1, stepSeconds: 1 }, setup: async () => ({ world: {}, agents: [] }) };
      expect(() => defineNetlist({ ...base, kpis: { tick: () => 1 } })).to.throw(/"tick": kpis\.csv already has a "tick" column/);
      expect(() => defineNetlist({ ...base, time: { steps: 0, stepSeconds: 1 }, kpis: {} })).to.throw(/time\.steps must be a positive integer/);
    });

    it("gives wallets fixed addresses, ETH, and real message signatures", async function () {
      const seen: { address: string; eth: bigint; signature: string }[] = [];
      class Signer extends Agent {
        async step() {
          seen.push({ address: this.wallet.address, eth: await this.wallet.ethBalance(), signature: await this.wallet.signer.signMessage("hi") });
        }
      }
      const n = defineNetlist({
        description: "wallets",
        time: { steps: 1, stepSeconds: 60 },
        async setup({ wallet }) {
          return { world: {}, agents: [new Signer(await wallet("alice"))] };
        },
        kpis: {},
      });
      await this.hre.tokenspice.run(n, { seed: 1 });
      await this.hre.tokenspice.run(n, { seed: 2 });
      expect(seen[0].address).to.equal(seen[1].address);
      expect(seen[0].eth).to.equal(10n ** 24n); // config walletEth default: 1,000,000 ETH
      expect(verifyMessage("hi", seen[0].signature)).to.equal(seen[0].address);
    });

    it("prepareCall reads what the contract method reads, with calldata encoded once", async function () {
      const { Testbed__factory } = typechain();
      const reads: bigint[][] = [];
      type W = { testbed: any; read: () => Promise<unknown> };
      class Poker extends Agent<W, any> {
        async step({ world }: StepContext<W, unknown>) {
          await world.testbed.connect(this.wallet.signer).poke();
          reads.push([(await world.read()) as bigint, await world.testbed.pokesBy(this.wallet.address)]);
        }
      }
      await this.hre.tokenspice.run(
        defineNetlist({
          description: "prepared",
          params: { n: param.int({ default: 1 }) },
          time: { steps: 3, stepSeconds: 60 },
          async setup({ deploy, wallet }) {
            const testbed: any = await deploy(Testbed__factory, 1n);
            const poker = await wallet("poker");
            return { world: { testbed, read: prepareCall(testbed, "pokesBy", poker.address) }, agents: [new Poker(poker)] };
          },
          kpis: {},
        }),
        { seed: 1 },
      );
      expect(reads).to.deep.equal([
        [1n, 1n],
        [2n, 2n],
        [3n, 3n],
      ]);
    });
  });

  describe("list", () => {
    it("lists netlists with params and KPIs, and a broken file as broken with its error", async function () {
      const { netlists, broken } = await this.hre.tokenspice.catalog();
      expect(netlists.map((n) => n.name)).to.deep.equal(["design-fee", "design-yield", "faults", "forked", "ishigami", "odd names", "pokes", "trades", "treasury"]);
      expect(netlists.find((n) => n.name === "pokes")!.kpis).to.deep.equal(["pokes", "lastPokeTime", "time"]);
      expect(broken.map((b) => [b.name, b.error.code])).to.deep.equal([["not-a-netlist", "NETLIST_INVALID"]]);
      expect(broken[0].error.message).to.match(/not-a-netlist\.ts does not default-export a netlist/);
    });
  });
});
