import { getAddress } from "ethers";
import { DAY, defineNetlist, param, type Agent, type AgentWallet, type ParamValues } from "../../src/api";
import { AmmToken__factory } from "../../typechain-types";
import { createPopulation } from "../amm/agents";
import { SECONDS_PER_YEAR } from "../amm/gbm";
import { marketParams } from "../amm/params";
import type { Reserves } from "../amm/pool";
import type { PoolAgentsWorld } from "../amm/world";
import { PAIR_ARTIFACT, type UniswapV2Pair } from "../uniswap-v2/contracts";
import { UniswapV2PairAdapter } from "../uniswap-v2/pair";
import { PAIR, STABLE, VOLATILE } from "./chain";

/**
 * The worked example of forks (docs/how-to/forks.md, README.md here): the `amm` model's agents
 * (GBM market, arbitrageur, noise traders, LPs) on a Uniswap V2 pair that a live chain deployed and
 * traded on (live-chain.ts), forked at a pinned block. Nothing is deployed: the tokens and the pair
 * are attached at their addresses (`at`), and the agents are funded with `deal` (the tokens'
 * balance slot found by probing). The pair's reserves, LP supply and price accumulator at the fork
 * block are the chain's.
 */
const { initialLiquidity: _liquidity, initialPrice: _price, ...market } = marketParams;
const params = {
  ...market,
  numNoiseTraders: param.int({ default: 4, min: 0, max: 50, kind: "uncontrollable", doc: "Noise traders: random swaps" }),
} as const;

type ForkParams = ParamValues<typeof params>;

interface ForkWorld extends PoolAgentsWorld {
  readonly pool: UniswapV2PairAdapter;
  /** The pool price at the fork block (USD per VOL): the external price starts there. */
  readonly forkPrice: number;
  /** The pair's state at tick 0, for growth since the fork. */
  first: { reserves: Reserves; shares: bigint } | undefined;
}

export default defineNetlist({
  description: "amm's agents on a Uniswap V2 pair (published bytecode) that a live chain deployed and traded on, forked at a pinned block",
  params,
  time: { steps: 30, stepSeconds: DAY },
  agentOrder: "declared",

  async setup({ at, wallet, deal, params, provider }) {
    if ((await provider.getCode(PAIR)) === "0x") {
      throw new Error(
        `uniswap-v2-fork acts on the pair a live chain deployed at ${PAIR}, and this chain has no code there: stand the chain up ` +
          "(npx hardhat run --no-compile scripts/uniswap-v2-live-chain.ts) and fork it (--fork http://127.0.0.1:8545 --fork-block 40). See sims/uniswap-v2-fork/README.md.",
      );
    }
    const volatile = at(AmmToken__factory, VOLATILE);
    const stable = at(AmmToken__factory, STABLE);
    const pair = at<UniswapV2Pair>(PAIR_ARTIFACT, PAIR);
    const volatileIsToken0 = getAddress(await pair.token0()) === getAddress(VOLATILE);
    const pool = new UniswapV2PairAdapter(pair, PAIR, { volatile, stable }, volatileIsToken0);
    const reserves = await pool.reserves();
    const forkPrice = Number(reserves.stable) / Number(reserves.volatile);
    // amm's funding multiples (an arbitrageur 10x, LPs and noise traders 0.2x) of a tenth of the
    // pair's reserves at the fork, dealt: the tokens' supply is not changed.
    const reference = { volatile: reserves.volatile / 10n, stable: reserves.stable / 10n };
    const fund = async (who: AgentWallet, amountVolatile: bigint, amountStable: bigint) => {
      await deal(volatile, who, amountVolatile);
      await deal(stable, who, amountStable);
    };
    const { market, lps, noise, arbs } = await createPopulation(params, reference, wallet, fund);
    const world: ForkWorld = {
      pool,
      externalPrice: forkPrice,
      forkPrice,
      dtYears: DAY / SECONDS_PER_YEAR,
      counts: { arbTrades: 0, arbReverts: 0, noiseTrades: 0, noiseReverts: 0, lpActions: 0, lpReverts: 0 },
      arbProfit: 0,
      lastSample: undefined,
      tickStart: undefined,
      first: undefined,
    };
    const agents: Agent<ForkWorld, ForkParams>[] = [market, ...lps, ...noise, ...arbs];
    return { world, agents };
  },

  // The pair read once per sample; noise traders quote from it at the start of the next tick.
  async sample({ world, tick }) {
    const [reserves, shares] = await Promise.all([world.pool.reserves(), world.pool.pair.totalSupply()]);
    world.lastSample = { tick, reserves };
    world.first ??= { reserves, shares };
    return { reserves, shares, first: world.first };
  },

  kpis: {
    poolPrice: { value: ({ sample }) => priceOf(sample.reserves), label: "Pool price", unit: "USD", group: "Price", doc: "USD per VOL in the forked pair: reserveStable / reserveVolatile." },
    externalPrice: {
      value: ({ world }) => world.externalPrice,
      label: "External price",
      unit: "USD",
      group: "Price",
      doc: "USD per VOL on the external market: a seeded GBM from the pool price at the fork block.",
    },
    trackingError: {
      value: ({ sample, world }) => Math.abs(priceOf(sample.reserves) / world.externalPrice - 1),
      label: "Tracking error",
      doc: "|pool price / external price - 1| after the tick's arbitrage.",
    },
    reserveVolatile: { value: ({ sample }) => sample.reserves.volatile, label: "Pair reserve of VOL", unit: "VOL", decimals: 18, doc: "The pair's VOL reserve (getReserves)." },
    reserveStable: { value: ({ sample }) => sample.reserves.stable, label: "Pair reserve of USD", unit: "USD", decimals: 18, doc: "The pair's USD reserve (getReserves)." },
    totalShares: { value: ({ sample }) => sample.shares, label: "LP shares", unit: "shares", decimals: 18, doc: "The pair's LP supply: the chain's holders' shares and the agents'." },
    lpShareGrowth: {
      value: ({ sample }) => rootKPerShare(sample) / rootKPerShare(sample.first) - 1,
      label: "Fees earned per LP share since the fork",
      doc: "√(reserveVolatile · reserveStable) / LP supply over its value at tick 0, minus 1.",
    },
    feesInStable: {
      value: ({ world }) => world.pool.feesInStable,
      label: "Fees paid",
      unit: "USD",
      decimals: 18,
      doc: "Swap fees (3/1000 of each input) valued in USD at the pool's price before each swap.",
    },
    arbProfit: { value: ({ world }) => world.arbProfit, label: "Arbitrage profit", unit: "USD", doc: "Arbitrageurs' cumulative profit, valued at the external price when they traded." },
    arbTrades: { value: ({ world }) => world.counts.arbTrades, label: "Arbitrage trades", unit: "transactions", group: "Successful actions", doc: "Successful arbitrage swaps so far." },
    noiseTrades: { value: ({ world }) => world.counts.noiseTrades, label: "Noise trades", unit: "transactions", group: "Successful actions", doc: "Successful noise-trader swaps so far." },
    lpActions: { value: ({ world }) => world.counts.lpActions, label: "LP actions", unit: "transactions", group: "Successful actions", doc: "Successful adds and removes of liquidity so far." },
    reverts: { value: ({ reverts }) => reverts, label: "All reverts", unit: "transactions", doc: "Reverted agent transactions so far." },
  },
});

function priceOf(reserves: Reserves): number {
  return reserves.volatile === 0n ? 0 : Number(reserves.stable) / Number(reserves.volatile);
}

function rootKPerShare(s: { reserves: Reserves; shares: bigint }): number {
  return Math.sqrt(Number(s.reserves.volatile) * Number(s.reserves.stable)) / Number(s.shares);
}
