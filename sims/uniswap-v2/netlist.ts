import { getAddress } from "ethers";
import { DAY, defineNetlist, prepareCall, type Agent, type AgentWallet } from "../../src/api";
import { AmmToken__factory } from "../../typechain-types";
import { createPopulation } from "../amm/agents";
import { SECONDS_PER_YEAR } from "../amm/gbm";
import { foundingDeposit } from "../amm/params";
import { FACTORY_ARTIFACT, PAIR_ARTIFACT, type UniswapV2Factory, type UniswapV2Pair } from "./contracts";
import { UniswapV2PairAdapter } from "./pair";
import { uniswapV2Params } from "./params";
import type { PairSample, UniswapV2Params, UniswapV2World } from "./world";

const Q112 = 2n ** 112n;
const U256 = 2n ** 256n;
const U32 = 2n ** 32n;

export default defineNetlist({
  description: "The amm model's agents on Uniswap V2's published pair (v2-core 1.0.1, solc 0.5.16): GBM external price, arbitrageur, noise traders, LPs",
  params: uniswapV2Params,
  time: { steps: 365, stepSeconds: DAY },
  // As in amm: the market moves the price, LPs and noise traders act, arbitrageurs close the gap last.
  agentOrder: "declared",

  async setup({ deploy, deployArtifact, at, wallet, deployer, params }) {
    // The amm model's token contract (OpenZeppelin ERC20, minted once here), so the two models
    // differ only in the pool; see README "Tokens".
    const volatile = await deploy(AmmToken__factory, "Volatile", "VOL");
    const stable = await deploy(AmmToken__factory, "Stable", "USD");
    const addresses = { volatile: await volatile.getAddress(), stable: await stable.getAddress() };

    // Uniswap V2's published factory; it creates the pair with CREATE2 from its own copy of the
    // pair's creation code. The deployer is feeToSetter.
    const factory = await deployArtifact<UniswapV2Factory>(FACTORY_ARTIFACT, [deployer.address]);
    const feeTo = params.protocolFee ? (await wallet("fee-to")).address : undefined;
    if (feeTo !== undefined) await factory.setFeeTo(feeTo);
    await factory.createPair(addresses.volatile, addresses.stable);
    const pairAddress = await factory.getPair(addresses.volatile, addresses.stable);
    const pair = at<UniswapV2Pair>(PAIR_ARTIFACT, pairAddress);
    const volatileIsToken0 = getAddress(await pair.token0()) === getAddress(addresses.volatile);
    const pool = new UniswapV2PairAdapter(pair, pairAddress, { volatile, stable }, volatileIsToken0);

    // The founding deposit, as amm's: it sets the pair's price to the external one; the deployer keeps its shares.
    // Nothing to approve: tokens go to the pair by transfer, as the router sends them.
    const deposit = foundingDeposit(params);
    const minted = { volatile: 0n, stable: 0n };
    const fund = async (who: AgentWallet, amountVolatile: bigint, amountStable: bigint) => {
      await volatile.mint(who.address, amountVolatile);
      await stable.mint(who.address, amountStable);
      minted.volatile += amountVolatile;
      minted.stable += amountStable;
    };
    await fund(deployer, deposit.volatile, deposit.stable);
    await pool.addLiquidity(deployer, deposit.volatile, deposit.stable);
    const founding = { ...deposit, shares: await pair.balanceOf(deployer.address) };

    const { market, lps, noise, arbs } = await createPopulation(params, deposit, wallet, fund);
    const holders = [deployer.address, pairAddress, ...[...lps, ...noise, ...arbs].map((a) => a.wallet.address)];
    const world: UniswapV2World = {
      pool,
      factory,
      volatile,
      stable,
      externalPrice: params.initialPrice,
      initialPrice: params.initialPrice,
      dtYears: DAY / SECONDS_PER_YEAR,
      founding,
      minted,
      readHolderBalances: { volatile: prepareCall(volatile, "balancesOf", holders), stable: prepareCall(stable, "balancesOf", holders) },
      feeTo,
      counts: { arbTrades: 0, arbReverts: 0, noiseTrades: 0, noiseReverts: 0, lpActions: 0, lpReverts: 0 },
      arbProfit: 0,
      lastSample: undefined,
      tickStart: undefined,
      previous: undefined,
      first: undefined,
    };
    const agents: Agent<UniswapV2World, UniswapV2Params>[] = [market, ...lps, ...noise, ...arbs];
    return { world, agents };
  },

  // The pair's state read once per sample (reserves, supply, oracle accumulator, every holder's
  // balances, feeTo's shares), shared by the KPIs and kept for the noise traders, who quote from the
  // pool as it was at the start of the next tick.
  async sample({ world, tick, time }): Promise<{ now: PairSample; previous: PairSample | undefined; first: PairSample }> {
    const { pool } = world;
    const [[reserve0, reserve1, blockTimestampLast], shares, cumulativeLast, volatileBalances, stableBalances, feeToShares] = await Promise.all([
      pool.pair.getReserves(),
      pool.pair.totalSupply(),
      pool.volatileIsToken0 ? pool.pair.price0CumulativeLast() : pool.pair.price1CumulativeLast(),
      world.readHolderBalances.volatile(),
      world.readHolderBalances.stable(),
      world.feeTo === undefined ? Promise.resolve(0n) : pool.pair.balanceOf(world.feeTo),
    ]);
    const reserves = pool.volatileIsToken0 ? { volatile: reserve0, stable: reserve1 } : { volatile: reserve1, stable: reserve0 };
    // UniswapV2OracleLibrary.currentCumulativePrices: the accumulator moves on the first reserve
    // update of a block; between updates, add the current price times the time since the last one.
    const elapsed = (BigInt(time) - blockTimestampLast + U32) % U32; // uint32 seconds, overflow desired, as in the pair
    const sinceUpdate = ((reserves.stable * Q112) / reserves.volatile) * elapsed;
    const now: PairSample = {
      time,
      reserves,
      shares,
      priceCumulative: (cumulativeLast + sinceUpdate) % U256,
      held: { volatile: sum(volatileBalances), stable: sum(stableBalances) },
      // holders[1] is the pair
      pairSurplus: volatileBalances[1] - reserves.volatile + (stableBalances[1] - reserves.stable),
      feeToShares,
    };
    const previous = world.previous;
    world.previous = now;
    world.first ??= now;
    world.lastSample = { tick, reserves };
    return { now, previous, first: world.first };
  },

  kpis: {
    // Stable tokens per volatile token; both have 18 decimals, so the reserves' ratio is the price.
    poolPrice: {
      value: ({ sample }) => priceOf(sample.now.reserves),
      label: "Pool price",
      unit: "USD",
      scale: "log",
      group: "Price",
      doc: "USD per VOL in the pair: reserveStable / reserveVolatile (getReserves).",
    },
    externalPrice: { value: ({ world }) => world.externalPrice, label: "External price", unit: "USD", scale: "log", group: "Price", doc: "USD per VOL on the external market: a seeded GBM." },
    oraclePrice: {
      value: ({ sample: { now, previous } }) =>
        previous === undefined ? priceOf(now.reserves) : Number((now.priceCumulative - previous.priceCumulative + U256) % U256) / (now.time - previous.time) / 2 ** 112,
      label: "V2 oracle price (TWAP over the last tick)",
      unit: "USD",
      scale: "log",
      group: "Price",
      doc: "The pair's TWAP of VOL in USD over the last tick, from its price accumulator (UQ112x112 · seconds). Every block of a tick has the tick's timestamp, so it is the pool price at the end of the tick before. Tick 0: the pool price.",
    },
    trackingError: {
      value: ({ sample, world }) => Math.abs(priceOf(sample.now.reserves) / world.externalPrice - 1),
      label: "Tracking error",
      doc: "|pool price / external price - 1| after the tick's arbitrage.",
    },
    reserveVolatile: { value: ({ sample }) => sample.now.reserves.volatile, label: "Pair reserve of VOL", unit: "VOL", decimals: 18, doc: "The pair's volatile-token reserve (getReserves)." },
    reserveStable: { value: ({ sample }) => sample.now.reserves.stable, label: "Pair reserve of USD", unit: "USD", decimals: 18, doc: "The pair's stable-token reserve (getReserves)." },
    totalShares: {
      value: ({ sample }) => sample.now.shares,
      label: "LP shares",
      unit: "shares",
      decimals: 18,
      doc: "The pair's LP token supply, the 1,000 wei locked at address(0) included (and feeTo's shares, with the protocol fee on).",
    },
    feesInStable: {
      value: ({ world }) => world.pool.feesInStable,
      label: "Fees paid",
      unit: "USD",
      decimals: 18,
      doc: "Cumulative swap fees (3/1000 of each input), each valued in USD at the pool's price just before its swap; booked by the adapter, as amm's pool books them on chain. They stay in the reserves.",
    },
    lpShareGrowth: {
      value: ({ sample }) => rootKPerShare(sample.now) / rootKPerShare(sample.first) - 1,
      label: "Fees earned per LP share (growth of √k per share)",
      doc: "√(reserveVolatile · reserveStable) / LP supply, over its value at tick 0, minus 1: what each LP share has earned in fees, read from the pair's state. Mints and burns leave it unchanged (up to rounding in the pair's favour); the protocol fee's shares dilute it.",
    },
    // The founding deposit's LP position over what holding its tokens would be worth, both at the
    // external price: below 1 is impermanent loss net of fees.
    lpValueVsHold: {
      value: ({ sample, world }) => {
        const p = world.externalPrice;
        const { reserves, shares } = sample.now;
        const position = (Number(world.founding.shares) / Number(shares)) * (Number(reserves.volatile) * p + Number(reserves.stable));
        return position / (Number(world.founding.volatile) * p + Number(world.founding.stable));
      },
      label: "LP value / hold",
      group: "LP value vs holding",
      doc: "The founding LP position's value over holding its deposit, both at the external price; below 1 is impermanent loss net of fees.",
    },
    lpVsHoldNoFees: {
      value: ({ world }) => {
        const r = world.externalPrice / world.initialPrice;
        return (2 * Math.sqrt(r)) / (1 + r);
      },
      label: "LP value / hold, no fees (theory)",
      group: "LP value vs holding",
      doc: "The textbook ratio for a fee-free pool at the external price: 2√r/(1+r), r = P/P₀.",
    },
    protocolFeeValue: {
      value: ({ sample, world }) => {
        const { reserves, shares, feeToShares } = sample.now;
        return ((Number(feeToShares) / Number(shares)) * (Number(reserves.volatile) * world.externalPrice + Number(reserves.stable))) / 1e18;
      },
      label: "Protocol fee (feeTo's shares)",
      unit: "USD",
      doc: "The value of feeTo's LP shares at the external price: the protocol fee collected so far (0 with protocolFee off).",
    },
    arbProfit: { value: ({ world }) => world.arbProfit, label: "Arbitrage profit", unit: "USD", doc: "Arbitrageurs' cumulative profit, valued at the external price when they traded." },
    volatileHeld: {
      value: ({ sample }) => sample.now.held.volatile,
      label: "VOL held by all",
      unit: "VOL",
      decimals: 18,
      doc: "Every holder's VOL (deployer, pair, agents) summed: what setup minted, while VOL is conserved.",
    },
    stableHeld: {
      value: ({ sample }) => sample.now.held.stable,
      label: "USD held by all",
      unit: "USD",
      decimals: 18,
      doc: "Every holder's USD (deployer, pair, agents) summed: what setup minted, while USD is conserved.",
    },
    pairSurplus: {
      value: ({ sample }) => sample.now.pairSurplus,
      label: "Tokens in the pair beyond its reserves",
      unit: "wei",
      doc: "The pair's balances minus its reserves, both tokens summed: must stay 0 (a refused swap's or mint's input is skimmed back; nothing is left for the next trader).",
    },
    arbTrades: { value: ({ world }) => world.counts.arbTrades, label: "Arbitrage trades", unit: "transactions", group: "Successful actions", doc: "Successful arbitrage swaps so far." },
    noiseTrades: { value: ({ world }) => world.counts.noiseTrades, label: "Noise trades", unit: "transactions", group: "Successful actions", doc: "Successful noise-trader swaps so far." },
    lpActions: { value: ({ world }) => world.counts.lpActions, label: "LP actions", unit: "transactions", group: "Successful actions", doc: "Successful adds and removes of liquidity so far." },
    pairSwaps: { value: ({ world }) => world.pool.activity.swaps, label: "swap", unit: "calls", group: "Pair calls", doc: "Successful UniswapV2Pair.swap calls so far." },
    pairMints: {
      value: ({ world }) => world.pool.activity.mints,
      label: "mint",
      unit: "calls",
      group: "Pair calls",
      doc: "Successful UniswapV2Pair.mint calls so far, the founding deposit included.",
    },
    pairBurns: { value: ({ world }) => world.pool.activity.burns, label: "burn", unit: "calls", group: "Pair calls", doc: "Successful UniswapV2Pair.burn calls so far." },
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
    kReverts: {
      value: ({ world }) => world.pool.activity.kReverts,
      label: "UniswapV2: K",
      unit: "transactions",
      group: "Reverts by reason",
      doc: "Swaps the pair refused because the output asked for (the trader's minimum) is more than the curve gives.",
    },
    liquidityReverts: {
      value: ({ world }) => world.pool.activity.liquidityReverts,
      label: "INSUFFICIENT_LIQUIDITY_MINTED/BURNED",
      unit: "transactions",
      group: "Reverts by reason",
      doc: "Deposits or withdrawals the pair refused as too small to mint a share or pay a wei of each token.",
    },
    otherReverts: { value: ({ world }) => world.pool.activity.otherReverts, label: "Other reasons", unit: "transactions", group: "Reverts by reason", doc: "Reverts with any other reason." },
  },
});

function priceOf(reserves: { volatile: bigint; stable: bigint }): number {
  return reserves.volatile === 0n ? 0 : Number(reserves.stable) / Number(reserves.volatile);
}

/** √k per LP share, as a number: √(reserveVolatile · reserveStable) / supply. */
function rootKPerShare(s: Pick<PairSample, "reserves" | "shares">): number {
  return Math.sqrt(Number(s.reserves.volatile) * Number(s.reserves.stable)) / Number(s.shares);
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}
