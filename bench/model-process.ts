/**
 * One model's figures, in a process of its own (started by bench/models.ts with `node --require
 * hardhat/register`, as `hardhat run` starts a script): the process's start once, a short warm-up
 * run, then per round one run as `npx hardhat sim <netlist> --seed S --out <dir>` does it (plan,
 * runSpec with an output folder, the report) split into phases, and the floor: the same run again
 * with the chain kept, its tick loop's requests replayed raw from the post-setup snapshot
 * (bench/floor-replay.ts). Emits a ModelStart, then a ModelRound a round (bench/model-figures.ts).
 */
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { childInput, emit } from "./child";
import { replayFloor } from "./floor-replay";
import type { ModelRound, ModelStart } from "./model-figures";
import { PhaseProfiler } from "./phase-profiler";
import { between, stamp, type Span } from "./span";

// Node start → this line: node, ts-node and Hardhat's config with the plugin (loaded by --require).
const BOOT: Span = { wallMs: process.uptime() * 1000, cpuMs: stamp().cpuMs };

/** What bench/models.ts gives this process. */
export interface ModelProcessInput {
  netlist: string;
  seed: number;
  /** Ticks; the netlist's default when absent. */
  steps?: number;
  rounds: number;
  /** Replay the floor each round. */
  floor: boolean;
  /** A folder of this process's own for the runs' outputs. */
  out: string;
}

const input = childInput<ModelProcessInput>();

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, Span]> {
  const t0 = stamp();
  const value = await fn();
  return [value, between(t0, stamp())];
}

/** One run as the CLI does it, split into phases. */
async function cliRun(round: number, steps: number | undefined): Promise<Omit<ModelRound, "floor">> {
  const load = os.loadavg();
  const out = path.join(input.out, `r${round}`);
  const profiler = new PhaseProfiler();
  const t0 = stamp();
  const spec = await hre.tokenspice.plan(input.netlist, { seed: input.seed, steps });
  const result = await hre.tokenspice.runSpec(spec, { out, force: true, profiler });
  const t3 = stamp();
  hre.tokenspice.report(out);
  const t4 = stamp();
  const { loopStart, loopEnd } = profiler;
  if (loopStart === undefined || loopEnd === undefined) throw new Error(`${input.netlist}: the engine never started its tick loop`);
  const afterLoop = profiler.afterLoopEnd ?? loopEnd;
  fs.rmSync(out, { recursive: true, force: true });
  return {
    kind: "round",
    round,
    load,
    ticks: result.ticks,
    agentTxs: Object.entries(result.transactions)
      .filter(([agent]) => agent !== "setup")
      .reduce((n, [, c]) => n + c, 0),
    reverts: result.reverts.length,
    phases: {
      setup: between(t0, loopStart),
      loop: between(loopStart, loopEnd),
      revert: between(loopEnd, afterLoop),
      outputs: between(afterLoop, t3),
      report: between(t3, t4),
      total: between(t0, t4),
    },
    profile: { ...profiler.totals },
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

/** The same run with the chain kept, then its tick loop's requests replayed raw from the post-setup snapshot. */
async function floor(steps: number | undefined): Promise<ModelRound["floor"]> {
  const { provider } = await hre.tokenspice.environment();
  const before = await provider.request({ method: "evm_snapshot", params: [] });
  let afterSetup: unknown;
  const recorder = new PhaseProfiler(true);
  await hre.tokenspice.runInternal(input.netlist, {
    seed: input.seed,
    steps,
    keepChainState: true,
    profiler: recorder,
    afterSetup: async () => {
      afterSetup = await provider.request({ method: "evm_snapshot", params: [] });
    },
  });
  await provider.request({ method: "evm_revert", params: [afterSetup] });
  const sums = await replayFloor(provider, recorder.recorded);
  await provider.request({ method: "evm_revert", params: [before] });
  const calls = (section: string) => recorder.recorded.filter((r) => r.section === section).reduce((n, r) => n + r.calls.filter((c) => c.method === "eth_call").length, 0);
  return { sums, agentCalls: calls("agent"), kpiCalls: calls("kpi") };
}

async function main(): Promise<void> {
  const [, compile] = await timed(() => hre.run("compile", { quiet: true }));
  const [, network] = await timed(() => hre.tokenspice.environment());
  const [, netlistLoad] = await timed(() => hre.tokenspice.resolve(input.netlist));
  emit({ kind: "start", netlist: input.netlist, boot: BOOT, compile, network, netlistLoad } satisfies ModelStart);
  // Warm-up: JIT, EDR, the report's renderer; not counted.
  await cliRun(0, input.steps === undefined ? 10 : Math.min(10, input.steps));
  for (let round = 1; round <= input.rounds; round++) {
    const run = await cliRun(round, input.steps);
    emit({ ...run, ...(input.floor ? { floor: await floor(input.steps) } : {}) } satisfies ModelRound);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
