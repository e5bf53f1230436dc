/**
 * `npm run bench`: the engine's agent transactions per second on token-flow, against the raw
 * provider's eth_sendTransaction ceiling for the same transaction mix, in one process.
 *
 * Each round:
 * 1. token-flow at its defaults (or BENCH_STEPS ticks, BENCH_PARAMS="k=v,k=v"), timing the tick loop only (setup excluded),
 *    recording every agent transaction (from, to, data, value) and a snapshot after setup;
 * 2. back to that snapshot, the recorded transactions replayed one at a time with raw
 *    `eth_sendTransaction` (explicit gas, automine), each tick's opening block re-created at the
 *    tick's time first (untimed) so the contracts see the same chain time: the ceiling is the time
 *    of the sends alone.
 * A warm-up run comes first; BENCH_ROUNDS rounds (default 5) follow, and the medians are compared:
 * on this kind of machine a single replay's rate swings by ±15% from one round to the next.
 * Where the tick loop's time goes: a Profiler (src/engine/profile.ts) wraps the provider and the
 * engine's sections during each engine run; the shares printed are medians over the rounds.
 * RSS growth is over the first engine run, in this process (bench/memory.ts measures whole runs).
 */
import os from "os";
import hre from "hardhat";
import { median } from "simple-statistics";
import type { TransactionRecord } from "../src/engine/transactions";
import { Profiler, TIME_PARTS, type TimeProfile } from "../src/engine/profile";
import { DEFAULT_START_TIME } from "../src/model/netlist";
import { parseParamAssignments } from "../src/model/params";

const NETLIST = process.env.BENCH_NETLIST ?? "token-flow";
const SEED = Number(process.env.BENCH_SEED ?? 1);
const STEPS = process.env.BENCH_STEPS === undefined ? undefined : Number(process.env.BENCH_STEPS);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PARAMS = process.env.BENCH_PARAMS === undefined ? {} : parseParamAssignments(process.env.BENCH_PARAMS); // k=v,k=v

interface Round {
  transactions: number;
  reverts: number;
  replayReverts: number;
  ticks: number;
  kpis: number;
  engineTps: number;
  loopMs: number;
  rawTps: number;
  rssGrowth: number;
  profile: TimeProfile;
}

// The chain runs go to: the plugin's simulation network (not hre.network.provider).
let simProvider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> } | undefined;
const request = (method: string, params: unknown[] = []) => simProvider!.request({ method, params });

async function round(): Promise<Round> {
  const mix: TransactionRecord[] = [];
  let afterSetupSnapshot = "";
  let loopStart = 0;
  const rssBefore = process.memoryUsage().rss;
  const outerSnapshot = await request("evm_snapshot");
  const profiler = new Profiler();
  const result = await hre.tokenspice.runInternal(NETLIST, {
    seed: SEED,
    steps: STEPS,
    params: PARAMS,
    paramsFromText: true,
    keepChainState: true,
    profiler,
    afterSetup: async () => {
      afterSetupSnapshot = (await request("evm_snapshot")) as string;
      loopStart = performance.now();
    },
    observer: { onTransaction: (tx) => void (tx.agent !== "setup" && mix.push(tx)) },
  });
  const loopMs = performance.now() - loopStart;
  const rssGrowth = process.memoryUsage().rss - rssBefore;

  await request("evm_revert", [afterSetupSnapshot]);
  const gas = "0x" + (16_000_000).toString(16);
  const { netlist } = hre.tokenspice.resolve(NETLIST);
  const tickTime = (tick: number) => (netlist.time.start ?? DEFAULT_START_TIME) + tick * netlist.time.stepSeconds;
  let replayMs = 0;
  let replayReverts = 0;
  let openTick = 0;
  for (const tx of mix) {
    if (tx.tick !== openTick) {
      openTick = tx.tick;
      await request("evm_mine", ["0x" + tickTime(tx.tick).toString(16)]);
    }
    const sent: Record<string, string> = { from: tx.from, data: tx.data, value: "0x" + tx.value.toString(16), gas };
    if (tx.to) sent.to = tx.to;
    const start = performance.now();
    await request("eth_sendTransaction", [sent]).catch(() => replayReverts++);
    replayMs += performance.now() - start;
  }
  await request("evm_revert", [outerSnapshot]);
  return {
    transactions: mix.length,
    reverts: result.reverts.length,
    replayReverts,
    ticks: result.ticks,
    kpis: result.kpiNames.length,
    engineTps: (mix.length / loopMs) * 1000,
    loopMs,
    rawTps: (mix.length / replayMs) * 1000,
    rssGrowth,
    profile: profiler.totals,
  };
}

async function main(): Promise<void> {
  simProvider = (await hre.tokenspice.environment()).provider;
  await hre.tokenspice.runInternal(NETLIST, { seed: SEED, steps: 10, params: PARAMS, paramsFromText: true }); // warm-up: JIT, EDR initialisation
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round());

  const r = rounds[0];
  const engine = median(rounds.map((x) => x.engineTps));
  const raw = median(rounds.map((x) => x.rawTps));
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(
    `load average       ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (${os.availableParallelism()} cores)`,
  );
  console.log(`netlist            ${NETLIST} (seed ${SEED}, ${r.ticks} ticks, ${r.kpis} KPIs sampled per tick${process.env.BENCH_PARAMS ? `, ${process.env.BENCH_PARAMS}` : ""})`);
  console.log(`agent transactions ${r.transactions} per run (${r.reverts} reverted; ${r.replayReverts} reverted in the replay)`);
  rounds.forEach((x, i) =>
    console.log(
      `round ${i + 1}            engine ${x.engineTps.toFixed(0)} tx/s (loop ${(x.loopMs / 1000).toFixed(2)} s), raw ${x.rawTps.toFixed(0)} tx/s, ${((x.engineTps / x.rawTps) * 100).toFixed(1)}%`,
    ),
  );
  console.log(`engine             ${engine.toFixed(0)} tx/s   (median: agents, reads, KPIs, chain time)`);
  console.log(`raw ceiling        ${raw.toFixed(0)} tx/s   (median: same transactions, raw eth_sendTransaction, one at a time)`);
  console.log(`ratio              ${((engine / raw) * 100).toFixed(1)}% of the ceiling`);
  const share = (part: keyof TimeProfile) => median(rounds.map((x) => x.profile[part] / x.loopMs)) * 100;
  console.log(`where the time goes ${TIME_PARTS.map((p) => `${p} ${share(p).toFixed(1)}%`).join(", ")} (of the tick loop)`);
  console.log(`memory             RSS +${mb(r.rssGrowth)} MB over the first run in this process (whole runs: bench/memory.ts)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
