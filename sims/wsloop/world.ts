import type { ParamValues, PreparedCall, RampedExp } from "../../src/api";
import type { WsBuyback, WsGrantStream, WsOcean, WsRampedMinter, WsRouter, WsTreasury, WsUsd } from "../../typechain-types";
import type { MarketRules, MarketState } from "./market";
import type { wsloopParams } from "./params";

export type WsloopParams = ParamValues<typeof wsloopParams>;

/** What the chain holds at the end of a tick: read once by the Accountant, shared by agents and KPIs. */
export interface Ledger {
  supply: bigint;
  /** OCEAN minted by the token's minter, as the token counts it. */
  tokenMinted: bigint;
  /** OCEAN minted, as the minter contract counts it (the KPI). */
  minterMinted: bigint;
  burned: bigint;
  treasuryOcean: bigint;
  treasuryUsd: bigint;
  buybackUsdSpent: bigint;
  routedToBurn: bigint;
  routedToTreasury: bigint;
}

/** One foundation grant program and how many of its grants were paid. */
export interface Stream {
  contract: WsGrantStream;
  grants: number;
  paid: number;
}

export interface WsloopWorld {
  ocean: WsOcean;
  usd: WsUsd;
  router: WsRouter;
  buyback: WsBuyback;
  minter: WsRampedMinter;
  treasury: WsTreasury;
  streams: Stream[];
  /** Tick 0's block timestamp: the minter's and the streams' start. */
  start: number;
  /** The minter's schedule (RampedExp: seconds, multipliers in 1e18). */
  schedule: RampedExp.Schedule;
  marketMaker: string;
  takers: string[];
  rules: MarketRules;

  /** The marketplaces (pure TypeScript). */
  market: MarketState;
  /** Annual growth rate the marketplaces grew at this tick, and the R&D/revenue ratio it came from. */
  growthRate: number;
  rndRatio: number;
  /** Valuations set by the ValuationOracle each tick, USD; price = overall / supply. */
  valuation: { fundamental: number; speculative: number; overall: number };
  price: number;

  /** Per tick (index 0 = tick 1): consume sales, network revenue and R&D spent, USD. */
  history: { consumeSales: number[]; revenue: number[]; rnd: number[] };
  /** Network revenue paid on chain this tick, USD wei. */
  feeThisTick: bigint;
  /** R&D spent by grant takers so far this tick, USD. */
  rndThisTick: number;
  /** The tick in which grants last reached the takers. */
  grantsArrivedAt: number;

  /** ledgers[t]: the chain at the end of tick t (0: after setup). */
  ledgers: Ledger[];
  readLedger: () => Promise<Ledger>;
  readTakerBalances: { ocean: PreparedCall<bigint[]>; usd: PreparedCall<bigint[]> };
  /** The takers' balances read in a grant tick, shared by all of them. */
  takerBalances: { tick: number; balances: Promise<[bigint[], bigint[]]> } | undefined;
}
