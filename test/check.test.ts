import fs from "fs";
import path from "path";
import { expect } from "chai";
import fc from "fast-check";
import { HardhatPluginError } from "hardhat/plugins";
import { PropertyFailedError } from "../src/api";
import { errorOf, fixture, quietConsoleLog, useEnvironment } from "./helpers";

const belowFloor = (s: { kpi(name: string): unknown }) => (s.kpi("balance") as bigint) >= 5_000n;

describe("tokenspice.check (testbed fixture project)", function () {
  useEnvironment(fixture("testbed"));
  quietConsoleLog();

  describe("on a flaw that appears from a known param value on (the floor check of FlawedTreasury)", () => {
    let failure: PropertyFailedError;
    before(async function () {
      const error = await errorOf(() =>
        this.hre.tokenspice.check("treasury", {
          params: { withdrawPerTick: fc.integer({ min: 0, max: 2000 }) },
          invariant: belowFloor,
          steps: 10,
          runs: 50,
          seed: 42,
        }),
      );
      expect(error).to.be.instanceOf(PropertyFailedError);
      failure = error as PropertyFailedError;
    });

    it("shrinks the param to exactly the threshold, and names the tick", () => {
      expect(failure.params.withdrawPerTick).to.equal(501);
      expect(failure.failure.kind).to.equal("invariant");
      expect(failure.failure.tick).to.equal(10);
      expect(failure.failure.kpis.balance).to.equal(10_000n - 10n * 501n);
      expect(failure.simSeed).to.equal(0); // the flaw does not depend on the seed, so the seed shrinks to 0
      expect(failure.shrinks).to.be.greaterThan(0);
    });

    it("reports everything needed to understand and reproduce it", () => {
      const m = failure.message;
      expect(m).to.match(/^Netlist "treasury": invariant broke at tick 10: the invariant returned false/);
      expect(m).to.contain("params withdrawPerTick=501, noise=");
      expect(m).to.match(/seed 0, steps 10/);
      expect(m).to.match(/KPIs +at tick 10: balance=4990, floor=5000/);
      expect(m).to.match(/found after \d+ runs? and \d+ shrinks/);
      expect(m).to.contain(`reproduce   npx hardhat sim treasury --seed 0 --steps 10 --params withdrawPerTick=501,noise=`);
      expect(m).to.contain(`replay: { seed: 42, path: ${JSON.stringify(failure.replay.path)} }`);
    });

    it("writes the failing run's kpis.csv and manifest, up to the breaking tick", () => {
      const rows = fs.readFileSync(path.join(failure.folder, "kpis.csv"), "utf8").trim().split("\n");
      expect(rows.at(-1)!.split(",")[0]).to.equal("10");
      expect(rows.at(-1)!.split(",")[2]).to.equal("4990");
      const manifest = JSON.parse(fs.readFileSync(path.join(failure.folder, "manifest.json"), "utf8"));
      expect(manifest.command).to.equal(failure.command);
    });

    it("writes the failing run's report beside its files, and says so", () => {
      expect(failure.message).to.contain(`files       ${failure.folder} (kpis.csv, manifest.json, report.html)`);
      const html = fs.readFileSync(path.join(failure.folder, "report.html"), "utf8");
      expect(html).to.contain(failure.command);
      expect(fs.readdirSync(path.join(failure.folder, "plots")).sort()).to.deep.equal(["balance.png", "balance.svg", "floor.png", "floor.svg"]);
    });

    it("the reproduce command reproduces the failing run", async function () {
      const out = path.join(failure.folder, "reproduced");
      const [, seed, steps, params] = failure.command.match(/^npx hardhat sim treasury --seed (\d+) --steps (\d+) --params (\S+)$/)!;
      await this.hre.run("sim", { netlist: "treasury", seed: Number(seed), steps: Number(steps), params, out, quiet: true, noCompile: true });
      const csv = (dir: string) => fs.readFileSync(path.join(dir, "kpis.csv"), "utf8");
      expect(csv(out)).to.equal(csv(failure.folder));
    });

    it("the replay values replay exactly that counterexample", async function () {
      const replayed = (await errorOf(() =>
        this.hre.tokenspice.check("treasury", {
          params: { withdrawPerTick: fc.integer({ min: 0, max: 2000 }) },
          invariant: belowFloor,
          steps: 10,
          replay: failure.replay,
        }),
      )) as PropertyFailedError;
      expect(replayed).to.be.instanceOf(PropertyFailedError);
      expect([replayed.params, replayed.simSeed, replayed.steps]).to.deep.equal([failure.params, failure.simSeed, failure.steps]);
      expect(replayed.shrinks).to.equal(0);
    });
  });

  it("with shrinkSteps, reports exactly the tick the flaw first shows at", async function () {
    const error = (await errorOf(() =>
      this.hre.tokenspice.check("treasury", {
        params: { withdrawPerTick: 1000 },
        property: (r) => r.kpi<bigint>("balance").min() >= 5_000n,
        steps: 40,
        shrinkSteps: true,
        runs: 3,
        seed: 7,
      }),
    )) as PropertyFailedError;
    expect(error).to.be.instanceOf(PropertyFailedError);
    expect(error.steps).to.equal(6);
    expect(error.failure.kind).to.equal("property");
    expect(error.message).to.match(/property failed: the property returned false/);
  });

  it("a property fails by throwing too (chai), and the report carries the assertion's message", async function () {
    const error = (await errorOf(() =>
      this.hre.tokenspice.check("treasury", {
        params: { withdrawPerTick: fc.integer({ min: 0, max: 2000 }) },
        property: (r) => expect(r.kpi("balance")).to.never.dropBelow(5_000n),
        steps: 10,
        runs: 30,
        seed: 11,
      }),
    )) as PropertyFailedError;
    expect(error).to.be.instanceOf(PropertyFailedError);
    expect(error.params.withdrawPerTick).to.equal(501);
    expect(error.message).to.match(/property failed: expected KPI balance never to drop below 5000, but at tick 10 it was 4990/);
    expect(error.message).to.match(/KPIs +at the end: balance=4990, floor=5000/);
  });

  it("a property may run the netlist again (a counterfactual) without deadlocking", async function () {
    const summary = await this.hre.tokenspice.check("treasury", {
      params: { withdrawPerTick: fc.integer({ min: 0, max: 400 }) },
      property: async (r) => {
        const doubled = await this.hre.tokenspice.run("treasury", { seed: r.seed, steps: r.steps, params: { ...r.params, withdrawPerTick: 2 * (r.params.withdrawPerTick as number) } });
        expect(doubled.kpi<bigint>("balance").final() <= r.kpi<bigint>("balance").final(), "withdrawing more leaves no more").to.equal(true);
      },
      steps: 5,
      runs: 4,
      seed: 8,
    });
    expect(summary.runs).to.equal(4);
  });

  it("takes its fast-check seed from config when none is given", async function () {
    this.hre.config.tokenspice.checkSeed = 99;
    try {
      const summary = await this.hre.tokenspice.check("treasury", { params: { withdrawPerTick: 0 }, invariant: belowFloor, runs: 2 });
      expect(summary.seed).to.equal(99);
      expect(summary.runs).to.equal(2);
    } finally {
      this.hre.config.tokenspice.checkSeed = undefined;
    }
  });

  it("resolves with a summary when the property holds", async function () {
    const summary = await this.hre.tokenspice.check("treasury", {
      params: { withdrawPerTick: fc.integer({ min: 0, max: 500 }) },
      invariant: belowFloor,
      property: (r) => {
        expect(r.kpi("floor").final()).to.equal(5_000n);
      },
      steps: 10,
      runs: 8,
      seed: 1,
    });
    expect(summary).to.deep.equal({ netlist: "treasury", seed: 1, runs: 8, interrupted: false });
  });

  it("timeLimitMs stops the search, and says so", async function () {
    const lines: string[] = [];
    console.log = (line: string) => void lines.push(line);
    const summary = await this.hre.tokenspice.check("treasury", { params: { withdrawPerTick: 0 }, invariant: belowFloor, runs: 10_000, timeLimitMs: 400, seed: 3 });
    expect(summary.interrupted).to.equal(true);
    expect(summary.runs).to.be.within(1, 9_999);
    expect(lines.join("\n")).to.match(/the time limit stopped the search after \d+ of 10000 runs; no failure found/);
    // the simulation the time limit cut off finished before check() returned: the chain is free
    const after = await this.hre.tokenspice.run("treasury", { seed: 1, steps: 6, params: { withdrawPerTick: 1000 } });
    expect(after.kpi("balance").values).to.deep.equal([10_000n, 9_000n, 8_000n, 7_000n, 6_000n, 5_000n, 4_000n]);
  });

  it("prints the fast-check seed it chose, and the same seed repeats the search", async function () {
    const lines: string[] = [];
    console.log = (line: string) => void lines.push(line);
    const opts = { params: { withdrawPerTick: fc.integer({ min: 0, max: 2000 }) }, invariant: belowFloor, steps: 10, runs: 30 };
    const first = (await errorOf(() => this.hre.tokenspice.check("treasury", opts))) as PropertyFailedError;
    const chosen = Number(lines.join("\n").match(/fast-check seed (-?\d+) \(TOKENSPICE_SEED=/)?.[1]);
    expect(first.replay.seed).to.equal(chosen);
    process.env.TOKENSPICE_SEED = String(chosen);
    try {
      const again = (await errorOf(() => this.hre.tokenspice.check("treasury", opts))) as PropertyFailedError;
      expect(again.replay).to.deep.equal(first.replay);
    } finally {
      delete process.env.TOKENSPICE_SEED;
    }
  });

  it("treats an agent's JavaScript error as a failure to shrink", async function () {
    const error = (await errorOf(() =>
      this.hre.tokenspice.check("pokes", { params: { failAt: fc.integer({ min: 0, max: 5 }) }, property: () => true, steps: 5, runs: 40, seed: 5 }),
    )) as PropertyFailedError;
    expect(error).to.be.instanceOf(PropertyFailedError);
    expect(error.failure.kind).to.equal("error");
    expect(error.params.failAt).to.equal(1);
    expect(error.message).to.match(/the simulation failed: .*Agent "poker-0" threw \(netlist "pokes", tick 1, seed 0\): boom/);
  });

  describe("bad options", () => {
    it("an unknown param", async function () {
      const error = await errorOf(() => this.hre.tokenspice.check("treasury", { params: { withdraw: 3 }, invariant: belowFloor }));
      expect(error).to.be.instanceOf(HardhatPluginError);
      expect(error.message).to.match(/check\("treasury"\): unknown param "withdraw"\. Known params: withdrawPerTick \(int in \[0, 2000\]\)/);
    });

    it("an arbitrary that draws outside the param's range", async function () {
      const error = await errorOf(() => this.hre.tokenspice.check("treasury", { params: { withdrawPerTick: fc.integer({ min: 2500, max: 3000 }) }, invariant: belowFloor, runs: 3 }));
      expect(error).to.be.instanceOf(HardhatPluginError);
      expect(error.message).to.match(/Param "withdrawPerTick" of netlist "treasury": \d+ is out of range\. Valid: int in \[0, 2000\]/);
    });

    it("neither property nor invariant", async function () {
      const error = await errorOf(() => this.hre.tokenspice.check("treasury", {}));
      expect(error.message).to.match(/give a property, an invariant, or both/);
    });
  });
});
