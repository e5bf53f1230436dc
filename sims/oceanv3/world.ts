import type { ContractRunner } from "ethers";
import type { ParamValues } from "../../src/api";
import type { OceanV3Datatoken, OceanV3DatatokenFactory, OceanV3Lens, OceanV3Pool, OceanV3PoolFactory, OceanV3Token } from "../../typechain-types";
import type { MarketReads } from "./market";
import type { oceanV3Params } from "./params";

export type OceanV3Params = ParamValues<typeof oceanV3Params>;

/** The agent types the KPIs report on, named as TokenSPICE's oceanv3 KPIs name them. */
export const AGENT_KINDS = ["publisher", "consumer", "stakerSpeculator", "speculator", "maliciousPublisher"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** A published dataset's pool, as the market lists it (Ocean's metadata store plays this part). */
export interface PoolListing {
  address: string;
  pool: OceanV3Pool;
  datatokenAddress: string;
  datatoken: OceanV3Datatoken;
  /** The publisher: it holds the initial shares and receives the datatokens consumers spend. */
  publisher: string;
  /** 18-decimal denormalized weights and fee, fixed at creation. */
  datatokenWeight: bigint;
  oceanWeight: bigint;
  swapFee: bigint;
  createdTick: number;
}

/** A pool's recorded balances and share supply. */
export interface PoolReserves {
  datatoken: bigint;
  ocean: bigint;
  supply: bigint;
}

export interface Holder {
  address: string;
  kind: AgentKind;
}

/** What setup builds and every agent and KPI sees. */
export interface OceanV3World {
  ocean: OceanV3Token;
  oceanAddress: string;
  datatokenFactory: OceanV3DatatokenFactory;
  poolFactory: OceanV3PoolFactory;
  lens: OceanV3Lens;
  /** Read-only access for contracts agents only read (pools and datatokens they have not connected to). */
  reader: ContractRunner;
  /** Every pool ever created, in creation order. */
  pools: PoolListing[];
  /**
   * Pools a malicious publisher pulled its liquidity from. As in TokenSPICE (`state.rugged_pools`)
   * the market delists them: consumers, speculators and staker-speculators ignore them from then on.
   */
  rugged: Set<string>;
  /** Every agent that holds tokens, with its type; the economy is apart. */
  holders: Holder[];
  economy: string;
  deployer: string;
  /** The value each consumer got from data this tick, which the economy pays at the end of it. */
  owedToConsumers: Map<string, bigint>;
  /** The KPI sample's reads of every pool and holder. */
  reads: MarketReads;
}

/** Everything the KPIs report at one tick, read and valued once by the netlist's `sample` hook. */
export interface OceanV3Sample {
  byKind: Record<AgentKind, { ocean: bigint; inDatatokens: bigint; inShares: bigint }>;
  economyOcean: bigint;
  oceanInPools: bigint;
  /** Total supply minus every OCEAN in a wallet or a pool: 0 while OCEAN is conserved. */
  oceanUnaccounted: bigint;
}
