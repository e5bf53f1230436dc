import { expect } from "chai";
import { Contract, MaxUint256, type Signer } from "ethers";
import { createRng } from "../../src/api";
import { V3_ARTIFACTS, deployOceanV3 } from "../../sims/oceanv3/venue-v3";
import {
  OceanV3DatatokenFactory__factory,
  OceanV3Datatoken__factory,
  OceanV3PoolFactory__factory,
  OceanV3Pool__factory,
  OceanV3Token__factory,
  type OceanV3Pool,
  type OceanV3Token,
} from "../../typechain-types";
import { ROOT, useEnvironment } from "../helpers";
import { TOKEN, artifact, deployTools } from "./ocean-helpers";

/**
 * The cross-check the issue asks for: the pool written here (contracts/oceanv3, from the Balancer V1
 * whitepaper) against Ocean's published V3 BPool (0.6.9, Balancer V1's BMath as Ocean shipped it),
 * given the same liquidity and then the same buys, sells, stakes, unstakes and exits.
 *
 * Stated rounding: every balance (the pools' two records and share supplies, each trader's OCEAN,
 * datatokens and shares) agrees within 1e-13 of the larger of the two values, plus 10 000 wei
 * (measured over the three sequences below: at most about 2e-15 relative). Where it comes from: both compute the same formulas in 18-decimal fixed point with the
 * same rounding of products and quotients (half up), but (1) the fractional power's binomial series
 * is summed differently (Balancer: bmul(term, bmul(c, x)) rounded, then bdiv by k; here: truncated
 * integer division in another order), so a power can differ in its last digits; (2) a proportional
 * exit here takes floor(B·p/S), Balancer bmul(bdiv(p, S), B): bdiv's rounding of p/S to 18 digits is
 * worth up to B / 2e18, a few thousand wei of a 5 000-OCEAN balance; (3) a single-asset exit raises
 * to W_total/W_out here and to 1/(W_out/W_total) in Balancer, each rounded once. Balancer's exit fee
 * is 0 in 0.6.9, so it plays no part. What is not the same, and so is left out of the sequence and
 * tested apart: a swap fee of 0 (BPool's minimum is 0.0001%), and a swap that would leave a balance
 * under 1e-12 tokens (refused here, allowed by BPool).
 */
const RELATIVE = 1e-13;
const ABSOLUTE = 10_000n;

describe("oceanv3: the pool written here against Ocean's published V3 BPool (cross-check)", function () {
  useEnvironment(ROOT);

  type Side = {
    name: string;
    pool: Contract | OceanV3Pool;
    address: string;
    datatoken: string;
    /** Buys exactly `out` datatokens, sells exactly `amount` datatokens, stakes, unstakes, exits proportionally. */
    buy(s: Signer, out: bigint): Promise<unknown>;
    sell(s: Signer, amount: bigint): Promise<unknown>;
    stake(s: Signer, amount: bigint): Promise<unknown>;
    unstake(s: Signer, shares: bigint): Promise<unknown>;
    exit(s: Signer, shares: bigint): Promise<unknown>;
    balances(): Promise<{ datatoken: bigint; ocean: bigint; supply: bigint }>;
  };

  let signers: Signer[];
  let holders: string[];
  let ocean: OceanV3Token;
  let oceanAddress: string;

  /** Both pools: 50 datatokens and 5 000 OCEAN, weights `dtWeight`:(10 − dtWeight), swap fee `fee` (18 decimals); traders approved. */
  async function pools(dtWeight: number, fee: bigint, dtAmount = 50n * TOKEN, oceanAmount = 5_000n * TOKEN): Promise<[Side, Side]> {
    const [publisher] = signers;
    const dtW = BigInt(dtWeight) * TOKEN;
    const oceanW = BigInt(10 - dtWeight) * TOKEN;

    // written here
    const dtFactory = await new OceanV3DatatokenFactory__factory(publisher).deploy();
    const writtenDt = await dtFactory.createToken.staticCall("DT", "DT", 10_000n * TOKEN);
    await dtFactory.createToken("DT", "DT", 10_000n * TOKEN);
    const dtW1 = OceanV3Datatoken__factory.connect(writtenDt, publisher);
    await dtW1.mint(holders[0], 10_000n * TOKEN);
    const poolFactory = await new OceanV3PoolFactory__factory(publisher).deploy(oceanAddress);
    await dtW1.approve(await poolFactory.getAddress(), MaxUint256);
    await ocean.approve(await poolFactory.getAddress(), MaxUint256);
    const written = await poolFactory.newPool.staticCall(writtenDt, dtAmount, dtW, oceanAmount, oceanW, fee);
    await poolFactory.newPool(writtenDt, dtAmount, dtW, oceanAmount, oceanW, fee);
    const wPool = OceanV3Pool__factory.connect(written, publisher);

    // Ocean's published V3: DTFactory and BFactory clones, set up as a V3 publisher does
    const v3 = await deployOceanV3(deployTools(publisher, holders[0]));
    const v3Dt = await v3.datatokenFactory.createToken.staticCall("", "DT", "DT", 10_000n * TOKEN);
    await v3.datatokenFactory.createToken("", "DT", "DT", 10_000n * TOKEN);
    const v3Pool = await v3.poolFactory.newBPool.staticCall();
    await v3.poolFactory.newBPool();
    const bpool = new Contract(v3Pool, artifact(V3_ARTIFACTS.pool).abi, publisher);
    const dtV3 = new Contract(v3Dt, artifact(V3_ARTIFACTS.datatokenTemplate).abi, publisher);

    // the same datatokens for everyone in both worlds
    await dtV3.mint(holders[0], 10_000n * TOKEN);
    await dtV3.approve(v3Pool, MaxUint256);
    await ocean.approve(v3Pool, MaxUint256);
    await bpool.setup(v3Dt, dtAmount, dtW, oceanAddress, oceanAmount, oceanW, fee);
    for (const s of signers.slice(1)) {
      const a = await s.getAddress();
      for (const [dt, pool] of [
        [dtW1, written],
        [dtV3, v3Pool],
      ] as const) {
        await (dt.connect(publisher) as Contract).transfer(a, 100n * TOKEN);
        await (dt.connect(s) as Contract).approve(pool, MaxUint256);
        await ocean.connect(s).approve(pool, MaxUint256);
      }
    }
    const writtenSide: Side = {
      name: "written",
      pool: wPool,
      address: written,
      datatoken: writtenDt,
      buy: (s, out) => wPool.connect(s).swapExactAmountOut(oceanAddress, MaxUint256, out, MaxUint256),
      sell: (s, amount) => wPool.connect(s).swapExactAmountIn(writtenDt, amount, 0n, MaxUint256),
      stake: (s, amount) => wPool.connect(s).joinswapExternAmountIn(oceanAddress, amount, 0n),
      unstake: (s, shares) => wPool.connect(s).exitswapPoolAmountIn(oceanAddress, shares, 0n),
      exit: (s, shares) => wPool.connect(s).exitPool(shares, 0n, 0n),
      balances: async () => {
        const [datatoken, oc, supply] = await wPool.reserves();
        return { datatoken, ocean: oc, supply };
      },
    };
    const publishedSide: Side = {
      name: "published",
      pool: bpool,
      address: v3Pool,
      datatoken: v3Dt,
      buy: (s, out) => (bpool.connect(s) as Contract).swapExactAmountOut(oceanAddress, MaxUint256, v3Dt, out, MaxUint256),
      sell: (s, amount) => (bpool.connect(s) as Contract).swapExactAmountIn(v3Dt, amount, oceanAddress, 0n, MaxUint256),
      stake: (s, amount) => (bpool.connect(s) as Contract).joinswapExternAmountIn(oceanAddress, amount, 0n),
      unstake: (s, shares) => (bpool.connect(s) as Contract).exitswapPoolAmountIn(oceanAddress, shares, 0n),
      exit: (s, shares) => (bpool.connect(s) as Contract).exitPool(shares, [0n, 0n]),
      balances: async () => ({ datatoken: await bpool.getBalance(v3Dt), ocean: await bpool.getBalance(oceanAddress), supply: await bpool.totalSupply() }),
    };
    return [writtenSide, publishedSide];
  }

  /** Everything either side holds that a trader or the pool can see, by name. */
  async function state(side: Side): Promise<Record<string, bigint>> {
    const out: Record<string, bigint> = {};
    const b = await side.balances();
    Object.assign(out, { "pool datatokens": b.datatoken, "pool OCEAN": b.ocean, "share supply": b.supply });
    const dt = new Contract(side.datatoken, ["function balanceOf(address) view returns (uint256)"], signers[0]);
    const shares = new Contract(side.address, ["function balanceOf(address) view returns (uint256)"], signers[0]);
    for (const [i, a] of holders.entries()) {
      out[`trader ${i} datatokens`] = await dt.balanceOf(a);
      out[`trader ${i} shares`] = await shares.balanceOf(a);
    }
    return out;
  }

  /** The largest difference between the two sides, relative to the larger value (of values over a millionth of a token), and where; the largest in wei. */
  function compare(a: Record<string, bigint>, b: Record<string, bigint>): { worst: number; where: string; abs: bigint } {
    let worst = 0;
    let where = "";
    let abs = 0n;
    for (const key of Object.keys(a)) {
      const d = a[key] > b[key] ? a[key] - b[key] : b[key] - a[key];
      const scale = a[key] > b[key] ? a[key] : b[key];
      if (d > ABSOLUTE + BigInt(Math.ceil(Number(scale) * RELATIVE))) expect.fail(`${key}: written ${a[key]}, published ${b[key]} (differ by ${d} wei)`);
      const rel = scale < 10n ** 12n ? 0 : Number(d) / Number(scale); // relative differences of dust say nothing
      if (rel > worst) [worst, where] = [rel, `${key}: ${d} wei of ${scale}`];
      if (d > abs) abs = d;
    }
    return { worst, where, abs };
  }

  before(async function () {
    signers = (await this.hre.ethers.getSigners()).slice(0, 4);
    holders = await Promise.all(signers.map((s) => s.getAddress()));
    ocean = await new OceanV3Token__factory(signers[0]).deploy(
      holders,
      holders.map(() => 10_000_000n * TOKEN),
    );
    oceanAddress = await ocean.getAddress();
  });

  for (const [dtWeight, feeBps] of [
    [3, 10],
    [9, 30],
    [5, 1000],
  ] as const) {
    it(`weights ${dtWeight}:${10 - dtWeight}, fee ${feeBps / 100}%: 60 random buys, sells, stakes, unstakes and exits leave every balance within the stated rounding`, async function () {
      const [written, published] = await pools(dtWeight, BigInt(feeBps) * 10n ** 14n);
      const rng = createRng(`crosscheck-${dtWeight}-${feeBps}`);
      const OCEAN_BALANCE = async (a: string) => ocean.balanceOf(a);
      let worst = { worst: 0, where: "", abs: 0n };
      const ops: string[] = [];
      for (let step = 0; step < 60; step++) {
        const t = rng.int(1, signers.length - 1);
        const trader = signers[t];
        // the same numbers go to both: from the smaller of the two sides' balances
        const [rw, rp] = [await written.balances(), await published.balances()];
        const least = (a: bigint, b: bigint) => (a < b ? a : b);
        const r = { datatoken: least(rw.datatoken, rp.datatoken), ocean: least(rw.ocean, rp.ocean) };
        const held = least((await state(written))[`trader ${t} shares`], (await state(published))[`trader ${t} shares`]);
        const kind = rng.choice(["buy", "sell", "stake", "unstake", "exit"] as const);
        // amounts within Balancer's limits
        const amount =
          kind === "buy"
            ? (r.datatoken * BigInt(rng.int(1, 300))) / 1000n
            : kind === "sell"
              ? (r.datatoken * BigInt(rng.int(1, 450))) / 1000n
              : kind === "stake"
                ? (r.ocean * BigInt(rng.int(1, 450))) / 1000n
                : (held * BigInt(rng.int(1, 100))) / 100n;
        if (amount === 0n) continue;
        const outcomes: (string | undefined)[] = [];
        const oceanPaid: bigint[] = [];
        for (const side of [written, published]) {
          const before = await OCEAN_BALANCE(holders[t]);
          try {
            await side[kind](trader, amount);
            outcomes.push(undefined);
          } catch (error) {
            outcomes.push(String((error as Error).message).slice(0, 80));
          }
          oceanPaid.push((await OCEAN_BALANCE(holders[t])) - before);
        }
        ops.push(`${kind} ${amount}`);
        expect(outcomes[0] === undefined, `step ${step} (${kind} ${amount}): written ${outcomes[0] ?? "ok"}, published ${outcomes[1] ?? "ok"}`).to.equal(outcomes[1] === undefined);
        // the trader's OCEAN moved by the same amount on both sides, within the rounding of the pool's OCEAN
        // balance (a proportional exit's bdiv(p, S) is rounded to 18 digits, then multiplied by the balance)
        const d = oceanPaid[0] > oceanPaid[1] ? oceanPaid[0] - oceanPaid[1] : oceanPaid[1] - oceanPaid[0];
        const scale = rp.ocean > rw.ocean ? rp.ocean : rw.ocean;
        expect(d <= ABSOLUTE + BigInt(Math.ceil(Number(scale) * RELATIVE)), `step ${step} ${kind}: OCEAN moved ${oceanPaid[0]} written, ${oceanPaid[1]} published`).to.equal(true);
        const c = compare(await state(written), await state(published));
        if (c.worst > worst.worst) worst = { ...c, abs: c.abs > worst.abs ? c.abs : worst.abs };
        else if (c.abs > worst.abs) worst.abs = c.abs;
      }
      expect(ops.filter((o) => o.startsWith("exit")).length, "the sequence has proportional exits").to.be.greaterThan(0);
      console.log(`      largest difference: ${worst.worst.toExponential(2)} relative (${worst.where}), ${worst.abs} wei at most`);
    });
  }

  it("where they differ: BPool refuses a zero swap fee (its minimum is 0.0001%), and lets a swap drain a balance the written pool refuses to", async function () {
    const [publisher] = signers;
    const v3 = await deployOceanV3(deployTools(publisher, holders[0]));
    const bpoolAddress = await v3.poolFactory.newBPool.staticCall();
    await v3.poolFactory.newBPool();
    const bpool = new Contract(bpoolAddress, artifact(V3_ARTIFACTS.pool).abi, publisher);
    const dtAddress = await v3.datatokenFactory.createToken.staticCall("", "DT", "DT", 100n * TOKEN);
    await v3.datatokenFactory.createToken("", "DT", "DT", 100n * TOKEN);
    const dt = new Contract(dtAddress, artifact(V3_ARTIFACTS.datatokenTemplate).abi, publisher);
    await dt.mint(holders[0], 100n * TOKEN);
    await dt.approve(bpoolAddress, MaxUint256);
    await ocean.approve(bpoolAddress, MaxUint256);
    await expect(bpool.setup(dtAddress, TOKEN, 9n * TOKEN, oceanAddress, TOKEN, TOKEN, 0n)).to.be.revertedWith("ERR_MIN_FEE");
    await bpool.setup(dtAddress, TOKEN, 9n * TOKEN, oceanAddress, TOKEN, TOKEN, 10n ** 12n);
    // 9:1 weights, 1 datatoken against 1 OCEAN: each sell of half the datatokens takes 1 − (2/3)^9 ≈ 97% of the OCEAN.
    // BPool takes them until its OCEAN is dust and the next spot price divides by zero; the written pool stops
    // at BalanceTooSmall before a balance falls under 1e-12 tokens (oceanv3.test.ts).
    let lowest = TOKEN;
    let reason = "";
    for (let i = 0; i < 40 && !reason; i++) {
      const b = await bpool.getBalance(dtAddress);
      try {
        await bpool.swapExactAmountIn(dtAddress, b / 2n - 1n, oceanAddress, 0n, MaxUint256);
        lowest = await bpool.getBalance(oceanAddress);
      } catch (error) {
        reason = String((error as Error).message);
      }
    }
    expect(lowest).to.be.lessThan(10n ** 6n); // under 1e-12 OCEAN
    expect(reason).to.match(/ERR_DIV_ZERO|ERR_MATH_APPROX/);
  });
});
