import type { VestingLens, VestingToken, VestingWallet } from "../../typechain-types";
import type { ParamValues, PreparedCall } from "../../src/api";
import type { Allocation } from "./design";
import type { vestingParams } from "./params";
import type { VestingSchedule } from "./schedule";

export type VestingParams = ParamValues<typeof vestingParams>;
export type VestingStats = VestingLens.StatsStructOutput;

/** What setup builds and every agent and KPI sees. */
export interface VestingWorld {
  token: VestingToken;
  tokenAddress: string;
  lens: VestingLens;
  /** The funder's address: it holds what is neither granted nor sold at launch. */
  treasury: string;
  /** The sink beneficiaries sell into; it also receives the launch float. */
  market: string;
  beneficiaries: string[];
  /** How the supply is split; grants[i] is beneficiaries[i]'s. */
  allocation: Allocation;
  /** Set by the funder when it funds: every grant's schedule, starting that tick. */
  schedule: VestingSchedule | undefined;
  /** beneficiaries[i]'s vesting wallet, once funded. */
  vestingWallets: VestingWallet[];
  /** One call for everything a KPI sample needs; the funder re-encodes it with the wallets it deploys. */
  readStats: PreparedCall<VestingStats>;
  /** Circulating supply at every sampled tick (every tick), set by the netlist's `sample` hook: monthly inflation looks 30 days back. */
  circulatingByTick: bigint[];
}
