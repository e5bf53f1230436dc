import type { BaseContract, ContractRunner, Provider, Signer } from "ethers";
import type { Agent } from "./agent";
import type { ParamSpecs, ParamValues } from "./params";
import type { Rng } from "./rng";
import type { KpiValue } from "./series";
import type { AgentWallet } from "./wallet";
import { TokenspiceError } from "../errors";
import { assertParamName } from "./names";
import { resolveKpis, type KpiInfo, type KpiSpec, type ResolvedKpi } from "./kpi";
import { callSite, withCallSite } from "./call-site";

/** Anything with TypeChain's factory shape: constructed with a signer, `deploy(...args)` resolves a contract. */
export interface ContractFactoryLike {
  deploy(...args: any[]): Promise<unknown>;
}
/** A TypeChain factory class (`Token__factory`): constructed with the deployer's signer, its `deploy` sends the contract. */
export type FactoryClass<F extends ContractFactoryLike> = new (signer: Signer) => F;
/** A TypeChain factory of a contract that calls libraries: constructed with their addresses first. */
export type LinkedFactoryClass<F extends ContractFactoryLike, L> = new (linkLibraryAddresses: L, signer?: Signer) => F;
/** The contract a factory's `deploy` resolves to (TypeChain's typed contract). */
export type Deployed<F extends ContractFactoryLike> = Awaited<ReturnType<F["deploy"]>>;
/** A TypeChain factory class as `at` uses it: its static `connect(address, runner)`. */
export interface AttachableFactory<C> {
  connect(address: string, runner?: ContractRunner | null): C;
}
/** A contract artifact (Hardhat, Truffle or Waffle JSON), as an object or a path (project-relative, or in a package). */
export type ArtifactSource = string | { abi: unknown[]; [key: string]: unknown };

/** Deploying and attaching to contracts: setup's, with the deployer wallet. Its functions use no `this`: destructure them. */
export interface ContractTools {
  /**
   * Deploys with the deployer wallet: a TypeChain factory class and its constructor args; for a
   * contract that calls libraries, the factory class, the libraries' addresses (as TypeChain names
   * them, "contracts/Lib.sol:Lib"), then the args; or a factory instance (ethers ContractFactory).
   * Registers the contract's ABI (before it is sent, so a constructor's custom error is named).
   *
   * @throws TokenspiceError LIBRARY_MISSING when a linked factory gets no addresses
   */
  deploy<F extends ContractFactoryLike>(this: void, Factory: FactoryClass<F> | F, ...args: Parameters<F["deploy"]>): Promise<Deployed<F>>;
  deploy<F extends ContractFactoryLike, L>(this: void, Factory: LinkedFactoryClass<F, L>, libraries: L, ...args: Parameters<F["deploy"]>): Promise<Deployed<F>>;
  /**
   * Deploys a contract from its artifact (Hardhat, Truffle or Waffle JSON: a published protocol's
   * exact bytecode), linking `libraries` ("Lib" or "path.sol:Lib" → address). Returns an ethers
   * Contract (give it a type: `deployArtifact<UniswapV2Factory>(...)`).
   *
   * @throws TokenspiceError ARTIFACT_INVALID, LIBRARY_MISSING
   */
  deployArtifact<C = BaseContract & Record<string, any>>(this: void, artifact: ArtifactSource, args?: unknown[], options?: { libraries?: Record<string, string> }): Promise<C>;
  /**
   * A contract the netlist did not deploy (a factory made it: a pool, a clone, a pair), typed by a
   * TypeChain factory class or an artifact, connected to this context's wallet, and registered so
   * its reverts are named.
   */
  at<C>(this: void, Factory: AttachableFactory<C>, address: string): C;
  at<C = BaseContract & Record<string, any>>(this: void, artifact: ArtifactSource, address: string): C;
}

/**
 * What a netlist's `setup(ctx)` gets: the run's params (parsed and checked against their specs),
 * a seeded stream, the deployer wallet, named funded wallets, and `deploy`/`deployArtifact`/`at`
 * (ContractTools). Its functions use no `this`: destructure them (`async setup({ deploy, wallet })`).
 */
export interface SetupContext<Params> extends ContractTools {
  /** The run's param values: each spec's default unless the run gave it (`--params`, `params`). */
  readonly params: Params;
  /** The setup's seeded stream. */
  readonly rng: Rng;
  /** The wallet `deploy` sends from (funded like every wallet: `walletEth`, default 1,000,000 ETH). */
  readonly deployer: AgentWallet;
  /** A fresh EOA funded with ETH; the same name gives the same address in every run. */
  wallet(this: void, name: string): Promise<AgentWallet>;
  /** Read-only access to the chain (balances, blocks) through ethers. */
  readonly provider: Provider & ContractRunner;
  /** Sim start time: the block timestamp setup runs at. */
  readonly time: number;
  /**
   * Sets `holder`'s balance of the ERC20 `token` to `amount` in the token's base units (a bigint:
   * `10n ** 18n` is one token of 18 decimals), without knowing where the token keeps balances: the
   * balance slot is found by probing under a snapshot (src/engine/deal.ts). For funding agents with
   * tokens that exist on a forked chain. `totalSupply` is left as it is.
   * @throws TokenspiceError DEAL_FAILED naming the token when no mapping slot holds its balances
   */
  deal(this: void, token: string | { getAddress(): Promise<string> }, holder: string | { address: string }, amount: bigint): Promise<void>;
  /**
   * An existing account (a token holder, a protocol's admin on a forked chain) as a wallet named
   * `name`, impersonated: an agent can act as it (`new MyAgent(await impersonate("whale", "0x…"))`).
   * Its ETH is what the chain says (nothing is added: `deal` tokens, or give it ETH from a wallet);
   * it has no key, so it cannot sign messages or permits.
   * @throws TokenspiceError NAME_INVALID, OPTION_INVALID for an address that is not 0x and 40 hex digits
   */
  impersonate(this: void, name: string, address: string): Promise<AgentWallet>;
}

/**
 * What `setup` resolves to: the world (contracts and state every agent and KPI sees) and the agents, in the order they step (`agentOrder: "declared"`).
 */
export interface SetupResult<World, Params> {
  world: World;
  agents: Agent<World, Params>[];
}

/** What the netlist's `sample(ctx)` hook sees: the state right after a tick (or setup, at tick 0). */
export interface SampleContext<World, Params> {
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

/** What a KPI sees: the sample context, and what the netlist's `sample` hook returned for this sample. */
export interface KpiContext<World, Params, Sample = unknown> extends SampleContext<World, Params> {
  /** The value the netlist's `sample(ctx)` hook returned for this sample; `undefined` when it has none. */
  readonly sample: Sample;
}

/** A KPI as a function: a number or a bigint (exact, e.g. a token amount in wei), or a promise of one. */
export type KpiFunction<World, Params, Sample = unknown> = (ctx: KpiContext<World, Params, Sample>) => KpiValue | Promise<KpiValue>;

/**
 * One entry of a netlist's `kpis`: a function, or a record with the function as `value` and what
 * it measures (`label`, `unit`, `decimals`, `scale`, `group`, `doc`; see `KpiMeta`).
 */
export type KpiEntry<World, Params, Sample = unknown> = KpiFunction<World, Params, Sample> | KpiSpec<KpiFunction<World, Params, Sample>>;

/** A netlist's clock: how many ticks a run has and how far each moves chain time (seconds) and the block number. */
export interface NetlistTime {
  /** Ticks per run (overridable per run with `steps`). */
  steps: number;
  /** Chain time each tick moves forward, in seconds. */
  stepSeconds: number;
  /** Block timestamp (unix seconds) of tick 0. Default 2030-01-01T00:00:00Z, so runs never depend on today's date. */
  start?: number;
  /**
   * Blocks each tick adds (default 1): block.number grows by this much a tick, plus one per
   * transaction, for contracts that count time in blocks (vesting in blocks, per-block emissions
   * or interest). Ethereum's 12 s slots: stepSeconds / 12.
   */
  blocksPerStep?: number;
}

/**
 * What `defineNetlist` takes: a description, params (`param.int/float/bool/choice`), time, `setup`,
 * an optional `sample` hook and the KPIs (sampled after setup, tick 0, then every `sampleEvery` ticks
 * and after the last).
 */
export interface NetlistSpec<P extends ParamSpecs, World, Sample = undefined> {
  /** One line saying what the netlist models; its name in messages when it is not loaded from a file. */
  description: string;
  /** Param name → spec (`param.int`, `param.float`, `param.bool`, `param.choice`); names as `assertParamName` allows. */
  params?: P;
  /** Ticks per run and chain time per tick. */
  time: NetlistTime;
  /** "declared": agents step in the order setup returned them; "shuffle": a seeded shuffle each tick. */
  agentOrder?: "declared" | "shuffle";
  /** Sample KPIs every n ticks (and always after the last). Default 1. */
  sampleEvery?: number;
  /** Deploys the contracts and creates the agents, at tick 0 (block timestamp `time.start`). */
  setup(ctx: SetupContext<ParamValues<P>>): Promise<SetupResult<World, ParamValues<P>>>;
  /**
   * Called once per KPI sample, before the KPIs: reads what several KPIs share (balances, pool
   * state) once. Every KPI receives its result as `ctx.sample`. Write it before `kpis` so its type
   * flows to them.
   */
  sample?: (ctx: SampleContext<World, ParamValues<P>>) => Sample | Promise<Sample>;
  /** KPI name → a function, or `{ value, label, unit, decimals, scale, group, doc }`. */
  kpis: Record<string, KpiEntry<World, ParamValues<P>, Sample>>;
}

const NETLIST_BRAND = Symbol.for("hardhat-tokenspice/netlist");

/**
 * What `defineNetlist` returns: the spec with `params` always present (`{}` when none), branded so the runner can tell a netlist from any other default export (`isNetlist`).
 */
export type Netlist<P extends ParamSpecs = ParamSpecs, World = any, Sample = any> = NetlistSpec<P, World, Sample> & {
  readonly params: P;
  readonly [NETLIST_BRAND]: true;
};
/** A netlist of unknown params and world, as the runner handles it. */
export type AnyNetlist = Netlist<any, any, any>;

/**
 * Block timestamp (unix seconds) of tick 0 when `time.start` is not given: 2030-01-01T00:00:00Z, so runs never depend on today's date.
 */
export const DEFAULT_START_TIME = 1_893_456_000; // 2030-01-01T00:00:00Z

/**
 * Declares a simulation: params, time, setup (deploy contracts, create agents) and KPIs.
 * The default export of `sims/<name>/netlist.ts` or `sims/<name>.ts`.
 *
 * @throws TokenspiceError NETLIST_INVALID (or NAME_INVALID for a param or KPI name) naming the first
 *   thing wrong with the spec and, at the end of the message, the line that called defineNetlist:
 *   `defineNetlist("Jar"): time.steps must be a positive integer (at sims/jar.ts:12:20)`
 */
export function defineNetlist<const P extends ParamSpecs = Record<never, never>, World = unknown, Sample = undefined>(spec: NetlistSpec<P, World, Sample>): Netlist<P, World, Sample> {
  try {
    return validatedNetlist(spec);
  } catch (error) {
    throw withCallSite(error, callSite());
  }
}

/** The netlist `spec` declares, or the first thing wrong with it (see `defineNetlist`). */
function validatedNetlist<const P extends ParamSpecs, World, Sample>(spec: NetlistSpec<P, World, Sample>): Netlist<P, World, Sample> {
  const where = `defineNetlist(${JSON.stringify(spec?.description ?? "")})`;
  const bad = (why: string) => new TokenspiceError("NETLIST_INVALID", `${where}: ${why}`, { description: spec?.description });
  if (typeof spec?.description !== "string") throw bad("description must be a string");
  if (typeof spec.setup !== "function") throw bad("setup must be a function");
  const kpis = resolveKpis(spec.kpis, where);
  if (spec.sample !== undefined && typeof spec.sample !== "function") throw bad("sample must be a function");
  if (spec.params !== undefined && (typeof spec.params !== "object" || spec.params === null)) throw bad("params must be an object of param specs");
  for (const [name, p] of Object.entries(spec.params ?? {})) {
    assertParamName(where, name);
    if (typeof (p as { type?: unknown })?.type !== "string") throw bad(`param "${name}" must be made with param.int/float/bool/choice`);
  }
  const { steps, stepSeconds, start } = spec.time ?? ({} as NetlistTime);
  if (!Number.isSafeInteger(steps) || steps < 1) throw bad("time.steps must be a positive integer");
  if (!Number.isSafeInteger(stepSeconds) || stepSeconds < 1) throw bad("time.stepSeconds must be a positive integer (seconds)");
  if (start !== undefined && (!Number.isSafeInteger(start) || start < 1)) throw bad("time.start must be a positive integer (unix seconds)");
  const { blocksPerStep } = spec.time;
  if (blocksPerStep !== undefined && (!Number.isSafeInteger(blocksPerStep) || blocksPerStep < 1)) throw bad("time.blocksPerStep must be a positive integer");
  if (spec.sampleEvery !== undefined && (!Number.isSafeInteger(spec.sampleEvery) || spec.sampleEvery < 1)) {
    throw bad("sampleEvery must be a positive integer");
  }
  if (spec.agentOrder !== undefined && spec.agentOrder !== "declared" && spec.agentOrder !== "shuffle") {
    throw bad(`agentOrder must be "declared" or "shuffle"`);
  }
  const netlist: Netlist<P, World, Sample> = { ...spec, params: (spec.params ?? {}) as P, [NETLIST_BRAND]: true };
  resolved.set(netlist, kpis);
  return netlist;
}

const resolved = new WeakMap<object, ResolvedKpi[]>();

/** The netlist's KPIs in declared order, each resolved once into `{ name, value, meta }`. */
export function netlistKpis(netlist: AnyNetlist): readonly ResolvedKpi<KpiFunction<any, any, any>>[] {
  let kpis = resolved.get(netlist);
  if (!kpis) {
    kpis = resolveKpis(netlist.kpis, `netlist ${JSON.stringify(netlist.description)}`);
    resolved.set(netlist, kpis);
  }
  return kpis as ResolvedKpi<KpiFunction<any, any, any>>[];
}

/** What each KPI measures (defaults filled in), in declared order: the run manifest's `kpis`. */
export function kpiInfo(netlist: AnyNetlist): KpiInfo[] {
  return netlistKpis(netlist).map((k) => k.meta);
}

/**
 * True when `value` was made by `defineNetlist` (its brand, `Symbol.for("hardhat-tokenspice/netlist")`, so it holds across copies of the package).
 */
export function isNetlist(value: unknown): value is AnyNetlist {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[NETLIST_BRAND] === true;
}
