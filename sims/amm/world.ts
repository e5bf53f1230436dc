import type { AmmPool, AmmToken } from "../../typechain-types";
import type { ParamValues, PreparedCall } from "../../src/api";
import type { ammParams } from "./params";

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

/** What setup builds and every agent and KPI sees. */
export interface AmmWorld {
  pool: AmmPool;
  /** token0 of the pool. */
  volatile: AmmToken;
  /** token1 of the pool: prices and values are in its units. */
  stable: AmmToken;
  /** The tokens' addresses, resolved once (ethers would resolve a contract argument on every call). */
  readonly addresses: { volatile: string; stable: string };
  /** External price of the volatile token in stable tokens; the Market agent moves it every tick. */
  externalPrice: number;
  readonly initialPrice: number;
  /** Tick length in years, for the price process. */
  readonly dtYears: number;
  /** The founding deposit (held by the deployer, never moved): LP value vs holding is measured on it. */
  readonly founding: { volatile: bigint; stable: bigint; shares: bigint };
  /** Everything minted at setup: conservation says every holder's balances always add up to it. */
  readonly minted: { volatile: bigint; stable: bigint };
  /** Balances of every address that can hold tokens (agents, deployer, pool), per token. */
  readonly readHolderBalances: { volatile: PreparedCall<bigint[]>; stable: PreparedCall<bigint[]> };
  counts: ActivityCounts;
  /** Arbitrageurs' cumulative profit, valued at the external price when they traded, in stable tokens. */
  arbProfit: number;
  /** The pool as the last KPI sample (the netlist's `sample` hook) read it, at the end of tick `tick`: noise traders quote from it. */
  lastSample: { tick: number; state: PoolState } | undefined;
  /** The pool at the start of a tick that followed no sample. */
  tickStart: { tick: number; state: Promise<PoolState> } | undefined;
}

export async function readPoolState(pool: AmmPool): Promise<PoolState> {
  const [reserveVolatile, reserveStable, shares, feesInStable, swaps, kDecreases] = await pool.poolState();
  return { reserveVolatile, reserveStable, shares, feesInStable, swaps, kDecreases };
}

/**
 * The pool as a trader's wallet last saw it: at the start of this tick (the previous tick's
 * sample when there is one, as nothing happens on chain between a sample and the next tick).
 */
export function tickStartState(world: AmmWorld, tick: number): Promise<PoolState> {
  if (world.lastSample?.tick === tick - 1) return Promise.resolve(world.lastSample.state);
  if (world.tickStart?.tick !== tick) world.tickStart = { tick, state: readPoolState(world.pool) };
  return world.tickStart.state;
}
