/**
 * `npm run bench:models` (part of `npm run bench`): where each shipped model stands against the floor.
 *
 * Per model, a process of its own (bench/model-process.ts): its start once (node → Hardhat loaded,
 * compile check, network, netlist load), a 10-tick warm-up, then BENCH_ROUNDS rounds (default 3)
 * of one run as `npx hardhat sim <model> --seed 1 --out <dir>` does it, split into setup, tick
 * loop (sends, reads, KPIs, decisions, chain time, engine: the engine's Profiler), revert, outputs
 * and report, wall and CPU time; and the floor: the run's agent transactions and reads replayed raw
 * from the post-setup snapshot, the tick loop ÷ their pure execution. Medians over the rounds;
 * the load average with every table. Figures only, never a timed test. Also written to
 * bench-results/models-<time>.json.
 *
 * BENCH_MODELS=a,b (default: the shipped models), BENCH_STEPS (default: each model's), BENCH_ROUNDS,
 * BENCH_SEED (default 1), BENCH_FLOOR=0 skips the floor replays.
 * `--compare <checkout>` (or BENCH_BASELINE=<checkout>): also, per model, BENCH_ROUNDS pairs of
 * processes, this checkout's and the other's alternating (ABBA), each timing one run after a
 * warm-up with `hre.tokenspice.run` (what every release has: bench/compare-process.ts); prints
 * both and the ratio. The other checkout needs node_modules and compiled contracts.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { median } from "simple-statistics";
import { runChild } from "./child";
import type { CompareInput, CompareResult } from "./compare-process";
import { loadLine, markdownTable, milliseconds, percent, seconds, times, wallCpu } from "./markdown-table";
import { summarizeModel, type ModelRound, type ModelStart, type ModelSummary } from "./model-figures";
import type { ModelProcessInput } from "./model-process";
import { writeResults } from "./results-file";
import { medianSpan, type Span } from "./span";

/** The models shipped in sims/ (their variants -bootstrap, -history, -fork are left out). */
export const SHIPPED_MODELS = ["token-flow", "amm", "uniswap-v2", "vesting", "oceanv3", "oceanv4", "wsloop"];

const ROOT = path.resolve(__dirname, "..");
const MODELS = (process.env.BENCH_MODELS ?? SHIPPED_MODELS.join(",")).split(",").filter(Boolean);
const STEPS = process.env.BENCH_STEPS === undefined ? undefined : Number(process.env.BENCH_STEPS);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const FLOOR = process.env.BENCH_FLOOR !== "0";
const compareAt = process.argv.indexOf("--compare");
const BASELINE = compareAt >= 0 ? process.argv[compareAt + 1] : process.env.BENCH_BASELINE;

const load = () => loadLine(os.loadavg(), os.availableParallelism());

async function measureModel(netlist: string, tmp: string): Promise<ModelSummary> {
  const input: ModelProcessInput = { netlist, seed: SEED, steps: STEPS, rounds: ROUNDS, floor: FLOOR, out: path.join(tmp, netlist) };
  const messages = await runChild<ModelStart | ModelRound>(ROOT, path.join(__dirname, "model-process.ts"), input);
  const start = messages.find((m): m is ModelStart => m.kind === "start");
  if (start === undefined) throw new Error(`${netlist}: the bench process reported no start`);
  return summarizeModel(
    start,
    messages.filter((m): m is ModelRound => m.kind === "round"),
  );
}

function printModels(models: ModelSummary[]): void {
  console.log(`\nStart of a process, once (wall / CPU, s); ${load()}`);
  console.log(
    markdownTable(
      ["model", "node → Hardhat loaded", "compile check", "network", "netlist load", "start"],
      models.map((m) => [m.netlist, wallCpu(m.start.boot), wallCpu(m.start.compile), wallCpu(m.start.network), wallCpu(m.start.netlistLoad), wallCpu(m.start.total)]),
    ),
  );
  console.log(`\nOne run as \`npx hardhat sim <model> --seed ${SEED} --out <dir>\` does it (wall / CPU, s; medians of ${ROUNDS} rounds after a warm-up); ${load()}`);
  console.log(
    markdownTable(
      ["model", "ticks", "agent tx", "setup", "tick loop", "revert", "outputs", "report", "run", "load (1 min) per round"],
      models.map((m) => [
        m.netlist,
        String(m.ticks),
        String(m.agentTxs),
        wallCpu(m.phases.setup),
        wallCpu(m.phases.loop),
        wallCpu(m.phases.revert),
        wallCpu(m.phases.outputs),
        wallCpu(m.phases.report),
        wallCpu(m.phases.total),
        m.loads.map((l) => l.toFixed(1)).join(", "),
      ]),
    ),
  );
  console.log(`\nThe tick loop's wall time by part (the engine's Profiler; medians)`);
  console.log(
    markdownTable(
      ["model", "sends", "reads", "KPIs", "decisions", "chain time", "engine"],
      models.map((m) => [m.netlist, ...(["sends", "reads", "kpis", "decisions", "chainTime", "engine"] as const).map((k) => percent(m.loopShares[k]))]),
    ),
  );
  const floors = models.filter((m) => m.floor !== undefined);
  if (floors.length === 0) return;
  printFloor(floors);
  console.log(`\nFor the README's Performance section (wall / CPU, s; tick loop ÷ pure execution: wall (CPU)); ${load()}`);
  console.log(
    markdownTable(
      ["model", "process start", "setup", "tick loop", "report", "tick loop ÷ pure execution: wall (CPU)"],
      floors.map((m) => [
        m.netlist,
        wallCpu(m.start.total),
        wallCpu(m.phases.setup),
        wallCpu(m.phases.loop),
        wallCpu(m.phases.report),
        `${times(m.floor!.figures.loopOverExecution.wall)} (${times(m.floor!.figures.loopOverExecution.cpu)})`,
      ]),
    ),
  );
}

function printFloor(floors: ModelSummary[]): void {
  console.log(`\nThe floor: the run's transactions and reads replayed raw from the post-setup snapshot (wall / CPU, ms; medians); ${load()}`);
  console.log(
    markdownTable(
      [
        "model",
        "agent tx",
        "eth_calls (agent + KPI)",
        "pure execution (tx + reads)",
        "block building",
        "raw replay (sends + reads)",
        "tick loop ÷ execution",
        "tick loop ÷ raw",
        "reverts: run / replay (calls, sends)",
      ],
      floors.map((m) => {
        const f = m.floor!;
        const x = f.figures;
        return [
          m.netlist,
          String(f.transactions),
          `${f.agentCalls} + ${f.kpiCalls}`,
          `${wallCpu(x.execution, "ms")} (${milliseconds(x.txExecution.wallMs)} + ${milliseconds(x.readExecution.wallMs)})`,
          wallCpu(x.blockBuilding, "ms"),
          wallCpu(x.raw, "ms"),
          `${times(x.loopOverExecution.wall)} (${times(x.loopOverExecution.cpu)})`,
          `${times(x.loopOverRaw.wall)} (${times(x.loopOverRaw.cpu)})`,
          `${m.reverts} / ${f.callReverts}, ${f.sendReverts}`,
        ];
      }),
    ),
  );
  console.log("ratios: wall (CPU). Pure execution = Σ (eth_call of each transaction or read − eth_call of a no-code address), at its state.");
}

interface Comparison {
  netlist: string;
  current: CompareResult[];
  baseline: CompareResult[];
}

async function compareModel(netlist: string, baseline: string, tmp: string): Promise<Comparison> {
  const script = path.join(__dirname, "compare-process.ts");
  const current: CompareResult[] = [];
  const other: CompareResult[] = [];
  const once = async (root: string, into: CompareResult[], i: number) => {
    const input: CompareInput = { netlist, seed: SEED, steps: STEPS, out: path.join(tmp, `compare-${netlist}-${into === current ? "a" : "b"}${i}`) };
    const [result] = await runChild<CompareResult>(root, script, input);
    into.push(result);
  };
  for (let i = 0; i < ROUNDS; i++) {
    // ABBA: neither side always goes first.
    if (i % 2 === 0) {
      await once(ROOT, current, i);
      await once(baseline, other, i);
    } else {
      await once(baseline, other, i);
      await once(ROOT, current, i);
    }
    console.log(`  ${netlist} pair ${i + 1}/${ROUNDS}: run CPU ${seconds(current[i].run.cpuMs)} s here, ${seconds(other[i].run.cpuMs)} s there; ${load()}`);
  }
  return { netlist, current, baseline: other };
}

function printComparisons(comparisons: Comparison[], baseline: string): void {
  const med = (rs: CompareResult[], k: "run" | "start"): Span => medianSpan(rs.map((r) => r[k]));
  console.log(`\nThis checkout against ${baseline} (alternating processes; wall / CPU, s; medians of ${ROUNDS}); ${load()}`);
  console.log(
    markdownTable(
      ["model", "ticks", "run here", "run there", "CPU there ÷ here", "wall there ÷ here", "start here", "start there"],
      comparisons.map((c) => {
        const [a, b] = [med(c.current, "run"), med(c.baseline, "run")];
        return [
          c.netlist,
          String(c.current[0].ticks),
          wallCpu(a),
          wallCpu(b),
          times(median(c.baseline.map((r, i) => r.run.cpuMs / c.current[i].run.cpuMs))),
          times(b.wallMs / a.wallMs),
          wallCpu(med(c.current, "start")),
          wallCpu(med(c.baseline, "start")),
        ];
      }),
    ),
  );
}

async function main(): Promise<void> {
  if (BASELINE !== undefined && !fs.existsSync(path.join(BASELINE, "node_modules", "hardhat"))) {
    throw new Error(`--compare ${BASELINE}: not a checkout with node_modules (npm ci there, then npx hardhat compile)`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-bench-models-"));
  try {
    console.log(`models: ${MODELS.join(", ")}; seed ${SEED}, ${STEPS ?? "default"} steps, ${ROUNDS} rounds${FLOOR ? "" : ", no floor"}; ${load()}`);
    const models: ModelSummary[] = [];
    for (const netlist of MODELS) {
      const m = await measureModel(netlist, tmp);
      models.push(m);
      console.log(
        `  ${netlist}: run ${wallCpu(m.phases.total)} s (wall / CPU), tick loop ${wallCpu(m.phases.loop)} s${m.floor ? `, ${times(m.floor.figures.loopOverExecution.wall)} the pure execution` : ""}`,
      );
    }
    printModels(models);
    const comparisons: Comparison[] = [];
    if (BASELINE !== undefined) {
      console.log(`\ncomparing with ${BASELINE}`);
      for (const netlist of MODELS) comparisons.push(await compareModel(netlist, path.resolve(BASELINE), tmp));
      printComparisons(comparisons, BASELINE);
    }
    console.log(`\nfigures in ${writeResults("models", { seed: SEED, steps: STEPS ?? null, rounds: ROUNDS, models, ...(BASELINE ? { baseline: path.resolve(BASELINE), comparisons } : {}) })}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
