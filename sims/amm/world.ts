import type { AmmPool, AmmToken } from "../../typechain-types";
import type { ParamValues, PreparedCall, ReturnSource } from "../../src/api";
import type { AmmPoolAdapter } from "./amm-pool";
import type { ammParams } from "./params";
import type { ConstantProductPool, Reserves } from "./pool";

export type AmmParams = ParamValues<typeof ammParams>;

/** AmmPool.poolState, named. */
export interface PoolState {
  reserveVolatile: bigint;
  reserveStable: bigint;
  shares: bigint;
  feesInStable: bigint;
  swaps: bigint;
  kDecreases: bigint;
}

/** Per agent type: successful actions and reverted ones (each agent counts the reverts it catches). */
export interface ActivityCounts {
  arbTrades: number;
  arbReverts: number;
  noiseTrades: number;
  noiseReverts: number;
  lpActions: number;
  lpReverts: number;
}

/**
 * What the shared agents (`agents.ts`) need from a world: the pool behind its interface, the
 * external price, and the counters they keep. `amm` and `uniswap-v2` both extend it.
 */
export interface PoolAgentsWorld {
  readonly pool: ConstantProductPool;
  /** External price of the volatile token in stable tokens; the Market agent moves it every tick. */
  externalPrice: number;
  /** Tick length in years, for the price process. */
  readonly dtYears: number;
  /** When set, the external price follows these observed log returns instead of GBM (sims/amm-history). */
  history?: ReturnSource;
  counts: ActivityCounts;
  /** Arbitrageurs' cumulative profit, valued at the external price when they traded, in stable tokens. */
  arbProfit: number;
  /** The reserves as the last KPI sample (the netlist's `sample` hook) read them, at the end of tick `tick`: noise traders quote from them. */
  lastSample: { tick: number; reserves: Reserves } | undefined;
  /** The reserves at the start of a tick that followed no sample. */
  tickStart: { tick: number; reserves: Promise<Reserves> } | undefined;
}

/** What setup builds and every agent and KPI sees. */
export interface AmmWorld extends PoolAgentsWorld {
  /** AmmPool behind the agents' interface; `pool.contract` is the contract itself. */
  readonly pool: AmmPoolAdapter;
  /** token0 of the pool. */
  volatile: AmmToken;
  /** token1 of the pool: prices and values are in its units. */
  stable: AmmToken;
  readonly initialPrice: number;
  /** The founding deposit (held by the deployer, never moved): LP value vs holding is measured on it. */
  readonly founding: { volatile: bigint; stable: bigint; shares: bigint };
  /** Everything minted at setup: conservation says every holder's balances always add up to it. */
  readonly minted: { volatile: bigint; stable: bigint };
  /** Balances of every address that can hold tokens (agents, deployer, pool), per token. */
  readonly readHolderBalances: { volatile: PreparedCall<bigint[]>; stable: PreparedCall<bigint[]> };
}

export async function readPoolState(pool: AmmPool): Promise<PoolState> {
  const [reserveVolatile, reserveStable, shares, feesInStable, swaps, kDecreases] = await pool.poolState();
  return { reserveVolatile, reserveStable, shares, feesInStable, swaps, kDecreases };
}

/**
 * The reserves as a trader's wallet last saw them: at the start of this tick (the previous tick's
 * sample when there is one, as nothing happens on chain between a sample and the next tick).
 */
export function tickStartReserves(world: PoolAgentsWorld, tick: number): Promise<Reserves> {
  if (world.lastSample?.tick === tick - 1) return Promise.resolve(world.lastSample.reserves);
  if (world.tickStart?.tick !== tick) world.tickStart = { tick, reserves: world.pool.reserves() };
  return world.tickStart.reserves;
}
