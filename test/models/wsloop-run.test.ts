import { expect } from "chai";
import fc from "fast-check";
import { RampedExp, type SimResult } from "../../src/api";
import { INITIAL_OCEAN_SUPPLY, OCEAN_TO_MINT } from "../../sims/wsloop/params";
import { mintSchedule, mintedBy } from "../../sims/wsloop/schedule";
import { DAY, STEP_SECONDS, YEAR } from "../../sims/wsloop/time";
import { ROOT, useEnvironment } from "../helpers";
import * as Def from "../schedules/tokenspice-definition";

const F = (x: number) => 1 - Math.pow(0.5, x / 4); // TokenSPICE's base curve, H = 4 years
const tokensOf = (wei: bigint) => Number(wei) / 1e18;

/** Every sample: supply = initial + minted - burned, from three independent on-chain counters. */
function expectSupplyConserved(r: SimResult): void {
  const supply = r.kpi<bigint>("oceanSupply").values;
  const minted = r.kpi<bigint>("oceanMinted").values;
  const burned = r.kpi<bigint>("oceanBurned").values;
  supply.forEach((s, i) => expect(s, `tick ${r.kpi("oceanSupply").ticks[i]}`).to.equal(INITIAL_OCEAN_SUPPLY + minted[i] - burned[i]));
}

/** Every sample: minted = the schedule at the tick's time (whole days), computed independently of the chain. */
function expectMintedOnSchedule(r: SimResult, halfLifeYears: number): void {
  const curve = RampedExp.curve(mintSchedule(halfLifeYears));
  const minted = r.kpi<bigint>("oceanMinted");
  minted.values.forEach((m, i) => {
    const tick = minted.ticks[i];
    expect(m, `tick ${tick}`).to.equal(mintedBy(OCEAN_TO_MINT, curve, tick * STEP_SECONDS, DAY));
  });
}

describe("wsloop: simulation", function () {
  useEnvironment(ROOT);

  describe("an end-to-end run at the defaults (3 years and a month)", () => {
    let r: SimResult;
    const rampEndTick = (3 * YEAR) / STEP_SECONDS; // 219
    before(async function () {
      r = await this.hre.tokenspice.run("wsloop", { seed: 11, steps: rampEndTick + 6 });
    });

    it("conserves OCEAN: supply = initial + minted - burned at every tick", () => {
      expectSupplyConserved(r);
      expect(r.kpi("oceanSupply").at(0)).to.equal(INITIAL_OCEAN_SUPPLY);
    });

    it("mints on the ramped schedule: nothing before half a year, then the amounts worked out by hand", () => {
      const minted = r.kpi<bigint>("oceanMinted");
      expect(minted.at(36)).to.equal(0n); // day 180 < T0 = 182.5 days
      expect(minted.at(37)).to.be.greaterThan(0n);
      // Year 1 (tick 73) is T1: M1 x F(T1 - T0) = 0.1 x (1 - 0.5^(0.5/4)) of the 719.1M OCEAN to mint
      expect(tokensOf(minted.at(73))).to.be.closeTo(719.1e6 * 0.1 * F(0.5), 1e-6);
      // Year 3 (tick 219) is the ramp's end: G3 = 0.1 F(0.5) + 0.25 (F(0.9) - F(0.5)) + 0.5 (F(2.5) - F(0.9))
      const g3 = 0.1 * F(0.5) + 0.25 * (F(0.9) - F(0.5)) + 0.5 * (F(2.5) - F(0.9));
      expect(tokensOf(minted.at(rampEndTick))).to.be.closeTo(719.1e6 * g3, 1e-6);
      // and at every tick, exactly the library's schedule, within its error bound of TokenSPICE's exact formula
      expectMintedOnSchedule(r, 4);
      const s = mintSchedule(4);
      const definition = { H: s.halfLife, T0: s.t0, T1: s.t1, T2: s.t2, T3: s.t3, M1: s.m1, M2: s.m2, M3: s.m3 };
      const slack = (OCEAN_TO_MINT * RampedExp.MAX_ERROR_WEI) / RampedExp.WAD + 1n; // 8 wei of 1e18 of the budget, and the final rounding
      minted.values.forEach((m, i) => {
        const exact = (OCEAN_TO_MINT * Def.g(definition, BigInt(minted.ticks[i] * STEP_SECONDS))) / Def.ONE;
        const gap = m > exact ? m - exact : exact - m;
        expect(gap <= slack, `tick ${minted.ticks[i]}: minted ${m}, exact ${exact}`).to.equal(true);
      });
      expect(r.kpi("oceanMinted")).to.be.nonDecreasing;
    });

    it("routes revenue on chain: burns with 5% of it and keeps the rest in the treasury until granted", () => {
      expect(r.kpi("revenueRouted")).to.be.nonDecreasing;
      expect(r.kpi("oceanBurned")).to.be.nonDecreasing;
      expect(r.kpi<bigint>("oceanBurned").final()).to.be.greaterThan(0n);
      const routed = r.kpi<bigint>("revenueRouted").final();
      const spent = r.kpi<bigint>("buybackUsd").final();
      // The buyback spent (almost) all of its 5% share: what it got at most, and all but the last tick's at least.
      expect(spent).to.be.at.most((routed * 5n) / 100n);
      expect(spent).to.be.at.least((routed * 49n) / 1000n);
      expect(r.kpi("treasuryUsd")).to.never.riseAbove(routed);
    });

    it("grows the marketplaces on R&D: the grants take the growth rate to its ceiling", () => {
      expect(r.kpi("rndPerMonth")).to.riseAbove(1e6); // foundation grants: millions of USD a month
      expect(r.kpi<number>("marketsGrowthRate").final()).to.be.closeTo(0.415, 0.01);
      expect(r.kpi<number>("marketplaces").final()).to.be.greaterThan(2); // ~1.415^3 after three years near the ceiling
      expect(r.kpi("oceanPrice")).to.stay.within(0.1, 10);
      expect(r.kpi("valuation")).to.never.dropBelow(150e6);
      expect(r.kpi("reverts")).to.end.equal(0);
    });
  });

  it("property: for any burn share, growth params and team count, OCEAN is conserved, minted on schedule, burned monotonically, and the treasury never holds more than its share", async function () {
    const summary = await this.hre.tokenspice.check("wsloop", {
      params: {
        burnShare: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
        grantShare: fc.double({ min: 0, max: 1, noNaN: true }),
        maxGrowth: fc.double({ min: 0, max: 1, noNaN: true }),
        growthIfNoRnd: fc.double({ min: -0.9, max: 0, noNaN: true }),
        rndTau: fc.double({ min: 0.01, max: 10, noNaN: true }),
        salesVolatility: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
        initialMarketplaces: fc.integer({ min: 1, max: 5 }),
        grantTakers: fc.integer({ min: 1, max: 3 }),
      },
      invariant: (s) => {
        const burned = s.kpi<bigint>("oceanBurned");
        const routed = s.kpi<bigint>("revenueRouted");
        return (
          s.kpi<bigint>("oceanSupply") === INITIAL_OCEAN_SUPPLY + s.kpi<bigint>("oceanMinted") - burned &&
          s.kpi<bigint>("treasuryUsd") >= 0n &&
          s.kpi<bigint>("treasuryOcean") >= 0n &&
          // treasury USD comes only from the router's treasury side, the buyback's only from its burn side
          s.kpi<bigint>("treasuryUsd") + s.kpi<bigint>("buybackUsd") <= routed &&
          s.kpi<number>("oceanPrice") > 0
        );
      },
      property: (r) => {
        expect(r.kpi("oceanBurned")).to.be.nonDecreasing;
        expect(r.kpi("oceanMinted")).to.be.nonDecreasing;
        expectMintedOnSchedule(r, r.params.halfLifeYears as number);
        if (r.params.burnShare === 0) expect(r.kpi("oceanBurned")).to.end.equal(0n);
        if (r.params.burnShare === 1) expect(r.kpi("treasuryUsd")).to.end.equal(0n);
        expect(r.kpi("reverts")).to.end.equal(0);
      },
      steps: 45, // past T0 (tick 37), so minting has begun
      runs: 8,
      seed: 4,
    });
    expect(summary.runs).to.equal(8);
  });
});
