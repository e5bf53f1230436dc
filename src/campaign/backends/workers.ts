import { fork, type ChildProcess } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { ERROR_CODES, TokenspiceError, type ErrorCode } from "../../errors";
import { LOCK_NAME } from "../../output/run-writer";
import { findRunManifest } from "../../output/formats/run-manifest";
import type { BackendEvents, CampaignBackend, RunJob, RunOutcome } from "../types";
import { ENDING_SIGNALS } from "../../runner/interrupts";
import type { FromWorker, SerializedError, ToWorker } from "./protocol";

/** Runs a worker is given before it is replaced by a fresh one (bounds slow leaks besides RSS). */
export const DEFAULT_MAX_RUNS_PER_WORKER = 250;
/** A worker's RSS limit is never set below this by default: a booted worker holds about 300 MB. */
export const MIN_DEFAULT_WORKER_MEMORY_BYTES = 1024 * 2 ** 20;
/** ... nor above this: a larger worker only holds more of Hardhat's dead blocks. */
export const MAX_DEFAULT_WORKER_MEMORY_BYTES = 2048 * 2 ** 20;
/** How long a worker may take to boot (Hardhat, ts-node, the simulation network; a fork's first fetch). */
export const DEFAULT_BOOT_TIMEOUT_MS = 180_000;
/** How long `close()` waits for workers to exit before SIGKILL. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/** A run whose worker dies is started this many times in all (once more, on a fresh worker). */
export const MAX_ATTEMPTS = 2;

/** The default worker count: the cores Node may use (`os.availableParallelism()`). */
export function defaultWorkers(): number {
  return os.availableParallelism();
}

/**
 * The default RSS limit of one worker, in bytes: half the machine's memory shared among the
 * workers, clamped to [1 GiB, 2 GiB]. Half leaves the rest of the machine (the campaign's own process,
 * the OS, the page cache) its share; the floor leaves a booted worker (about 300 MB) room for
 * runs; the cap recycles a worker before it holds gigabytes of Hardhat's blocks, which `evm_revert`
 * never frees (a recycle costs a boot, a few seconds). A worker is recycled between runs once its RSS
 * passes the limit, so a run may take it past the limit by its own growth.
 */
export function defaultWorkerMemoryBytes(workers: number, totalBytes = os.totalmem()): number {
  const share = Math.floor(totalBytes / 2 / Math.max(1, workers));
  return Math.min(MAX_DEFAULT_WORKER_MEMORY_BYTES, Math.max(MIN_DEFAULT_WORKER_MEMORY_BYTES, share));
}

/** How `WorkerPoolBackend` starts and recycles its worker processes (counts, bytes and milliseconds as each field says). */
export interface WorkerPoolOptions {
  /** The script each worker process runs (a `.js` file, or another with a loader in `execArgv`). */
  entry: string;
  /** Its command-line arguments. */
  args?: string[];
  /** Set in its environment, over this process's. */
  env?: Record<string, string>;
  /** Node options for it (default none: not this process's). */
  execArgv?: string[];
  /** Its working folder (default this process's). */
  cwd?: string;
  /** Worker processes at most (default `os.availableParallelism()`). */
  workers?: number;
  /** Runs a worker does before it is replaced by a fresh one (default 250; Infinity: never by count). */
  maxRunsPerWorker?: number;
  /** A worker whose RSS after a run is above this many bytes is replaced (default `defaultWorkerMemoryBytes`). */
  workerMemoryBytes?: number;
  /** ms a worker may take to send `ready` (default 180 000). */
  bootTimeoutMs?: number;
  /** ms `close()` waits for workers to exit before SIGKILL (default 10 000). */
  closeTimeoutMs?: number;
}

/** A job in the queue, and what happened to it so far. */
interface QueuedJob {
  job: RunJob;
  /** Its place in the jobs given to `run`. */
  index: number;
  attempts: number;
  /** ms since epoch when its current attempt was sent. */
  sentAt: number;
  /** How the workers that ran it died, one line per death. */
  deaths: string[];
}

interface Worker {
  /** 1-based, stable: a replacement takes the slot of the worker it replaces. */
  slot: number;
  child: ChildProcess;
  state: "booting" | "idle" | "busy" | "stopping";
  job: QueuedJob | undefined;
  runs: number;
  /** RSS in bytes the worker reported last (after booting, or after its last run). */
  rssBytes: number | undefined;
  /** The last few KB it wrote to stdout and stderr (shown when it fails to boot or dies). */
  output: string;
  bootTimer: NodeJS.Timeout | undefined;
  exited: Promise<void>;
}

interface Campaign {
  queue: QueuedJob[];
  /** A job whose worker died, waiting for the fresh worker of that slot. */
  retries: Map<number, QueuedJob>;
  outcomes: (RunOutcome | undefined)[];
  remaining: number;
  events: BackendEvents;
  resolve(outcomes: RunOutcome[]): void;
  reject(error: Error): void;
}

const OUTPUT_TAIL_BYTES = 4096;
const MB = (bytes: number | undefined) => (bytes === undefined ? "unknown" : `${(bytes / 2 ** 20).toFixed(1)} MB`);

/**
 * Runs jobs in W worker processes, each booted once and given many runs, one at a time. The core of
 * the `--workers` backend, with nothing of Hardhat: what a worker runs is the injected entry script
 * (the Hardhat adapter passes src/hardhat/campaign-worker), speaking the messages of protocol.ts.
 *
 * - Jobs start in the order given; outcomes come through `events.onOutcome` as runs end, and `run`
 *   resolves to all of them in the order of the jobs.
 * - A worker is replaced by a fresh one between runs after `maxRunsPerWorker` runs, or when the RSS
 *   it reports after a run is above `workerMemoryBytes` (`onWorker` says which).
 * - A worker that dies mid-run (out of memory, SIGKILL, a crash) is replaced, and its run is started
 *   again on the fresh worker (attempt 2); when that worker dies too, the run is recorded failed with
 *   WORKER_DIED and a message saying how each died (signal or exit code, last RSS). Before the retry,
 *   the dead worker's lock on the run's folder is removed (its holder is gone). A run the watchdog
 *   ended (a synchronous endless loop: its manifest says "failed", STEP_HUNG) is recorded as that, not
 *   retried.
 * - The campaign stops (`run` rejects, the workers are stopped) on: a worker that cannot boot
 *   (WORKER_FAILED, or the plugin error it booted with); bad input or infrastructure during a run
 *   (the error the worker threw, with its code); a worker ended by SIGINT, SIGTERM or SIGHUP that the pool did
 *   not send (RUN_INTERRUPTED: someone is stopping the campaign, e.g. Ctrl-C reaching the whole
 *   process group).
 * - While no `run` is in progress, the workers do not keep this process alive; a worker exits when
 *   this process dies (its IPC channel closes). `close()` lets idle workers go, sends SIGTERM to busy
 *   ones, and SIGKILL to any left after `closeTimeoutMs`.
 */
export class WorkerPoolBackend implements CampaignBackend {
  private size: number;
  readonly maxRunsPerWorker: number;
  /** RSS in bytes past which a worker is replaced between runs (the default follows `workers`, also after `limit`). */
  workerMemoryBytes: number;
  private readonly bootTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private readonly slots = new Map<number, Worker>();
  private campaign: Campaign | undefined;
  private closing = false;
  /** Boot times (ms, as the workers measured them) of every worker started so far. */
  readonly bootTimes: number[] = [];
  /** Process ids of every worker started so far. */
  readonly pids: number[] = [];

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = options.workers ?? defaultWorkers();
    if (!Number.isSafeInteger(this.size) || this.size < 1) {
      throw new TokenspiceError("OPTION_INVALID", `Workers ${JSON.stringify(options.workers)} is not valid: use a positive integer.`, { workers: String(options.workers) });
    }
    this.maxRunsPerWorker = options.maxRunsPerWorker ?? DEFAULT_MAX_RUNS_PER_WORKER;
    if (!(this.maxRunsPerWorker === Infinity || (Number.isSafeInteger(this.maxRunsPerWorker) && this.maxRunsPerWorker >= 1))) {
      throw new TokenspiceError("OPTION_INVALID", `Max runs per worker ${JSON.stringify(options.maxRunsPerWorker)} is not valid: use a positive integer.`, {
        maxRunsPerWorker: String(options.maxRunsPerWorker),
      });
    }
    this.workerMemoryBytes = options.workerMemoryBytes ?? defaultWorkerMemoryBytes(this.workers);
    if (!(this.workerMemoryBytes > 0)) {
      throw new TokenspiceError("OPTION_INVALID", `Worker memory ${JSON.stringify(options.workerMemoryBytes)} is not valid: use a positive number of bytes.`, {
        workerMemoryBytes: String(options.workerMemoryBytes),
      });
    }
    this.bootTimeoutMs = options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  }

  /** Worker processes at most (`options.workers`, lowered by `limit`). */
  get workers(): number {
    return this.size;
  }

  /**
   * Boots up to `count` workers (at most `workers`) now, before the first `run`: a campaign calls it
   * while it still plans and checks its contracts, so the workers' boot overlaps that work. They
   * wait, idle, for `run`, and do not keep this process alive meanwhile. A worker that fails to boot
   * here is replaced when `run` starts, and that one's failure stops the campaign as usual.
   */
  prestart(count: number): void {
    if (this.closing) return;
    for (let slot = 1; slot <= Math.min(count, this.size); slot++) if (!this.slots.has(slot)) this.spawn(slot);
  }

  /**
   * Lowers the number of workers to `workers` (at least 1; never raises it): workers in the slots
   * above it are let go (a booting or idle one at once, a busy one after its run).
   */
  limit(workers: number): void {
    this.size = Math.max(1, Math.min(this.size, Math.floor(workers)));
    if (this.options.workerMemoryBytes === undefined) this.workerMemoryBytes = defaultWorkerMemoryBytes(this.size); // fewer workers, a larger share each
    for (const worker of [...this.slots.values()]) if (worker.slot > this.size && worker.state !== "busy") this.stop(worker, "disconnect");
  }

  run(jobs: RunJob[], events: BackendEvents = {}): Promise<RunOutcome[]> {
    if (this.closing) return Promise.reject(new TokenspiceError("OPTION_INVALID", "The worker pool is closed."));
    if (this.campaign) return Promise.reject(new TokenspiceError("OPTION_INVALID", "The worker pool is already running jobs: one run() at a time."));
    if (jobs.length === 0) return Promise.resolve([]);
    return new Promise<RunOutcome[]>((resolve, reject) => {
      this.campaign = {
        queue: jobs.map((job, index) => ({ job, index, attempts: 0, sentAt: 0, deaths: [] })),
        retries: new Map(),
        outcomes: new Array(jobs.length).fill(undefined),
        remaining: jobs.length,
        events,
        resolve: (outcomes) => {
          this.campaign = undefined;
          this.setRef(false);
          resolve(outcomes);
        },
        reject: (error) => {
          this.campaign = undefined;
          this.setRef(false);
          reject(error);
        },
      };
      this.setRef(true);
      for (const worker of this.slots.values()) if (worker.state === "idle") this.dispatch(worker);
      this.fillSlots();
    });
  }

  /** Lets idle workers go, sends SIGTERM to busy ones, SIGKILL to any still there after `closeTimeoutMs`. */
  async close(): Promise<void> {
    this.closing = true;
    const campaign = this.campaign;
    if (campaign) {
      this.fail(new TokenspiceError("RUN_INTERRUPTED", `The worker pool was closed with ${campaign.remaining} runs not finished.`, { pending: campaign.remaining }));
    }
    this.setRef(true); // keep this process alive until the workers have exited
    const workers = [...this.slots.values()];
    for (const worker of workers) this.stop(worker, worker.state === "busy" ? "SIGTERM" : "disconnect");
    await Promise.all(workers.map((w) => w.exited));
  }

  /** Starts workers in empty slots while there is work no worker has (up to `workers`). */
  private fillSlots(): void {
    const campaign = this.campaign;
    if (!campaign || this.closing) return;
    for (let slot = 1; slot <= this.workers; slot++) {
      if (this.slots.has(slot)) continue;
      const waiting = campaign.queue.length + campaign.retries.size;
      const booting = [...this.slots.values()].filter((w) => w.state === "booting").length;
      if (!campaign.retries.has(slot) && waiting <= booting) continue;
      this.spawn(slot);
    }
  }

  private spawn(slot: number): void {
    const { options } = this;
    const child = fork(options.entry, options.args ?? [], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      execArgv: options.execArgv ?? [],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    let exited!: () => void;
    const worker: Worker = {
      slot,
      child,
      state: "booting",
      job: undefined,
      runs: 0,
      rssBytes: undefined,
      output: "",
      bootTimer: undefined,
      exited: new Promise<void>((resolve) => (exited = resolve)),
    };
    this.slots.set(slot, worker);
    if (child.pid !== undefined) this.pids.push(child.pid);
    const keep = (chunk: Buffer) => {
      worker.output = (worker.output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("message", (message: FromWorker) => this.onMessage(worker, message));
    child.on("error", (error) => {
      // Could not be started, or a message could not be sent: the exit (if any) says the rest.
      if (child.pid === undefined) {
        this.fail(new TokenspiceError("WORKER_FAILED", `Could not start a campaign worker (${options.entry}): ${error.message}`, { entry: options.entry }, error));
        this.slots.delete(slot);
        exited();
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(worker.bootTimer);
      if (this.slots.get(slot) === worker) this.slots.delete(slot);
      this.onExit(worker, code, signal);
      exited();
    });
    worker.bootTimer = setTimeout(() => {
      this.stop(worker, "SIGTERM");
      this.fail(
        new TokenspiceError("WORKER_FAILED", `Campaign worker ${slot} did not boot within ${this.bootTimeoutMs} ms.${this.outputNote(worker)}`, {
          worker: slot,
          bootTimeoutMs: this.bootTimeoutMs,
        }),
      );
    }, this.bootTimeoutMs);
    this.ref(worker, this.campaign !== undefined);
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    if (worker.state === "stopping") return;
    switch (message.type) {
      case "ready": {
        clearTimeout(worker.bootTimer);
        worker.state = "idle";
        worker.rssBytes = message.rssBytes;
        this.bootTimes.push(message.bootMs);
        this.dispatch(worker);
        return;
      }
      case "done": {
        const queued = worker.job;
        if (!queued || queued.job.key !== message.key) return;
        worker.job = undefined;
        worker.state = "idle";
        worker.runs++;
        worker.rssBytes = message.rssBytes;
        const events = this.campaign?.events; // settling the last outcome ends the campaign
        this.settle(queued, { key: message.key, status: message.status, error: message.error, attempts: queued.attempts });
        if (worker.slot > this.size) return this.stop(worker, "disconnect"); // the pool was made smaller (limit)
        const reason = worker.runs >= this.maxRunsPerWorker ? "max-runs" : message.rssBytes > this.workerMemoryBytes ? "memory" : undefined;
        if (reason === undefined) return this.dispatch(worker);
        events?.onWorker?.({ worker: worker.slot, reason, rssBytes: worker.rssBytes });
        this.stop(worker, "disconnect"); // a fresh worker takes the slot once this one has exited (onExit)
        return;
      }
      case "fatal": {
        worker.rssBytes = message.rssBytes;
        if (message.key === null) {
          clearTimeout(worker.bootTimer);
          this.fail(rebuildError(message.error, `Campaign worker ${worker.slot} could not boot: ${message.error.message}`, { worker: worker.slot }));
        } else {
          this.fail(rebuildError(message.error, `Campaign worker ${worker.slot} failed running ${message.key}: ${message.error.message}`, { worker: worker.slot, key: message.key }));
        }
        return;
      }
    }
  }

  /** Gives an idle worker its slot's retry, or the next job; lets it go when there is nothing left. */
  private dispatch(worker: Worker): void {
    const campaign = this.campaign;
    if (!campaign || this.closing || worker.state !== "idle") return;
    const retry = campaign.retries.get(worker.slot);
    // A retry waits for the fresh worker of its slot; a used worker of that slot never takes it.
    const queued = retry !== undefined && worker.runs === 0 ? retry : campaign.queue.shift();
    if (queued === undefined) return;
    if (queued === retry) campaign.retries.delete(worker.slot);
    queued.attempts++;
    queued.sentAt = Date.now();
    worker.state = "busy";
    worker.job = queued;
    campaign.events.onStart?.(queued.job.key, worker.slot);
    worker.child.send({ type: "run", job: queued.job } satisfies ToWorker);
  }

  private settle(queued: QueuedJob, outcome: RunOutcome): void {
    const campaign = this.campaign;
    if (!campaign || campaign.outcomes[queued.index] !== undefined) return;
    campaign.outcomes[queued.index] = outcome;
    campaign.remaining--;
    campaign.events.onOutcome?.(outcome);
    if (campaign.remaining === 0) campaign.resolve(campaign.outcomes as RunOutcome[]);
  }

  /** Asks a worker to exit; one still there after `closeTimeoutMs` gets SIGKILL (its slot must not stay taken). */
  private stop(worker: Worker, how: "disconnect" | "SIGTERM"): void {
    clearTimeout(worker.bootTimer);
    if (worker.state === "stopping") return;
    worker.state = "stopping";
    if (how === "SIGTERM" || !worker.child.connected) worker.child.kill("SIGTERM");
    else worker.child.disconnect(); // the worker exits on disconnect (protocol.ts)
    const kill = setTimeout(() => worker.child.kill("SIGKILL"), this.closeTimeoutMs);
    kill.unref();
    void worker.exited.then(() => clearTimeout(kill));
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const campaign = this.campaign;
    if (worker.state === "stopping" || !campaign || this.closing) {
      this.fillSlots(); // a recycled worker's slot gets a fresh one if there is work
      return;
    }
    const how = signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
    if (worker.state === "booting") {
      this.fail(new TokenspiceError("WORKER_FAILED", `Campaign worker ${worker.slot} ${how} while booting.${this.outputNote(worker)}`, { worker: worker.slot, code, signal }));
      return;
    }
    if ((ENDING_SIGNALS as readonly string[]).includes(signal ?? "")) {
      this.fail(
        new TokenspiceError("RUN_INTERRUPTED", `Campaign worker ${worker.slot} was stopped by ${signal}${worker.job ? ` running ${worker.job.job.key}` : ""}: the campaign stops.`, {
          worker: worker.slot,
          signal,
          key: worker.job?.job.key ?? null,
        }),
      );
      return;
    }
    campaign.events.onWorker?.({ worker: worker.slot, reason: "died", rssBytes: worker.rssBytes });
    const queued = worker.job;
    if (queued !== undefined) {
      const last = worker.output.trim().split("\n").pop()?.slice(0, 300);
      const death = `worker ${worker.slot} (pid ${worker.child.pid}) ${how}, last reported RSS ${MB(worker.rssBytes)} after ${worker.runs} runs${last ? ` (its last output: ${last})` : ""}`;
      const ended = outcomeOnDisk(queued);
      if (ended !== undefined) {
        this.settle(queued, ended);
      } else {
        queued.deaths.push(`attempt ${queued.attempts}: ${death}`);
        releaseDeadLock(queued.job.out);
        if (queued.attempts < MAX_ATTEMPTS) {
          campaign.retries.set(worker.slot, queued);
        } else {
          this.settle(queued, {
            key: queued.job.key,
            status: "failed",
            error: { code: "WORKER_DIED", message: `The worker running it died on each of ${queued.attempts} attempts: ${queued.deaths.join("; ")}.` },
            attempts: queued.attempts,
          });
        }
      }
    }
    this.fillSlots();
  }

  /** Stops the campaign: no more jobs, every worker stopped, `run` rejected with `error`. */
  private fail(error: Error): void {
    const campaign = this.campaign;
    if (!campaign) return;
    campaign.queue.length = 0;
    campaign.retries.clear();
    for (const worker of this.slots.values()) if (worker.state !== "stopping") this.stop(worker, worker.state === "busy" ? "SIGTERM" : "disconnect");
    campaign.reject(error);
  }

  private outputNote(worker: Worker): string {
    const text = worker.output.trim();
    return text === "" ? "" : ` Its last output:\n${text}`;
  }

  private setRef(on: boolean): void {
    for (const worker of this.slots.values()) this.ref(worker, on);
  }

  /** While no campaign runs, a worker must not keep this process alive (it exits when this one does). */
  private ref(worker: Worker, on: boolean): void {
    const { child } = worker;
    const handles = [child, child.channel, child.stdout, child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[];
    for (const h of handles)
      if (on) h?.ref?.();
      else h?.unref?.();
  }
}

/** The error a worker sent, with its code when it is one of the plugin's. */
function rebuildError(error: SerializedError, message: string, details: Record<string, unknown>): TokenspiceError {
  const known = error.code !== null && Object.prototype.hasOwnProperty.call(ERROR_CODES, error.code);
  const rebuilt = known
    ? new TokenspiceError(error.code as ErrorCode, error.message, { ...error.details, ...details })
    : new TokenspiceError("WORKER_FAILED", message, { ...details, error: error.name }, Object.assign(new Error(error.message), { name: error.name, stack: error.stack }));
  if (known && error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

/**
 * How a run ended according to its manifest, when its worker died after marking it: the watchdog
 * marks a run "failed" (STEP_HUNG) before it SIGKILLs its process. Only a manifest written by this
 * attempt counts (started no earlier than the job was sent).
 */
function outcomeOnDisk(queued: QueuedJob): RunOutcome | undefined {
  const m = findRunManifest(queued.job.out);
  if (m?.status !== "failed" || typeof m.errorCode !== "string" || m.seed !== queued.job.spec.seed) return undefined;
  if (!(Date.parse(m.startedAt ?? "") >= queued.sentAt - 1000)) return undefined;
  return { key: queued.job.key, status: "failed", error: { code: m.errorCode, message: typeof m.error === "string" ? m.error : "" }, attempts: queued.attempts };
}

/** Removes the run folder's lock a dead worker held (it was the folder's only writer). */
function releaseDeadLock(out: string): void {
  try {
    fs.rmSync(path.join(out, LOCK_NAME), { recursive: true, force: true });
  } catch {
    // nothing there, or not removable: the retry says so with OUT_LOCKED
  }
}
