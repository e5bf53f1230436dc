import { expect } from "chai";
import type { Signer } from "ethers";
import { RampedExp, createRng } from "../../src/api";
import { annualGrowthRate, consumeSalesInTick, growMarket, growthPerTick, networkRevenue, periodGrowth, rndToRevenueRatio, salesShock, sumLast, type MarketRules } from "../../sims/wsloop/market";
import { mintSchedule, mintedBy, TOKENSPICE_RAMP } from "../../sims/wsloop/schedule";
import { DAY, MONTH, STEP_SECONDS, TICKS_PER_MONTH, TICKS_PER_YEAR, YEAR } from "../../sims/wsloop/time";
import { fundamentalValuation, growSpeculation, oceanPrice, overallValuation } from "../../sims/wsloop/valuation";
import { shareToWad, tokens, usdToWei } from "../../sims/wsloop/units";
import { ROOT, useEnvironment } from "../helpers";

const WAD = 10n ** 18n;
const TOKEN = 10n ** 18n;
/** TokenSPICE's wsloop SimStrategy numbers. */
const TOKENSPICE_RULES: MarketRules = { consumeFee: 0.03, swapFee: 0.001, swapToConsumeRatio: 100, growthIfNoRnd: -0.118, maxGrowth: 0.415, rndTau: 0.6 };
/** F(x) = 1 - 0.5^(x/4), TokenSPICE's base curve with H = 4 years. */
const F = (x: number) => 1 - Math.pow(0.5, x / 4);
/** The ramp's end, G3 = g(T3), worked out from the docstring's equations with T0..T3 = 0.5, 1, 1.4, 3 years. */
const G3_BY_HAND = 0.1 * F(0.5) + 0.25 * (F(0.9) - F(0.5)) + 0.5 * (F(2.5) - F(0.9));
const asFraction = (wad: bigint) => Number(wad) / 1e18;

describe("wsloop: pure TypeScript logic", () => {
  describe("market growth (TokenSPICE MarketplacesAgent / SimStrategy)", () => {
    it("takes 3% of consume sales plus 0.1% of 100x that in swaps: 13% of consume sales", () => {
      expect(networkRevenue(1000, TOKENSPICE_RULES)).to.be.closeTo(130, 1e-9);
      expect(networkRevenue(1000, { ...TOKENSPICE_RULES, consumeFee: 0, swapFee: 0 })).to.equal(0);
    });

    it("grows from -11.8% with no R&D towards 41.5%, half the way at ratio tau and three quarters at 2 tau", () => {
      expect(annualGrowthRate(0, TOKENSPICE_RULES)).to.be.closeTo(-0.118, 1e-12);
      expect(annualGrowthRate(0.6, TOKENSPICE_RULES)).to.be.closeTo((-0.118 + 0.415) / 2, 1e-12);
      expect(annualGrowthRate(1.2, TOKENSPICE_RULES)).to.be.closeTo(-0.118 + 0.75 * 0.533, 1e-12);
      expect(annualGrowthRate(Infinity, TOKENSPICE_RULES)).to.be.closeTo(0.415, 1e-12);
      const rates = [0, 0.1, 0.5, 1, 5, 50].map((r) => annualGrowthRate(r, TOKENSPICE_RULES));
      for (let i = 1; i < rates.length; i++) expect(rates[i]).to.be.greaterThan(rates[i - 1]);
    });

    it("compounds the per-tick rate to the annual one over a year of ticks", () => {
      for (const g of [-0.118, 0, 0.2, 0.415, 1]) {
        expect(Math.pow(1 + growthPerTick(g, TICKS_PER_YEAR), TICKS_PER_YEAR)).to.be.closeTo(1 + g, 1e-12);
      }
    });

    it("over a year at a fixed rate, grows marketplaces by (1+g) and their sales by (1+g)^2", () => {
      let state = { marketplaces: 1, salesPerMarketplace: 20_000 };
      const before = consumeSalesInTick(state, STEP_SECONDS);
      for (let t = 0; t < TICKS_PER_YEAR; t++) state = growMarket(state, 0.415, TICKS_PER_YEAR);
      expect(state.marketplaces).to.be.closeTo(1.415, 1e-9);
      expect(state.salesPerMarketplace).to.be.closeTo(20_000 * 1.415, 1e-6);
      expect(consumeSalesInTick(state, STEP_SECONDS) / before).to.be.closeTo(1.415 ** 2, 1e-9);
    });

    it("sells a month's sales per marketplace in 6 ticks of 5 days", () => {
      expect([TICKS_PER_MONTH, TICKS_PER_YEAR]).to.deep.equal([6, 73]);
      expect(consumeSalesInTick({ marketplaces: 3, salesPerMarketplace: 20_000 }, STEP_SECONDS) * TICKS_PER_MONTH).to.be.closeTo(60_000, 1e-9);
    });

    it("relates R&D to revenue: 0 without R&D, unbounded without revenue", () => {
      expect(rndToRevenueRatio(0, 100)).to.equal(0);
      expect(rndToRevenueRatio(0, 0)).to.equal(0);
      expect(rndToRevenueRatio(50, 100)).to.equal(0.5);
      expect(rndToRevenueRatio(50, 0)).to.equal(Infinity);
    });

    it("shocks sales by a mean-one lognormal, exactly 1 at zero volatility", () => {
      expect(salesShock(1.7, 0, 5 / 365)).to.equal(1);
      const rng = createRng("wsloop-shock");
      let sum = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) sum += salesShock(rng.normal(0, 1), 0.8, 1);
      expect(sum / n).to.be.closeTo(1, 0.03);
    });

    it("sums windows and compares a window with the one before", () => {
      expect(sumLast([1, 2, 3, 4], 2)).to.equal(7);
      expect(sumLast([1, 2], 6)).to.equal(3);
      expect(periodGrowth([1, 1, 1], 2)).to.equal(0); // not two windows yet
      expect(periodGrowth([1, 1, 2, 4], 2)).to.equal(2); // (2+4)/(1+1) - 1
      expect(periodGrowth([0, 0, 2, 4], 2)).to.equal(0); // nothing to compare with
    });
  });

  describe("valuation (TokenSPICE SimState)", () => {
    it("is the larger of P/S x annual revenue and the speculative valuation; price = valuation / supply", () => {
      expect(fundamentalValuation(2e6, 30)).to.equal(60e6);
      expect(overallValuation(60e6, 150e6)).to.equal(150e6);
      expect(overallValuation(600e6, 150e6)).to.equal(600e6);
      expect(oceanPrice(150e6, 690.9e6)).to.be.closeTo(0.2171, 1e-4);
      expect(oceanPrice(150e6, 0)).to.equal(0);
    });

    it("drifts the speculative valuation 10% a year, per tick", () => {
      let v = 150e6;
      for (let t = 0; t < TICKS_PER_YEAR; t++) v = growSpeculation(v, 0.1, STEP_SECONDS);
      expect(v / 150e6).to.be.closeTo(Math.pow(1 + 0.1 / TICKS_PER_YEAR, TICKS_PER_YEAR), 1e-12);
    });
  });

  describe("the mint schedule (TokenSPICE RampedExpFunc with wsloop's settings, from the RampedExp library)", () => {
    const curve = RampedExp.curve(mintSchedule(4));
    const at = (years: number) => asFraction(RampedExp.fraction(curve, BigInt(Math.round(years * YEAR))));

    it("is TokenSPICE's wsloop ramp in seconds and 1e18 multipliers", () => {
      expect(TOKENSPICE_RAMP).to.deep.equal({ H: 4, T0: 0.5, T1: 1.0, T2: 1.4, T3: 3.0, M1: 0.1, M2: 0.25, M3: 0.5 });
      expect(mintSchedule(4)).to.deep.equal({
        halfLife: BigInt(4 * YEAR),
        t0: BigInt(YEAR / 2),
        t1: BigInt(YEAR),
        t2: BigInt(Math.round(1.4 * YEAR)),
        t3: BigInt(3 * YEAR),
        m1: WAD / 10n,
        m2: WAD / 4n,
        m3: WAD / 2n,
      });
      expect(mintSchedule(0.5).halfLife).to.equal(BigInt(YEAR / 2));
    });

    it("is 0 before T0, G3 at the ramp's end, (1+G3)/2 one half-life later, and all of it 34 half-lives after the ramp", () => {
      expect(G3_BY_HAND).to.be.closeTo(0.12724, 1e-5);
      expect(at(0.49)).to.equal(0);
      expect(at(1)).to.be.closeTo(0.1 * F(0.5), 1e-15);
      expect(at(3)).to.be.closeTo(G3_BY_HAND, 1e-15);
      expect(at(7)).to.be.closeTo((1 + G3_BY_HAND) / 2, 1e-15);
      expect(curve.end).to.equal(BigInt(139 * YEAR)); // T3 + 34 H = 3 + 136 years
      expect(RampedExp.fraction(curve, curve.end - 1n) < WAD).to.equal(true);
      expect(RampedExp.fraction(curve, curve.end)).to.equal(WAD);
    });

    it("mints at whole days: what is minted by any second is the budget times g at the day's start", () => {
      const total = 719_100_000n * TOKEN;
      expect(mintedBy(total, curve, 0, DAY)).to.equal(0n);
      expect(mintedBy(total, curve, 3 * YEAR + DAY - 1, DAY)).to.equal((total * curve.g3) / WAD);
      expect(mintedBy(total, curve, 3 * YEAR + DAY, DAY) > (total * curve.g3) / WAD).to.equal(true);
      expect(tokens(mintedBy(total, curve, 3 * YEAR, DAY))).to.be.closeTo(719.1e6 * G3_BY_HAND, 1e-6); // 91.5M, the README's year 3
    });
  });

  it("converts USD to wei at micro-dollar precision and shares to 1e18 fractions", () => {
    expect(usdToWei(1.5)).to.equal(1_500_000_000_000_000_000n);
    expect(usdToWei(0)).to.equal(0n);
    expect(usdToWei(1e9)).to.equal(10n ** 27n);
    expect(Number(usdToWei(1e30)) / 1e48).to.be.closeTo(1, 1e-15); // a float's precision, far beyond a wei's worth
    expect(shareToWad(0.05)).to.equal(5n * 10n ** 16n);
    expect(shareToWad(1)).to.equal(WAD);
  });
});

describe("wsloop: contracts", function () {
  useEnvironment(ROOT);
  let snapshot: string;
  let signers: Signer[];
  let addresses: string[];
  beforeEach(async function () {
    snapshot = (await this.hre.network.provider.request({ method: "evm_snapshot" })) as string;
    signers = await this.hre.ethers.getSigners();
    addresses = await Promise.all(signers.map((s) => s.getAddress()));
  });
  afterEach(async function () {
    await this.hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
  });
  const deploy = async (hre: any, name: string, ...args: unknown[]) => {
    const c = await (await hre.ethers.getContractFactory(name)).deploy(...args);
    await c.waitForDeployment();
    return c;
  };
  const latestTime = async (hre: any) => Number((await hre.ethers.provider.getBlock("latest")).timestamp);
  const advance = async (hre: any, seconds: number) => {
    await hre.network.provider.request({ method: "evm_increaseTime", params: [seconds] });
    await hre.network.provider.request({ method: "evm_mine" });
  };

  describe("WsRouter: the revenue split", () => {
    const routeWith = async (hre: any, burnShare: bigint, amount: bigint) => {
      const usd = await deploy(hre, "WsUsd", [addresses[0]]);
      const router = await deploy(hre, "WsRouter", usd.target, addresses[1], addresses[2], burnShare);
      await usd.mint(router.target, amount);
      await router.route();
      return { burner: await usd.balanceOf(addresses[1]), treasury: await usd.balanceOf(addresses[2]), left: await usd.balanceOf(router.target), router };
    };

    it("sends exactly the burn share to buy-and-burn (rounded down) and the rest to the treasury", async function () {
      // 5% of 1,000,003 wei is 50,000.15: the burner gets 50,000 and the treasury 950,003
      const r = await routeWith(this.hre, 5n * 10n ** 16n, 1_000_003n);
      expect([r.burner, r.treasury, r.left]).to.deep.equal([50_000n, 950_003n, 0n]);
      expect(await r.router.routed()).to.deep.equal([50_000n, 950_003n]);
    });

    it("at burn share 0 sends all to the treasury, at 1 all to the burner", async function () {
      const none = await routeWith(this.hre, 0n, 777n * TOKEN);
      expect([none.burner, none.treasury]).to.deep.equal([0n, 777n * TOKEN]);
      const all = await routeWith(this.hre, WAD, 777n * TOKEN);
      expect([all.burner, all.treasury]).to.deep.equal([777n * TOKEN, 0n]);
    });

    it("splits any amount without losing a wei, and refuses a share above 1", async function () {
      const usd = await deploy(this.hre, "WsUsd", [addresses[0]]);
      const router = await deploy(this.hre, "WsRouter", usd.target, addresses[1], addresses[2], 333_333_333_333_333_333n);
      for (const amount of [1n, 2n, 3n, 10n ** 30n + 7n, 2n ** 200n]) {
        const [toBurn, toTreasury] = await router.split(amount);
        expect(toBurn + toTreasury).to.equal(amount);
        expect(toBurn).to.equal((amount * 333_333_333_333_333_333n) / WAD);
      }
      const factory = await this.hre.ethers.getContractFactory("WsRouter");
      await expect(factory.deploy(usd.target, addresses[1], addresses[2], WAD + 1n)).to.be.revertedWithCustomError(router, "ShareAboveOne");
    });

    it("does nothing with nothing to route", async function () {
      const r = await routeWith(this.hre, 5n * 10n ** 16n, 0n);
      expect([r.burner, r.treasury]).to.deep.equal([0n, 0n]);
    });
  });

  describe("WsRampedMinter: the ramped exponential schedule on chain", () => {
    const total = 719_100_000n * TOKEN;
    const s = mintSchedule(4);
    const c = RampedExp.curve(s);
    const deployMinter = async (hre: any, start: number) => {
      const ocean = await deploy(hre, "WsOcean", addresses[0], 1000n * TOKEN);
      const minter = await deploy(hre, "WsRampedMinter", ocean.target, addresses[3], total, start, DAY, s);
      await ocean.setMinter(minter.target);
      return { ocean, minter };
    };

    it("at the ramp's end (3 years) has released G3 and one half-life later (7 years) (1+G3)/2, as worked out by hand", async function () {
      const { minter } = await deployMinter(this.hre, 0);
      const atRampEnd = asFraction(await minter.fractionAt(3 * YEAR));
      const halfLifeLater = asFraction(await minter.fractionAt(7 * YEAR));
      expect(atRampEnd).to.be.closeTo(G3_BY_HAND, 1e-15);
      expect(halfLifeLater).to.be.closeTo((1 + G3_BY_HAND) / 2, 1e-15);
      expect(await minter.fractionAt(YEAR / 2 - 1)).to.equal(0n); // nothing before T0
      expect(asFraction(await minter.fractionAt(YEAR))).to.be.closeTo(0.1 * F(0.5), 1e-15); // T1: M1 x F(T1 - T0)
      expect((await minter.fractionAt(139 * YEAR - 1)) < WAD).to.equal(true);
      expect(await minter.fractionAt(139 * YEAR)).to.equal(WAD); // 34 half-lives after the ramp: everything
    });

    it("computes exactly what the library's TypeScript reference computes, at breakpoints, the end and random times", async function () {
      const { minter } = await deployMinter(this.hre, 0);
      const rng = createRng("wsloop-minter");
      const times = [0, s.t0, s.t0 + 1n, s.t1 - 1n, s.t1, s.t2, s.t3 - 1n, s.t3, s.t3 + s.halfLife, c.end - 1n, c.end].map(Number);
      for (let i = 0; i < 40; i++) times.push(rng.int(0, 150 * YEAR));
      for (const t of times) expect(await minter.fractionAt(t), `t=${t}`).to.equal(RampedExp.fraction(c, BigInt(t)));
    });

    it("mints the schedule at whole days since the start to the recipient, once", async function () {
      // Started 3 years and a bit ago, so the ramp is over (without moving the chain's clock years ahead).
      const now = await latestTime(this.hre);
      const start = now - 3 * YEAR - 12_345;
      const { ocean, minter } = await deployMinter(this.hre, start);
      await minter.mint();
      const elapsed = (await latestTime(this.hre)) - start;
      const expected = mintedBy(total, c, elapsed, DAY);
      expect(expected).to.equal((total * c.g3) / WAD); // the last whole day is the ramp's end: G3
      expect(await minter.minted()).to.equal(expected);
      expect(await ocean.balanceOf(addresses[3])).to.equal(expected);
      expect(asFraction((expected * WAD) / total)).to.be.closeTo(G3_BY_HAND, 1e-15);
      expect(await minter.mint.staticCall()).to.equal(0n); // nothing more until the next day
      await advance(this.hre, DAY);
      await minter.mint();
      expect(await minter.minted()).to.equal(mintedBy(total, c, (await latestTime(this.hre)) - start, DAY));
      expect(await ocean.totalSupply()).to.equal(1000n * TOKEN + (await minter.minted()));
    });

    it("is the token's only minter, set once", async function () {
      const { ocean, minter } = await deployMinter(this.hre, 0);
      await expect(ocean.mint(addresses[0], 1n)).to.be.revertedWithCustomError(ocean, "NotMinter");
      await expect(ocean.setMinter(addresses[0])).to.be.revertedWithCustomError(ocean, "MinterAlreadySet");
      await expect(ocean.connect(signers[1]).setMinter(addresses[1])).to.be.revertedWithCustomError(ocean, "NotAdmin");
      expect(await ocean.minter()).to.equal(minter.target);
    });

    it("refuses what the schedule library refuses: a ramp out of order, a multiplier above 1, a zero half-life", async function () {
      const ocean = await deploy(this.hre, "WsOcean", addresses[0], 0n);
      const factory = await this.hre.ethers.getContractFactory("WsRampedMinter");
      await expect(factory.deploy(ocean.target, addresses[3], total, 0, DAY, { ...s, t1: s.t2 + 1n })).to.be.revertedWithCustomError(factory, "RampOutOfOrder");
      await expect(factory.deploy(ocean.target, addresses[3], total, 0, DAY, { ...s, m3: WAD + 1n })).to.be.revertedWithCustomError(factory, "MultiplierAboveOne");
      await expect(factory.deploy(ocean.target, addresses[3], total, 0, DAY, { ...s, halfLife: 0n })).to.be.revertedWithCustomError(factory, "ZeroHalfLife");
      // TokenSPICE asserts M1 <= M2 <= M3; the docstring's curve needs no such order, and neither does the library
      await expect(factory.deploy(ocean.target, addresses[3], total, 0, DAY, { ...s, m1: WAD, m2: 0n })).not.to.be.reverted;
    });
  });

  describe("WsBuyback: buy at valuation / supply, then burn", () => {
    const setup = async (hre: any, marketOcean: bigint) => {
      const [admin, oracle, marketMaker] = [addresses[0], addresses[1], addresses[2]];
      const ocean = await deploy(hre, "WsOcean", admin, 1000n * TOKEN);
      const usd = await deploy(hre, "WsUsd", [admin]);
      const buyback = await deploy(hre, "WsBuyback", ocean.target, usd.target, marketMaker, oracle);
      await ocean.transfer(marketMaker, marketOcean);
      await ocean.connect(signers[2]).approve(buyback.target, 2n ** 256n - 1n);
      await buyback.connect(signers[1]).setValuation(500n * TOKEN); // 500 USD for 1000 OCEAN: 0.50 USD each
      return { ocean, usd, buyback, marketMaker };
    };

    it("spends its USD on OCEAN from the market maker at the modeled price and burns it", async function () {
      const { ocean, usd, buyback, marketMaker } = await setup(this.hre, 600n * TOKEN);
      expect(await buyback.price()).to.equal(TOKEN / 2n);
      await usd.mint(buyback.target, 10n * TOKEN);
      await buyback.buyAndBurn();
      expect(await ocean.totalSupply()).to.equal(980n * TOKEN); // 10 USD bought 20 OCEAN
      expect(await ocean.burned()).to.equal(20n * TOKEN);
      expect(await ocean.balanceOf(marketMaker)).to.equal(580n * TOKEN);
      expect(await usd.balanceOf(marketMaker)).to.equal(10n * TOKEN);
      expect(await buyback.stats()).to.deep.equal([10n * TOKEN, 20n * TOKEN, 0n]);
    });

    it("buys only what the market maker has and keeps the rest of the USD", async function () {
      const { ocean, usd, buyback, marketMaker } = await setup(this.hre, 5n * TOKEN);
      await usd.mint(buyback.target, 10n * TOKEN);
      await buyback.buyAndBurn();
      expect(await ocean.balanceOf(marketMaker)).to.equal(0n);
      expect(await ocean.burned()).to.equal(5n * TOKEN);
      expect(await usd.balanceOf(marketMaker)).to.equal((5n * TOKEN) / 2n); // 5 OCEAN at 0.50
      expect(await usd.balanceOf(buyback.target)).to.equal(10n * TOKEN - (5n * TOKEN) / 2n);
    });

    it("takes valuations from its oracle only", async function () {
      const { buyback } = await setup(this.hre, 1n);
      await expect(buyback.setValuation(1n)).to.be.revertedWithCustomError(buyback, "NotOracle");
    });
  });

  describe("WsTreasury and WsGrantStream: paying grants", () => {
    it("the treasury pays its grant share of each balance in equal parts, to its owner's call only", async function () {
      const ocean = await deploy(this.hre, "WsOcean", addresses[0], 1000n * TOKEN);
      const usd = await deploy(this.hre, "WsUsd", [addresses[0]]);
      const treasury = await deploy(this.hre, "WsTreasury", ocean.target, usd.target, addresses[1], WAD / 2n);
      await ocean.transfer(treasury.target, 90n * TOKEN);
      await usd.mint(treasury.target, 10n);
      const takers = [addresses[4], addresses[5], addresses[6]];
      await expect(treasury.payGrants(takers)).to.be.revertedWithCustomError(treasury, "NotOwner");
      await treasury.connect(signers[1]).payGrants(takers);
      for (const t of takers) {
        expect(await ocean.balanceOf(t)).to.equal(15n * TOKEN); // half of 90, in three
        expect(await usd.balanceOf(t)).to.equal(1n); // half of 10 wei is 5, in three: 1 each, 2 stay
      }
      expect(await treasury.stats()).to.deep.equal([45n * TOKEN, 7n, 45n * TOKEN, 3n]);
    });

    it("a grant stream pays one grant per interval from its start, catches up when called late, and stops", async function () {
      const ocean = await deploy(this.hre, "WsOcean", addresses[0], 1000n * TOKEN);
      const usd = await deploy(this.hre, "WsUsd", [addresses[0]]);
      const start = await latestTime(this.hre);
      const stream = await deploy(this.hre, "WsGrantStream", ocean.target, usd.target, addresses[7], start, MONTH, 3, 10n * TOKEN, 0n);
      await ocean.transfer(stream.target, 25n * TOKEN); // less than 3 grants' worth
      await stream.disburse();
      expect(await ocean.balanceOf(addresses[7])).to.equal(10n * TOKEN);
      expect(await stream.disburse.staticCall()).to.equal(0n);
      await advance(this.hre, 2 * MONTH + DAY);
      await stream.disburse(); // grants 2 and 3 at once, capped by what is left
      expect(await stream.paid()).to.equal(3n);
      expect(await ocean.balanceOf(addresses[7])).to.equal(25n * TOKEN);
      await advance(this.hre, MONTH);
      expect(await stream.disburse.staticCall()).to.equal(0n);
    });
  });
});
