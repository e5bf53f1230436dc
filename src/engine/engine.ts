import { SimulationAbortedError, TokenspiceError, isTokenspiceError, messageOf, type ErrorCode } from "../errors";
import { isAgent, type Agent } from "../model/agent";
import { assertWalletName } from "../model/names";
import { DEFAULT_START_TIME, netlistKpis, type AnyNetlist, type SetupContext } from "../model/netlist";
import { runRng, type Rng } from "../model/rng";
import type { KpiValue } from "../model/series";
import { dealErc20 } from "./deal";
import { Chain, SimClock, probeNode, type NodeBehaviour } from "./chain";
import { DirectProvider, type Eip1193Provider } from "./provider";
import { RevertDecoder, isTransactionReverted, type RevertRecord } from "./reverts";
import { TransactionSender, type TransactionRecord } from "./transactions";
import { Wallets } from "./wallets";
import { installKeccakCache } from "./keccak-cache";
import { watchdog, type SectionKind } from "./watchdog";
import { formatLocation, noStackHint, relativeStack, userFrame } from "../model/user-frame";
import { ContractTracker, type Deployment, type ProjectContract } from "./contracts";
import type { Profiler } from "./profile";
import { SetupReplayMismatch, SetupTape, releaseSetupReuse, setupReuseOf, type SetupReuse } from "./setup-reuse";

/** One KPI sample: the tick (0 after setup), its sim time and every KPI's value. */
export interface KpiSample {
  tick: number;
  /** Sim time of the sample: the tick's block timestamp (unix seconds). */
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

/**
 * What `simulate` takes: the netlist, its checked params, seed, steps, wallet funding (wei) and step timeout (ms), and the hooks that writers, benches and checks use.
 */
export interface SimulationOptions {
  name: string;
  netlist: AnyNetlist;
  params: Record<string, unknown>;
  seed: number;
  steps: number;
  /** ETH every wallet starts with, in wei. */
  walletWei: bigint;
  /**
   * How long setup, one agent's step or one KPI may take before the run fails (ms). Infinity
   * turns the timeout and the watchdog off.
   */
  stepTimeoutMs: number;
  /** The node's block-time behaviour when known (the plugin's own network); probed when omitted. */
  node?: NodeBehaviour;
  /** The project's compiled contracts: their ABIs name calls and reverts; their sources go into the manifest's deployments. */
  projectContracts?: ProjectContract[];
  /** Where artifact paths given to `deployArtifact` and `at` are resolved from. */
  projectRoot?: string;
  /** The run's manifest and folder lock, for the watchdog to mark if it must kill the process. */
  files?: { manifestFile: string; lockDir: string };
  observer?: SimulationObserver;
  /** Called after setup, before tick 1 (the benchmark snapshots here). */
  afterSetup?: () => Promise<void>;
  /** Leave the chain as the run ended instead of reverting to the snapshot taken before setup. */
  keepChainState?: boolean;
  /**
   * Reuse setup across runs on this chain (src/engine/setup-reuse.ts): a run whose setup makes the
   * requests the previous run's setup made is answered from its recording, on the chain as that
   * setup left it. For a chain only runs use (a campaign's or search's worker); needs `node` (the
   * plugin's own network), and is off with `keepChainState`. Results are the same either way.
   */
  reuseSetup?: boolean;
  /** Called after each KPI sample; returning true ends the run there (property checks' invariants). */
  stopAfterSample?: (sample: KpiSample) => boolean;
  /** Splits the tick loop's wall time into sends, chain time, KPIs, reads and decisions (the bench's breakdown). */
  profiler?: Profiler;
}

/**
 * What one simulation produced: the ticks run, the KPI samples, reverts, gas used (in gas units) and transactions per agent, how blocks were stamped, and the contracts deployed.
 */
export interface SimulationOutcome {
  /** Ticks run: `steps`, or fewer when `stopAfterSample` ended the run. */
  ticks: number;
  samples: KpiSample[];
  kpiNames: string[];
  reverts: RevertRecord[];
  gasUsed: Record<string, bigint>;
  transactions: Record<string, number>;
  /** How blocks were stamped: every block of a tick at its time, or one second per transaction. */
  blockTime: NodeBehaviour["blockTime"];
  /** Every contract the run deployed, with where its bytecode came from. */
  deployments: Deployment[];
}

/**
 * The gas limit of an agent transaction that sets none (no estimate: one round trip), capped by the
 * block gas limit; under EIP-7825's per-transaction cap of 2^24. When the sender cannot pay it up
 * front the sender estimates instead (see TransactionSender).
 */
export const DEFAULT_TX_GAS = 16_000_000n;

/**
 * One simulation: snapshot, setup, then `steps` ticks of (advance chain time, step every agent,
 * sample KPIs), then revert to the snapshot. Framework-free: an EIP-1193 provider in, no Hardhat.
 *
 * @throws SimulationAbortedError when setup, an agent or a KPI throws (SETUP_FAILED, AGENT_FAILED,
 *   KPI_FAILED), does not settle in time (STEP_TIMEOUT) or blocks the event loop (STEP_HUNG)
 * @throws TokenspiceError CHAIN_DRIFT, NETWORK_UNSUPPORTED, TICK_TOO_FULL, NODE_ERROR
 */
export async function simulate(eip1193: Eip1193Provider, options: SimulationOptions): Promise<SimulationOutcome> {
  const reuse = options.reuseSetup === true && options.keepChainState !== true && options.node !== undefined ? setupReuseOf(eip1193) : undefined;
  const key = reuse === undefined ? undefined : setupKeyOf(options);
  if (reuse === undefined || key === undefined || reuse.refused(key)) {
    await releaseSetupReuse(eip1193); // the chain as it was before any setup kept for reuse
    return simulateOnce(eip1193, options, undefined);
  }
  if (reuse.recordingFor(key) !== undefined) {
    try {
      return await simulateOnce(eip1193, options, { reuse, key, replay: true });
    } catch (error) {
      if (!(error instanceof SetupReplayMismatch)) throw error;
      reuse.refuse(key); // this setup's requests depend on the seed (or the clock): no replay for it again
    }
  }
  await releaseSetupReuse(eip1193); // another key's setup, or one that went another way
  return simulateOnce(eip1193, options, { reuse, key, replay: false });
}

/** One run: with setup replayed from `reusing`'s recording, or recorded into it, or neither. */
async function simulateOnce(eip1193: Eip1193Provider, options: SimulationOptions, reusing: { reuse: SetupReuse; key: string; replay: boolean } | undefined): Promise<SimulationOutcome> {
  const { netlist, seed, steps, observer = {} } = options;
  installKeccakCache();
  const params = options.params as any; // checked against the netlist's specs by the runner
  const profiler = options.profiler;
  const tape = new SetupTape(profiler ? profiler.wrap(eip1193) : eip1193);
  const chain = new Chain(tape);
  const provider = new DirectProvider(tape, await chain.chainId());
  const record = new RunRecord(observer);
  const decoder = new RevertDecoder(options.projectContracts ?? [], (address) => chain.request<string>("eth_getCode", [address, "latest"]));
  const contracts = new ContractTracker(decoder, options.projectContracts ?? [], options.projectRoot ?? process.cwd());
  const rng = runRng(seed);
  const kpis = netlistKpis(netlist);
  const kpiNames = kpis.map((k) => k.name);
  const startTime = netlist.time.start ?? DEFAULT_START_TIME;
  const sections = new Sections(options, kpiNames);

  // The snapshot the run ends at: taken before setup, or (reusing setup) the one taken after it.
  const replaying = reusing?.replay === true;
  const snapshot = replaying ? reusing.reuse.postSetup! : await chain.snapshot();
  const wallets = new Wallets(chain, options.walletWei);
  let sender: TransactionSender | undefined;
  let setupDone: { recording: ReturnType<SetupTape["stop"]>; postSetup: string; accounts: Set<string> } | undefined;
  if (replaying) {
    tape.replay(reusing.reuse.recordingFor(reusing.key)!);
    record.hold(); // setup's transactions reach the observer once the replay is known to be right
  } else if (reusing) {
    tape.record();
  }
  try {
    const blockGasLimit = (await chain.latestBlock()).gasLimit;
    const behaviour = options.node ?? (await probeNode(chain, (await wallets.fund("deployer")).address));
    const clock = new SimClock(chain, behaviour.blockTime, netlist.time.stepSeconds, netlist.time.blocksPerStep ?? 1);
    sender = new TransactionSender(chain, provider, clock, decoder, record, minBigInt(DEFAULT_TX_GAS, blockGasLimit), blockGasLimit);
    wallets.attach(sender);
    await clock.start(startTime);
    const setupCtx = await setupContext(params, rng.fork("setup"), wallets, provider, contracts, startTime, chain);
    const { world, agents } = await sections.run("setup", 0, 0, () => netlist.setup(setupCtx));
    assertAgents(options.name, agents);
    sections.agentsAre(agents.map((a) => a.name));
    await sender.settle();
    await clock.endTick();
    if (reusing) {
      const recording = tape.stop(); // throws SetupReplayMismatch when the replay went another way
      record.release();
      setupDone = { recording, postSetup: replaying ? snapshot : await chain.snapshot(), accounts: wallets.accounts() };
    }
    await options.afterSetup?.();
    observer.onStart?.({ kpis: kpiNames, steps, startTime });

    const agentRngs = new Map(agents.map((a) => [a, rng.fork(`agent/${a.name}`)]));
    const agentAt = new Map(agents.map((a) => [a, contracts.tools(a.wallet.signer).at]));
    const orderRng = rng.fork("order");
    const sampleEvery = netlist.sampleEvery ?? 1;
    const sample = async (tick: number, time: number) => {
      const values: Record<string, KpiValue> = {};
      const base = { world, params, tick, time, reverts: record.reverts.length, agents };
      const hook = netlist.sample;
      const shared = hook ? await sections.run("sample", 0, tick, () => hook(base)) : undefined;
      const ctx = { ...base, sample: shared };
      for (let k = 0; k < kpis.length; k++) {
        const { name, value: kpi } = kpis[k];
        values[name] = assertKpiValue(name, await sections.run("KPI", k, tick, () => kpi(ctx)), () => sections.details(tick, { kpi: name }));
      }
      const taken = { tick, time, values };
      record.addSample(taken);
      return options.stopAfterSample?.(taken) === true;
    };

    let ticks = 0;
    profiler?.start();
    const stopped = await sample(0, startTime);
    for (let tick = 1; tick <= steps && !stopped; tick++) {
      const time = startTime + tick * netlist.time.stepSeconds;
      await clock.beginTick(time, tick);
      sender.tick = tick;
      const order = netlist.agentOrder === "shuffle" ? orderRng.shuffle(agents) : agents;
      for (const agent of order) {
        sender.actor = agent.name;
        await stepAgent(agent, { world, params, rng: agentRngs.get(agent)!, tick, time, at: agentAt.get(agent)! }, sender, sections, agents.indexOf(agent));
      }
      await sender.settle();
      await clock.endTick();
      sender.actor = "kpis";
      ticks = tick;
      const stop = (tick % sampleEvery === 0 || tick === steps) && (await sample(tick, time));
      observer.onTick?.(tick, steps);
      if (stop) break;
    }
    return {
      ticks,
      samples: record.samples,
      kpiNames,
      reverts: record.reverts,
      gasUsed: record.gasUsed,
      transactions: record.transactions,
      blockTime: behaviour.blockTime,
      deployments: contracts.deployments,
    };
  } catch (error) {
    // A replayed setup that went another way: whatever setup's code made of the mismatch, the run starts again with a real setup.
    if (replaying && setupDone === undefined && tape.mismatched) throw tape.mismatched;
    // Keep what the failing tick did (its transactions and reverts) in the record before stopping.
    await sender?.settle().catch(() => undefined);
    throw error;
  } finally {
    profiler?.stop();
    sections.close();
    sender?.close(`netlist "${options.name}", seed ${seed} is over`);
    if (reusing && setupDone !== undefined) {
      // Back to the state setup left, kept for the next run (a snapshot is gone once reverted to:
      // a new one); the accounts setup impersonated stay so, as the replayed setup expects.
      await chain.revert(setupDone.postSetup);
      const postSetup = await chain.snapshot();
      if (replaying) reusing.reuse.postSetup = postSetup;
      else reusing.reuse.keep(reusing.key, setupDone.recording, snapshot, postSetup);
      await wallets.release(setupDone.accounts);
    } else if (replaying) {
      // The replay failed before it was known to be right: nothing was sent, the chain is at the kept post-setup state.
    } else if (!options.keepChainState) {
      // Leave the node as the run found it: state (the snapshot) and impersonated accounts.
      await chain.revert(snapshot);
      await wallets.release();
    }
  }
}

/** What must be equal for one run's setup to be replayed for another: the netlist (the object), params, wallet funding, project and block time. */
function setupKeyOf(options: SimulationOptions): string {
  let id = netlistIds.get(options.netlist);
  if (id === undefined) {
    id = ++netlistCount;
    netlistIds.set(options.netlist, id);
  }
  const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
  return json([id, options.name, options.params, options.walletWei, options.projectRoot ?? null, options.node?.blockTime ?? null]);
}
const netlistIds = new WeakMap<object, number>();
let netlistCount = 0;

/** A revert ends the agent's step and the run goes on; any other error stops the run. */
async function stepAgent(agent: Agent<unknown, unknown>, ctx: Parameters<Agent<unknown, unknown>["step"]>[0], sender: TransactionSender, sections: Sections, index: number): Promise<void> {
  try {
    await sections.run("agent", index, ctx.tick, () => agent.step(ctx));
  } catch (error) {
    const cause = error instanceof SimulationAbortedError && error.code === "AGENT_FAILED" ? error.cause : undefined;
    if (isTransactionReverted(cause)) return; // recorded when it happened
    const callRevert = await asCallRevert(cause, sender.decoder);
    if (callRevert) {
      sender.recordRevert({ from: agent.wallet.address, to: callRevert.to, call: callRevert.call, reason: callRevert.reason, data: callRevert.data, txHash: null });
      return;
    }
    throw error;
  }
}

/**
 * An ethers CALL_EXCEPTION from a reverted eth_call (a view or staticCall an agent made). The
 * reason is decoded from the revert data with every interface the run knows, as for transactions:
 * an error raised in a contract the view called is named too.
 */
async function asCallRevert(error: unknown, decoder: RevertDecoder): Promise<{ to: string | null; call: string; reason: string; data: string } | undefined> {
  const e = error as {
    code?: string;
    reason?: string | null;
    data?: string | null;
    revert?: { name: string; args: unknown[] } | null;
    transaction?: { to?: string | null; data?: string };
    shortMessage?: string;
  };
  if (e?.code !== "CALL_EXCEPTION") return undefined;
  const data = typeof e.data === "string" ? e.data : "0x";
  const to = e.transaction?.to ?? null;
  const decoded = data.length >= 10 ? decoder.describeError(data) : undefined;
  const fromEthers = e.revert ? `${e.revert.name}(${e.revert.args.map(String).join(", ")})` : (e.reason ?? e.shortMessage ?? "reverted");
  const reason = decoded !== undefined && !decoded.startsWith("unknown error") ? decoded : fromEthers;
  const call = to !== null && e.transaction?.data ? `eth_call ${await decoder.describeCall(to, e.transaction.data)}` : "eth_call";
  return { to, call, reason, data };
}

async function setupContext(params: Record<string, unknown>, rng: Rng, wallets: Wallets, provider: DirectProvider, contracts: ContractTracker, time: number, chain: Chain): Promise<SetupContext<any>> {
  const deployer = await wallets.get("deployer");
  return {
    params,
    rng,
    deployer,
    time,
    provider,
    wallet: (name) => wallets.get(name),
    impersonate: (name, address) => wallets.impersonate(name, address),
    deal: async (token, holder, amount) => {
      await dealErc20(chain, typeof token === "string" ? token : await token.getAddress(), typeof holder === "string" ? holder : holder.address, amount);
    },
    ...contracts.tools(deployer.signer),
  };
}

function assertAgents(name: string, agents: unknown): asserts agents is Agent<unknown, unknown>[] {
  const bad = (why: string) => new TokenspiceError("NETLIST_INVALID", `Netlist "${name}": ${why}`, { netlist: name });
  if (!Array.isArray(agents)) throw bad("setup must return { world, agents } with agents an array");
  const seen = new Set<string>();
  agents.forEach((agent, i) => {
    if (!isAgent(agent)) throw bad(`agents[${i}] is not an Agent (extend Agent and pass it a wallet)`);
    assertWalletName(`Netlist "${name}"`, agent.name);
    if (seen.has(agent.name)) throw bad(`two agents are named "${agent.name}"; give each its own wallet name`);
    seen.add(agent.name);
  });
}

/** A KPI's value as recorded: a number (NaN and ±Infinity included; -0 as 0) or a bigint. */
function assertKpiValue(name: string, value: unknown, where: () => SimulationAbortedError["details"]): KpiValue {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return value === 0 ? 0 : value; // -0 and 0 print alike; keep one
  const details = where();
  throw new SimulationAbortedError(
    "KPI_FAILED",
    `KPI "${name}" returned ${describeValue(value)} (netlist "${details.netlist}", tick ${details.tick}, seed ${details.seed}); a KPI returns a number or a bigint`,
    details,
  );
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (value === null || value === undefined) return String(value);
  return `a ${typeof value}`;
}

function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * Runs user code (setup, an agent's step, a KPI) under the step timeout and the watchdog, and turns
 * what it throws into a SimulationAbortedError naming netlist, agent or KPI, tick and seed.
 */
class Sections {
  private agentNames: string[] = [];
  private readonly timeoutMs: number;
  // The open section, checked by one ticker per run rather than a timer per section: a run opens
  // tens of thousands of sections, and a timer each cost more than the checks.
  private current: { kind: SectionKind; index: number; tick: number; startedAt: number; fail: (error: Error) => void } | undefined;
  private ticker: NodeJS.Timeout | undefined;
  /** Set once a section timed out: any section opened after that fails at once with it. */
  private timedOut: Error | undefined;

  constructor(
    private readonly options: SimulationOptions,
    private readonly kpiNames: string[],
  ) {
    this.timeoutMs = options.stepTimeoutMs;
    if (Number.isFinite(this.timeoutMs)) this.tellWatchdog();
  }

  agentsAre(names: string[]): void {
    this.agentNames = names;
    if (Number.isFinite(this.timeoutMs)) this.tellWatchdog();
  }

  details(tick: number, who: { agent?: string; kpi?: string } = {}): SimulationAbortedError["details"] {
    return { netlist: this.options.name, seed: this.options.seed, tick, ...who };
  }

  /** Stops the ticker; call when the run ends, however it ends. */
  close(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  async run<T>(kind: SectionKind, index: number, tick: number, fn: () => T | Promise<T>): Promise<T> {
    const profiler = this.options.profiler;
    if (profiler === undefined || kind === "setup") return this.guarded(kind, index, tick, fn);
    profiler.enter(kind === "agent" ? "agent" : "kpi");
    try {
      return await this.guarded(kind, index, tick, fn);
    } finally {
      profiler.leave();
    }
  }

  private async guarded<T>(kind: SectionKind, index: number, tick: number, fn: () => T | Promise<T>): Promise<T> {
    if (!Number.isFinite(this.timeoutMs)) return this.settle(fn, kind, index, tick);
    // The section opens before fn runs: its synchronous part may never return.
    if (this.timedOut) throw this.timedOut;
    const dog = watchdog();
    const id = dog.open(this.timeoutMs, kind, index, tick);
    // One deadline promise per section, dropped with it. (A single run-long promise raced by every
    // section kept each section's reaction, and with it the section's context, until the run ended:
    // 1.2 KB per agent step and KPI, 25 MB over token-flow's 1,000 ticks.)
    let fail!: (error: Error) => void;
    const deadline = new Promise<never>((_, reject) => (fail = reject));
    deadline.catch(() => undefined); // rejected at most once, and raced by the section it names
    this.current = { kind, index, tick, startedAt: performance.now(), fail };
    // A ref'd ticker: while user code awaits something that never settles, it keeps the process
    // alive (Node would otherwise exit, code 0, with the run unfinished) and then fails the run.
    this.ticker ??= setInterval(() => this.checkDeadline(), Math.max(10, Math.min(250, this.timeoutMs / 4)));
    const work = this.settle(fn, kind, index, tick);
    // Once the deadline wins, the step may still settle (or throw) later: nobody awaits it any more.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, deadline]);
    } finally {
      this.current = undefined;
      dog.close(id);
    }
  }

  private checkDeadline(): void {
    const c = this.current;
    if (c === undefined || performance.now() - c.startedAt <= this.timeoutMs) return;
    const { name, where, at } = this.describe(c.kind, c.index, c.tick);
    this.close();
    this.timedOut = new SimulationAbortedError(
      "STEP_TIMEOUT",
      `${name} did not finish within ${this.timeoutMs} ms (${where}): it awaits something that never settles, or is slower ` +
        `than the step timeout (config tokenspice.stepTimeoutMs, --step-timeout, or stepTimeoutMs in run options).`,
      { ...at, timeoutMs: this.timeoutMs },
    );
    c.fail(this.timedOut);
  }

  private describe(kind: SectionKind, index: number, tick: number) {
    const name = kind === "setup" ? "setup" : kind === "agent" ? `Agent "${this.agentNames[index]}"` : kind === "sample" ? "sample(ctx)" : `KPI "${this.kpiNames[index]}"`;
    const who = kind === "KPI" ? { kpi: this.kpiNames[index] } : kind === "sample" ? { kpi: "sample()" } : kind === "agent" ? { agent: this.agentNames[index] } : { agent: "setup" };
    const at = this.details(tick, who);
    return { name, at, where: `netlist "${at.netlist}", tick ${tick}, seed ${at.seed}` };
  }

  private async settle<T>(fn: () => T | Promise<T>, kind: SectionKind, index: number, tick: number): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isTokenspiceError(error) && !isTransactionReverted(error)) throw error; // the engine's own (drift, a closed run)
      const { name, where, at } = this.describe(kind, index, tick);
      const code: ErrorCode = kind === "setup" ? "SETUP_FAILED" : kind === "agent" ? "AGENT_FAILED" : "KPI_FAILED"; // the sample hook is the KPIs' own
      const what = kind === "setup" ? `setup failed (${where})` : `${name} threw (${where})`;
      // Where in the user's code it was thrown (the netlist, or a helper it imports), and the thrown error's own stack.
      const root = this.options.projectRoot ?? process.cwd();
      const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : undefined;
      const loc = userFrame(stack, root);
      const located = loc === undefined ? at : { ...at, at: formatLocation(loc), stack: relativeStack(stack!, root) };
      throw new SimulationAbortedError(code, `${what}: ${messageOf(error)}${loc === undefined ? noStackHint(error) : ` (at ${formatLocation(loc)})`}`, located, error);
    }
  }

  private tellWatchdog(): void {
    watchdog().setRun({
      netlist: this.options.name,
      seed: this.options.seed,
      agents: this.agentNames,
      kpis: this.kpiNames,
      ...this.options.files,
    });
  }
}

/** What the run has produced so far; passes each event on to the observer as it happens (or, held, once released). */
class RunRecord {
  readonly samples: KpiSample[] = [];
  readonly reverts: RevertRecord[] = [];
  readonly gasUsed: Record<string, bigint> = {};
  readonly transactions: Record<string, number> = {};
  private held: (() => void)[] | undefined;

  constructor(private readonly observer: SimulationObserver) {}

  /** Keeps the observer's events until `release` (a replayed setup's, dropped if the replay goes wrong). */
  hold(): void {
    this.held = [];
  }
  /** Passes the held events on, and the next ones as they happen. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const send of held) send();
  }

  onTransaction(tx: TransactionRecord): void {
    this.gasUsed[tx.agent] = (this.gasUsed[tx.agent] ?? 0n) + tx.gasUsed;
    this.transactions[tx.agent] = (this.transactions[tx.agent] ?? 0) + 1;
    // Held only while a replayed setup is checked (no closure for the tick loop's transactions).
    if (this.held) this.held.push(() => this.observer.onTransaction?.(tx));
    else this.observer.onTransaction?.(tx);
  }
  onRevert(revert: RevertRecord): void {
    this.reverts.push(revert);
    if (this.held) this.held.push(() => this.observer.onRevert?.(revert));
    else this.observer.onRevert?.(revert);
  }
  addSample(sample: KpiSample): void {
    this.samples.push(sample);
    this.observer.onSample?.(sample);
  }
}
