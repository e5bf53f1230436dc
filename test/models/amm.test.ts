import { expect } from "chai";
import fc from "fast-check";
import type { InvariantSample, SimResult } from "../../src/api";
import { ROOT, useEnvironment } from "../helpers";

const E18 = 10n ** 18n;

/** The no-arbitrage band's edge as a tracking error: the pool may sit up to a factor 1/γ off. */
const feeBand = (feeBps: number) => 1 / (1 - feeBps / 10_000) - 1;

/**
 * k/S² (reserve product per squared share supply) never falls: swaps only grow k, and adds and
 * removes round in the pool's favour. Compared exactly in bigints against the previous sample,
 * so it holds across LP activity too, where k alone moves both ways.
 */
function kPerShareNeverFalls() {
  let previous: { k: bigint; shares: bigint } | undefined;
  return (s: InvariantSample) => {
    const k = s.kpi<bigint>("reserveVolatile") * s.kpi<bigint>("reserveStable");
    const shares = s.kpi<bigint>("totalShares");
    const holds = s.tick === 0 || previous === undefined || k * previous.shares ** 2n >= previous.k * shares ** 2n;
    previous = { k, shares };
    return holds;
  };
}

describe("amm model (netlist end to end)", function () {
  useEnvironment(ROOT);

  describe("at default params, 30 ticks", () => {
    let r: SimResult;
    before(async function () {
      r = await this.hre.tokenspice.run("amm", { seed: 7, steps: 30 });
    });

    it("conserves both tokens: every holder's balances add up to what setup minted, by hand", () => {
      // founding deposit: 1,000,000 USD of value at 2000 USD/VOL = 250 VOL + 500,000 USD; wallets hold
      // 10× it (1 arbitrageur), 0.2× (each of 2 LPs and 10 noise traders): 13.4 founding deposits in all.
      expect(r.kpi("volatileHeld")).to.stay.within(3_350n * E18, 3_350n * E18);
      expect(r.kpi("stableHeld")).to.stay.within(6_700_000n * E18, 6_700_000n * E18);
    });

    it("starts at the external price with the founding deposit only", () => {
      expect(r.kpi("poolPrice").at(0)).to.equal(2000);
      expect(r.kpi("reserveVolatile").at(0)).to.equal(250n * E18);
      expect(r.kpi("reserveStable").at(0)).to.equal(500_000n * E18);
      expect(r.kpi("lpValueVsHold").at(0)).to.equal(1);
      expect(r.kpi("feesInStable").at(0)).to.equal(0n);
    });

    it("keeps prices positive and the pool within the fee band of the external price after arbitrage", () => {
      expect(r.kpi("poolPrice")).to.never.dropBelow(Number.MIN_VALUE);
      expect(r.kpi("externalPrice")).to.never.dropBelow(Number.MIN_VALUE);
      expect(r.kpi("trackingError")).to.stay.within(0, feeBand(30) + 1e-9);
      expect(r.kpi("externalPrice").std()).to.be.greaterThan(0);
    });

    it("only accumulates fees, never lowers k in a swap, and trades", () => {
      expect(r.kpi("feesInStable")).to.be.nonDecreasing;
      expect(r.kpi("arbProfit")).to.be.nonDecreasing;
      expect(r.kpi("kDecreases")).to.stay.within(0, 0);
      expect(r.kpi("arbTrades").final()).to.be.greaterThan(0);
      expect(r.kpi("noiseTrades").final()).to.be.greaterThan(0);
      expect(r.kpi("feesInStable").final()).to.be.greaterThan(0n);
    });

    it("counts every revert by agent type: the per-type counts add up to the engine's total", () => {
      const byType = r.kpi<number>("arbReverts").final() + r.kpi<number>("noiseReverts").final() + r.kpi<number>("lpReverts").final();
      expect(byType).to.equal(r.kpi("reverts").final());
      expect(byType).to.equal(r.reverts.length);
      for (const revert of r.reverts) expect(revert.reason).to.match(/^InsufficientOutput\(/); // only stale noise quotes revert
    });
  });

  it("with zero fee and only the arbitrageur, the LP position follows the textbook impermanent loss exactly", async function () {
    const r = await this.hre.tokenspice.run("amm", { seed: 3, steps: 40, params: { feeBps: 0, numNoiseTraders: 0, numLPs: 0 } });
    expect(r.kpi("trackingError")).to.stay.within(0, 1e-12);
    expect(r.kpi("feesInStable")).to.end.closeTo(0n, 0n);
    r.kpi<number>("lpValueVsHold").values.forEach((value, i) => expect(value).to.be.closeTo(r.kpi<number>("lpVsHoldNoFees").at(i), 1e-9));
    expect(r.kpi("lpVsHoldNoFees")).to.stay.within(0, 1); // 2√r/(1+r) ≤ 1
    expect(r.kpi("lpVsHoldNoFees").min()).to.be.below(1);
    expect(r.reverts).to.have.length(0);
  });

  it("with zero volatility the external price is S0·e^(μt), and with no arbitrageur the pool ignores it", async function () {
    const r = await this.hre.tokenspice.run("amm", { seed: 1, steps: 20, params: { volatility: 0, drift: 0.5, numArbitrageurs: 0, numNoiseTraders: 0, numLPs: 1 } });
    r.kpi<number>("externalPrice").values.forEach((price, tick) => expect(price).to.be.closeTo(2000 * Math.exp((0.5 * tick) / 365), 1e-9));
    expect(r.kpi("poolPrice")).to.stay.within(2000 * (1 - 1e-12), 2000 * (1 + 1e-12)); // LPs add and remove at the pool's ratio
    expect(r.kpi("arbTrades").final()).to.equal(0);
  });

  it("property: the constant product never decreases across a swap, over fee and volatility (and any other params)", async function () {
    this.timeout(60_000);
    const feeBpsSeen: number[] = [];
    await this.hre.tokenspice.check("amm", {
      params: {
        feeBps: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000 })),
        volatility: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
        // the rest is drawn from the params' full ranges; only the crowd is kept small for speed
        numNoiseTraders: fc.integer({ min: 0, max: 4 }),
        numLPs: fc.integer({ min: 0, max: 2 }),
      },
      invariant: (() => {
        const perShare = kPerShareNeverFalls();
        return (s: InvariantSample) => s.kpi<number>("kDecreases") === 0 && perShare(s);
      })(),
      property: (r) => {
        feeBpsSeen.push(r.params.feeBps as number);
        expect(r.kpi("volatileHeld")).to.stay.within(r.kpi<bigint>("volatileHeld").at(0), r.kpi<bigint>("volatileHeld").at(0));
        expect(r.kpi("stableHeld")).to.stay.within(r.kpi<bigint>("stableHeld").at(0), r.kpi<bigint>("stableHeld").at(0));
        expect(r.kpi("feesInStable")).to.be.nonDecreasing;
        expect(r.kpi("poolPrice")).to.never.dropBelow(Number.MIN_VALUE);
        if ((r.params.numArbitrageurs as number) > 0) expect(r.kpi("trackingError")).to.stay.within(0, feeBand(r.params.feeBps as number) + 1e-9);
      },
      steps: 20,
      runs: 20,
      seed: 4,
    });
    expect(feeBpsSeen).to.have.length(20);
  });
});
