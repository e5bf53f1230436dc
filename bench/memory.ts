/**
 * `npm run bench` (memory): the peak RSS of long single runs, each in a child process running the
 * real CLI (`hardhat sim token-flow --seed 1 --steps N --quiet --no-report --out <tmp>`), its peak
 * read at exit with `process.resourceUsage().maxRSS` (bench/max-rss.js, preloaded with --require).
 *
 * Two lengths, by default 750 and 3,750 ticks: about 18,000 and 100,000 agent transactions at
 * token-flow's defaults (more a tick as the run goes on). Memory per 10,000 transactions is the slope of peak RSS
 * between them, so the fixed cost (Node, Hardhat, ts-node, the compiled netlist, EDR) cancels out.
 * The 100,000-transaction run's peak is the figure issue #12 bounds (1.5 GB).
 *
 * BENCH_MEMORY_STEPS="750,3750" sets the lengths (ticks, comma-separated; the last two give the slope).
 */
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

const STEPS = (process.env.BENCH_MEMORY_STEPS ?? "750,3750").split(",").map(Number);
const MB = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

interface LongRun {
  steps: number;
  transactions: number;
  peakRss: number;
  seconds: number;
}

function longRun(steps: number): LongRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-bench-memory-"));
  const rssFile = path.join(dir, "max-rss.json");
  const out = path.join(dir, "run");
  const cli = require.resolve("hardhat/internal/cli/bootstrap");
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    ["--require", path.join(__dirname, "max-rss.js"), cli, "sim", "token-flow", "--no-compile", "--seed", "1", "--steps", String(steps), "--quiet", "--no-report", "--out", out],
    { encoding: "utf8", env: { ...process.env, BENCH_MAX_RSS_FILE: rssFile } },
  );
  const seconds = (performance.now() - started) / 1000;
  try {
    if (r.status !== 0) throw new Error(`hardhat sim token-flow --steps ${steps} failed (status ${r.status}):\n${r.stdout}${r.stderr}`);
    const result = JSON.parse(fs.readFileSync(path.join(out, "result.json"), "utf8"));
    const transactions = Object.entries(result.transactions as Record<string, number>)
      .filter(([agent]) => agent !== "setup")
      .reduce((a, [, n]) => a + n, 0);
    return { steps, transactions, peakRss: JSON.parse(fs.readFileSync(rssFile, "utf8")).maxRssBytes, seconds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  console.log(
    `memory: token-flow (seed 1, default params), each run a child process of the CLI; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const runs: LongRun[] = [];
  for (const steps of STEPS) {
    const run = longRun(steps);
    runs.push(run);
    console.log(`  ${String(run.steps).padStart(6)} ticks ${String(run.transactions).padStart(7)} agent transactions   peak RSS ${MB(run.peakRss).padStart(5)} MB   (${run.seconds.toFixed(0)} s)`);
  }
  if (runs.length >= 2) {
    const [a, b] = runs.slice(-2);
    const per10k = ((b.peakRss - a.peakRss) / (b.transactions - a.transactions)) * 10_000;
    console.log(`memory per 10k tx  ${MB(per10k)} MB (slope of peak RSS between the last two runs)`);
    console.log(`peak RSS           ${MB(b.peakRss)} MB for a ${b.transactions}-transaction run`);
  }
}

main();
