import { MaxUint256 } from "ethers";
import { DAY, defineNetlist, prepareCall, type Agent, type AgentWallet } from "../../src/api";
import { AmmPool__factory, AmmToken__factory, type AmmToken } from "../../typechain-types";
import { createPopulation } from "./agents";
import { AmmPoolAdapter } from "./amm-pool";
import { SECONDS_PER_YEAR } from "./gbm";
import { ammParams, foundingDeposit } from "./params";
import { readPoolState, type AmmParams, type AmmWorld, type PoolState } from "./world";

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
    const contract = await deploy(AmmPool__factory, addresses.volatile, addresses.stable, params.feeBps);
    const poolAddress = await contract.getAddress();
    const pool = new AmmPoolAdapter(contract, addresses, params.feeBps);

    // The founding deposit sets the pool's price to the external one; the deployer keeps its shares.
    const deposit = foundingDeposit(params);
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
    await fund(deployer, deposit.volatile, deposit.stable);
    await pool.addLiquidity(deployer, deposit.volatile, deposit.stable);
    const founding = { ...deposit, shares: await contract.balanceOf(deployer.address) };

    const { market, lps, noise, arbs } = await createPopulation(params, deposit, wallet, fund);
    const holders = [deployer.address, poolAddress, ...[...lps, ...noise, ...arbs].map((a) => a.wallet.address)];
    const world: AmmWorld = {
      pool,
      volatile,
      stable,
      externalPrice: params.initialPrice,
      initialPrice: params.initialPrice,
      dtYears: DAY / SECONDS_PER_YEAR,
      founding,
      minted,
      readHolderBalances: { volatile: prepareCall(volatile, "balancesOf", holders), stable: prepareCall(stable, "balancesOf", holders) },
      counts: { arbTrades: 0, arbReverts: 0, noiseTrades: 0, noiseReverts: 0, lpActions: 0, lpReverts: 0 },
      arbProfit: 0,
      lastSample: undefined,
      tickStart: undefined,
    };
    const agents: Agent<AmmWorld, AmmParams>[] = [market, ...lps, ...noise, ...arbs];
    return { world, agents };
  },

  // One poolState() call per sample, shared by the pool KPIs and kept for the noise traders, who
  // quote from the pool as it was at the start of the next tick.
  async sample({ world, tick }) {
    const state = await readPoolState(world.pool.contract);
    world.lastSample = { tick, reserves: { volatile: state.reserveVolatile, stable: state.reserveStable } };
    return state;
  },

  kpis: {
    // Stable tokens per volatile token; both have 18 decimals, so the reserves' ratio is the price.
    poolPrice: { value: ({ sample }) => poolPrice(sample), label: "Pool price", unit: "USD", scale: "log", group: "Price", doc: "USD per VOL in the pool: reserveStable / reserveVolatile." },
    externalPrice: { value: ({ world }) => world.externalPrice, label: "External price", unit: "USD", scale: "log", group: "Price", doc: "USD per VOL on the external market: a seeded GBM." },
    trackingError: {
      value: ({ sample, world }) => Math.abs(poolPrice(sample) / world.externalPrice - 1),
      label: "Tracking error",
      doc: "|pool price / external price - 1| after the tick's arbitrage.",
    },
    reserveVolatile: { value: ({ sample }) => sample.reserveVolatile, label: "Pool reserve of VOL", unit: "VOL", decimals: 18, doc: "The pool's volatile-token reserve." },
    reserveStable: { value: ({ sample }) => sample.reserveStable, label: "Pool reserve of USD", unit: "USD", decimals: 18, doc: "The pool's stable-token reserve." },
    totalShares: { value: ({ sample }) => sample.shares, label: "LP shares", unit: "shares", decimals: 18, doc: "LP share supply, the locked 1,000 wei included." },
    // Cumulative, valued at the pool's price when each fee was paid; it stays in the reserves (LPs').
    feesInStable: {
      value: ({ sample }) => sample.feesInStable,
      label: "Fees paid",
      unit: "USD",
      decimals: 18,
      doc: "Cumulative swap fees, each valued in USD at the pool's price when paid; they stay in the reserves (the LPs').",
    },
    // The founding deposit's LP position over what holding its tokens would be worth, both at the
    // external price: below 1 is impermanent loss net of fees.
    lpValueVsHold: {
      value: ({ sample: s, world }) => {
        const p = world.externalPrice;
        const position = (Number(world.founding.shares) / Number(s.shares)) * (Number(s.reserveVolatile) * p + Number(s.reserveStable));
        return position / (Number(world.founding.volatile) * p + Number(world.founding.stable));
      },
      label: "LP value / hold",
      group: "LP value vs holding",
      doc: "The founding LP position's value over holding its deposit, both at the external price; below 1 is impermanent loss net of fees.",
    },
    // The textbook value of the same ratio for a fee-free pool that always sits at the external
    // price: 2√r/(1+r), r = price / initial price.
    lpVsHoldNoFees: {
      value: ({ world }) => {
        const r = world.externalPrice / world.initialPrice;
        return (2 * Math.sqrt(r)) / (1 + r);
      },
      label: "LP value / hold, no fees (theory)",
      group: "LP value vs holding",
      doc: "The textbook ratio for a fee-free pool at the external price: 2√r/(1+r), r = P/P₀.",
    },
    arbProfit: { value: ({ world }) => world.arbProfit, label: "Arbitrage profit", unit: "USD", doc: "Arbitrageurs' cumulative profit, valued at the external price when they traded." },
    kDecreases: {
      value: ({ sample }) => Number(sample.kDecreases),
      label: "Swaps that lowered k",
      unit: "swaps",
      doc: "Swaps that left k = reserve0 · reserve1 lower, counted by the pool: must stay 0.",
    },
    // Every holder's balances summed: equal to what setup minted, at every tick, if tokens are conserved.
    volatileHeld: {
      value: async ({ world }) => sum(await world.readHolderBalances.volatile()),
      label: "VOL held by all",
      unit: "VOL",
      decimals: 18,
      doc: "Every holder's VOL (deployer, pool, agents) summed: what setup minted, while VOL is conserved.",
    },
    stableHeld: {
      value: async ({ world }) => sum(await world.readHolderBalances.stable()),
      label: "USD held by all",
      unit: "USD",
      decimals: 18,
      doc: "Every holder's USD (deployer, pool, agents) summed: what setup minted, while USD is conserved.",
    },
    arbTrades: { value: ({ world }) => world.counts.arbTrades, label: "Arbitrage trades", unit: "transactions", group: "Successful actions", doc: "Successful arbitrage swaps so far." },
    noiseTrades: { value: ({ world }) => world.counts.noiseTrades, label: "Noise trades", unit: "transactions", group: "Successful actions", doc: "Successful noise-trader swaps so far." },
    lpActions: { value: ({ world }) => world.counts.lpActions, label: "LP actions", unit: "transactions", group: "Successful actions", doc: "Successful adds and removes of liquidity so far." },
    arbReverts: { value: ({ world }) => world.counts.arbReverts, label: "Arbitrage reverts", unit: "transactions", group: "Reverts by agent type", doc: "Reverted arbitrage transactions so far." },
    noiseReverts: {
      value: ({ world }) => world.counts.noiseReverts,
      label: "Noise-trade reverts",
      unit: "transactions",
      group: "Reverts by agent type",
      doc: "Reverted noise trades so far (slippage past the tolerance).",
    },
    lpReverts: { value: ({ world }) => world.counts.lpReverts, label: "LP reverts", unit: "transactions", group: "Reverts by agent type", doc: "Reverted LP transactions so far." },
    reverts: {
      value: ({ reverts }) => reverts,
      label: "All reverts",
      unit: "transactions",
      group: "Reverts by agent type",
      doc: "The engine's count of reverted agent transactions; equals the three above summed.",
    },
  },
});

function poolPrice(s: Pick<PoolState, "reserveVolatile" | "reserveStable">): number {
  return s.reserveVolatile === 0n ? 0 : Number(s.reserveStable) / Number(s.reserveVolatile);
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}
