import { expect } from "chai";
import { MaxUint256, type Signer } from "ethers";
import { createRng } from "../../src/api";
import { getAmountOut } from "../../sims/amm/constant-product";
import { AmmPool__factory, AmmToken__factory, type AmmPool, type AmmToken } from "../../typechain-types";
import { ROOT, useEnvironment } from "../helpers";

const E18 = 10n ** 18n;

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) [x, y] = [y, (y + n / y) / 2n];
  return x;
}

describe("amm: AmmPool contract", function () {
  useEnvironment(ROOT);

  let owner: Signer;
  let trader: Signer;
  let vol: AmmToken;
  let usd: AmmToken;

  async function deployPool(feeBps: number): Promise<AmmPool> {
    const pool = await new AmmPool__factory(owner).deploy(await vol.getAddress(), await usd.getAddress(), feeBps);
    for (const signer of [owner, trader]) {
      await vol.connect(signer).approve(await pool.getAddress(), MaxUint256);
      await usd.connect(signer).approve(await pool.getAddress(), MaxUint256);
    }
    return pool;
  }

  async function state(pool: AmmPool) {
    const [r0, r1, shares, feesInStable, swaps, kDecreases] = await pool.poolState();
    return { r0, r1, shares, feesInStable, swaps, kDecreases };
  }

  beforeEach(async function () {
    [owner, trader] = await this.hre.ethers.getSigners();
    vol = await new AmmToken__factory(owner).deploy("Volatile", "VOL");
    usd = await new AmmToken__factory(owner).deploy("Stable", "USD");
    for (const signer of [owner, trader]) {
      await vol.mint(await signer.getAddress(), 1_000_000n * E18);
      await usd.mint(await signer.getAddress(), 1_000_000_000n * E18);
    }
  });

  it("mints sqrt(x·y) shares for the first deposit and locks 1000 of them", async () => {
    const pool = await deployPool(30);
    await pool.addLiquidity(250n * E18, 500_000n * E18);
    const expected = isqrt(250n * E18 * 500_000n * E18);
    expect(await pool.totalSupply()).to.equal(expected);
    expect(await pool.balanceOf(await owner.getAddress())).to.equal(expected - 1000n);
    expect(await pool.balanceOf("0x000000000000000000000000000000000000dEaD")).to.equal(1000n);
    expect(await vol.balanceOf(await pool.getAddress())).to.equal(250n * E18);
  });

  it("pays out x·y=k with the fee taken from the input, and books the fee", async () => {
    const pool = await deployPool(30);
    await pool.addLiquidity(1_000n * E18, 1_000n * E18);
    const usdBefore = await usd.balanceOf(await trader.getAddress());
    await pool.connect(trader).swap(await vol.getAddress(), 100n * E18, 0n);
    // 100·0.997·1000 / (1000 + 100·0.997) = 90.661089388014913158…
    const out = (100n * E18 * 9970n * 1_000n * E18) / (1_000n * E18 * 10_000n + 100n * E18 * 9970n);
    expect(out / 10n ** 12n).to.equal(90_661_089n);
    expect((await usd.balanceOf(await trader.getAddress())) - usdBefore).to.equal(out);
    const s = await state(pool);
    expect([s.r0, s.r1]).to.deep.equal([1_100n * E18, 1_000n * E18 - out]);
    // 0.3 VOL of fee, valued at the pre-swap price of 1 USD
    expect(await pool.fees0()).to.equal(3n * 10n ** 17n);
    expect(s.feesInStable).to.equal(3n * 10n ** 17n);
    expect(s.swaps).to.equal(1n);
  });

  it("matches the TypeScript mirror and never lets k fall over random swaps, with and without fee", async () => {
    for (const feeBps of [0, 30, 1000]) {
      const pool = await deployPool(feeBps);
      await pool.addLiquidity(300n * E18, 600_000n * E18);
      const rng = createRng(`pool-swaps-${feeBps}`);
      for (let i = 0; i < 25; i++) {
        const before = await state(pool);
        const sellVol = rng.bool();
        const [reserveIn, reserveOut] = sellVol ? [before.r0, before.r1] : [before.r1, before.r0];
        const amountIn = (reserveIn * BigInt(rng.int(1, 300_000))) / 1_000_000n + BigInt(rng.int(1, 1000));
        const expected = getAmountOut(amountIn, reserveIn, reserveOut, feeBps);
        expect(await pool.quote(await (sellVol ? vol : usd).getAddress(), amountIn)).to.equal(expected);
        await pool.connect(trader).swap(await (sellVol ? vol : usd).getAddress(), amountIn, expected);
        const now = await state(pool);
        expect(now.r0 * now.r1 >= before.r0 * before.r1).to.equal(true);
        if (feeBps > 0) expect(now.r0 * now.r1 > before.r0 * before.r1).to.equal(true);
      }
      expect((await state(pool)).kDecreases).to.equal(0n);
    }
  });

  it("reverts a swap below the minimum output, of an unknown token, or of nothing", async () => {
    const pool = await deployPool(30);
    await pool.addLiquidity(1_000n * E18, 1_000n * E18);
    const quote = await pool.quote(await vol.getAddress(), E18);
    await expect(pool.connect(trader).swap(await vol.getAddress(), E18, quote + 1n))
      .to.be.revertedWithCustomError(pool, "InsufficientOutput")
      .withArgs(quote, quote + 1n);
    await expect(pool.swap(await pool.getAddress(), E18, 0n)).to.be.revertedWithCustomError(pool, "UnknownToken");
    await expect(pool.swap(await vol.getAddress(), 0n, 0n)).to.be.revertedWithCustomError(pool, "ZeroAmount");
    await expect(new AmmPool__factory(owner).deploy(await vol.getAddress(), await usd.getAddress(), 10_000)).to.be.revertedWithCustomError(pool, "FeeTooHigh");
  });

  it("adds liquidity at the pool's ratio only, and mints shares in proportion", async () => {
    const pool = await deployPool(30);
    await pool.addLiquidity(100n * E18, 200_000n * E18);
    const supply = await pool.totalSupply();
    const traderAddress = await trader.getAddress();
    const usdBefore = await usd.balanceOf(traderAddress);
    // offers 10 VOL and 50,000 USD: the ratio needs only 20,000 USD, the rest stays with the trader
    await pool.connect(trader).addLiquidity(10n * E18, 50_000n * E18);
    expect(usdBefore - (await usd.balanceOf(traderAddress))).to.equal(20_000n * E18);
    expect(await pool.balanceOf(traderAddress)).to.equal(supply / 10n);
    // stable-limited: 1 VOL offered but only 1,000 USD, so it takes 0.5 VOL
    const s = await state(pool);
    const volBefore = await vol.balanceOf(traderAddress);
    await pool.connect(trader).addLiquidity(E18, 1_000n * E18);
    expect(volBefore - (await vol.balanceOf(traderAddress))).to.equal((1_000n * E18 * s.r0) / s.r1);
  });

  it("removes liquidity pro rata, rounded in the pool's favour, and never lowers k per share²", async () => {
    const pool = await deployPool(30);
    await pool.addLiquidity(100n * E18, 200_000n * E18);
    await pool.connect(trader).swap(await usd.getAddress(), 3_333n * E18, 0n); // uneven reserves
    await pool.connect(trader).addLiquidity(7n * E18, 100_000n * E18);
    const before = await state(pool);
    const shares = (await pool.balanceOf(await trader.getAddress())) / 3n;
    const volBefore = await vol.balanceOf(await trader.getAddress());
    await pool.connect(trader).removeLiquidity(shares);
    expect((await vol.balanceOf(await trader.getAddress())) - volBefore).to.equal((shares * before.r0) / before.shares);
    const after = await state(pool);
    expect(after.r0).to.equal(before.r0 - (shares * before.r0) / before.shares);
    expect(after.r1).to.equal(before.r1 - (shares * before.r1) / before.shares);
    // k/S² may only grow: removal rounds down what leaves
    expect(after.r0 * after.r1 * before.shares ** 2n >= before.r0 * before.r1 * after.shares ** 2n).to.equal(true);
    await expect(pool.connect(trader).removeLiquidity(0n)).to.be.revertedWithCustomError(pool, "InsufficientLiquidityBurned");
  });
});
