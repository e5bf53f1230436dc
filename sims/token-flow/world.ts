import type { EmissionToken } from "../../typechain-types";
import type { ParamValues } from "../../src";
import type { tokenFlowParams } from "./params";

/** What setup builds and every agent and KPI sees. */
export interface TokenFlowWorld {
  token: EmissionToken;
  /** Holder addresses, in a fixed order (KPIs read all their balances in one call). */
  holders: string[];
  /** Set each tick by the Sentiment agent: scales how active holders are. */
  mood: number;
}

export type TokenFlowParams = ParamValues<typeof tokenFlowParams>;
