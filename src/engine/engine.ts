import type { Interface } from "ethers";
import { SimulationAbortedError, TokenspiceError } from "../errors";
import { isAgent, type Agent } from "../model/agent";
import { DEFAULT_START_TIME, netlistKpis, type AnyNetlist, type ContractFactoryLike, type FactoryClass, type SetupContext } from "../model/netlist";
import { runRng, type Rng } from "../model/rng";
import type { KpiValue } from "../model/series";
import { Chain, SimClock, probeNode } from "./chain";
import { DirectProvider, type Eip1193Provider } from "./provider";
import { RevertDecoder, isTransactionReverted, type RevertRecord } from "./reverts";
import { TransactionSender, type TransactionRecord } from "./transactions";
import { Wallets } from "./wallets";
import { installKeccakCache } from "./keccak-cache";

export interface KpiSample {
  tick: number;
  time: number;
  values: Record<string, KpiValue>;
}

/** Sees the run as it goes: the output writers and progress bars hang off this. */
export interface SimulationObserver {
  onStart?(info: { kpis: string[]; steps: number; startTime: number }): void;
  onSample?(sample: KpiSample): void;
  onRevert?(record: RevertRecord): void;
  onTransaction?(record: TransactionRecord): void;
  onTick?(tick: number, steps: number): void;
}

export interface SimulationOptions {
  name: string;
  netlist: AnyNetlist;
  params: Record<string, unknown>;
  seed: number;
  steps: number;
  walletWei: bigint;
  observer?: SimulationObserver;
  /** Called after setup, before tick 1 (the benchmark snapshots here). */
  afterSetup?: () => Promise<void>;
  /** Leave the chain as the run ended instead of reverting to the snapshot taken before setup. */
  keepChainState?: boolean;
  /** Called after each KPI sample; returning true ends the run there (property checks' invariants). */
  stopAfterSample?: (sample: KpiSample) => boolean;
}

export interface SimulationOutcome {
  /** Ticks run: `steps`, or fewer when `stopAfterSample` ended the run. */
  ticks: number;
  samples: KpiSample[];
  kpiNames: string[];
  reverts: RevertRecord[];
  gasUsed: Record<string, bigint>;
  transactions: Record<string, number>;
}

const MAX_TX_GAS = 16_000_000n; // under EIP-7825's per-transaction cap (2^24)

/**
 * One simulation: snapshot, setup, then `steps` ticks of (advance chain time, step every agent,
 * sample KPIs), then revert to the snapshot. Framework-free: an EIP-1193 provider in, no Hardhat.
 */
export async function simulate(eip1193: Eip1193Provider, options: SimulationOptions): Promise<SimulationOutcome> {
  const { netlist, seed, steps, observer = {} } = options;
  installKeccakCache();
  const params = options.params as any; // checked against the netlist's specs by the runner
  const chain = new Chain(eip1193);
  const provider = new DirectProvider(eip1193, await chain.chainId());
  const record = new RunRecord(observer);
  const decoder = new RevertDecoder();
  const rng = runRng(seed);
  const kpis = netlistKpis(netlist);
  const kpiNames = kpis.map((k) => k.name);
  const startTime = netlist.time.start ?? DEFAULT_START_TIME;
  const where = (tick: number) => `netlist "${options.name}", tick ${tick}, seed ${seed}`;
  const details = (tick: number) => ({ netlist: options.name, tick, seed });

  const snapshot = await chain.snapshot();
  let sender: TransactionSender | undefined;
  try {
    const blockGasLimit = (await chain.latestBlock()).gasLimit;
    const wallets = new Wallets(chain, options.walletWei);
    const clock = new SimClock(chain, await probeNode(chain, (await wallets.fund("deployer")).address));
    sender = new TransactionSender(chain, provider, clock, decoder, record, minBigInt(MAX_TX_GAS, blockGasLimit), blockGasLimit);
    wallets.attach(sender);
    await clock.beginTick(startTime, 0);
    const setupCtx = await setupContext(params, rng.fork("setup"), wallets, provider, decoder, startTime);
    const { world, agents } = await guard(() => netlist.setup(setupCtx), `setup failed (${where(0)})`, { ...details(0), agent: "setup" });
    checkAgents(options.name, agents);
    await sender.settle();
    await options.afterSetup?.();
    observer.onStart?.({ kpis: kpiNames, steps, startTime });

    const agentRngs = new Map(agents.map((a) => [a, rng.fork(`agent/${a.name}`)]));
    const orderRng = rng.fork("order");
    const sampleEvery = netlist.sampleEvery ?? 1;
    const sample = async (tick: number, time: number) => {
      const values: Record<string, KpiValue> = {};
      const base = { world, params, tick, time, reverts: record.reverts.length, agents };
      const hook = netlist.sample;
      const shared = hook ? await guard(async () => hook(base), `sample(ctx) threw (${where(tick)})`, { ...details(tick), kpi: "sample()" }) : undefined;
      const ctx = { ...base, sample: shared };
      for (const { name, value: kpi } of kpis) {
        const value = await guard(async () => kpi(ctx), `KPI "${name}" threw (${where(tick)})`, { ...details(tick), kpi: name });
        values[name] = checkKpiValue(name, value, where(tick));
      }
      const taken = { tick, time, values };
      record.addSample(taken);
      return options.stopAfterSample?.(taken) === true;
    };

    let ticks = 0;
    const stopped = await sample(0, startTime);
    for (let tick = 1; tick <= steps && !stopped; tick++) {
      const time = startTime + tick * netlist.time.stepSeconds;
      await clock.beginTick(time, tick);
      sender.tick = tick;
      const order = netlist.agentOrder === "shuffle" ? orderRng.shuffle(agents) : agents;
      for (const agent of order) {
        sender.actor = agent.name;
        await stepAgent(agent, { world, params, rng: agentRngs.get(agent)!, tick, time }, sender, where(tick), details(tick));
      }
      await sender.settle();
      sender.actor = "kpis";
      ticks = tick;
      const stop = (tick % sampleEvery === 0 || tick === steps) && (await sample(tick, time));
      observer.onTick?.(tick, steps);
      if (stop) break;
    }
    return { ticks, samples: record.samples, kpiNames, reverts: record.reverts, gasUsed: record.gasUsed, transactions: record.transactions };
  } catch (error) {
    // Keep what the failing tick did (its transactions and reverts) in the record before stopping.
    await sender?.settle().catch(() => undefined);
    throw error;
  } finally {
    if (!options.keepChainState) await chain.revert(snapshot);
  }
}

/** A revert ends the agent's step and the run goes on; any other error stops the run. */
async function stepAgent(
  agent: Agent<unknown, unknown>,
  ctx: Parameters<Agent<unknown, unknown>["step"]>[0],
  sender: TransactionSender,
  where: string,
  details: { netlist: string; tick: number; seed: number },
): Promise<void> {
  try {
    await agent.step(ctx);
  } catch (error) {
    if (isTransactionReverted(error)) return; // recorded when it happened
    const callRevert = asCallRevert(error);
    if (callRevert) {
      sender.recordRevert({ from: agent.wallet.address, to: callRevert.to, call: callRevert.call, reason: callRevert.reason, data: callRevert.data, txHash: null });
      return;
    }
    throw new SimulationAbortedError(`Agent "${agent.name}" threw (${where}): ${message(error)}`, { ...details, agent: agent.name }, error);
  }
}

/** An ethers CALL_EXCEPTION from a reverted eth_call (a view or staticCall an agent made). */
function asCallRevert(error: unknown): { to: string | null; call: string; reason: string; data: string } | undefined {
  const e = error as { code?: string; reason?: string | null; data?: string | null; revert?: { name: string; args: unknown[] } | null; transaction?: { to?: string | null } ; shortMessage?: string };
  if (e?.code !== "CALL_EXCEPTION") return undefined;
  const reason = e.revert ? `${e.revert.name}(${e.revert.args.map(String).join(", ")})` : (e.reason ?? e.shortMessage ?? "reverted");
  return { to: e.transaction?.to ?? null, call: "eth_call", reason, data: e.data ?? "0x" };
}

async function setupContext(
  params: Record<string, unknown>,
  rng: Rng,
  wallets: Wallets,
  provider: DirectProvider,
  decoder: RevertDecoder,
  time: number,
): Promise<SetupContext<any>> {
  const deployer = await wallets.get("deployer");
  return {
    params,
    rng,
    deployer,
    time,
    provider,
    wallet: (name) => wallets.get(name),
    async deploy<F extends ContractFactoryLike>(Factory: FactoryClass<F>, ...args: Parameters<F["deploy"]>) {
      const factory = new Factory(deployer.signer);
      const contract = (await factory.deploy(...args)) as { getAddress(): Promise<string>; interface: Interface };
      decoder.register(Factory.name.replace(/__factory$/, ""), contract.interface, await contract.getAddress());
      return contract as any;
    },
  };
}

function checkAgents(name: string, agents: unknown): asserts agents is Agent<unknown, unknown>[] {
  if (!Array.isArray(agents)) throw new TokenspiceError(`Netlist "${name}": setup must return { world, agents } with agents an array`);
  const seen = new Set<string>();
  agents.forEach((agent, i) => {
    if (!isAgent(agent)) throw new TokenspiceError(`Netlist "${name}": agents[${i}] is not an Agent (extend Agent and pass it a wallet)`);
    if (seen.has(agent.name)) throw new TokenspiceError(`Netlist "${name}": two agents are named "${agent.name}"; give each its own wallet name`);
    seen.add(agent.name);
  });
}

function checkKpiValue(name: string, value: unknown, where: string): KpiValue {
  if (typeof value === "number" || typeof value === "bigint") return value;
  throw new TokenspiceError(`KPI "${name}" returned ${typeof value} ${String(value)} (${where}); a KPI returns a number or a bigint`);
}

async function guard<T>(fn: () => Promise<T>, what: string, details: SimulationAbortedError["details"]): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TokenspiceError) throw error;
    throw new SimulationAbortedError(`${what}: ${message(error)}`, details, error);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** What the run has produced so far; passes each event on to the observer as it happens. */
class RunRecord {
  readonly samples: KpiSample[] = [];
  readonly reverts: RevertRecord[] = [];
  readonly gasUsed: Record<string, bigint> = {};
  readonly transactions: Record<string, number> = {};

  constructor(private readonly observer: SimulationObserver) {}

  onTransaction(tx: TransactionRecord): void {
    this.gasUsed[tx.agent] = (this.gasUsed[tx.agent] ?? 0n) + tx.gasUsed;
    this.transactions[tx.agent] = (this.transactions[tx.agent] ?? 0) + 1;
    this.observer.onTransaction?.(tx);
  }
  onRevert(revert: RevertRecord): void {
    this.reverts.push(revert);
    this.observer.onRevert?.(revert);
  }
  addSample(sample: KpiSample): void {
    this.samples.push(sample);
    this.observer.onSample?.(sample);
  }
}
