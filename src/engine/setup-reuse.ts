import type { Eip1193Provider } from "./provider";

/**
 * Setup done once per worker, replayed for the runs after it.
 *
 * The runs of a campaign's point differ by seed only, and most setups draw nothing from the seed:
 * they deploy, mint and fund the same way each time, so the chain after setup is the same. A run
 * that reuses setup does not send setup's requests again: its setup's JavaScript runs as always
 * (the world and the agents are JavaScript the run mutates, so they are built anew), but every
 * request it makes is answered from a recording of the first run's setup (`SetupTape`), and the
 * chain is put back to the state that setup left (an `evm_snapshot` taken then). What setup's code
 * sees is the same request for request, so what it builds is the same.
 *
 * Nothing is assumed about setup: a replayed request must equal the recorded one (method and
 * parameters, in order), and setup must make every recorded request. A setup that draws from the
 * seed what it sends (vesting's release offsets), reads a param that varies, or reads the clock
 * makes another request, and the run falls back to a real setup (`SetupReplayMismatch`), which
 * becomes the recording. Reuse is for a chain the run's process owns (a campaign's or search's
 * worker, on the plugin's own simulation network, not forked): between runs the chain stays at the
 * state after setup, and the accounts setup impersonated stay impersonated, until `release`.
 */
export class SetupReuse {
  private entry: { key: string; recording: TapeEntry[]; postSetup: string; base: string; impersonated: string[] } | undefined;
  private readonly refusedKeys = new Set<string>();

  /** Marks a key whose replay went another way: its setup depends on the seed (or the clock), so it is not kept again. */
  refuse(key: string): void {
    this.refusedKeys.add(key);
  }
  refused(key: string): boolean {
    return this.refusedKeys.has(key);
  }

  /** The recording to replay for a run with this key, when the chain is at its post-setup state. */
  recordingFor(key: string): TapeEntry[] | undefined {
    return this.entry?.key === key ? this.entry.recording : undefined;
  }

  /** Keeps a run's setup: the chain is now (after its run) back at the post-setup snapshot `postSetup`. */
  keep(key: string, recording: TapeEntry[], base: string, postSetup: string): void {
    this.entry = { key, recording, base, postSetup, impersonated: impersonatedBy(recording) };
  }

  /** The post-setup snapshot of the cached setup (to revert to at the end of a reusing run). */
  get postSetup(): string | undefined {
    return this.entry?.postSetup;
  }

  /** Replaces the post-setup snapshot (a snapshot is gone once reverted to: the run takes a new one). */
  set postSetup(id: string | undefined) {
    if (this.entry && id !== undefined) this.entry.postSetup = id;
  }

  /**
   * Puts the chain back as it was before the cached setup and forgets it: reverts to the base
   * snapshot and stops impersonating setup's accounts. Does nothing when nothing is cached.
   */
  async release(request: (method: string, params: unknown[]) => Promise<unknown>): Promise<void> {
    const entry = this.entry;
    if (entry === undefined) return;
    this.entry = undefined;
    await request("evm_revert", [entry.base]);
    for (const address of entry.impersonated) await request("hardhat_stopImpersonatingAccount", [address]).catch(() => undefined);
  }
}

const reuses = new WeakMap<Eip1193Provider, SetupReuse>();

/** The setup cache of one chain (its provider), made on first use. */
export function setupReuseOf(provider: Eip1193Provider): SetupReuse {
  let reuse = reuses.get(provider);
  if (reuse === undefined) {
    reuse = new SetupReuse();
    reuses.set(provider, reuse);
  }
  return reuse;
}

/** Releases a chain's setup cache, if it has one (a run that does not reuse setup calls it first). */
export async function releaseSetupReuse(provider: Eip1193Provider): Promise<void> {
  await reuses.get(provider)?.release((method, params) => provider.request({ method, params }));
}

/** One request setup made and what it got: a single request, or a batch (`requestBatch`). */
export interface TapeEntry {
  /** `method` and params as JSON, or `batch:` and the calls as JSON. */
  request: string;
  outcome: { result: unknown } | { error: unknown };
}

/** A replayed setup made a request the recording does not have next (or stopped short of it): the run falls back to a real setup. */
export class SetupReplayMismatch extends Error {
  constructor(
    readonly expected: string | undefined,
    readonly got: string | undefined,
  ) {
    super(`setup's requests differ from the recorded setup's (expected ${expected ?? "no more requests"}, got ${got ?? "none"})`);
  }
}

/**
 * The provider setup's requests go through: "live" passes them on, "record" passes them on and
 * keeps each with its outcome, "replay" answers each from a recording, checking that it is the
 * recorded request. Once a replay has gone wrong, every later request fails with the mismatch too
 * (setup code may catch one error; it cannot go on as if it had not happened).
 */
export class SetupTape implements Eip1193Provider {
  private mode: "live" | "record" | "replay" = "live";
  private entries: TapeEntry[] = [];
  private next = 0;
  private mismatch: SetupReplayMismatch | undefined;
  /** The mismatch a replay met, if it met one. */
  get mismatched(): SetupReplayMismatch | undefined {
    return this.mismatch;
  }
  readonly requestBatch?: (calls: { method: string; params: unknown[] }[]) => Promise<unknown[]>;

  constructor(private readonly inner: Eip1193Provider) {
    if (inner.requestBatch)
      this.requestBatch = (calls) =>
        this.mode === "live"
          ? inner.requestBatch!(calls)
          : (this.handle(`batch:${stableJson(calls.map(({ method, params }) => [method, params]))}`, () => inner.requestBatch!(calls)) as Promise<unknown[]>);
  }

  request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
    if (this.mode === "live") return this.inner.request(args); // the tick loop's requests: no key to build
    return this.handle(`${args.method}:${stableJson(args.params ?? [])}`, () => this.inner.request(args));
  }

  /** Starts keeping every request and outcome. */
  record(): void {
    this.mode = "record";
    this.entries = [];
  }

  /** Starts answering from `entries`. */
  replay(entries: TapeEntry[]): void {
    this.mode = "replay";
    this.entries = entries;
    this.next = 0;
    this.mismatch = undefined;
  }

  /**
   * Back to passing requests on; returns what was recorded. After a replay, throws the mismatch if
   * one happened or if setup made fewer requests than were recorded.
   */
  stop(): TapeEntry[] {
    const was = this.mode;
    this.mode = "live";
    if (was === "replay") {
      if (this.mismatch) throw this.mismatch;
      if (this.next !== this.entries.length) throw new SetupReplayMismatch(this.entries[this.next].request, undefined);
    }
    return this.entries;
  }

  private async handle(request: string, send: () => Promise<unknown>): Promise<unknown> {
    if (this.mode === "live") return send();
    if (this.mode === "record") {
      const entry: TapeEntry = { request, outcome: { result: undefined } };
      this.entries.push(entry);
      try {
        const result = await send();
        entry.outcome = { result };
        return result;
      } catch (error) {
        entry.outcome = { error };
        throw error;
      }
    }
    if (this.mismatch) throw this.mismatch;
    const entry = this.entries[this.next];
    if (entry === undefined || entry.request !== request) {
      this.mismatch = new SetupReplayMismatch(entry?.request, request);
      throw this.mismatch;
    }
    this.next++;
    if ("error" in entry.outcome) throw entry.outcome.error;
    return structuredClone(entry.outcome.result); // callers may change what they get
  }
}

/** The accounts a recording impersonated (and did not stop impersonating). */
function impersonatedBy(recording: TapeEntry[]): string[] {
  const accounts = new Set<string>();
  for (const { request } of recording) {
    const m = /^hardhat_(impersonateAccount|stopImpersonatingAccount):\["(0x[0-9a-fA-F]{40})"\]$/.exec(request);
    if (m?.[1] === "impersonateAccount") accounts.add(m[2]);
    else if (m) accounts.delete(m[2]);
  }
  return [...accounts];
}

/** JSON with bigints as decimal strings (requests hold hex strings; a bigint would be a caller's). */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
}
