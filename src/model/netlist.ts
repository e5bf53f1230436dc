import type { ContractRunner, Provider, Signer } from "ethers";
import type { Agent } from "./agent";
import type { ParamSpecs, ParamValues } from "./params";
import type { Rng } from "./rng";
import type { KpiValue } from "./series";
import type { AgentWallet } from "./wallet";
import { TokenspiceError } from "../errors";
import { checkKpiNames, checkParamName } from "./names";

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
  const bad = (why: string) => new TokenspiceError("NETLIST_INVALID", `${where}: ${why}`, { description: spec?.description });
  if (typeof spec?.description !== "string") throw bad("description must be a string");
  if (typeof spec.setup !== "function") throw bad("setup must be a function");
  if (typeof spec.kpis !== "object" || spec.kpis === null) throw bad("kpis must be an object");
  for (const [name, fn] of Object.entries(spec.kpis)) {
    if (typeof fn !== "function") throw bad(`KPI "${name}" must be a function`);
  }
  checkKpiNames(where, Object.keys(spec.kpis));
  if (spec.params !== undefined && (typeof spec.params !== "object" || spec.params === null)) throw bad("params must be an object of param specs");
  for (const [name, p] of Object.entries(spec.params ?? {})) {
    checkParamName(where, name);
    if (typeof (p as { type?: unknown })?.type !== "string") throw bad(`param "${name}" must be made with param.int/float/bool/choice`);
  }
  const { steps, stepSeconds, start } = spec.time ?? ({} as NetlistTime);
  if (!Number.isSafeInteger(steps) || steps < 1) throw bad("time.steps must be a positive integer");
  if (!Number.isSafeInteger(stepSeconds) || stepSeconds < 1) throw bad("time.stepSeconds must be a positive integer (seconds)");
  if (start !== undefined && (!Number.isSafeInteger(start) || start < 1)) throw bad("time.start must be a positive integer (unix seconds)");
  if (spec.sampleEvery !== undefined && (!Number.isSafeInteger(spec.sampleEvery) || spec.sampleEvery < 1)) {
    throw bad("sampleEvery must be a positive integer");
  }
  if (spec.agentOrder !== undefined && spec.agentOrder !== "declared" && spec.agentOrder !== "shuffle") {
    throw bad(`agentOrder must be "declared" or "shuffle"`);
  }
  return { ...spec, params: (spec.params ?? {}) as P, [NETLIST_BRAND]: true };
}

export function isNetlist(value: unknown): value is AnyNetlist {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[NETLIST_BRAND] === true;
}
