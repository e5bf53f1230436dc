/**
 * `npm run bench:campaigns` (part of `npm run bench`): campaigns, measured. Figures only, never a timed test.
 *
 * 0. What a user sees (bench/cli-campaign.ts): `npx hardhat sim token-flow --steps 60 --replicates 12
 *    --workers W` with 1 and 2 workers, each the real command in a child process, timed from its
 *    start: to the first run done, the runs' span, the outputs after them, runs per minute; then the
 *    issue-21 target, a 200-run amm Monte Carlo at 90 steps with the command's default workers
 *    (under 3 minutes on a 2-core machine). Printed as a table with the load average and written to
 *    bench-results/campaigns-<time>.json.
 * 1. Child processes (the `--workers` backend, src/campaign/backends/workers.ts with the Hardhat
 *    entry src/hardhat/campaign-worker.ts): a worker's boot time, then runs per second with 1 worker
 *    and with W workers on the same token-flow runs (30 steps, default params), workers booted
 *    first so the rate is the steady one, the speedup, and the peak RSS of the whole process tree
 *    (this process and its descendants: pidtree + pidusage, sampled every 250 ms).
 * 2. The alternative: EDR in `worker_threads` (one Hardhat and one EdrContext per thread) in a
 *    separate process, so its memory is its own: boot time, the same runs with 1 and W threads,
 *    the EdrContext warnings, the process RSS after the runs and after the threads are terminated.
 * 3. A 1,000-run token-flow campaign (30 steps) on W workers with the default recycling, whose peak
 *    tree RSS is compared with the stated bound: this process + W × (worker memory limit + 256 MB).
 *
 * BENCH_CLI_RUNS (runs of the token-flow campaigns of part 0, default 12; 0 skips them), BENCH_CLI_STEPS (default 60),
 * BENCH_AMM_RUNS (default 200; 0 skips the amm Monte Carlo), BENCH_AMM_STEPS (default 90),
 * BENCH_WORKERS (default: the cores), BENCH_CAMPAIGN_RUNS (runs per throughput measurement, default 40; 0 skips parts 1 and 2),
 * BENCH_LONG_RUNS (default 1000; 0 skips part 3), BENCH_THREADS=0 skips part 2.
 */
import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import pidtree from "pidtree";
import pidusage from "pidusage";
import { median } from "simple-statistics";
import { createWorkerBackend } from "../src/hardhat/campaign-backends";
import type { WorkerPoolBackend } from "../src/campaign/backends/workers";
import type { RunJob, RunOutcome } from "../src/campaign/types";
import type { RunSpec } from "../src/runner/run-spec";
import type { CampaignTiming } from "./campaign-timing";
import { timeCliCampaign } from "./cli-campaign";
import { loadLine, markdownTable, seconds } from "./markdown-table";
import { writeResults } from "./results-file";

const W = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const N = Number(process.env.BENCH_CAMPAIGN_RUNS ?? 40);
const LONG = Number(process.env.BENCH_LONG_RUNS ?? 1000);
const THREADS = process.env.BENCH_THREADS !== "0";
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 12);
const CLI_STEPS = Number(process.env.BENCH_CLI_STEPS ?? 60);
const AMM_RUNS = Number(process.env.BENCH_AMM_RUNS ?? 200);
const AMM_STEPS = Number(process.env.BENCH_AMM_STEPS ?? 90);
const STEPS = 30;
const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const line = (label: string, text: string) => console.log(`${label.padEnd(22)}${text}`);

/** Samples the RSS of this process and all its descendants; `stop()` gives the peak, in bytes. */
function treeRssSampler(everyMs = 250): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const sample = async () => {
    try {
      const pids = await pidtree(process.pid, { root: true });
      const stats = await pidusage(pids);
      const total = Object.values(stats).reduce((sum, st) => sum + (st?.memory ?? 0), 0);
      peak = Math.max(peak, total);
    } catch {
      // a process ended between listing and reading: the next sample counts
    }
  };
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      pidusage.clear();
      return peak;
    },
  };
}

async function jobsFor(prefix: string, count: number, tmp: string, firstSeed = 1): Promise<RunJob[]> {
  const base = await hre.tokenspice.plan("token-flow", { seed: firstSeed, steps: STEPS });
  return Array.from({ length: count }, (_, i) => {
    const spec: RunSpec = { ...base, seed: firstSeed + i };
    return { key: `${prefix}-${i}`, spec, out: path.join(tmp, prefix, `r${i}`) };
  });
}

async function untilBooted(pool: WorkerPoolBackend, workers: number): Promise<void> {
  while (pool.bootTimes.length < workers) await new Promise((r) => setTimeout(r, 50));
}

interface Measured {
  runsPerSecond: number;
  ms: number;
  peakRss: number;
  bootMs: number[];
  failed: number;
}

/** Boots `workers` workers (a 1-step warm-up run each), then times `jobs` on them. */
async function processes(workers: number, jobs: RunJob[], warmup: RunJob[]): Promise<Measured> {
  const pool = createWorkerBackend(hre, { workers, maxRunsPerWorker: Infinity });
  const sampler = treeRssSampler();
  try {
    await pool.run(warmup.slice(0, workers).map((j) => ({ ...j, spec: { ...j.spec, steps: 1 } })));
    await untilBooted(pool, workers);
    const start = performance.now();
    const outcomes = await pool.run(jobs);
    const ms = performance.now() - start;
    return { runsPerSecond: (jobs.length / ms) * 1000, ms, peakRss: await sampler.stop(), bootMs: pool.bootTimes, failed: outcomes.filter((o) => o.status === "failed").length };
  } finally {
    await sampler.stop();
    await pool.close();
  }
}

/** The worker_threads harness: run in its own process (its memory is its own; EDR's warnings are on its stderr). */
const THREAD_HARNESS = String.raw`
const { Worker } = require("worker_threads");
const { root, threads, jobs } = JSON.parse(process.env.BENCH_THREADS_JSON);
const THREAD = ${"`"}
const { parentPort, workerData } = require("worker_threads");
require(require.resolve("hardhat/register", { paths: [workerData.root] }));
const hre = require(require.resolve("hardhat", { paths: [workerData.root] }));
hre.tokenspice.environment().then(() => parentPort.postMessage({ type: "ready", bootMs: Date.now() - workerData.createdAt }));
parentPort.on("message", async (job) => {
  let error = null;
  try { await hre.tokenspice.runSpec(job.spec, { out: job.out, force: true }); } catch (e) { error = e.message; }
  parentPort.postMessage({ type: "done", key: job.key, error });
});
${"`"};
const rss = () => process.memoryUsage().rss;
let peak = rss();
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 100);
(async () => {
  const pool = [];
  const boots = [];
  await Promise.all(Array.from({ length: threads }, () => new Promise((resolve, reject) => {
    const w = new Worker(THREAD, { eval: true, workerData: { root, createdAt: Date.now() } });
    w.on("error", reject);
    w.once("message", (m) => { boots.push(m.bootMs); pool.push(w); resolve(); });
  })));
  const afterBoot = rss();
  const queue = [...jobs];
  let failed = 0;
  const start = performance.now();
  await Promise.all(pool.map((w) => new Promise((resolve) => {
    const next = () => { const job = queue.shift(); if (!job) return resolve(); w.postMessage(job); };
    w.on("message", (m) => { if (m.type === "done") { if (m.error) failed++; next(); } });
    next();
  })));
  const ms = performance.now() - start;
  const afterRuns = rss();
  await Promise.all(pool.map((w) => w.terminate()));
  if (global.gc) global.gc();
  await new Promise((r) => setTimeout(r, 2000));
  clearInterval(sampler);
  console.log("RESULT " + JSON.stringify({ boots, ms, runsPerSecond: jobs.length / ms * 1000, failed, afterBoot, afterRuns, afterTerminate: rss(), peak }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

async function threads(
  count: number,
  jobs: RunJob[],
): Promise<{ boots: number[]; ms: number; runsPerSecond: number; failed: number; afterBoot: number; afterRuns: number; afterTerminate: number; peak: number; warnings: number }> {
  const root = hre.config.paths.root;
  const child = spawn(process.execPath, ["--expose-gc", "-e", THREAD_HARNESS], {
    cwd: root,
    env: { ...process.env, HARDHAT_NETWORK: "hardhat", HARDHAT_CONFIG: hre.config.paths.configFile, BENCH_THREADS_JSON: JSON.stringify({ root, threads: count, jobs }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const result = stdout.match(/^RESULT (.*)$/m);
  if (code !== 0 || !result) throw new Error(`the worker_threads harness failed (exit ${code}):\n${stderr}`);
  // EDR prints it on stdout.
  const warnings = (`${stdout}${stderr}`.match(/Please only initialize EdrContext once per process/g) ?? []).length;
  return { ...JSON.parse(result[1]), warnings };
}

/** Part 0: the CLI's campaigns, timed as a user sees them. */
async function cliCampaigns(tmp: string): Promise<void> {
  const root = hre.config.paths.root;
  const rows: { label: string; load: number; tokenFlowWorkers?: number; timing: CampaignTiming }[] = [];
  const time = async (label: string, args: string[], tokenFlowWorkers?: number) => {
    const load = os.loadavg()[0];
    const timing = await timeCliCampaign(root, args, path.join(tmp, `cli-${rows.length}`));
    rows.push({ label, load, tokenFlowWorkers, timing });
    console.log(`  ${label}: ${timing.runs} runs in ${s(timing.totalMs)}, first done after ${s(timing.toFirstRunDoneMs)}`);
  };
  console.log(`campaigns as the CLI runs them (hardhat sim …, a child process each; times in s from the command's start); ${loadLine(os.loadavg(), os.availableParallelism())}`);
  if (CLI_RUNS > 0) {
    for (const w of [1, 2])
      await time(
        `token-flow --steps ${CLI_STEPS}, ${CLI_RUNS} runs, ${w} worker${w > 1 ? "s" : ""}`,
        ["token-flow", "--steps", String(CLI_STEPS), "--replicates", String(CLI_RUNS), "--workers", String(w), "--campaign-seed", "7"],
        w,
      );
  }
  if (AMM_RUNS > 0)
    await time(`amm --steps ${AMM_STEPS}, ${AMM_RUNS} runs, default workers (${os.availableParallelism()})`, [
      "amm",
      "--steps",
      String(AMM_STEPS),
      "--replicates",
      String(AMM_RUNS),
      "--campaign-seed",
      "7",
    ]);
  if (rows.length === 0) return;
  console.log(
    markdownTable(
      [
        "campaign",
        "load (1 min)",
        "to the first run done",
        "to the first run's start",
        "runs (first start → last end)",
        "after the runs",
        "total",
        "runs/min (whole command)",
        "runs/min (runs' span)",
      ],
      rows.map(({ label, load, timing: t }) => [
        label,
        load.toFixed(1),
        seconds(t.toFirstRunDoneMs),
        seconds(t.toFirstRunStartMs),
        seconds(t.runsSpanMs),
        seconds(t.afterRunsMs),
        seconds(t.totalMs),
        t.runsPerMinute.toFixed(1),
        t.runsPerMinuteSteady.toFixed(1),
      ]),
    ),
  );
  const [one, two] = [1, 2].map((w) => rows.find((r) => r.tokenFlowWorkers === w)?.timing);
  if (one && two) {
    console.log(
      `  issue 21's targets: 2 workers ${two.totalMs < one.totalMs ? "faster" : "NOT faster"} than 1 (${s(two.totalMs)} against ${s(one.totalMs)}); ` +
        `their first run done after ${s(two.toFirstRunDoneMs)} (target: within 5 s on a quiet machine)`,
    );
  }
  const amm = rows.find((r) => r.timing.args[0] === "amm");
  if (amm) {
    const verdict = AMM_RUNS === 200 && AMM_STEPS === 90 ? (amm.timing.totalMs <= 180_000 ? "met" : "NOT met") : `not measured at full size (${AMM_RUNS} runs at ${AMM_STEPS} steps)`;
    console.log(`  issue 21's target, a 200-run amm Monte Carlo at 90 steps under 3 minutes: ${verdict}`);
  }
  const failed = rows.reduce((n, r) => n + r.timing.failed, 0);
  if (failed > 0) console.log(`  ${failed} runs failed`);
  console.log(`  figures in ${writeResults("campaigns", rows)}`);
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-bench-workers-"));
  try {
    console.log("");
    await cliCampaigns(tmp);
    if (N > 0) {
      const jobs = await jobsFor("tp", N, tmp);
      const warmup = await jobsFor("warm", W, tmp, 10_000);
      console.log(`campaign workers: token-flow, ${STEPS} steps, default params, ${N} runs (seeds 1..${N}); ${os.availableParallelism()} cores, ${MB(os.totalmem())}`);
      console.log("child processes (fork; one Hardhat each; the --workers backend)");
      const one = await processes(1, jobs, warmup);
      const many = await processes(W, jobs, warmup);
      const boots = [...one.bootMs, ...many.bootMs];
      line("  boot", `${s(median(boots))} per worker (median of ${boots.length}: node, Hardhat's config under ts-node, the plugin, the simulation network)`);
      line("  1 worker", `${one.runsPerSecond.toFixed(2)} runs/s (${N} runs in ${s(one.ms)}${one.failed ? `, ${one.failed} failed` : ""})`);
      line(`  ${W} workers`, `${many.runsPerSecond.toFixed(2)} runs/s (${N} runs in ${s(many.ms)}${many.failed ? `, ${many.failed} failed` : ""})`);
      line("  speedup", `${(many.runsPerSecond / one.runsPerSecond).toFixed(2)}x`);
      line("  peak RSS (tree)", `${MB(one.peakRss)} with 1 worker, ${MB(many.peakRss)} with ${W} (this process and every descendant)`);

      if (THREADS) {
        console.log(`worker_threads (one Hardhat and one EdrContext per thread, in one process)`);
        const t1 = await threads(1, jobs);
        const tw = await threads(W, jobs);
        line("  boot", `${s(median([...t1.boots, ...tw.boots]))} per thread (${tw.boots.map((b) => s(b)).join(", ")} for ${W} booting together)`);
        line("  1 thread", `${t1.runsPerSecond.toFixed(2)} runs/s (${N} runs in ${s(t1.ms)}${t1.failed ? `, ${t1.failed} failed` : ""})`);
        line(`  ${W} threads`, `${tw.runsPerSecond.toFixed(2)} runs/s (${N} runs in ${s(tw.ms)}${tw.failed ? `, ${tw.failed} failed` : ""})`);
        line("  speedup", `${(tw.runsPerSecond / t1.runsPerSecond).toFixed(2)}x`);
        line("  EdrContext warnings", `${t1.warnings} with 1 thread, ${tw.warnings} with ${W}`);
        line(
          "  process RSS",
          `1 thread: ${MB(t1.afterBoot)} booted, ${MB(t1.afterRuns)} after ${N} runs (+${MB((t1.afterRuns - t1.afterBoot) / N)} a run), ${MB(t1.afterTerminate)} after terminate()`,
        );
        line("", `${W} threads: ${MB(tw.afterBoot)} booted, ${MB(tw.afterRuns)} after ${N} runs, ${MB(tw.afterTerminate)} after terminate(); peak ${MB(tw.peak)}`);
      }
    }

    if (LONG > 0) {
      const long = await jobsFor("long", LONG, tmp, 100_000);
      const pool = createWorkerBackend(hre, { workers: W });
      const recycled = { memory: 0, "max-runs": 0, died: 0 };
      const base = process.memoryUsage().rss;
      const bound = base + W * (pool.workerMemoryBytes + 256 * 2 ** 20);
      console.log(`${LONG}-run campaign: token-flow, ${STEPS} steps, ${W} workers, default recycling (RSS over ${MB(pool.workerMemoryBytes)} or ${pool.maxRunsPerWorker} runs)`);
      const sampler = treeRssSampler();
      const start = performance.now();
      let outcomes: RunOutcome[];
      try {
        outcomes = await pool.run(long, { onWorker: (e) => recycled[e.reason]++ });
      } finally {
        await pool.close();
      }
      const ms = performance.now() - start;
      const peak = await sampler.stop();
      line("  runs", `${outcomes.length} in ${s(ms)}: ${((outcomes.length / ms) * 1000).toFixed(2)} runs/s, boots included (${outcomes.filter((o) => o.status === "failed").length} failed)`);
      line("  workers", `${pool.pids.length} started; recycled ${recycled.memory}x for memory, ${recycled["max-runs"]}x for run count; ${recycled.died} died`);
      for (const o of outcomes.filter((x) => x.status === "failed").slice(0, 5)) {
        const j = long.find((x) => x.key === o.key)!;
        line("  failed", `seed ${j.spec.seed}: ${o.error?.code}: ${o.error?.message}`);
      }
      line("  peak RSS (tree)", `${MB(peak)}, bound ${MB(bound)} (this process ${MB(base)} + ${W} × (${MB(pool.workerMemoryBytes)} limit + 256 MB)): ${peak <= bound ? "within" : "OVER"}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
