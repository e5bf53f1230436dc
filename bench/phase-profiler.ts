import { Profiler } from "../src/engine/profile";
import type { Eip1193Provider } from "../src/engine/provider";
import { stamp, type Stamp } from "./span";

/** A JSON-RPC request as the engine sent it. */
export interface RpcCall {
  method: string;
  params: unknown[];
}

/** One request (or one batch, in order) the engine sent during the tick loop, and in which section: an agent's step, the KPIs, or the loop itself. */
export interface RecordedRequest {
  calls: RpcCall[];
  batch: boolean;
  section: "agent" | "kpi" | "loop";
}

/**
 * The engine's Profiler (src/engine/profile.ts: the tick loop split into sends, chain time, KPIs,
 * reads, decisions and the engine), with the instants the phases of a run turn on, on both clocks:
 * the loop's start and end, and the end of the last request after the loop (the revert to the
 * pre-setup snapshot and the release of impersonated accounts). With `record`, it also keeps every
 * request the tick loop sent, in order, for the floor replay (bench/floor-replay.ts).
 */
export class PhaseProfiler extends Profiler {
  loopStart: Stamp | undefined;
  loopEnd: Stamp | undefined;
  /** When the last request sent after the loop ended (undefined: none was, e.g. keepChainState). */
  afterLoopEnd: Stamp | undefined;
  readonly recorded: RecordedRequest[] = [];
  private where: RecordedRequest["section"] = "loop";

  constructor(private readonly record = false) {
    super();
  }

  override start(): void {
    this.loopStart = stamp();
    super.start();
  }

  override stop(): void {
    super.stop();
    this.loopEnd ??= stamp();
  }

  override enter(section: "agent" | "kpi"): void {
    super.enter(section);
    this.where = section;
  }

  override leave(): void {
    super.leave();
    this.where = "loop";
  }

  override wrap(provider: Eip1193Provider): Eip1193Provider {
    const inner = super.wrap(provider);
    const wrapped: Eip1193Provider = {
      request: (args) => {
        this.keep([{ method: args.method, params: (args.params ?? []) as unknown[] }], false);
        return this.watch(inner.request(args));
      },
    };
    if (inner.requestBatch) {
      const batch = inner.requestBatch.bind(inner);
      wrapped.requestBatch = (calls) => {
        this.keep(calls, true);
        return this.watch(batch(calls));
      };
    }
    return wrapped;
  }

  private keep(calls: RpcCall[], batch: boolean): void {
    // A copy: the engine may reuse a request's object (a send retried with an estimated gas limit).
    if (this.record && this.loopStart !== undefined && this.loopEnd === undefined) this.recorded.push({ calls: structuredClone(calls), batch, section: this.where });
  }

  private watch<T>(pending: Promise<T>): Promise<T> {
    if (this.loopEnd !== undefined) {
      const done = () => void (this.afterLoopEnd = stamp());
      pending.then(done, done);
    }
    return pending;
  }
}
