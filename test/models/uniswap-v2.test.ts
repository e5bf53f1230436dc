import { expect } from "chai";
import fc from "fast-check";
import { MaxUint256, getAddress } from "ethers";
import fs from "fs";
import os from "os";
import path from "path";
import { Agent, createRng, defineNetlist, isTransactionReverted, param, type AgentWallet, type InvariantSample, type SimResult } from "../../src/api";
import { AmmPoolAdapter } from "../../sims/amm/amm-pool";
import type { ConstantProductPool, Side } from "../../sims/amm/pool";
import { FACTORY_ARTIFACT, PAIR_ARTIFACT, type UniswapV2Factory, type UniswapV2Pair } from "../../sims/uniswap-v2/contracts";
import { UniswapV2PairAdapter } from "../../sims/uniswap-v2/pair";
import { AmmPool__factory, AmmToken__factory } from "../../typechain-types";
import { ROOT, readJson, useEnvironment } from "../helpers";

const E18 = 10n ** 18n;

/** The no-arbitrage band's edge at V2's 0.30% as a tracking error: the pool may sit up to a factor 1/0.997 off. */
const FEE_BAND = 1 / 0.997 - 1;

/** The KPIs both models compute the same way: with the same seed and params they must agree at every tick. */
const SHARED_KPIS = [
  "poolPrice",
  "externalPrice",
  "trackingError",
  "reserveVolatile",
  "reserveStable",
  "totalShares",
  "feesInStable",
  "lpValueVsHold",
  "lpVsHoldNoFees",
  "arbProfit",
  "volatileHeld",
  "stableHeld",
  "arbTrades",
  "noiseTrades",
  "lpActions",
  "arbReverts",
  "noiseReverts",
  "lpReverts",
  "reverts",
];

/**
 * Invariants of the pair, checked at every sample: k = reserveVolatile · reserveStable never falls
 * across a tick without a burn; nothing is left in the pair beyond its reserves; both tokens are
 * conserved (every holder's balances add up to what setup minted); the founding LP position is
 * worth more than 0. Returns the first broken one's name, or undefined. One per check: it keeps
 * the previous sample, and starts over at each run's tick 0.
 */
function pairInvariants() {
  let previous: { k: bigint; burns: number } | undefined;
  let minted: { volatile: bigint; stable: bigint } | undefined;
  return (s: InvariantSample): string | undefined => {
    if (s.tick === 0) [previous, minted] = [undefined, undefined]; // a new run
    const k = s.kpi<bigint>("reserveVolatile") * s.kpi<bigint>("reserveStable");
    const burns = s.kpi<number>("pairBurns");
    minted ??= { volatile: s.kpi<bigint>("volatileHeld"), stable: s.kpi<bigint>("stableHeld") };
    const kFell = previous !== undefined && burns === previous.burns && k < previous.k;
    previous = { k, burns };
    if (kFell) return "k fell across a tick without a burn";
    if (s.kpi<bigint>("pairSurplus") !== 0n) return "tokens left in the pair beyond its reserves";
    if (s.kpi<bigint>("volatileHeld") !== minted.volatile || s.kpi<bigint>("stableHeld") !== minted.stable) return "tokens not conserved";
    if (!(s.kpi<number>("lpValueVsHold") > 0)) return "LP value not positive";
    return undefined;
  };
}

describe("uniswap-v2 model (netlist end to end, and against amm)", function () {
  useEnvironment(ROOT);

  describe("at default params, 30 ticks", () => {
    let r: SimResult;
    let out: string;
    before(async function () {
      out = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-uniswap-v2-"));
      r = await this.hre.tokenspice.run("uniswap-v2", { seed: 7, steps: 30, out, force: true });
    });

    it("deploys Uniswap V2's published factory (v2-core 1.0.1, solc 0.5.16) and records where it came from", () => {
      const manifest = readJson(path.join(out, "manifest.json"));
      const factory = manifest.deployments.find((d: { name: string }) => d.name === "UniswapV2Factory");
      expect(factory).to.include({ source: "@uniswap/v2-core@1.0.1/build/UniswapV2Factory.json", compiler: "0.5.16+commit.9c3226ce" });
      expect(factory.bytecodeHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(manifest.deployments.map((d: { name: string }) => d.name)).to.deep.equal(["AmmToken", "AmmToken", "UniswapV2Factory"]);
    });

    it("conserves both tokens and leaves nothing in the pair beyond its reserves, by hand", () => {
      // as amm: 250 VOL + 500,000 USD founding; 10× it for the arbitrageur, 0.2× for each of 2 LPs and
      // 10 noise traders: 13.4 founding deposits
      expect(r.kpi("volatileHeld")).to.stay.within(3_350n * E18, 3_350n * E18);
      expect(r.kpi("stableHeld")).to.stay.within(6_700_000n * E18, 6_700_000n * E18);
      expect(r.kpi("pairSurplus")).to.stay.within(0n, 0n);
    });

    it("starts at the external price with the founding deposit, √(250e18 · 500,000e18) shares", () => {
      expect(r.kpi("poolPrice").at(0)).to.equal(2000);
      expect(r.kpi("reserveVolatile").at(0)).to.equal(250n * E18);
      expect(r.kpi("reserveStable").at(0)).to.equal(500_000n * E18);
      expect(r.kpi("totalShares").at(0)).to.equal(11_180_339_887_498_948_482_045n); // ⌊√1.25e44⌋, 1000 of them locked
      expect(r.kpi("lpValueVsHold").at(0)).to.equal(1);
      expect(r.kpi("lpShareGrowth").at(0)).to.equal(0);
    });

    it("tracks the external price within V2's fee band after arbitrage, and its oracle reads the close of the tick before", () => {
      expect(r.kpi("trackingError")).to.stay.within(0, FEE_BAND + 1e-9);
      expect(r.kpi("externalPrice").std()).to.be.greaterThan(0);
      const pool = r.kpi<number>("poolPrice").values;
      const oracle = r.kpi<number>("oraclePrice").values;
      expect(oracle[0]).to.equal(pool[0]);
      for (let t = 1; t < pool.length; t++) expect(oracle[t], `tick ${t}`).to.be.closeTo(pool[t - 1], pool[t - 1] * 1e-12);
      expect(oracle.slice(1)).to.not.deep.equal(pool.slice(1)); // it lags: the pool moved during the run
    });

    it("earns fees in the growth of √k per share, and counts pair calls consistently with the agents' actions", () => {
      expect(r.kpi("lpShareGrowth").final()).to.be.greaterThan(0);
      expect(r.kpi("feesInStable")).to.be.nonDecreasing;
      expect(r.kpi("protocolFeeValue")).to.stay.within(0, 0);
      const final = (k: string) => r.kpi<number>(k).final();
      expect(final("pairSwaps")).to.equal(final("arbTrades") + final("noiseTrades"));
      expect(final("pairMints") - 1 + final("pairBurns")).to.equal(final("lpActions")); // the founding deposit is a mint
      expect(final("arbTrades")).to.be.greaterThan(0);
      expect(final("noiseTrades")).to.be.greaterThan(0);
    });

    it("names every revert: the pair's own UniswapV2: K on a swap whose minimum the curve no longer gives, by agent type and by reason", () => {
      expect(r.reverts.length).to.be.greaterThan(0);
      for (const revert of r.reverts) expect([revert.call, revert.reason, revert.agent]).to.deep.equal(["UniswapV2Pair.swap", "UniswapV2: K", revert.agent]);
      for (const revert of r.reverts) expect(revert.agent).to.match(/^noise-\d+$/);
      const final = (k: string) => r.kpi<number>(k).final();
      expect(final("kReverts")).to.equal(r.reverts.length);
      expect(final("noiseReverts") + final("arbReverts") + final("lpReverts")).to.equal(final("reverts"));
      expect(final("liquidityReverts") + final("otherReverts")).to.equal(0);
    });
  });

  it("cross-check: the same seeded run on amm's pool at 30 bps and on the V2 pair gives the same reserves, shares, trades and reverts at every tick", async function () {
    // more LP activity than the defaults, so mints and burns interleave with swaps
    const params = { lpActionProbability: 0.5, lpActionFraction: 0.3, slippageBps: 50 };
    const amm = await this.hre.tokenspice.run("amm", { seed: 5, steps: 60, params: { ...params, feeBps: 30 } });
    const v2 = await this.hre.tokenspice.run("uniswap-v2", { seed: 5, steps: 60, params });
    for (const kpi of SHARED_KPIS) expect(v2.kpi(kpi).values, kpi).to.deep.equal(amm.kpi(kpi).values);
    // it is not trivially equal: the run swapped, minted, burned and reverted
    expect(v2.kpi<number>("pairBurns").final()).to.be.greaterThan(3);
    expect(v2.kpi<number>("pairMints").final()).to.be.greaterThan(3);
    expect(v2.kpi<bigint>("reserveVolatile").values).to.not.deep.equal(Array(61).fill(v2.kpi<bigint>("reserveVolatile").at(0)));
    // the same swaps refused, each by its own pool's check
    const where = (x: SimResult) => x.reverts.map((e) => `${e.tick} ${e.agent}`);
    expect(where(v2)).to.deep.equal(where(amm));
    expect(v2.reverts.length).to.be.greaterThan(0);
    expect(new Set(amm.reverts.map((e) => e.reason.replace(/\(.*/, "")))).to.deep.equal(new Set(["InsufficientOutput"]));
    expect(new Set(v2.reverts.map((e) => e.reason))).to.deep.equal(new Set(["UniswapV2: K"]));
  });

  it("cross-check, operation by operation: large swaps both ways, refused swaps, lopsided deposits and withdrawals leave both pools and wallets equal", async function () {
    type Op = { kind: "swap"; sell: Side; fraction: number; minFactor: number } | { kind: "add"; volatile: number; stable: number } | { kind: "remove"; fraction: number };
    type Step = { op: Op; outcome: string; reserves: [bigint, bigint]; supply: bigint; wallet: [bigint, bigint, bigint] };
    const rng = createRng("uniswap-v2-twin-ops");
    const ops: Op[] = Array.from({ length: 60 }, (): Op => {
      const kind = rng.choice(["swap", "swap", "add", "remove"] as const);
      if (kind === "swap") return { kind, sell: rng.bool() ? "volatile" : "stable", fraction: rng.float(0.0001, 0.3), minFactor: rng.float(0.98, 1.01) };
      if (kind === "add") return { kind, volatile: rng.float(0.001, 0.2), stable: rng.float(0.001, 0.2) };
      return { kind, fraction: rng.float(0.01, 1) };
    });
    const scaled = (amount: bigint, f: number) => (amount * BigInt(Math.round(f * 1e9))) / 1_000_000_000n;

    /** Applies the operations to its pool with its wallet; records what happened after each. */
    class Replayer extends Agent<unknown, unknown> {
      readonly steps: Step[] = [];
      constructor(
        wallet: AgentWallet,
        private readonly pool: ConstantProductPool,
      ) {
        super(wallet);
      }
      async step(): Promise<void> {
        for (const op of ops) {
          const before = await this.pool.reserves();
          const held = await this.pool.holdingsOf(this.wallet.address);
          let outcome = "ok";
          try {
            if (op.kind === "swap") {
              const buy: Side = op.sell === "volatile" ? "stable" : "volatile";
              const amountIn = scaled(before[op.sell], op.fraction);
              // a minimum around the exact quote: above it, the swap must be refused by both pools
              const min = scaled(this.pool.getAmountOut(amountIn, before[op.sell], before[buy]), op.minFactor);
              await this.pool.swapExactIn(this.wallet, op.sell, amountIn, min);
            } else if (op.kind === "add") await this.pool.addLiquidity(this.wallet, scaled(held.volatile, op.volatile), scaled(held.stable, op.stable));
            else await this.pool.removeLiquidity(this.wallet, scaled(held.shares, op.fraction));
          } catch (error) {
            if (!isTransactionReverted(error)) throw error;
            outcome = "reverted";
          }
          const after = await this.pool.reserves();
          const wallet = await this.pool.holdingsOf(this.wallet.address);
          this.steps.push({ op, outcome, reserves: [after.volatile, after.stable], supply: await this.pool.totalShares(), wallet: [wallet.volatile, wallet.stable, wallet.shares] });
        }
      }
    }

    let replayers: [Replayer, Replayer] | undefined;
    const twin = defineNetlist({
      description: "the same operations on AmmPool at 30 bps and on Uniswap V2's pair",
      params: { unused: param.int({ default: 0 }) },
      time: { steps: 1, stepSeconds: 86_400 },
      async setup({ deploy, deployArtifact, at, wallet, deployer }) {
        const volatile = await deploy(AmmToken__factory, "Volatile", "VOL");
        const stable = await deploy(AmmToken__factory, "Stable", "USD");
        const addresses = { volatile: await volatile.getAddress(), stable: await stable.getAddress() };
        const ammContract = await deploy(AmmPool__factory, addresses.volatile, addresses.stable, 30);
        const amm = new AmmPoolAdapter(ammContract, addresses, 30);
        const factory = await deployArtifact<UniswapV2Factory>(FACTORY_ARTIFACT, [deployer.address]);
        await factory.createPair(addresses.volatile, addresses.stable);
        const pairAddress = await factory.getPair(addresses.volatile, addresses.stable);
        const pair = at<UniswapV2Pair>(PAIR_ARTIFACT, pairAddress);
        const v2 = new UniswapV2PairAdapter(pair, pairAddress, { volatile, stable }, getAddress(await pair.token0()) === getAddress(addresses.volatile));
        const wallets: AgentWallet[] = [];
        for (const name of ["founder", "amm-trader", "v2-trader"]) {
          const w = await wallet(name);
          await volatile.mint(w.address, 10_000n * E18);
          await stable.mint(w.address, 20_000_000n * E18);
          await volatile.connect(w.signer).approve(await ammContract.getAddress(), MaxUint256);
          await stable.connect(w.signer).approve(await ammContract.getAddress(), MaxUint256);
          wallets.push(w);
        }
        // the same founding deposit in both (the founder's shares stay), then one trader per pool
        await amm.addLiquidity(wallets[0], 250n * E18, 500_000n * E18);
        await v2.addLiquidity(wallets[0], 250n * E18, 500_000n * E18);
        replayers = [new Replayer(wallets[1], amm), new Replayer(wallets[2], v2)];
        return { world: {}, agents: replayers };
      },
      kpis: {},
    });
    await this.hre.tokenspice.run(twin, { seed: 1 });
    const [amm, v2] = replayers!;
    expect(amm.steps).to.have.length(ops.length);
    v2.steps.forEach((step, i) => expect(step, `operation ${i}: ${JSON.stringify(ops[i])}`).to.deep.equal(amm.steps[i]));
    // every kind of operation happened, and some swaps were refused (by both)
    const outcomes = new Set(amm.steps.map((s) => `${s.op.kind} ${s.outcome}`));
    for (const o of ["swap ok", "swap reverted", "add ok", "remove ok"]) expect(outcomes, o).to.include(o);
  });

  it("with the protocol fee on, feeTo's shares dilute the LPs' growth of √k; without liquidity events it collects nothing", async function () {
    const params = { lpActionProbability: 0.5 };
    const off = await this.hre.tokenspice.run("uniswap-v2", { seed: 3, steps: 40, params });
    const on = await this.hre.tokenspice.run("uniswap-v2", { seed: 3, steps: 40, params: { ...params, protocolFee: true } });
    expect(on.kpi<number>("protocolFeeValue").final()).to.be.greaterThan(0);
    expect(on.kpi<number>("lpShareGrowth").final()).to.be.lessThan(off.kpi<number>("lpShareGrowth").final());
    expect(on.kpi<number>("lpValueVsHold").final()).to.be.lessThan(off.kpi<number>("lpValueVsHold").final());
    // the fee is minted only at a mint or burn: with no LP agents, only the founding deposit
    const quiet = await this.hre.tokenspice.run("uniswap-v2", { seed: 3, steps: 20, params: { numLPs: 0, protocolFee: true } });
    expect(quiet.kpi("protocolFeeValue")).to.stay.within(0, 0);
    expect(quiet.kpi<number>("lpShareGrowth").final()).to.be.greaterThan(0);
  });

  it("property: k never falls across a tick without a burn, nothing is stranded in the pair, tokens are conserved, LP value stays positive, and amm at 30 bps agrees", async function () {
    this.timeout(300_000);
    const seen: boolean[] = [];
    await this.hre.tokenspice.check("uniswap-v2", {
      // Rates as whole percents (or per mille): fast-check's doubles favour the ends of a range and
      // subnormals (a trade probability of 1e-323 is no trading at all), integers spread better.
      params: {
        volatility: fc.integer({ min: 0, max: 300 }).map((n) => n / 100),
        noiseTradeProbability: fc.integer({ min: 20, max: 100 }).map((n) => n / 100),
        noiseTradeFraction: fc.integer({ min: 1, max: 500 }).map((n) => n / 1000),
        slippageBps: fc.integer({ min: 0, max: 200 }), // tight tolerances: refused swaps, skimmed back
        lpActionProbability: fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
        lpActionFraction: fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
        // the rest is drawn from the params' full ranges; only the crowd is kept small for speed
        numNoiseTraders: fc.integer({ min: 1, max: 4 }),
        numLPs: fc.integer({ min: 0, max: 2 }),
      },
      invariant: (() => {
        const check = pairInvariants();
        return (s: InvariantSample) => {
          const broken = check(s);
          if (broken !== undefined) throw new Error(broken);
          return true;
        };
      })(),
      // and, with the protocol fee off, the cross-check as a property: amm's pool at 30 bps, run
      // with the same seed and params (a counterfactual run), holds the same reserves at every tick
      property: async (r) => {
        seen.push(r.params.protocolFee as boolean);
        if ((r.params.numArbitrageurs as number) > 0) expect(r.kpi("trackingError")).to.stay.within(0, FEE_BAND + 1e-9);
        expect(r.kpi("poolPrice")).to.never.dropBelow(Number.MIN_VALUE);
        if (r.params.protocolFee) return;
        const { protocolFee: _, ...market } = r.params;
        const amm = await this.hre.tokenspice.run("amm", { seed: r.seed, steps: r.steps, params: { ...market, feeBps: 30 } });
        for (const kpi of ["reserveVolatile", "reserveStable", "totalShares"]) expect(r.kpi(kpi).values, kpi).to.deep.equal(amm.kpi(kpi).values);
      },
      steps: 15,
      runs: 12,
      seed: 11,
    });
    expect(seen).to.have.length(12);
    expect(new Set(seen), "both with and without the protocol fee").to.deep.equal(new Set([true, false]));
  });
});
