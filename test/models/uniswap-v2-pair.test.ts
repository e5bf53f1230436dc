import { expect } from "chai";
import { Contract, ContractFactory, getCreate2Address, keccak256, solidityPacked, type Signer } from "ethers";
import { createRng } from "../../src/api";
import { getAmountOut as ammGetAmountOut } from "../../sims/amm/constant-product";
import { FACTORY_ARTIFACT, PAIR_ARTIFACT, PAIR_INIT_CODE_HASH } from "../../sims/uniswap-v2/contracts";
import { MINIMUM_LIQUIDITY, burnAmounts, depositAmounts, getAmountOut, kHolds, mintLiquidity, protocolFeeLiquidity, quote, sqrt } from "../../sims/uniswap-v2/v2-math";
import { AmmPool__factory, AmmToken__factory, type AmmToken } from "../../typechain-types";
import { ROOT, useEnvironment } from "../helpers";

const E18 = 10n ** 18n;
const ZERO = "0x0000000000000000000000000000000000000000";
const factoryArtifact = require(FACTORY_ARTIFACT);
const pairArtifact = require(PAIR_ARTIFACT);

/** A random amount in wei spanning many magnitudes: 1..1e9 times 10^0..10^12. */
function amount(rng: ReturnType<typeof createRng>): bigint {
  return BigInt(rng.int(1, 1e9)) * 10n ** BigInt(rng.int(0, 12));
}

describe("uniswap-v2: V2's arithmetic in TypeScript (v2-math.ts)", () => {
  it("sqrt is V2's Babylonian square root: floor(√y), for small, random and huge y", () => {
    const rng = createRng("v2-sqrt");
    const ys = [0n, 1n, 2n, 3n, 4n, 5n, 8n, 9n, 10n, 2n ** 224n, 2n ** 256n - 1n, ...Array.from({ length: 300 }, () => amount(rng) * amount(rng))];
    for (const y of ys) {
      const z = sqrt(y);
      expect(z * z <= y && (z + 1n) * (z + 1n) > y, `sqrt(${y}) = ${z}`).to.equal(true);
    }
  });

  it("getAmountOut at 997/1000 is amm's getAmountOut at 30 bps, to the wei (the same fraction, times 10 above and below)", () => {
    const rng = createRng("v2-vs-amm");
    for (let i = 0; i < 1_000; i++) {
      const [amountIn, reserveIn, reserveOut] = [amount(rng), amount(rng), amount(rng)];
      expect(getAmountOut(amountIn, reserveIn, reserveOut)).to.equal(ammGetAmountOut(amountIn, reserveIn, reserveOut, 30));
    }
    // by hand: 1000·997·10000 / (10000·1000 + 1000·997) = 906.6…
    expect(getAmountOut(1_000n, 10_000n, 10_000n)).to.equal(906n);
    expect(getAmountOut(0n, 10_000n, 10_000n)).to.equal(0n);
    expect(getAmountOut(5n, 0n, 10_000n)).to.equal(0n);
  });

  it("getAmountOut is the largest output the pair's K check accepts", () => {
    const rng = createRng("v2-k-boundary");
    for (let i = 0; i < 1_000; i++) {
      const [amountIn, r0, r1] = [amount(rng), amount(rng), amount(rng)];
      const out = getAmountOut(amountIn, r0, r1);
      if (out >= r1) continue; // the pair refuses (INSUFFICIENT_LIQUIDITY) before the K check
      // selling token0 for token1: the pair then holds r0 + in and r1 − out
      expect(kHolds(r0 + amountIn, r1 - out, amountIn, 0n, r0, r1), `out ${out}`).to.equal(true);
      if (out + 1n < r1) expect(kHolds(r0 + amountIn, r1 - out - 1n, amountIn, 0n, r0, r1), `out ${out} + 1`).to.equal(false);
    }
  });

  it("depositAmounts takes everything the first time, then the desired amount of one side and the ratio's of the other", () => {
    expect(depositAmounts(5n, 7n, 0n, 0n)).to.deep.equal({ amountA: 5n, amountB: 7n });
    // ratio 1:2000; 10 A wants 20,000 B: B-limited when fewer are offered
    expect(depositAmounts(10n, 50_000n, 100n, 200_000n)).to.deep.equal({ amountA: 10n, amountB: 20_000n });
    expect(depositAmounts(10n, 1_000n, 100n, 200_000n)).to.deep.equal({ amountA: 0n, amountB: 1_000n }); // 1000·100/200000 = 0.5 → 0
    expect(depositAmounts(10n * E18, 1_000n * E18, 100n * E18, 200_000n * E18)).to.deep.equal({ amountA: E18 / 2n, amountB: 1_000n * E18 });
    expect(quote(3n, 7n, 11n)).to.equal(4n); // 33/7, rounded down
  });

  it("mintLiquidity and burnAmounts: √(a0·a1) − 1000 first, then the smaller pro-rata share; burns pro rata, rounded down", () => {
    expect(mintLiquidity(250n * E18, 500_000n * E18, 0n, 0n, 0n)).to.equal(sqrt(250n * E18 * 500_000n * E18) - MINIMUM_LIQUIDITY);
    expect(mintLiquidity(10n, 30n, 100n, 200n, 1_000n)).to.equal(100n); // min(10·1000/100, 30·1000/200 = 150)
    expect(burnAmounts(10n, 999n, 1_001n, 1_000n)).to.deep.equal({ amount0: 9n, amount1: 10n });
  });

  it("protocolFeeLiquidity gives feeTo 1/6 of the growth of √k, as a share of the pool after the mint (whitepaper 2.4)", () => {
    const rng = createRng("v2-fee");
    for (let i = 0; i < 200; i++) {
      const [r0, r1] = [amount(rng) * E18, amount(rng) * E18];
      const kLast = (r0 * r1 * BigInt(rng.int(500_000, 999_999))) / 1_000_000n; // k grew by up to 2x since
      const supply = sqrt(kLast);
      const minted = protocolFeeLiquidity(r0, r1, kLast, supply);
      const rootK = Number(sqrt(r0 * r1));
      const expected = (rootK - Number(sqrt(kLast))) / (6 * rootK);
      expect(Number(minted) / Number(supply + minted)).to.be.closeTo(expected, expected * 1e-9 + 1e-18);
    }
    expect(protocolFeeLiquidity(100n, 100n, 0n, 100n), "fee off: kLast is 0").to.equal(0n);
    expect(protocolFeeLiquidity(100n, 100n, 10_000n, 100n), "k has not grown").to.equal(0n);
  });
});

describe("uniswap-v2: the published pair (v2-core 1.0.1) against the TypeScript reference", function () {
  useEnvironment(ROOT);

  let owner: Signer;
  let trader: Signer;
  let other: Signer;
  let vol: AmmToken;
  let usd: AmmToken;
  let factory: Contract;
  let pair: Contract;
  let pairAddress: string;
  let volIs0: boolean;

  /** Reserves as (volatile, stable). */
  async function reserves(): Promise<[bigint, bigint]> {
    const [r0, r1] = await pair.getReserves();
    return volIs0 ? [r0, r1] : [r1, r0];
  }
  /** (volatile out, stable out) → the pair's (amount0Out, amount1Out). */
  const outs = (volOut: bigint, usdOut: bigint): [bigint, bigint] => (volIs0 ? [volOut, usdOut] : [usdOut, volOut]);

  beforeEach(async function () {
    [owner, trader, other] = await this.hre.ethers.getSigners();
    vol = await new AmmToken__factory(owner).deploy("Volatile", "VOL");
    usd = await new AmmToken__factory(owner).deploy("Stable", "USD");
    for (const s of [owner, trader]) {
      await vol.mint(await s.getAddress(), 1_000_000n * E18);
      await usd.mint(await s.getAddress(), 1_000_000_000n * E18);
    }
    factory = (await new ContractFactory(factoryArtifact.abi, factoryArtifact.bytecode, owner).deploy(await owner.getAddress())) as Contract;
    await factory.createPair(await vol.getAddress(), await usd.getAddress());
    pairAddress = await factory.getPair(await vol.getAddress(), await usd.getAddress());
    pair = new Contract(pairAddress, pairArtifact.abi, owner);
    volIs0 = (await pair.token0()).toLowerCase() === (await vol.getAddress()).toLowerCase();
  });

  async function deposit(from: Signer, volAmount: bigint, usdAmount: bigint): Promise<bigint> {
    const before: bigint = await pair.balanceOf(await from.getAddress());
    await vol.connect(from).transfer(pairAddress, volAmount);
    await usd.connect(from).transfer(pairAddress, usdAmount);
    await (pair.connect(from) as Contract).mint(await from.getAddress());
    const after: bigint = await pair.balanceOf(await from.getAddress());
    return after - before;
  }

  it("is the pair Uniswap's periphery finds: its CREATE2 address from the init code hash, running the package's runtime code", async function () {
    expect(keccak256("0x" + pairArtifact.evm.bytecode.object)).to.equal(PAIR_INIT_CODE_HASH);
    const [t0, t1] = [await pair.token0(), await pair.token1()];
    const salt = keccak256(solidityPacked(["address", "address"], [t0, t1]));
    expect(getCreate2Address(await factory.getAddress(), salt, PAIR_INIT_CODE_HASH)).to.equal(pairAddress);
    expect(await this.hre.ethers.provider.getCode(pairAddress)).to.equal("0x" + pairArtifact.evm.deployedBytecode.object);
    expect(BigInt(t0) < BigInt(t1)).to.equal(true);
  });

  it("mints √(a0·a1) − 1000 shares for the first deposit and locks 1000 at address(0)", async () => {
    const shares = await deposit(owner, 250n * E18, 500_000n * E18);
    expect(shares).to.equal(mintLiquidity(250n * E18, 500_000n * E18, 0n, 0n, 0n));
    expect(await pair.balanceOf(ZERO)).to.equal(MINIMUM_LIQUIDITY);
    expect(await pair.totalSupply()).to.equal(shares + MINIMUM_LIQUIDITY);
    expect(await reserves()).to.deep.equal([250n * E18, 500_000n * E18]);
  });

  it("pays getAmountOut exactly over random swaps both ways, refuses one wei more with UniswapV2: K, and k grows every time", async () => {
    await deposit(owner, 300n * E18, 600_000n * E18);
    const rng = createRng("v2-pair-swaps");
    const p = pair.connect(trader) as Contract;
    const traderAddress = await trader.getAddress();
    for (let i = 0; i < 20; i++) {
      const [rv, rs] = await reserves();
      const sellVol = rng.bool();
      const [reserveIn, reserveOut] = sellVol ? [rv, rs] : [rs, rv];
      const amountIn = (reserveIn * BigInt(rng.int(1, 300_000))) / 1_000_000n + BigInt(rng.int(1, 1000));
      const out = getAmountOut(amountIn, reserveIn, reserveOut);
      await (sellVol ? vol : usd).connect(trader).transfer(pairAddress, amountIn);
      const ask = (n: bigint) => (sellVol ? outs(0n, n) : outs(n, 0n));
      await expect(p.swap(...ask(out + 1n), traderAddress, "0x")).to.be.revertedWith("UniswapV2: K");
      await p.swap(...ask(out), traderAddress, "0x"); // the input sent before the refused swap is still there
      const [rv2, rs2] = await reserves();
      expect([rv2, rs2]).to.deep.equal(sellVol ? [rv + amountIn, rs - out] : [rv - out, rs + amountIn]);
      expect(rv2 * rs2 > rv * rs).to.equal(true);
    }
  });

  it("names its refusals: nothing asked, nothing sent in, too much asked, nothing to burn, a first deposit of 1000 or less", async () => {
    const p = pair.connect(trader) as Contract;
    const to = await trader.getAddress();
    // a first deposit: √(999·999) − 1000 underflows SafeMath; √(1000·1000) − 1000 = 0 shares
    await vol.connect(trader).transfer(pairAddress, 999n);
    await usd.connect(trader).transfer(pairAddress, 999n);
    await expect(p.mint(to)).to.be.revertedWith("ds-math-sub-underflow");
    await vol.connect(trader).transfer(pairAddress, 1n);
    await usd.connect(trader).transfer(pairAddress, 1n);
    await expect(p.mint(to)).to.be.revertedWith("UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED");
    await p.skim(to); // the 1000 of each are the trader's again
    expect(await vol.balanceOf(pairAddress)).to.equal(0n);
    await deposit(owner, 100n * E18, 200_000n * E18);
    await expect(p.swap(0n, 0n, to, "0x")).to.be.revertedWith("UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT");
    await expect(p.swap(...outs(0n, E18), to, "0x")).to.be.revertedWith("UniswapV2: INSUFFICIENT_INPUT_AMOUNT");
    await expect(p.swap(...outs(100n * E18, 0n), to, "0x")).to.be.revertedWith("UniswapV2: INSUFFICIENT_LIQUIDITY");
    await expect(p.burn(to)).to.be.revertedWith("UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED");
  });

  it("mints at the router's deposit amounts and burns pro rata, as mintLiquidity and burnAmounts say", async () => {
    await deposit(owner, 100n * E18, 200_000n * E18);
    const traderAddress = await trader.getAddress();
    await usd.connect(trader).transfer(pairAddress, 3_333n * E18); // uneven reserves
    await (pair.connect(trader) as Contract).swap(...outs(getAmountOut(3_333n * E18, 200_000n * E18, 100n * E18), 0n), traderAddress, "0x");
    const [rv, rs] = await reserves();
    const supply = await pair.totalSupply();
    const { amountA, amountB } = depositAmounts(7n * E18, 100_000n * E18, rv, rs);
    const minted = await deposit(trader, amountA, amountB);
    expect(minted).to.equal(mintLiquidity(amountA, amountB, rv, rs, supply));
    const [rv2, rs2] = await reserves();
    const supply2 = await pair.totalSupply();
    const burned = minted / 3n;
    const volBefore = await vol.balanceOf(traderAddress);
    const usdBefore = await usd.balanceOf(traderAddress);
    await (pair.connect(trader) as Contract).transfer(pairAddress, burned);
    await (pair.connect(trader) as Contract).burn(traderAddress);
    const { amount0, amount1 } = burnAmounts(burned, rv2, rs2, supply2); // (volatile, stable) order here
    expect((await vol.balanceOf(traderAddress)) - volBefore).to.equal(amount0);
    expect((await usd.balanceOf(traderAddress)) - usdBefore).to.equal(amount1);
    // k/S² may only grow: mint and burn round in the pair's favour
    const [rv3, rs3] = await reserves();
    const supply3 = await pair.totalSupply();
    expect(rv3 * rs3 * supply ** 2n >= rv * rs * supply3 ** 2n).to.equal(true);
  });

  it("with feeTo set, mints feeTo exactly protocolFeeLiquidity at the next mint or burn, and nothing at swaps", async () => {
    const feeTo = await other.getAddress();
    await factory.setFeeTo(feeTo);
    await deposit(owner, 100n * E18, 200_000n * E18);
    expect(await pair.kLast()).to.equal(100n * E18 * 200_000n * E18);
    const traderAddress = await trader.getAddress();
    for (let i = 0; i < 5; i++) {
      const [rv, rs] = await reserves();
      await usd.connect(trader).transfer(pairAddress, 20_000n * E18);
      await (pair.connect(trader) as Contract).swap(...outs(getAmountOut(20_000n * E18, rs, rv), 0n), traderAddress, "0x");
    }
    expect(await pair.balanceOf(feeTo), "swaps mint nothing").to.equal(0n);
    const [r0, r1] = await pair.getReserves();
    const expected = protocolFeeLiquidity(r0, r1, await pair.kLast(), await pair.totalSupply());
    expect(expected > 0n).to.equal(true);
    await deposit(trader, E18, 10_000n * E18);
    expect(await pair.balanceOf(feeTo)).to.equal(expected);
  });

  it("differs from AmmPool at 30 bps in one place: a withdrawal that pays 0 of one token (AmmPool pays the other; the pair refuses)", async () => {
    const pool = await new AmmPool__factory(owner).deploy(await vol.getAddress(), await usd.getAddress(), 30);
    await vol.approve(await pool.getAddress(), 250n * E18);
    await usd.approve(await pool.getAddress(), 500_000n * E18);
    await pool.addLiquidity(250n * E18, 500_000n * E18);
    await deposit(owner, 250n * E18, 500_000n * E18);
    expect(await pool.totalSupply()).to.equal(await pair.totalSupply()); // the same state
    // 10 wei of shares out of ~1.1e22: 10·250e18/S < 1 VOL-wei, 10·500,000e18/S = 447 USD-wei
    const supply = await pair.totalSupply();
    const { amount0, amount1 } = burnAmounts(10n, 250n * E18, 500_000n * E18, supply);
    expect([amount0, amount1]).to.deep.equal([0n, 447n]);
    const usdBefore = await usd.balanceOf(await owner.getAddress());
    await pool.removeLiquidity(10n);
    expect((await usd.balanceOf(await owner.getAddress())) - usdBefore).to.equal(447n);
    await pair.transfer(pairAddress, 10n);
    await expect(pair.burn(await owner.getAddress())).to.be.revertedWith("UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED");
  });
});
