import { expect } from "chai";
import type { Signer } from "ethers";
import { createRng } from "../../src/api";
import * as ref from "../../sims/oceanv3/balancer-math";
import { maxSell as maxSellWith, maxStake as maxStakeWith, maxWeightedUnstake, quoteBuy as quoteBuyWith } from "../../sims/oceanv3/quotes";
import { TOKEN, fractionOf, toUnits, toWei } from "../../sims/oceanv3/units";
import { datatokenValue, sharesValue } from "../../sims/oceanv3/valuation";
import type { PoolListing, PoolReserves } from "../../sims/oceanv3/world";
import {
  OceanV3DatatokenFactory__factory,
  OceanV3Datatoken__factory,
  OceanV3MathHarness__factory,
  OceanV3PoolFactory__factory,
  OceanV3Pool__factory,
  OceanV3Token__factory,
  type OceanV3Datatoken,
  type OceanV3MathHarness,
  type OceanV3Pool,
  type OceanV3Token,
} from "../../typechain-types";
import { ROOT, useEnvironment } from "../helpers";

const wei = (units: number) => toWei(units);
/** The written pool keeps Balancer V1's limits, as V3's BPool: half a balance in, a third out. */
const LIMITS = { maxInRatio: 1 / 2, maxOutRatio: 1 / 3 };
const quoteBuy = (listing: PoolListing, r: PoolReserves, out: bigint) => quoteBuyWith(LIMITS, listing, r, out);
const maxSell = (r: PoolReserves) => maxSellWith(LIMITS, r);
const maxStake = (r: PoolReserves) => maxStakeWith(LIMITS, r);
const maxUnstake = (listing: PoolListing, r: PoolReserves) => maxWeightedUnstake(listing, r, LIMITS.maxOutRatio);
const units = (amount: bigint) => toUnits(amount);
const MAX = 2n ** 256n - 1n;

/**
 * The fixed-point result matches the double-precision reference: the power series stops at terms
 * under 1e-10, so a result B·(1 − x^w) may be off by about 1e-10·B, plus 1e-12 relative for rounding.
 */
function expectClose(actual: bigint, expected: number, scale: number, what: string): void {
  const error = Math.abs(units(actual) - expected);
  expect(error, `${what}: contract ${units(actual)}, reference ${expected}`).to.be.at.most(1e-9 * scale + 1e-12 * Math.abs(expected));
}

describe("oceanv3: the pool written here from the Balancer V1 whitepaper (math, datatokens, pool; the cross-check's other side)", function () {
  useEnvironment(ROOT);
  let signers: Signer[];
  let math: OceanV3MathHarness;

  before(async function () {
    signers = await this.hre.ethers.getSigners();
    math = await new OceanV3MathHarness__factory(signers[0]).deploy();
  });

  describe("fixed-point math against the TypeScript reference", () => {
    it("pow(base, exp) matches Math.pow over bases in (0, 2) and the exponents pools use", async () => {
      const exponents = [3 / 7, 7 / 3, 10 / 7, 10 / 3, 1 / 9, 9, 10, 0.5, 1, 2, 1e-6];
      const bases = [0.05, 0.3, 0.5, 2 / 3, 0.9, 0.999999, 1, 1.000001, 1.1, 1.5, 1.95];
      for (const exp of exponents) {
        for (const base of bases) {
          const got = await math.pow(wei(base), wei(exp));
          // The series stops at a term under 1e-10; the terms left shrink like |x|^k, so they add up
          // to at most about 1/(1 − |x|) times that.
          const tail = 1 / (1 - Math.abs(base - 1));
          expectClose(got, Math.pow(units(wei(base)), units(wei(exp))), Math.max(1, Math.pow(base, exp)) * tail, `${base}^${exp}`);
        }
      }
    });

    it("pow rejects a base outside (0, 2), where its series would not converge", async () => {
      await expect(math.pow(0n, wei(0.5))).to.be.revertedWithCustomError(math, "PowBaseOutOfRange");
      await expect(math.pow(2n * TOKEN, wei(0.5))).to.be.revertedWithCustomError(math, "PowBaseOutOfRange");
    });

    it("the five pool formulas match the reference on random pools and trades", async () => {
      const rng = createRng("oceanv3-math");
      for (let i = 0; i < 25; i++) {
        const [wIn, wOut] = [rng.int(1, 9), rng.int(1, 9)];
        const [bIn, bOut, supply] = [rng.float(1, 1e6), rng.float(1, 1e6), rng.float(1, 1e4)];
        const fee = rng.choice([0, 0.001, 0.003, 0.1 * rng()]);
        const amountIn = bIn * rng.float(1e-4, 0.5);
        const amountOut = bOut * rng.float(1e-4, 1 / 3);
        const poolIn = supply * rng.float(1e-4, 0.3);
        const [BIn, BOut, WIn, WOut, F, P, W] = [wei(bIn), wei(bOut), wei(wIn), wei(wOut), wei(fee), wei(supply), wei(wIn + wOut)];
        const [b1, b2, s, f] = [units(BIn), units(BOut), units(P), units(F)];
        const label = `pool ${i}: in ${b1}@${wIn} out ${b2}@${wOut} fee ${f}`;
        expectClose(await math.spotPrice(BIn, WIn, BOut, WOut, F), ref.spotPrice(b1, wIn, b2, wOut, f), ref.spotPrice(b1, wIn, b2, wOut, f), `spotPrice ${label}`);
        expectClose(await math.outGivenIn(BIn, WIn, BOut, WOut, wei(amountIn), F), ref.outGivenIn(b1, wIn, b2, wOut, units(wei(amountIn)), f), b2, `outGivenIn ${label}`);
        const inNeeded = ref.inGivenOut(b1, wIn, b2, wOut, units(wei(amountOut)), f);
        expectClose(await math.inGivenOut(BIn, WIn, BOut, WOut, wei(amountOut), F), inNeeded, Math.max(b1, inNeeded) * Math.pow(1.5, wOut / wIn), `inGivenOut ${label}`);
        expectClose(await math.poolOutGivenSingleIn(BIn, WIn, P, W, wei(amountIn), F), ref.poolOutGivenSingleIn(b1, wIn, s, wIn + wOut, units(wei(amountIn)), f), s, `poolOutGivenSingleIn ${label}`);
        expectClose(await math.singleOutGivenPoolIn(BOut, WOut, P, W, wei(poolIn), F), ref.singleOutGivenPoolIn(b2, wOut, s, wIn + wOut, units(wei(poolIn)), f), b2, `singleOutGivenPoolIn ${label}`);
      }
    });

    it("agrees with values worked out by hand (the ones TokenSPICE's BPool tests check)", async () => {
      // 10.1·(1 − 10/11); 10·(10.1/9.1 − 1); 120·(√1.01 − 1); 10·(1 − (110/120)²); 10/11
      const cases: [bigint, number][] = [
        [await math.outGivenIn(wei(10), wei(1), wei(10.1), wei(1), wei(1), 0n), 10.1 / 11],
        [await math.inGivenOut(wei(10), wei(1), wei(10.1), wei(1), wei(1), 0n), 10 * (10.1 / 9.1 - 1)],
        [await math.poolOutGivenSingleIn(wei(10), wei(1), wei(120), wei(2), wei(0.1), 0n), 120 * (Math.sqrt(1.01) - 1)],
        [await math.singleOutGivenPoolIn(wei(10), wei(1), wei(120), wei(2), wei(10), 0n), 10 * (1 - (110 / 120) ** 2)],
        [await math.spotPrice(wei(10), wei(1), wei(11), wei(1), 0n), 10 / 11],
      ];
      const tokenspiceRounded = [0.918, 1.099, 0.599, 1.597, 0.909];
      cases.forEach(([got, exact], i) => {
        expectClose(got, exact, 10, `case ${i}`);
        expect(Math.round(units(got) * 1000) / 1000).to.equal(tokenspiceRounded[i]);
      });
    });
  });

  describe("datatokens", () => {
    it("the factory makes the caller the only minter, up to the cap", async () => {
      const [publisher, other] = signers;
      const factory = await new OceanV3DatatokenFactory__factory(publisher).deploy();
      const address = await factory.createToken.staticCall("DT0", "DT0", 100n * TOKEN);
      await factory.createToken("DT0", "DT0", 100n * TOKEN);
      const dt = OceanV3Datatoken__factory.connect(address, publisher);
      expect(await factory.datatokenCount()).to.equal(1n);
      expect(await dt.minter()).to.equal(await publisher.getAddress());
      await dt.mint(await other.getAddress(), 60n * TOKEN);
      await expect(dt.connect(other).mint(await other.getAddress(), 1n)).to.be.revertedWithCustomError(dt, "NotMinter");
      await expect(dt.mint(await publisher.getAddress(), 41n * TOKEN)).to.be.revertedWithCustomError(dt, "ERC20ExceededCap");
      expect(await dt.balanceOf(await other.getAddress())).to.equal(60n * TOKEN);
    });
  });

  describe("pool", () => {
    type Setup = { pool: OceanV3Pool; ocean: OceanV3Token; dt: OceanV3Datatoken; publisher: Signer; alice: Signer; bob: Signer; listing: PoolListing };

    /** A publisher with 100 datatokens binds `dtAmount` of them and `oceanAmount` OCEAN, weighted dtWeight:(10 − dtWeight). */
    async function publish(opts: { dtWeight?: number; feeBps?: number; dtAmount?: number; oceanAmount?: number } = {}): Promise<Setup> {
      const { dtWeight = 3, feeBps = 10, dtAmount = 50, oceanAmount = 5000 } = opts;
      const [publisher, alice, bob] = signers;
      const holders = await Promise.all([publisher, alice, bob].map((s) => s.getAddress()));
      const ocean = await new OceanV3Token__factory(publisher).deploy(
        holders,
        holders.map(() => 1_000_000n * TOKEN),
      );
      const dtFactory = await new OceanV3DatatokenFactory__factory(publisher).deploy();
      const poolFactory = await new OceanV3PoolFactory__factory(publisher).deploy(await ocean.getAddress());
      const dtAddress = await dtFactory.createToken.staticCall("DT0", "DT0", 100n * TOKEN);
      await dtFactory.createToken("DT0", "DT0", 100n * TOKEN);
      const dt = OceanV3Datatoken__factory.connect(dtAddress, publisher);
      await dt.mint(holders[0], 100n * TOKEN);
      await dt.approve(await poolFactory.getAddress(), MAX);
      await ocean.approve(await poolFactory.getAddress(), MAX);
      const args = [dtAddress, wei(dtAmount), BigInt(dtWeight) * TOKEN, wei(oceanAmount), BigInt(10 - dtWeight) * TOKEN, BigInt(feeBps) * 10n ** 14n] as const;
      const poolAddress = await poolFactory.newPool.staticCall(...args);
      await poolFactory.newPool(...args);
      const pool = OceanV3Pool__factory.connect(poolAddress, publisher);
      for (const s of [alice, bob]) {
        await ocean.connect(s).approve(poolAddress, MAX);
        await dt.connect(s).approve(poolAddress, MAX);
      }
      await dt.approve(poolAddress, MAX);
      const listing = {
        address: poolAddress,
        datatokenAddress: dtAddress,
        publisher: holders[0],
        datatokenWeight: BigInt(dtWeight) * TOKEN,
        oceanWeight: BigInt(10 - dtWeight) * TOKEN,
        swapFee: BigInt(feeBps) * 10n ** 14n,
        oceanStaked: wei(oceanAmount),
        createdTick: 0,
      } satisfies PoolListing;
      return { pool, ocean, dt, publisher, alice, bob, listing };
    }

    const reservesOf = async (pool: OceanV3Pool): Promise<PoolReserves> => ({
      datatoken: await pool.datatokenBalance(),
      ocean: await pool.oceanBalance(),
      supply: await pool.totalSupply(),
    });

    /** The pool's recorded balances are its token balances: nothing was lost or created on the way. */
    async function expectBooksBalance({ pool, ocean, dt }: Setup): Promise<void> {
      expect(await pool.oceanBalance()).to.equal(await ocean.balanceOf(await pool.getAddress()));
      expect(await pool.datatokenBalance()).to.equal(await dt.balanceOf(await pool.getAddress()));
    }

    it("is created bound and funded: 100 shares to the publisher, weights and fee as given", async () => {
      const s = await publish({ dtWeight: 3, feeBps: 10 });
      expect(await s.pool.totalSupply()).to.equal(100n * TOKEN);
      expect(await s.pool.balanceOf(await s.publisher.getAddress())).to.equal(100n * TOKEN);
      expect(await s.pool.controller()).to.equal(await s.publisher.getAddress());
      expect([await s.pool.datatokenWeight(), await s.pool.oceanWeight(), await s.pool.swapFee()]).to.deep.equal([3n * TOKEN, 7n * TOKEN, 10n ** 15n]);
      await expectBooksBalance(s);
      // (5000/7) / (50/3) = 42.857… OCEAN per datatoken, and 1/(1 − 0.001) more with the fee
      expectClose(await s.pool.getSpotPriceSansFee(await s.ocean.getAddress(), await s.dt.getAddress()), 5000 / 7 / (50 / 3), 50, "spot sans fee");
      expectClose(await s.pool.getSpotPrice(await s.ocean.getAddress(), await s.dt.getAddress()), 5000 / 7 / (50 / 3) / 0.999, 50, "spot");
      await expect(s.pool.initialize(1n, 1n)).to.be.revertedWithCustomError(s.pool, "NotFactory");
    });

    it("batch views read what the single views read", async () => {
      const s = await publish();
      await s.pool.connect(s.alice).joinswapExternAmountIn(await s.ocean.getAddress(), 100n * TOKEN, 0n);
      const holders = await Promise.all([s.publisher, s.alice, s.bob].map((x) => x.getAddress()));
      const [dt, ocean, supply] = await s.pool.reserves();
      expect([dt, ocean, supply]).to.deep.equal([await s.pool.datatokenBalance(), await s.pool.oceanBalance(), await s.pool.totalSupply()]);
      expect(await s.pool.sharesOf(holders)).to.deep.equal(await Promise.all(holders.map((h) => s.pool.balanceOf(h))));
      expect(await s.dt.balancesOf(holders)).to.deep.equal(await Promise.all(holders.map((h) => s.dt.balanceOf(h))));
    });

    it("rejects weights and fees outside Balancer V1's bounds", async () => {
      const [publisher] = signers;
      const a = await publisher.getAddress();
      const Pool = new OceanV3Pool__factory(publisher);
      await expect(Pool.deploy(a, a, 0n, 7n * TOKEN, 0n, a)).to.be.revertedWithCustomError(Pool, "BadWeights");
      await expect(Pool.deploy(a, a, 30n * TOKEN, 30n * TOKEN, 0n, a)).to.be.revertedWithCustomError(Pool, "BadWeights");
      await expect(Pool.deploy(a, a, 3n * TOKEN, 7n * TOKEN, TOKEN / 10n + 1n, a)).to.be.revertedWithCustomError(Pool, "FeeTooHigh");
    });

    it("a buy of one datatoken costs what the reference says, and conserves both tokens", async () => {
      const s = await publish({ dtWeight: 3, feeBps: 30 });
      const alice = await s.alice.getAddress();
      const [oceanBefore, dtBefore] = [await s.ocean.balanceOf(alice), await s.dt.balanceOf(alice)];
      const oceanTotal = oceanBefore + (await s.pool.oceanBalance());
      await s.pool.connect(s.alice).swapExactAmountOut(await s.ocean.getAddress(), MAX, TOKEN, MAX);
      const paid = oceanBefore - (await s.ocean.balanceOf(alice));
      expectClose(paid, ref.inGivenOut(5000, 7, 50, 3, 1, 0.003), 5000, "OCEAN paid for 1 DT");
      expect(await s.dt.balanceOf(alice)).to.equal(dtBefore + TOKEN);
      expect((await s.ocean.balanceOf(alice)) + (await s.pool.oceanBalance())).to.equal(oceanTotal);
      await expectBooksBalance(s);
    });

    it("a sell returns what the reference says, and moves the price down", async () => {
      const s = await publish({ dtWeight: 9, feeBps: 10 });
      const [ocean, dt] = [await s.ocean.getAddress(), await s.dt.getAddress()];
      const priceBefore = await s.pool.getSpotPriceSansFee(ocean, dt);
      const received = await s.pool.connect(s.publisher).swapExactAmountIn.staticCall(dt, 5n * TOKEN, 0n, MAX);
      await s.pool.connect(s.publisher).swapExactAmountIn(dt, 5n * TOKEN, 0n, MAX);
      expectClose(received[0], ref.outGivenIn(50, 9, 5000, 1, 5, 0.001), 5000, "OCEAN for 5 DT");
      expect(await s.pool.getSpotPriceSansFee(ocean, dt)).to.be.lessThan(priceBefore);
      await expectBooksBalance(s);
    });

    it("stakes and unstakes OCEAN alone: shares and OCEAN as the reference says", async () => {
      const s = await publish({ dtWeight: 3, feeBps: 10 });
      const ocean = await s.ocean.getAddress();
      const shares = await s.pool.connect(s.alice).joinswapExternAmountIn.staticCall(ocean, 1000n * TOKEN, 0n);
      await s.pool.connect(s.alice).joinswapExternAmountIn(ocean, 1000n * TOKEN, 0n);
      expectClose(shares, ref.poolOutGivenSingleIn(5000, 7, 100, 10, 1000, 0.001), 100, "shares for 1000 OCEAN");
      expect(await s.pool.balanceOf(await s.alice.getAddress())).to.equal(shares);
      const half = shares / 2n;
      const out = await s.pool.connect(s.alice).exitswapPoolAmountIn.staticCall(ocean, half, 0n);
      await s.pool.connect(s.alice).exitswapPoolAmountIn(ocean, half, 0n);
      expectClose(out, ref.singleOutGivenPoolIn(6000, 7, units(100n * TOKEN + shares), 10, units(half), 0.001), 6000, "OCEAN for half the shares");
      await expectBooksBalance(s);
    });

    it("with no fee, staking then unstaking the same shares gives the same OCEAN back; with a fee, less", async () => {
      for (const feeBps of [0, 100]) {
        const s = await publish({ dtWeight: 3, feeBps });
        const ocean = await s.ocean.getAddress();
        const alice = await s.alice.getAddress();
        const before = await s.ocean.balanceOf(alice);
        await s.pool.connect(s.alice).joinswapExternAmountIn(ocean, 500n * TOKEN, 0n);
        await s.pool.connect(s.alice).exitswapPoolAmountIn(ocean, await s.pool.balanceOf(alice), 0n);
        const lost = units(before - (await s.ocean.balanceOf(alice)));
        if (feeBps === 0) expect(Math.abs(lost), "round trip at zero fee").to.be.below(500 * 1e-9);
        // The fee is charged on the 30% of each leg that amounts to a swap into datatokens: 1.5 OCEAN
        // twice, less the part of it Alice earns back as a liquidity provider.
        else expect(lost, "round trip at 1% fee").to.be.within(0.9 * 3, 3);
      }
    });

    it("enforces the trade limits: half a balance in, a third out", async () => {
      const s = await publish();
      const [ocean, dt] = [await s.ocean.getAddress(), await s.dt.getAddress()];
      await expect(s.pool.connect(s.alice).swapExactAmountIn(ocean, 2500n * TOKEN + 1n, 0n, MAX)).to.be.revertedWithCustomError(s.pool, "MaxInRatio");
      await expect(s.pool.connect(s.alice).swapExactAmountOut(ocean, MAX, 17n * TOKEN, MAX)).to.be.revertedWithCustomError(s.pool, "MaxOutRatio");
      await expect(s.pool.connect(s.alice).joinswapExternAmountIn(ocean, 2501n * TOKEN, 0n)).to.be.revertedWithCustomError(s.pool, "MaxInRatio");
      await expect(s.pool.connect(s.publisher).exitswapPoolAmountIn(ocean, 30n * TOKEN, 0n)).to.be.revertedWithCustomError(s.pool, "MaxOutRatio");
      await expect(s.pool.connect(s.alice).swapExactAmountOut(ocean, TOKEN, TOKEN, MAX)).to.be.revertedWithCustomError(s.pool, "LimitIn");
      await expect(s.pool.connect(s.alice).swapExactAmountIn(dt, TOKEN, 0n, 1n)).to.be.revertedWithCustomError(s.pool, "LimitPrice");
      await expect(s.pool.connect(s.alice).swapExactAmountIn(await s.pool.getAddress(), TOKEN, 0n, MAX)).to.be.revertedWithCustomError(s.pool, "NotBound");
    });

    it("a proportional exit of every share empties the pool, which then takes no trades", async () => {
      const s = await publish();
      const ocean = await s.ocean.getAddress();
      const publisher = await s.publisher.getAddress();
      const [oceanBefore, dtBefore] = [await s.ocean.balanceOf(publisher), await s.dt.balanceOf(publisher)];
      await s.pool.exitPool(40n * TOKEN, 0n, 0n); // 40% of the shares: 40% of each balance
      expect(await s.ocean.balanceOf(publisher)).to.equal(oceanBefore + 2000n * TOKEN);
      expect(await s.dt.balanceOf(publisher)).to.equal(dtBefore + 20n * TOKEN);
      await s.pool.exitPool(60n * TOKEN, 0n, 0n);
      expect(await reservesOf(s.pool)).to.deep.equal({ datatoken: 0n, ocean: 0n, supply: 0n });
      await expect(s.pool.connect(s.alice).swapExactAmountIn(ocean, TOKEN, 0n, MAX)).to.be.revertedWithCustomError(s.pool, "EmptyPool");
      await expect(s.pool.connect(s.alice).joinswapExternAmountIn(ocean, TOKEN, 0n)).to.be.revertedWithCustomError(s.pool, "EmptyPool");
    });

    it("a rug pull: the publisher exits and dumps; what it gains beyond its share is exactly the staker's loss", async () => {
      const s = await publish({ dtWeight: 3, feeBps: 10 });
      const [ocean, dt] = [await s.ocean.getAddress(), await s.dt.getAddress()];
      const [publisher, alice] = await Promise.all([s.publisher.getAddress(), s.alice.getAddress()]);
      await s.pool.connect(s.alice).joinswapExternAmountIn(ocean, 2000n * TOKEN, 0n);
      const aliceShares = await s.pool.balanceOf(alice);
      const supply = await s.pool.totalSupply();
      const aliceClaimBefore = ((await s.pool.oceanBalance()) * aliceShares) / supply;
      const aliceValueBefore = sharesValue(aliceShares, await reservesOf(s.pool), s.listing);

      const oceanBefore = await s.ocean.balanceOf(publisher);
      const poolOceanBefore = await s.pool.oceanBalance();
      const [, proportionalOcean] = await s.pool.exitPool.staticCall(await s.pool.balanceOf(publisher), 0n, 0n);
      await s.pool.exitPool(await s.pool.balanceOf(publisher), 0n, 0n);
      for (let dumps = 0, held = await s.dt.balanceOf(publisher); held > 0n && dumps < 40; dumps++, held = await s.dt.balanceOf(publisher)) {
        const limit = maxSell(await reservesOf(s.pool));
        await s.pool.swapExactAmountIn(dt, held < limit ? held : limit, 0n, MAX);
      }
      expect(await s.dt.balanceOf(publisher)).to.equal(0n);
      const gained = (await s.ocean.balanceOf(publisher)) - oceanBefore;
      const fromDumping = gained - proportionalOcean;
      // Alice now owns the whole pool: her claim is all the OCEAN left in it
      const aliceClaimAfter = await s.pool.oceanBalance();
      expect(fromDumping).to.equal(poolOceanBefore - proportionalOcean - aliceClaimAfter); // conservation
      expect(fromDumping).to.be.closeTo(aliceClaimBefore - aliceClaimAfter, 1n); // her loss, to the wei the exit rounded
      expect(units(fromDumping)).to.be.above(0.3 * units(aliceClaimBefore));
      const aliceValueAfter = sharesValue(aliceShares, await reservesOf(s.pool), s.listing);
      expect(units(aliceValueAfter)).to.be.below(units(aliceValueBefore) * 0.5);
      await expectBooksBalance(s);
    });

    it("a swap may not drain a balance to dust, which would leave the pair unpriceable", async () => {
      const s = await publish({ dtWeight: 9, dtAmount: 1, oceanAmount: 1 });
      const dt = await s.dt.getAddress();
      // each sell of half the datatoken balance takes 1 − (2/3)^9 ≈ 97% of the OCEAN
      let reverted = false;
      for (let i = 0; i < 40 && !reverted; i++) {
        try {
          await s.pool.swapExactAmountIn(dt, maxSell(await reservesOf(s.pool)), 0n, MAX);
        } catch (error) {
          expect(String(error)).to.match(/BalanceTooSmall/);
          reverted = true;
        }
      }
      expect(reverted).to.equal(true);
      expect(await s.pool.oceanBalance()).to.be.greaterThan(0n);
    });

    describe("agents' sizing and valuation against the pool", () => {
      it("quoteBuy covers the true cost of a datatoken by under 0.2%, and declines what one trade cannot buy", async () => {
        for (const dtWeight of [1, 3, 9]) {
          const s = await publish({ dtWeight, feeBps: 10 });
          const quote = quoteBuy(s.listing, await reservesOf(s.pool), TOKEN)!;
          const cost = await s.pool.connect(s.alice).swapExactAmountOut.staticCall(await s.ocean.getAddress(), quote, TOKEN, MAX);
          expect(quote).to.be.at.least(cost[0]);
          expect(units(quote)).to.be.below(units(cost[0]) * 1.002);
          expect(quoteBuy(s.listing, await reservesOf(s.pool), 17n * TOKEN)).to.equal(undefined); // over a third of 50
        }
      });

      it("maxUnstake, maxStake and maxSell stay inside the limits, and a little more does not", async () => {
        for (const dtWeight of [1, 3, 9]) {
          const s = await publish({ dtWeight, feeBps: 0 });
          const [ocean, dt] = [await s.ocean.getAddress(), await s.dt.getAddress()];
          const r = await reservesOf(s.pool);
          const over = (x: bigint) => x + x / 50n;
          await expect(s.pool.exitswapPoolAmountIn.staticCall(ocean, maxUnstake(s.listing, r), 0n)).not.to.be.reverted;
          await expect(s.pool.exitswapPoolAmountIn.staticCall(ocean, over(maxUnstake(s.listing, r)), 0n)).to.be.revertedWithCustomError(s.pool, "MaxOutRatio");
          await expect(s.pool.connect(s.alice).joinswapExternAmountIn.staticCall(ocean, maxStake(r), 0n)).not.to.be.reverted;
          await expect(s.pool.connect(s.alice).joinswapExternAmountIn.staticCall(ocean, over(maxStake(r)), 0n)).to.be.revertedWithCustomError(s.pool, "MaxInRatio");
          await expect(s.pool.swapExactAmountIn.staticCall(dt, maxSell(r), 0n, MAX)).not.to.be.reverted;
          await expect(s.pool.swapExactAmountIn.staticCall(dt, over(maxSell(r)), 0n, MAX)).to.be.revertedWithCustomError(s.pool, "MaxInRatio");
        }
      });

      it("values datatokens at the pool's mid price, and all shares at the whole pool", async () => {
        const s = await publish({ dtWeight: 3, feeBps: 10 });
        await s.pool.connect(s.alice).swapExactAmountOut(await s.ocean.getAddress(), MAX, 3n * TOKEN, MAX);
        const r = await reservesOf(s.pool);
        const price = await s.pool.getSpotPriceSansFee(await s.ocean.getAddress(), await s.dt.getAddress());
        expectClose(datatokenValue(10n * TOKEN, r, s.listing), 10 * units(price), 10 * units(price), "10 DT at spot");
        // every share: the pool's OCEAN plus its datatokens at spot
        const whole = sharesValue(r.supply, r, s.listing);
        expect(whole).to.equal((r.ocean * 10n) / 7n);
        expectClose(whole, units(r.ocean) + units(r.datatoken) * units(price), units(whole), "whole pool");
        expect(datatokenValue(TOKEN, { datatoken: 0n, ocean: 0n, supply: 0n }, s.listing)).to.equal(0n);
        expect(sharesValue(TOKEN, { datatoken: 0n, ocean: 0n, supply: 0n }, s.listing)).to.equal(0n);
      });
    });
  });

  describe("units", () => {
    it("converts between wei and token units, rounding amounts down", () => {
      expect(toWei(1.5)).to.equal(1_500_000_000_000_000_000n);
      expect(toWei(0)).to.equal(0n);
      expect(toWei(-1)).to.equal(0n);
      expect(toWei(Number.NaN)).to.equal(0n);
      expect(toUnits(2n * TOKEN)).to.equal(2);
      expect(fractionOf(1000n, 0.1)).to.equal(100n);
      expect(fractionOf(1000n, 1.5)).to.equal(1000n);
      expect(fractionOf(1000n, 0)).to.equal(0n);
    });
  });
});
