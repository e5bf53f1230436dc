import type { Eip1193Provider } from "./provider";

/**
 * Where a run's tick loop spends its wall time, in milliseconds, each instant counted once:
 * - `sends`: a transaction round trip is open (eth_sendTransaction; an estimate or nonce lookup);
 * - `chainTime`: a chain-time round trip is open (opening blocks, timestamp pins, the end-of-tick
 *   checks, gas settling);
 * - `kpis`: the sample hook and the KPIs, their reads included;
 * - `reads`: an agent's read round trip is open (eth_call, balances, code);
 * - `decisions`: an agent's own JavaScript (its decisions, ethers encoding calls);
 * - `engine`: the rest: records, output files, progress, the loop itself.
 */
export interface TimeProfile {
  sends: number;
  chainTime: number;
  kpis: number;
  reads: number;
  decisions: number;
  engine: number;
}

export const TIME_PARTS: readonly (keyof TimeProfile)[] = ["sends", "chainTime", "kpis", "reads", "decisions", "engine"];

type RequestKind = "send" | "chain" | "read";

const SENDS = new Set(["eth_sendTransaction", "eth_estimateGas", "eth_getTransactionCount", "eth_getTransactionByHash"]);
const CHAIN = new Set(["evm_mine", "hardhat_mine", "evm_setNextBlockTimestamp", "eth_getBlockByNumber", "eth_feeHistory", "eth_blockNumber"]);

function kindOf(method: string): RequestKind {
  return SENDS.has(method) ? "send" : CHAIN.has(method) ? "chain" : "read";
}

/**
 * Splits the tick loop's wall time between sends, chain time, KPIs, reads, decisions and the
 * engine (see TimeProfile). Every request and section boundary closes the interval since the
 * previous one and gives it to what was going on: a send open wins over chain time, which wins
 * over a KPI section, then a read, then an agent's section. Overlapping requests (an agent's
 * `Promise.all`) are therefore not counted twice, and the parts add up to the loop's time.
 * Costs two `performance.now()` calls per request: off unless a profiler is passed to the run.
 */
export class Profiler {
  readonly totals: TimeProfile = { sends: 0, chainTime: 0, kpis: 0, reads: 0, decisions: 0, engine: 0 };
  private open = { send: 0, chain: 0, read: 0 };
  private section: "none" | "agent" | "kpi" = "none";
  private running = false;
  private last = 0;

  /** Starts counting (the engine calls it when the tick loop begins). */
  start(): void {
    this.last = performance.now();
    this.running = true;
  }

  /** Stops counting (the engine calls it when the tick loop ends, however it ends). */
  stop(): void {
    this.mark();
    this.running = false;
  }

  /** The loop's time so far (ms): the sum of the parts. */
  get totalMs(): number {
    const t = this.totals;
    return t.sends + t.chainTime + t.kpis + t.reads + t.decisions + t.engine;
  }

  enter(section: "agent" | "kpi"): void {
    this.mark();
    this.section = section;
  }

  leave(): void {
    this.mark();
    this.section = "none";
  }

  /** The provider, with each request's time counted (a batch as its most expensive kind: a send, if it has one). */
  wrap(provider: Eip1193Provider): Eip1193Provider {
    const wrapped: Eip1193Provider = { request: (args) => this.count(kindOf(args.method), () => provider.request(args)) };
    if (provider.requestBatch) {
      const batch = provider.requestBatch.bind(provider);
      wrapped.requestBatch = (calls) => {
        const kinds = calls.map((c) => kindOf(c.method));
        const kind = kinds.includes("send") ? "send" : kinds.includes("chain") ? "chain" : "read";
        return this.count(kind, () => batch(calls));
      };
    }
    return wrapped;
  }

  private count<T>(kind: RequestKind, request: () => Promise<T>): Promise<T> {
    this.mark();
    this.open[kind]++;
    const pending = request();
    // Registered before the caller awaits it, so it runs before the caller resumes.
    const done = () => {
      this.mark();
      this.open[kind]--;
    };
    pending.then(done, done);
    return pending;
  }

  private mark(): void {
    const now = performance.now();
    if (this.running) this.totals[this.part()] += now - this.last;
    this.last = now;
  }

  private part(): keyof TimeProfile {
    if (this.open.send > 0) return "sends";
    if (this.open.chain > 0) return "chainTime";
    if (this.section === "kpi") return "kpis";
    if (this.open.read > 0) return "reads";
    if (this.section === "agent") return "decisions";
    return "engine";
  }
}
