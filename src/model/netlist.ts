import type { ContractRunner, Provider, Signer } from "ethers";
import type { Agent } from "./agent";
import type { ParamSpecs, ParamValues } from "./params";
import type { Rng } from "./rng";
import type { KpiValue } from "./series";
import type { AgentWallet } from "./wallet";
import { TokenspiceError } from "../errors";

/** Anything with TypeChain's factory shape: constructed with a signer, `deploy(...args)` resolves a contract. */
export interface ContractFactoryLike {
  deploy(...args: any[]): Promise<unknown>;
}
export type FactoryClass<F extends ContractFactoryLike> = new (signer: Signer) => F;
export type Deployed<F extends ContractFactoryLike> = Awaited<ReturnType<F["deploy"]>>;

export interface SetupContext<Params> {
  readonly params: Params;
  /** The setup's seeded stream. */
  readonly rng: Rng;
  /** Deploys with the deployer wallet; takes a TypeChain factory class and its constructor args. */
  deploy<F extends ContractFactoryLike>(Factory: FactoryClass<F>, ...args: Parameters<F["deploy"]>): Promise<Deployed<F>>;
  readonly deployer: AgentWallet;
  /** A fresh EOA funded with ETH; the same name gives the same address in every run. */
  wallet(name: string): Promise<AgentWallet>;
  /** Read-only access to the chain (balances, blocks) through ethers. */
  readonly provider: Provider & ContractRunner;
  /** Sim start time: the block timestamp setup runs at. */
  readonly time: number;
}

export interface SetupResult<World, Params> {
  world: World;
  agents: Agent<World, Params>[];
}

export interface KpiContext<World, Params> {
  readonly world: World;
  readonly params: Params;
  /** 0 for the sample taken right after setup, then the tick just completed. */
  readonly tick: number;
  /** The tick's sim time (block timestamp, seconds). */
  readonly time: number;
  /** Reverted agent transactions so far in this run. */
  readonly reverts: number;
  readonly agents: readonly Agent<World, Params>[];
}

export type KpiFunction<World, Params> = (ctx: KpiContext<World, Params>) => KpiValue | Promise<KpiValue>;

export interface NetlistTime {
  /** Ticks per run (overridable per run with `steps`). */
  steps: number;
  /** Chain time each tick moves forward, in seconds. */
  stepSeconds: number;
  /** Block timestamp (unix seconds) of tick 0. Default 2030-01-01T00:00:00Z, so runs never depend on today's date. */
  start?: number;
}

export interface NetlistSpec<P extends ParamSpecs, World> {
  description: string;
  params?: P;
  time: NetlistTime;
  /** "declared": agents step in the order setup returned them; "shuffle": a seeded shuffle each tick. */
  agentOrder?: "declared" | "shuffle";
  /** Sample KPIs every n ticks (and always after the last). Default 1. */
  sampleEvery?: number;
  setup(ctx: SetupContext<ParamValues<P>>): Promise<SetupResult<World, ParamValues<P>>>;
  kpis: Record<string, KpiFunction<World, ParamValues<P>>>;
}

const NETLIST_BRAND = Symbol.for("hardhat-tokenspice/netlist");

export type Netlist<P extends ParamSpecs = ParamSpecs, World = any> = NetlistSpec<P, World> & {
  readonly params: P;
  readonly [NETLIST_BRAND]: true;
};
/** A netlist of unknown params and world, as the runner handles it. */
export type AnyNetlist = Netlist<any, any>;

export const DEFAULT_START_TIME = 1_893_456_000; // 2030-01-01T00:00:00Z

/**
 * Declares a simulation: params, time, setup (deploy contracts, create agents) and KPIs.
 * The default export of `sims/<name>/netlist.ts` or `sims/<name>.ts`.
 */
export function defineNetlist<const P extends ParamSpecs = {}, World = unknown>(
  spec: NetlistSpec<P, World>,
): Netlist<P, World> {
  const where = `defineNetlist(${JSON.stringify(spec?.description ?? "")})`;
  if (typeof spec?.setup !== "function") throw new TokenspiceError(`${where}: setup must be a function`);
  if (typeof spec.kpis !== "object" || spec.kpis === null) throw new TokenspiceError(`${where}: kpis must be an object`);
  for (const [name, fn] of Object.entries(spec.kpis)) {
    if (typeof fn !== "function") throw new TokenspiceError(`${where}: KPI "${name}" must be a function`);
    if (name === "tick" || name === "timestamp") throw new TokenspiceError(`${where}: KPI name "${name}" is reserved`);
  }
  const { steps, stepSeconds } = spec.time ?? ({} as NetlistTime);
  if (!Number.isInteger(steps) || steps < 1) throw new TokenspiceError(`${where}: time.steps must be a positive integer`);
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1) throw new TokenspiceError(`${where}: time.stepSeconds must be a positive integer`);
  if (spec.sampleEvery !== undefined && (!Number.isInteger(spec.sampleEvery) || spec.sampleEvery < 1)) {
    throw new TokenspiceError(`${where}: sampleEvery must be a positive integer`);
  }
  if (spec.agentOrder !== undefined && spec.agentOrder !== "declared" && spec.agentOrder !== "shuffle") {
    throw new TokenspiceError(`${where}: agentOrder must be "declared" or "shuffle"`);
  }
  return { ...spec, params: (spec.params ?? {}) as P, [NETLIST_BRAND]: true };
}

export function isNetlist(value: unknown): value is AnyNetlist {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[NETLIST_BRAND] === true;
}
