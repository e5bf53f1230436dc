import { MaxUint256 } from "ethers";
import { defineNetlist, prepareCall, type Agent, type AgentWallet } from "../../src/api";
import { AmmPool__factory, AmmToken__factory, type AmmToken } from "../../typechain-types";
import { Arbitrageur, LiquidityProvider, Market, NoiseTrader } from "./agents";
import { SECONDS_PER_YEAR } from "./gbm";
import { FUNDING, ammParams } from "./params";
import { sampledState, type AmmParams, type AmmWorld } from "./world";

const DAY = 86_400;
const WEI = 10n ** 18n;

/** `amount` times a multiple given to a thousandth. */
const times = (amount: bigint, multiple: number) => (amount * BigInt(Math.round(multiple * 1000))) / 1000n;

export default defineNetlist({
  description: "A constant-product pool with a swap fee: arbitrageurs track a GBM external price, noise traders and LPs come and go",
  params: ammParams,
  time: { steps: 365, stepSeconds: DAY },
  // The market moves the price, LPs and noise traders act, arbitrageurs close the gap last.
  agentOrder: "declared",

  async setup({ deploy, wallet, deployer, params }) {
    const volatile = await deploy(AmmToken__factory, "Volatile", "VOL");
    const stable = await deploy(AmmToken__factory, "Stable", "USD");
    const addresses = { volatile: await volatile.getAddress(), stable: await stable.getAddress() };
    const pool = await deploy(AmmPool__factory, addresses.volatile, addresses.stable, params.feeBps);
    const poolAddress = await pool.getAddress();

    // The founding deposit sets the pool's price to the external one; the deployer keeps its shares.
    const foundingStable = (BigInt(params.initialLiquidity) * WEI) / 2n;
    const foundingVolatile = (foundingStable * WEI) / BigInt(Math.round(params.initialPrice * 1e18));
    const minted = { volatile: 0n, stable: 0n };
    const fund = async (who: AgentWallet, amountVolatile: bigint, amountStable: bigint) => {
      await volatile.mint(who.address, amountVolatile);
      await stable.mint(who.address, amountStable);
      minted.volatile += amountVolatile;
      minted.stable += amountStable;
      const approve = (token: AmmToken) => token.connect(who.signer).approve(poolAddress, MaxUint256);
      await approve(volatile);
      await approve(stable);
    };
    await fund(deployer, foundingVolatile, foundingStable);
    await pool.addLiquidity(foundingVolatile, foundingStable);
    const founding = { volatile: foundingVolatile, stable: foundingStable, shares: await pool.balanceOf(deployer.address) };

    const funded = async <A extends Agent<AmmWorld, AmmParams>>(name: string, multiple: number, make: (w: AgentWallet) => A) => {
      const w = await wallet(name);
      await fund(w, times(foundingVolatile, multiple), times(foundingStable, multiple));
      return make(w);
    };
    const lps: Agent<AmmWorld, AmmParams>[] = [];
    for (let i = 0; i < params.numLPs; i++) lps.push(await funded(`lp-${i}`, FUNDING.liquidityProvider, (w) => new LiquidityProvider(w)));
    const noise: Agent<AmmWorld, AmmParams>[] = [];
    for (let i = 0; i < params.numNoiseTraders; i++) noise.push(await funded(`noise-${i}`, FUNDING.noiseTrader, (w) => new NoiseTrader(w)));
    const arbs: Agent<AmmWorld, AmmParams>[] = [];
    const arbVolatile = times(foundingVolatile, FUNDING.arbitrageur);
    const arbStable = times(foundingStable, FUNDING.arbitrageur);
    for (let i = 0; i < params.numArbitrageurs; i++) {
      arbs.push(await funded(`arbitrageur-${i}`, FUNDING.arbitrageur, (w) => new Arbitrageur(w, { volatile: arbVolatile, stable: arbStable })));
    }

    const holders = [deployer.address, poolAddress, ...[...lps, ...noise, ...arbs].map((a) => a.wallet.address)];
    const world: AmmWorld = {
      pool,
      volatile,
      stable,
      addresses,
      externalPrice: params.initialPrice,
      initialPrice: params.initialPrice,
      dtYears: DAY / SECONDS_PER_YEAR,
      founding,
      minted,
      readHolderBalances: { volatile: prepareCall(volatile, "balancesOf", holders), stable: prepareCall(stable, "balancesOf", holders) },
      counts: { arbTrades: 0, arbReverts: 0, noiseTrades: 0, noiseReverts: 0, lpActions: 0, lpReverts: 0 },
      arbProfit: 0,
      sampled: undefined,
      tickStart: undefined,
    };
    return { world, agents: [new Market(await wallet("market")), ...lps, ...noise, ...arbs] };
  },

  kpis: {
    // Stable tokens per volatile token; both have 18 decimals, so the reserves' ratio is the price.
    poolPrice: async ({ world, tick }) => poolPrice(await sampledState(world, tick)),
    externalPrice: ({ world }) => world.externalPrice,
    trackingError: async ({ world, tick }) => Math.abs(poolPrice(await sampledState(world, tick)) / world.externalPrice - 1),
    reserveVolatile: async ({ world, tick }) => (await sampledState(world, tick)).reserveVolatile,
    reserveStable: async ({ world, tick }) => (await sampledState(world, tick)).reserveStable,
    totalShares: async ({ world, tick }) => (await sampledState(world, tick)).shares,
    // Cumulative, valued at the pool's price when each fee was paid; it stays in the reserves (LPs').
    feesInStable: async ({ world, tick }) => (await sampledState(world, tick)).feesInStable,
    // The founding deposit's LP position over what holding its tokens would be worth, both at the
    // external price: below 1 is impermanent loss net of fees.
    lpValueVsHold: async ({ world, tick }) => {
      const s = await sampledState(world, tick);
      const p = world.externalPrice;
      const position = (Number(world.founding.shares) / Number(s.shares)) * (Number(s.reserveVolatile) * p + Number(s.reserveStable));
      return position / (Number(world.founding.volatile) * p + Number(world.founding.stable));
    },
    // The textbook value of the same ratio for a fee-free pool that always sits at the external
    // price: 2√r/(1+r), r = price / initial price.
    lpVsHoldNoFees: ({ world }) => {
      const r = world.externalPrice / world.initialPrice;
      return (2 * Math.sqrt(r)) / (1 + r);
    },
    arbProfit: ({ world }) => world.arbProfit,
    kDecreases: async ({ world, tick }) => Number((await sampledState(world, tick)).kDecreases),
    // Every holder's balances summed: equal to what setup minted, at every tick, if tokens are conserved.
    volatileHeld: async ({ world }) => sum(await world.readHolderBalances.volatile()),
    stableHeld: async ({ world }) => sum(await world.readHolderBalances.stable()),
    arbTrades: ({ world }) => world.counts.arbTrades,
    noiseTrades: ({ world }) => world.counts.noiseTrades,
    lpActions: ({ world }) => world.counts.lpActions,
    arbReverts: ({ world }) => world.counts.arbReverts,
    noiseReverts: ({ world }) => world.counts.noiseReverts,
    lpReverts: ({ world }) => world.counts.lpReverts,
    reverts: ({ reverts }) => reverts,
  },
});

function poolPrice(s: { reserveVolatile: bigint; reserveStable: bigint }): number {
  return s.reserveVolatile === 0n ? 0 : Number(s.reserveStable) / Number(s.reserveVolatile);
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}
