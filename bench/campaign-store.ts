/**
 * `npx ts-node --transpile-only bench/campaign-store.ts`: how long a campaign's outputs take to
 * build, and the peak memory of the process that builds them.
 *
 * Writes a synthetic campaign (through the plugin's RunWriter, so the files are exactly a run's)
 * of BENCH_RUNS runs (default 1000) spread over BENCH_POINTS points (default 1: a Monte Carlo),
 * each of 31 samples (30 ticks) × 7 KPIs (two of them bigints beyond 2^64, one with NaN and
 * Infinity), 2% of the runs failing half-way. Then builds its outputs in a fresh child process,
 * twice: the store and CSVs alone (`report: false`), and everything (the report with its PNGs),
 * and prints wall time, CPU time (user + system: steadier than wall time on a shared machine) and
 * the child's peak RSS (`process.resourceUsage().maxRSS`). A child that
 * only loads the modules and opens DuckDB gives the baseline. BENCH_RUNS="250,1000,4000" runs each size.
 */
import { execFileSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

const KPIS = 7;
const STEPS = 30;

async function child(dir: string, report: boolean): Promise<void> {
  const { rebuildCampaignOutputs } = await import("../src/campaign/outputs");
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  if (dir === "") {
    // Baseline: the modules and a DuckDB instance, no campaign.
    const { Store } = await import("../src/campaign/store");
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-store-"));
    const store = await Store.create(path.join(scratch, "x.duckdb"));
    await store.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  } else {
    await rebuildCampaignOutputs(dir, { report });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function makeCampaign(runs: number, points: number): Promise<string> {
  const { writeSyntheticCampaign, campaignSpec, point, kpiInfo } = await import("../test/campaign-fixtures");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-campaign-${runs}-`));
  const perPoint = Math.ceil(runs / points);
  const pts = Array.from({ length: points }, (_, i) => point(`p-${String(i).padStart(6, "0")}`, points > 1 ? { fee: i } : {}, { holders: 50 }));
  const spec = campaignSpec({ runs: perPoint, steps: STEPS, sweep: points > 1 ? [{ param: "fee", values: pts.map((_, i) => i) }] : [] });
  const kpis = [
    kpiInfo("supply", { unit: "TOK", decimals: 18 }),
    kpiInfo("treasury", { unit: "TOK", decimals: 18 }),
    kpiInfo("holders"),
    kpiInfo("price", { unit: "USD" }),
    kpiInfo("gini"),
    kpiInfo("volume", { unit: "USD" }),
    kpiInfo("reverts"),
  ];
  const t0 = Date.now();
  writeSyntheticCampaign(dir, {
    spec,
    points: pts,
    kpis,
    value: (p, r, t, k) => {
      const x = Math.sin(r * 12.9898 + t * 78.233 + ((p.varying.fee as number | undefined) ?? 0)) * 43758.5453;
      const u = x - Math.floor(x);
      switch (k) {
        case "supply":
          return 10n ** 24n * BigInt(t + 1) + BigInt(Math.floor(u * 1e15)) * 10n ** 6n;
        case "treasury":
          return BigInt(Math.floor(u * 1e12)) * 10n ** 12n;
        case "holders":
          return 40 + Math.floor(u * 10);
        case "price":
          return t === 0 ? NaN : u < 0.001 ? Infinity : 1 + u;
        default:
          return u * (t + 1);
      }
    },
    fate: (_p, r) => (r % 50 === 7 ? { failAt: STEPS / 2 } : "complete"),
  });
  process.stdout.write(`campaign: ${runs} runs at ${points} point(s), ${STEPS + 1} samples × ${KPIS} KPIs, written in ${((Date.now() - t0) / 1000).toFixed(1)} s to ${dir}\n`);
  return dir;
}

function measure(dir: string, report: boolean): { ms: number; cpuMs: number; maxRssMb: number } {
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--child", dir, report ? "report" : "store"], { encoding: "utf8" });
  return JSON.parse(out);
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3], process.argv[4] === "report");
  const sizes = (process.env.BENCH_RUNS ?? "1000").split(",").map(Number);
  const points = Number(process.env.BENCH_POINTS ?? 1);
  const base = measure("", false);
  console.log(`baseline (modules + DuckDB, no campaign): peak RSS ${base.maxRssMb.toFixed(0)} MB`);
  for (const runs of sizes) {
    const dir = await makeCampaign(runs, points);
    const store = measure(dir, false);
    const all = measure(dir, true);
    const size = (f: string) => (fs.statSync(path.join(dir, f)).size / 1024).toFixed(0) + " KB";
    console.log(`  store + CSVs:        ${(store.ms / 1000).toFixed(2)} s (CPU ${(store.cpuMs / 1000).toFixed(2)} s), peak RSS ${store.maxRssMb.toFixed(0)} MB`);
    console.log(`  with report + PNGs:  ${(all.ms / 1000).toFixed(2)} s (CPU ${(all.cpuMs / 1000).toFixed(2)} s), peak RSS ${all.maxRssMb.toFixed(0)} MB`);
    console.log(`  sizes: campaign.duckdb ${size("campaign.duckdb")}, samples.parquet ${size("samples.parquet")}, bands.csv ${size("bands.csv")}, report.html ${size("report.html")}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
