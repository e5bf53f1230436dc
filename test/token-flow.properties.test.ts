import { expect } from "chai";
import fc from "fast-check";
import { ROOT, useEnvironment } from "./helpers";

const TOKEN = 10n ** 18n;

// Properties of the shipped token-flow netlist, as a contract developer would write them in their
// own test suite: they hold for any params in these ranges and any seed.
describe("token-flow tokenomics (property checks)", function () {
  useEnvironment(ROOT);

  it("conserves tokens and never emits past the schedule's total", async function () {
    await this.hre.tokenspice.check("token-flow", {
      params: {
        holders: fc.integer({ min: 1, max: 6 }),
        totalEmission: fc.integer({ min: 1, max: 1_000_000 }),
        halfLifeDays: fc.integer({ min: 1, max: 60 }),
        emitEveryDays: fc.integer({ min: 1, max: 7 }),
      },
      // at every tick: supply = emitted − burned, and emitted never exceeds the total
      invariant: (s) => s.kpi<bigint>("totalSupply") === s.kpi<bigint>("emitted") - s.kpi<bigint>("burned") && s.kpi<bigint>("emitted") <= 1_000_000n * TOKEN,
      property: (r) => {
        expect(r.kpi("emitted")).to.be.nonDecreasing;
        expect(r.kpi("burned")).to.be.nonDecreasing;
        expect(r.kpi("giniOfBalances")).to.stay.within(0, 1);
        expect(r.kpi("holdersWithBalance")).to.never.riseAbove(r.params.holders as number);
      },
      steps: 20,
      runs: 8,
      seed: 2026,
    });
  });

  it("emits on schedule: half of the total after one half-life, whatever the holders do", async function () {
    const summary = await this.hre.tokenspice.check("token-flow", {
      params: { holders: fc.integer({ min: 1, max: 4 }), halfLifeDays: 10, totalEmission: 1_000, emitEveryDays: 1 },
      property: (r) => {
        // after tick 10 (one half-life) the minter has emitted exactly half
        expect(r.kpi<bigint>("emitted").at(10)).to.equal(500n * TOKEN);
        expect(r.kpi("emitted")).to.end.closeTo(750n * TOKEN, 0n); // two half-lives: three quarters
      },
      steps: 20,
      runs: 4,
      seed: 7,
    });
    expect(summary.runs).to.equal(4);
  });
});
