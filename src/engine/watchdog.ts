import { Worker } from "worker_threads";

/**
 * Catches user code (setup, an agent's step, a KPI) that blocks the event loop — a synchronous
 * endless loop — which no timer on the main thread can interrupt, because timers need the loop.
 *
 * A worker thread watches a heartbeat the main thread bumps every HEARTBEAT_MS. While a guarded
 * section is open and the heartbeat has stood still for longer than the section's timeout, the
 * worker marks the run's manifest "failed" (STEP_HUNG, naming netlist, agent or KPI, tick and
 * seed), releases the run folder's lock, prints the error to stderr, and ends the process with
 * SIGKILL (exit status 137): nothing else can stop a thread that never yields.
 *
 * (Stopping only the blocked JavaScript with the inspector's `Runtime.terminateExecution` was
 * tried: Node then aborts on a corrupted async-hooks stack, without marking anything.)
 */

const HEARTBEAT_MS = 100;
// Shared slots: [0] heartbeat, [1] open section id (0: none), [2] that section's timeout (ms),
// [3] unused, [4] the section's tick, [5] its kind, [6] the agent's or KPI's index.
const HEARTBEAT = 0;
const SECTION = 1;
const TIMEOUT = 2;
const TICK = 4;
const KIND = 5;
const INDEX = 6;
export const SECTION_KINDS = ["setup", "agent", "KPI", "sample"] as const;
/**
 * What a watched section runs: setup, an agent's step, a KPI, or the netlist's sample hook (named in STEP_TIMEOUT and STEP_HUNG messages).
 */
export type SectionKind = (typeof SECTION_KINDS)[number];

/** What the worker needs to write if it has to kill the process: sent once per run (and after setup). */
export interface RunContext {
  netlist: string;
  seed: number;
  agents: string[];
  kpis: string[];
  /** The run's manifest, marked failed if the process has to be killed. */
  manifestFile?: string;
  lockDir?: string;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("worker_threads");
const fs = require("fs");
const slots = new Int32Array(workerData.shared);
const POLL_MS = ${HEARTBEAT_MS};
let run = { netlist: "?", seed: 0, agents: [], kpis: [] };
parentPort.on("message", (m) => { run = m; });
function describe() {
  const kind = ["setup", "agent", "KPI", "sample"][Atomics.load(slots, 5)];
  const index = Atomics.load(slots, 6);
  const name = kind === "agent" ? 'Agent "' + run.agents[index] + '"' : kind === "KPI" ? 'KPI "' + run.kpis[index] + '"' : kind === "sample" ? "sample(ctx)" : "setup";
  return name + " blocked the event loop for more than " + Atomics.load(slots, 2) + " ms (netlist " + JSON.stringify(run.netlist) +
    ", tick " + Atomics.load(slots, 4) + ", seed " + run.seed + "): a synchronous endless loop? The watchdog ended the process.";
}
let lastBeat = -1, beatChangedAt = Date.now();
function killHard() {
  try {
    if (run.manifestFile) {
      const m = JSON.parse(fs.readFileSync(run.manifestFile, "utf8"));
      if (m.status === "running") {
        Object.assign(m, { status: "failed", finishedAt: new Date().toISOString(), error: describe(), errorCode: "STEP_HUNG" });
        fs.writeFileSync(run.manifestFile, JSON.stringify(m, null, 2) + "\\n");
      }
    }
    if (run.lockDir) fs.rmSync(run.lockDir, { recursive: true, force: true });
  } catch (e) {}
  const files = run.manifestFile ? "\\nEverything recorded before it is in " + require("path").dirname(run.manifestFile) + " (" + require("path").basename(run.manifestFile) + " says how it ended)." : "";
  try { fs.writeSync(2, "\\nError in plugin hardhat-tokenspice: " + describe() + files + "\\n"); } catch (e) {}
  process.kill(process.pid, "SIGKILL");
}
setInterval(() => {
  const beat = Atomics.load(slots, 0);
  const now = Date.now();
  if (beat !== lastBeat) { lastBeat = beat; beatChangedAt = now; }
  const section = Atomics.load(slots, 1);
  const timeout = Atomics.load(slots, 2);
  if (section !== 0 && timeout > 0 && now - beatChangedAt > timeout) killHard();
}, POLL_MS);
`;

class Watchdog {
  private readonly slots = new Int32Array(new SharedArrayBuffer(7 * Int32Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  private nextId = 1;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.slots.buffer } });
    this.worker.unref(); // never keeps the process alive on its own
    this.worker.on("error", () => undefined); // a broken watchdog must not take the run down
    const beat = setInterval(() => Atomics.add(this.slots, HEARTBEAT, 1), HEARTBEAT_MS);
    beat.unref();
  }

  /** Tells the worker which run is going on (what to write if it has to kill the process). */
  setRun(context: RunContext): void {
    this.worker.postMessage(context);
  }

  /** Opens a guarded section of user code; returns its id for `close`. */
  open(timeoutMs: number, kind: SectionKind, index: number, tick: number): number {
    const id = this.nextId++;
    if (this.nextId > 0x7fffffff) this.nextId = 1;
    Atomics.store(this.slots, TICK, tick);
    Atomics.store(this.slots, KIND, SECTION_KINDS.indexOf(kind));
    Atomics.store(this.slots, INDEX, index);
    Atomics.store(this.slots, TIMEOUT, Math.min(timeoutMs, 0x7fffffff));
    Atomics.store(this.slots, SECTION, id);
    return id;
  }

  close(id: number): void {
    Atomics.compareExchange(this.slots, SECTION, id, 0);
  }
}

let instance: Watchdog | undefined;

/** The process's watchdog, started on first use. */
export function watchdog(): Watchdog {
  instance ??= new Watchdog();
  return instance;
}
