import type { ContractRunner } from "ethers";
import type { AgentWallet, ParamValues, StepContext } from "../../src/api";
import type { OceanLens, OceanV3Token } from "../../typechain-types";
import type { MarketReads } from "./market";
import type { oceanV3Params, populationParams } from "./params";

/** The params every Ocean market model shares: who is in the market and how often they act. */
export type PopulationParams = ParamValues<typeof populationParams>;
export type OceanV3Params = ParamValues<typeof oceanV3Params>;

/** The agent types the KPIs report on, named as TokenSPICE's oceanv3 KPIs name them. */
export const AGENT_KINDS = ["publisher", "consumer", "stakerSpeculator", "speculator", "maliciousPublisher"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** A published dataset's pool, as the market lists it (Ocean's metadata store plays this part). */
export interface PoolListing {
  address: string;
  datatokenAddress: string;
  /** The publisher: it holds the initial shares and receives the datatokens consumers spend. */
  publisher: string;
  /** 18-decimal denormalized weights, fixed at creation (V4: always 5 and 5). */
  datatokenWeight: bigint;
  oceanWeight: bigint;
  /**
   * Every fee a swap pays on its amount in, 18 decimals: V3 the pool's swap fee; V4 the LP fee plus
   * the protocol's (OPC) fee. What quotes gross up by.
   */
  swapFee: bigint;
  /** OCEAN (wei) the publisher put in at creation. */
  oceanStaked: bigint;
  createdTick: number;
}

/** A pool's recorded balances (wei) and share supply (wei). */
export interface PoolReserves {
  datatoken: bigint;
  ocean: bigint;
  supply: bigint;
}

export interface Holder {
  address: string;
  kind: AgentKind;
}

/** What a venue needs of an agent's step: the world, the tick, and `at` to register what factories create. */
export interface VenueContext {
  readonly world: OceanWorld;
  readonly tick: number;
  readonly at: StepContext<unknown, unknown>["at"];
}

/**
 * One Ocean protocol's flows, on its published bytecode: what each agent type does, mapped to the
 * protocol's calls. The agents decide (when, how much); the venue says how (which contract, which
 * method, which limits). `sims/oceanv3/venue-v3.ts` is Ocean V3 (0.6.9), `sims/oceanv4/venue-v4.ts`
 * Ocean V4 (1.0.0) with one-sided staking.
 */
export interface Venue {
  /** Which bytecode: "Ocean V3 (@oceanprotocol/contracts 0.6.9)", ... */
  readonly label: string;
  /** The most of a pool's balance one swap or join may add (Balancer's MAX_IN_RATIO: ½ in both). */
  readonly maxInRatio: number;
  /** The most of a pool's balance one swap may take (MAX_OUT_RATIO: ⅓ in V3, ½ in V4). */
  readonly maxOutRatio: number;
  /** Contracts of the protocol that may hold OCEAN besides agents and pools (V4: side staking, router, ...), for conservation. */
  readonly protocolAccounts: readonly string[];
  /**
   * Protocol contracts whose pool shares the model's own KPIs read (V4: the side-staking bot), kept
   * with the agents' holdings by `world.reads` so those KPIs make no call of their own. Default none.
   */
  readonly shareHolders?: readonly string[];
  /** Creates a datatoken and its pool, staking `ocean` (wei) of the publisher's OCEAN; lists nothing (the caller does). */
  publish(ctx: VenueContext, wallet: AgentWallet, ocean: bigint): Promise<PoolListing>;
  /** Buys exactly `datatokensOut` (wei), paying at most `maxOceanIn` (wei). */
  buy(ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, datatokensOut: bigint, maxOceanIn: bigint): Promise<void>;
  /** Sells exactly `datatokensIn` (wei) for OCEAN. */
  sell(ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, datatokensIn: bigint): Promise<void>;
  /** Stakes OCEAN alone (a single-asset join in V3; a one-sided join the side-staking bot matches in V4). */
  stake(ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, oceanIn: bigint): Promise<void>;
  /** Redeems `shares` (wei) for OCEAN alone. */
  unstake(ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, shares: bigint): Promise<void>;
  /** The most shares one unstake may redeem within MAX_OUT_RATIO, with a margin. */
  maxUnstake(listing: PoolListing, reserves: PoolReserves): bigint;
  /** Takes all of `shares` out as fast as the pool allows (the rug's first half): V3 one proportional exit; V4 repeated one-sided exits. */
  withdrawAll(ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, shares: bigint): Promise<void>;
  /** Pays for one access with one datatoken (`startOrder`): most of it goes to the publisher, a fee to Ocean. */
  consume(ctx: VenueContext, wallet: AgentWallet, listing: PoolListing): Promise<void>;
}

/** What the malicious publishers' rugs took and gave, summed over every rug so far (wei of OCEAN). */
export interface RugLedger {
  /** OCEAN its exits from the rugged pools paid it. */
  exited: bigint;
  /** OCEAN its dumps of datatokens into the rugged pools paid it. */
  dumped: bigint;
  /** OCEAN it had staked into those pools when it published them. */
  staked: bigint;
}

/** What setup builds and every agent and KPI sees. */
export interface OceanWorld {
  venue: Venue;
  ocean: OceanV3Token;
  oceanAddress: string;
  lens: OceanLens;
  /** Read-only access for contracts agents only read. */
  reader: ContractRunner;
  /** Every pool ever created, in creation order. */
  pools: PoolListing[];
  /**
   * Pools a malicious publisher pulled its liquidity from. As in TokenSPICE (`state.rugged_pools`)
   * the market delists them: consumers, speculators and staker-speculators ignore them from then on.
   */
  rugged: Set<string>;
  rugs: RugLedger;
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
export interface OceanSample {
  byKind: Record<AgentKind, { ocean: bigint; inDatatokens: bigint; inShares: bigint }>;
  economyOcean: bigint;
  /** OCEAN the pools hold (their token balances: V4's protocol fees not yet collected included). */
  oceanInPools: bigint;
  /** Total supply minus every OCEAN in a wallet, a protocol contract or a pool: 0 while OCEAN is conserved. */
  oceanUnaccounted: bigint;
}
