import type { ParamValues, PreparedCall } from "../../src/api";
import type { AmmToken } from "../../typechain-types";
import type { Reserves } from "../amm/pool";
import type { PoolAgentsWorld } from "../amm/world";
import type { UniswapV2Factory } from "./contracts";
import type { UniswapV2PairAdapter } from "./pair";
import type { uniswapV2Params } from "./params";

export type UniswapV2Params = ParamValues<typeof uniswapV2Params>;

/** What setup builds and every agent and KPI sees. */
export interface UniswapV2World extends PoolAgentsWorld {
  /** The published pair behind the agents' interface; `pool.pair` is the pair contract. */
  readonly pool: UniswapV2PairAdapter;
  readonly factory: UniswapV2Factory;
  readonly volatile: AmmToken;
  /** Prices and values are in the stable token's units. */
  readonly stable: AmmToken;
  readonly initialPrice: number;
  /** The founding deposit (held by the deployer, never moved): LP value vs holding is measured on it. */
  readonly founding: { volatile: bigint; stable: bigint; shares: bigint };
  /** Everything minted at setup: conservation says every holder's balances always add up to it. */
  readonly minted: { volatile: bigint; stable: bigint };
  /** Balances of every address that can hold tokens, per token: [deployer, pair, ...agents]. */
  readonly readHolderBalances: { volatile: PreparedCall<bigint[]>; stable: PreparedCall<bigint[]> };
  /** The protocol fee's recipient (the factory's feeTo), when the fee is on. */
  readonly feeTo: string | undefined;
  /** The previous KPI sample, for the oracle's TWAP over the last tick. */
  previous: PairSample | undefined;
  /** The sample at tick 0, for growth since the start. */
  first: PairSample | undefined;
}

/** What the netlist's `sample` hook reads once per sample and every KPI shares. */
export interface PairSample {
  /** The sample's time: the tick's block timestamp (seconds). */
  time: number;
  reserves: Reserves;
  /** LP share supply, the 1,000 locked at address(0) included (wei). */
  shares: bigint;
  /**
   * V2's cumulative price of the volatile token in stable tokens, brought to the sample's time as
   * `UniswapV2OracleLibrary.currentCumulativePrices` does: UQ112x112 (× 2^112) times seconds, mod 2^256.
   */
  priceCumulative: bigint;
  /** Every holder's balances summed, per token (wei). */
  held: { volatile: bigint; stable: bigint };
  /** The pair's token balances beyond its reserves, both tokens summed (wei): tokens sent in and not swapped, minted or skimmed. */
  pairSurplus: bigint;
  /** The feeTo's LP shares (wei); 0 with the protocol fee off. */
  feeToShares: bigint;
}
