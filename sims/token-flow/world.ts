import type { EmissionToken } from "../../typechain-types";
import type { ParamValues, PreparedCall } from "../../src/api";
import type { tokenFlowParams } from "./params";

/** What setup builds and every agent and KPI sees. */
export interface TokenFlowWorld {
  token: EmissionToken;
  /** Holder addresses, in a fixed order. */
  holders: string[];
  /** Every holder's balance in one call, encoded once (the Indexer and two KPIs use it). */
  readBalances: PreparedCall<bigint[]>;
  /** Set each tick by the Sentiment agent: scales how active holders are. */
  mood: number;
  /** Every holder's balance at the start of the tick, published by the Indexer: what holders decide on. */
  balances: Map<string, bigint>;
  /** Every holder's balance as the last KPI sample (the netlist's `sample` hook) read it, at the end of tick `tick`. */
  lastSample: { tick: number; balances: bigint[] } | undefined;
}

export type TokenFlowParams = ParamValues<typeof tokenFlowParams>;
