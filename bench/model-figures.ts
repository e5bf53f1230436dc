import { median } from "simple-statistics";
import type { TimeProfile } from "../src/engine/profile";
import { floorFigures, type FloorFigures, type FloorSums } from "./floor-figures";
import { medianSpan, sumSpans, type Span } from "./span";

/** A process's start, once per process (bench/model-process.ts): node start → Hardhat loaded (config, toolbox, the plugin), the compile check, the simulation network, the netlist's load. */
export interface ModelStart {
  kind: "start";
  netlist: string;
  boot: Span;
  compile: Span;
  network: Span;
  netlistLoad: Span;
}

/** The phases of one run as `npx hardhat sim <netlist> --out <dir>` does it (wall and CPU). */
export interface RunPhases {
  /** Plan, output folder opened, snapshot, wallets, setup: up to the tick loop. */
  setup: Span;
  /** Tick 0's KPIs to the last tick's. */
  loop: Span;
  /** Back to the pre-setup snapshot, impersonated accounts released. */
  revert: Span;
  /** The run's files completed (result, manifest). */
  outputs: Span;
  /** plots/ and report.html, as the CLI writes them after the run. */
  report: Span;
  total: Span;
}

/** One round of a model (bench/model-process.ts): the CLI-equivalent run, then (unless off) the floor replay of the same run. */
export interface ModelRound {
  kind: "round";
  round: number;
  /** `os.loadavg()` when the round began. */
  load: number[];
  ticks: number;
  agentTxs: number;
  reverts: number;
  phases: RunPhases;
  /** The tick loop's wall time split by the engine's Profiler (ms). */
  profile: TimeProfile;
  rssMB: number;
  floor?: { sums: FloorSums; agentCalls: number; kpiCalls: number };
}

/** A model's figures: the start, and the medians over its rounds. */
export interface ModelSummary {
  netlist: string;
  rounds: number;
  /** 1-minute load average at each round's start. */
  loads: number[];
  start: ModelStart & { total: Span };
  ticks: number;
  agentTxs: number;
  reverts: number;
  phases: RunPhases;
  /** Median share of the tick loop's wall time, per Profiler part. */
  loopShares: Record<keyof TimeProfile, number>;
  rssMB: number;
  floor?: {
    agentCalls: number;
    kpiCalls: number;
    transactions: number;
    reads: number;
    callReverts: number;
    sendReverts: number;
    /** Medians over rounds; each round's ratios use that round's tick loop. */
    figures: FloorFigures;
  };
}

function medianFigures(all: FloorFigures[]): FloorFigures {
  const spans = (k: "txExecution" | "readExecution" | "execution" | "blockBuilding" | "raw") => medianSpan(all.map((f) => f[k]));
  const ratios = (k: "loopOverExecution" | "loopOverRaw") => ({ wall: median(all.map((f) => f[k].wall)), cpu: median(all.map((f) => f[k].cpu)) });
  return {
    txExecution: spans("txExecution"),
    readExecution: spans("readExecution"),
    execution: spans("execution"),
    blockBuilding: spans("blockBuilding"),
    raw: spans("raw"),
    loopOverExecution: ratios("loopOverExecution"),
    loopOverRaw: ratios("loopOverRaw"),
  };
}

/** Medians over a model's rounds (a run's counts are the first round's: every round runs the same seed). @throws Error for no rounds */
export function summarizeModel(start: ModelStart, rounds: readonly ModelRound[]): ModelSummary {
  if (rounds.length === 0) throw new Error(`${start.netlist}: no rounds to summarize`);
  const phase = (k: keyof RunPhases) => medianSpan(rounds.map((r) => r.phases[k]));
  const share = (k: keyof TimeProfile) => median(rounds.map((r) => (r.phases.loop.wallMs > 0 ? r.profile[k] / r.phases.loop.wallMs : NaN)));
  const [first] = rounds;
  const floors = rounds.filter((r) => r.floor !== undefined);
  return {
    netlist: start.netlist,
    rounds: rounds.length,
    loads: rounds.map((r) => r.load[0]),
    start: { ...start, total: sumSpans([start.boot, start.compile, start.network, start.netlistLoad]) },
    ticks: first.ticks,
    agentTxs: first.agentTxs,
    reverts: first.reverts,
    phases: { setup: phase("setup"), loop: phase("loop"), revert: phase("revert"), outputs: phase("outputs"), report: phase("report"), total: phase("total") },
    loopShares: { sends: share("sends"), chainTime: share("chainTime"), kpis: share("kpis"), reads: share("reads"), decisions: share("decisions"), engine: share("engine") },
    rssMB: Math.max(...rounds.map((r) => r.rssMB)),
    ...(floors.length === 0
      ? {}
      : {
          floor: {
            agentCalls: floors[0].floor!.agentCalls,
            kpiCalls: floors[0].floor!.kpiCalls,
            transactions: floors[0].floor!.sums.transactions,
            reads: floors[0].floor!.sums.reads,
            callReverts: floors[0].floor!.sums.callReverts,
            sendReverts: floors[0].floor!.sums.sendReverts,
            figures: medianFigures(floors.map((r) => floorFigures(r.phases.loop, r.floor!.sums))),
          },
        }),
  };
}
