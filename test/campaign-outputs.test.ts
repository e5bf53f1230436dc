import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { TokenspiceError } from "../src/errors";
import { CAMPAIGN_OUTPUT_WRITERS, campaignOutputFiles, readFinalKpis, rebuildCampaignOutputs, writeCampaignOutputs, type CampaignOutput, type CampaignOutputContext } from "../src/campaign/outputs";
import { readCsv } from "../src/output/csv";
import { finalKpisTable } from "../src/report/table";
import { uniqueColumnNames } from "../src/campaign/store";
import type { CampaignDocument } from "../src/campaign/folder";
import type { CampaignPoint, RunOutcome } from "../src/campaign/types";
import type { KpiValue } from "../src/model/series";
import { campaignSpec, kpiInfo, point, query, snapshot, storeContents, writeCampaignJson, writeSyntheticCampaign } from "./campaign-fixtures";
import { errorOf } from "./helpers";

/**
 * A campaign's outputs from synthetic run folders (written through the plugin's RunWriter, so
 * every file is exactly a run's): bands, points and runs against an independent computation from
 * the values the runs were given; bigints, NaN, Infinity, failed and missing runs; the DuckDB
 * store, Parquet read back by a second reader (hyparquet); determinism; errors.
 */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-campaign-"));

/** The values the runs hold: distinct per replicate, bigints beyond HUGEINT, NaN and an Infinity. */
const BIG = 10n ** 40n; // beyond DuckDB's HUGEINT (about 1.7e38)
function value(p: CampaignPoint, r: number, t: number, kpi: string): KpiValue {
  const fee = p.params.fee as number;
  switch (kpi) {
    case "linear":
      return r * 10 + t + fee;
    case "wei":
      return BIG + BigInt(r) * 10n ** 20n + BigInt(t);
    case "ratio":
      if (r === 1 && t >= 2) return NaN;
      if (r === 2 && t === 4) return Infinity;
      return t / (r + 1);
    default:
      return -t * r;
  }
}
const KPIS = [kpiInfo("linear"), kpiInfo("wei", { unit: "TOK", decimals: 18, label: "Wei held" }), kpiInfo("ratio"), kpiInfo('odd "name", with comma')];
const POINTS = [point("p-fee10", { fee: 10 }, { mode: "a" }), point("p-fee20", { fee: 20 }, { mode: "a" })];
const SPEC = campaignSpec({ runs: 5, steps: 4, sweep: [{ param: "fee", values: [10, 20] }] });
/** p-fee10/r3 never ran (no folder); p-fee20/r4 failed at tick 2. */
const fate = (p: CampaignPoint, r: number) => (p.key === "p-fee10" && r === 3 ? "missing" : p.key === "p-fee20" && r === 4 ? { failAt: 2 } : "complete") as "missing" | "complete" | { failAt: number };
const COMPLETE: Record<string, number[]> = { "p-fee10": [0, 1, 2, 4], "p-fee20": [0, 1, 2, 3] };

/** Type 7 as R writes it, and the two-pass sample std: an independent reference. */
function reference(values: number[]) {
  const kept = values.filter((v) => !Number.isNaN(v));
  const s = [...kept].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    const g = h - lo;
    return g === 0 || s[lo] === s[lo + 1] ? s[lo] : (1 - g) * s[lo] + g * s[lo + 1];
  };
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const std = kept.length < 2 ? null : Math.sqrt(kept.reduce((a, b) => a + (b - mean) ** 2, 0) / (kept.length - 1));
  return { n: kept.length, nan: values.length - kept.length, p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95), mean, std };
}

const csv = (dir: string, file: string): Record<string, string>[] => parse(fs.readFileSync(path.join(dir, file), "utf8"), { columns: true });
const num = (cell: string) => (cell === "" ? null : Number(cell));

async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  // hyparquet's Node entry (what require() loads) adds asyncBufferFromFile to the browser one's types.
  const { asyncBufferFromFile, parquetReadObjects } = require("hyparquet") as typeof import("hyparquet") & { asyncBufferFromFile(file: string): Promise<import("hyparquet").AsyncBuffer> };
  return parquetReadObjects({ file: await asyncBufferFromFile(file) });
}

describe("campaign outputs (synthetic run folders)", function () {
  this.timeout(120_000);
  let dir: string;
  let doc: CampaignDocument;
  before(async () => {
    dir = tmp();
    doc = writeSyntheticCampaign(dir, { spec: SPEC, points: POINTS, kpis: KPIS, value, fate });
    await writeCampaignOutputs(dir, doc);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("bands.csv: per point, tick and KPI (in that order), the type-7 percentiles, mean and sample std of the complete runs; NaN left out and counted", () => {
    const rows = csv(dir, "bands.csv");
    expect(Object.keys(rows[0])).to.deep.equal(["point", "tick", "time", "kpi", "n", "nan", "p5", "p25", "p50", "p75", "p95", "mean", "std"]);
    const order = POINTS.flatMap((p) => [0, 1, 2, 3, 4].flatMap((t) => KPIS.map((k) => `${p.key} ${t} ${k.name}`)));
    expect(rows.map((r) => `${r.point} ${r.tick} ${r.kpi}`)).to.deep.equal(order);
    for (const r of rows) {
      const p = POINTS.find((q) => q.key === r.point)!;
      const want = reference(COMPLETE[p.key].map((rep) => Number(value(p, rep, Number(r.tick), r.kpi))));
      const where = `${r.point} tick ${r.tick} ${r.kpi}`;
      expect([num(r.n), num(r.nan)], where).to.deep.equal([want.n, want.nan]);
      for (const c of ["p5", "p25", "p50", "p75", "p95", "mean", "std"] as const) {
        const w = want[c];
        const got = num(r[c]);
        if (w === null || !Number.isFinite(w)) expect(got, `${where} ${c}`).to.deep.equal(w);
        else expect(got, `${where} ${c}`).to.be.closeTo(w, 1e-9 * Math.max(1, Math.abs(w)));
      }
    }
    // By hand: p-fee10 at tick 3, linear = 10r + 3 + 10 over r = 0, 1, 2, 4 → 13, 23, 33, 53.
    const linear = rows.find((r) => r.point === "p-fee10" && r.tick === "3" && r.kpi === "linear")!;
    expect(linear).to.include({ n: "4", nan: "0", p5: "14.5", p50: "28", mean: "30.5" }); // p5: h = 0.15 → 13 + 0.15·10
    expect(Number(linear.std)).to.be.closeTo(Math.sqrt((17.5 ** 2 + 7.5 ** 2 + 2.5 ** 2 + 22.5 ** 2) / 3), 1e-12);
    expect(linear.time).to.equal(String(1_893_456_000 + 3 * 86_400));
    // NaN in replicate 1 from tick 2: left out and counted.
    expect(rows.find((r) => r.point === "p-fee10" && r.tick === "2" && r.kpi === "ratio")).to.include({ n: "3", nan: "1" });
    // An Infinity (replicate 2, tick 4) is a value: it tops the order, makes the mean infinite and the std NaN.
    expect(rows.find((r) => r.point === "p-fee20" && r.tick === "4" && r.kpi === "ratio")).to.include({ n: "3", nan: "1", p95: "Infinity", mean: "Infinity", std: "NaN" });
  });

  it("failed and missing runs are left out of bands and points, counted there, and kept in runs.csv with their status and error", () => {
    const bands = csv(dir, "bands.csv");
    expect(new Set(bands.filter((r) => r.kpi === "linear").map((r) => r.n))).to.deep.equal(new Set(["4"]));
    const points = csv(dir, "points.csv");
    expect(Object.keys(points[0])).to.deep.equal(["point", "param_fee", "kpi", "runs", "complete", "failed", "missing", "n", "nan", "p5", "p25", "p50", "p75", "p95", "mean", "std", "min", "max"]);
    expect(points.filter((r) => r.kpi === "linear").map((r) => [r.point, r.param_fee, r.runs, r.complete, r.failed, r.missing])).to.deep.equal([
      ["p-fee10", "10", "5", "4", "0", "1"],
      ["p-fee20", "20", "5", "4", "1", "0"],
    ]);
    // The final values' distribution: linear = 10r + 4 + fee at tick 4.
    for (const r of points) {
      const p = POINTS.find((q) => q.key === r.point)!;
      const finals = COMPLETE[p.key].map((rep) => Number(value(p, rep, 4, r.kpi)) + 0); // kpis.csv writes -0 as 0
      const want = reference(finals);
      const finite = finals.filter((v) => !Number.isNaN(v));
      expect([num(r.n), num(r.nan), num(r.min), num(r.max)], `${r.point} ${r.kpi}`).to.deep.equal([want.n, want.nan, Math.min(...finite), Math.max(...finite)]);
      if (Number.isFinite(want.p50)) expect(num(r.p50)).to.be.closeTo(want.p50, 1e-9 * Math.max(1, Math.abs(want.p50)));
    }
    const runs = csv(dir, "runs.csv");
    expect(runs.map((r) => r.run)).to.deep.equal(POINTS.flatMap((p) => [0, 1, 2, 3, 4].map((r) => `${p.key}/r${r}`)));
    expect(Object.keys(runs[0])).to.deep.equal([
      "run",
      "point",
      "replicate",
      "seed",
      "status",
      "error_code",
      "error_message",
      "ticks",
      "param_mode",
      "param_fee",
      ...KPIS.map((k) => `final_${k.name}`),
      "command",
      "dir",
    ]);
    const failed = runs.find((r) => r.run === "p-fee20/r4")!;
    expect(failed).to.include({ status: "failed", error_code: "AGENT_FAILED", error_message: 'Agent "a" threw at tick 2: boom', ticks: "2", final_linear: "", dir: "runs/p-fee20/r4" });
    expect(failed.command).to.equal(doc.runs.find((r) => r.key === "p-fee20/r4")!.command);
    expect(runs.find((r) => r.run === "p-fee10/r3")).to.include({ status: "missing", error_code: "", ticks: "", final_linear: "" });
    const ok = runs.find((r) => r.run === "p-fee10/r2")!;
    expect(ok).to.include({ status: "complete", ticks: "4", final_linear: "34", param_fee: "10", param_mode: "a", final_ratio: "Infinity" });
    expect(ok.seed).to.equal(String(doc.runs.find((r) => r.key === "p-fee10/r2")!.seed));
  });

  it("the store: samples of every run that wrote any (with its status), the value as a double and a bigint's exact digits", async () => {
    const db = path.join(dir, "campaign.duckdb");
    const [{ n }] = await query(db, "SELECT count(*) AS n FROM samples");
    // complete runs: 8 × 5 samples; the failed run: ticks 0–2; the missing run: none. Four KPIs each.
    expect(Number(n)).to.equal((8 * 5 + 3) * 4);
    const byStatus = await query(db, "SELECT status, count(*) AS n FROM samples GROUP BY status ORDER BY status");
    expect(byStatus.map((r) => [r.status, Number(r.n)])).to.deep.equal([
      ["complete", 160],
      ["failed", 12],
    ]);
    const exact = BIG + 2n * 10n ** 20n + 4n;
    const [wei] = await query(db, "SELECT value, exact, typeof(exact) AS t FROM samples WHERE run = 'p-fee10/r2' AND tick = 4 AND kpi = 'wei'");
    expect(wei).to.deep.equal({ value: Number(exact), exact: exact.toString(), t: "VARCHAR" });
    expect(BigInt(wei.exact as string)).to.equal(exact); // exact: the digits kpis.csv holds
    // Exact arithmetic in SQL past HUGEINT: DuckDB's BIGNUM (arbitrary precision).
    const [sum] = await query(
      db,
      "SELECT sum(exact::BIGNUM)::VARCHAR AS s, count(*) AS n, count(TRY_CAST(exact AS HUGEINT)) AS fits FROM samples WHERE kpi = 'wei' AND tick = 4 AND status = 'complete'",
    );
    const want = [...COMPLETE["p-fee10"], ...COMPLETE["p-fee20"]].reduce((acc, r) => acc + BIG + BigInt(r) * 10n ** 20n + 4n, 0n);
    expect([sum.s, Number(sum.n), Number(sum.fits)]).to.deep.equal([want.toString(), 8, 0]);
    const [ratio] = await query(db, "SELECT count(*) FILTER (WHERE isnan(value)) AS nans, count(*) FILTER (WHERE isinf(value)) AS infs, count(exact) AS exacts FROM samples WHERE kpi = 'ratio'");
    expect([Number(ratio.nans), Number(ratio.infs)]).to.deep.equal([3 + 3, 2]); // r1 from tick 2 at both points; r2's Infinity at tick 4 at both
    expect(Number(ratio.exacts)).to.be.greaterThan(0); // whole values (0, 1, 2, …) have digits too
    const types = await query(
      db,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'runs' AND column_name IN ('seed', 'param_fee', 'param_mode', 'final_wei', 'ticks') ORDER BY column_name",
    );
    expect(types.map((r) => [r.column_name, r.data_type])).to.deep.equal([
      ["final_wei", "DOUBLE"],
      ["param_fee", "BIGINT"],
      ["param_mode", "VARCHAR"],
      ["seed", "BIGINT"],
      ["ticks", "INTEGER"],
    ]);
    const kpis = await query(db, "SELECT name, label, unit, decimals FROM kpis ORDER BY position");
    expect(kpis[1]).to.deep.equal({ name: "wei", label: "Wei held", unit: "TOK", decimals: 18 });
    const [campaign] = await query(db, "SELECT netlist, runs, complete, failed, missing, command FROM campaign");
    expect(campaign).to.deep.equal({ netlist: "synthetic", runs: 10, complete: 8, failed: 1, missing: 1, command: doc.command });
  });

  it("the CSVs and the store's tables hold the same rows; the Parquet files read back the same with a second reader", async () => {
    const db = path.join(dir, "campaign.duckdb");
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- DuckDB cells: numbers, bigints, strings
    const cell = (v: unknown) => (v === null ? "" : typeof v === "number" && Object.is(v, -0) ? "0" : String(v));
    for (const table of ["bands", "points", "runs"]) {
      const rows = await query(db, `SELECT * FROM ${table}`);
      const file = csv(dir, `${table}.csv`);
      expect(
        rows.map((r) => Object.values(r).map(cell)),
        table,
      ).to.deep.equal(file.map((r) => Object.values(r)));
    }
    for (const table of ["samples", "runs", "points"]) {
      const fromDb = await query(db, `SELECT * FROM ${table}`);
      const fromParquet = await readParquet(path.join(dir, `${table}.parquet`));
      const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
      expect(norm(fromParquet), table).to.deep.equal(norm(fromDb));
    }
  });

  it("is deterministic: a rebuild, and a copy whose run folders were copied in another order, give the same bytes (and the database the same rows)", async () => {
    const first = snapshot(dir);
    const store = await storeContents(path.join(dir, "campaign.duckdb"));
    expect([...first.keys()]).to.include.members(["bands.csv", "points.csv", "runs.csv", "samples.parquet", "runs.parquet", "points.parquet", "report.html", "campaign.duckdb"]);
    expect([...first.keys()].filter((f) => f.startsWith("plots/")).length).to.be.greaterThan(0);

    await rebuildCampaignOutputs(dir);
    const copy = tmp();
    try {
      fs.copyFileSync(path.join(dir, "campaign.json"), path.join(copy, "campaign.json"));
      for (const run of [...doc.runs].reverse()) {
        if (fs.existsSync(path.join(dir, run.dir))) fs.cpSync(path.join(dir, run.dir), path.join(copy, run.dir), { recursive: true });
      }
      await rebuildCampaignOutputs(copy);
      for (const again of [snapshot(dir), snapshot(copy)]) {
        expect([...again.keys()]).to.deep.equal([...first.keys()]);
        for (const [file, bytes] of first) {
          if (file === "campaign.duckdb") continue; // its bytes differ from build to build (see the README); its rows may not
          expect(again.get(file)!.equals(bytes), file).to.equal(true);
        }
      }
      expect(await storeContents(path.join(copy, "campaign.duckdb"))).to.deep.equal(store);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("a backend's outcome wins over the manifest (a worker that died), and is not needed when the files say it all", async () => {
    const copy = tmp();
    try {
      fs.cpSync(dir, copy, { recursive: true });
      const died: RunOutcome = { key: "p-fee10/r3", status: "failed", error: { code: "WORKER_DIED", message: "worker 2 died (SIGKILL) twice" }, attempts: 2 };
      const complete: RunOutcome = { key: "p-fee10/r0", status: "complete", error: null, attempts: 1 };
      await writeCampaignOutputs(copy, doc, new Map([died, complete].map((o) => [o.key, o])), { report: false });
      const runs = csv(copy, "runs.csv");
      expect(runs.find((r) => r.run === "p-fee10/r3")).to.include({ status: "failed", error_code: "WORKER_DIED", error_message: "worker 2 died (SIGKILL) twice" });
      expect(Object.keys(runs[0])).not.to.include("attempts");
      expect(csv(copy, "points.csv")[0]).to.include({ complete: "4", failed: "1", missing: "0" });
      // report: false writes no report, and removes one written before
      expect(fs.existsSync(path.join(copy, "report.html"))).to.equal(false);
      expect(fs.existsSync(path.join(copy, "plots"))).to.equal(false);
      // An outcome saying complete needs the run's kpis.csv.
      const lying: RunOutcome = { key: "p-fee10/r3", status: "complete", error: null, attempts: 1 };
      const e = await errorOf(() => writeCampaignOutputs(copy, doc, new Map([[lying.key, lying]])));
      expect(e).to.be.instanceOf(TokenspiceError);
      expect((e as TokenspiceError).code).to.equal("CAMPAIGN_FOLDER_INVALID");
      expect(e.message).to.match(/Run "p-fee10\/r3" is complete but its folder has no kpis\.csv/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("a run's manifest left running or interrupted counts as failed, with RUN_INCOMPLETE or RUN_INTERRUPTED", async () => {
    const copy = tmp();
    try {
      fs.cpSync(dir, copy, { recursive: true });
      const edit = (run: string, change: Record<string, unknown>) => {
        const file = path.join(copy, "runs", run, "manifest.json");
        fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), ...change }));
      };
      edit("p-fee10/r0", { status: "running" });
      edit("p-fee10/r1", { status: "interrupted", error: "SIGTERM" });
      await rebuildCampaignOutputs(copy, { report: false });
      const runs = csv(copy, "runs.csv");
      expect(runs.find((r) => r.run === "p-fee10/r0")).to.include({ status: "failed", error_code: "RUN_INCOMPLETE" });
      expect(runs.find((r) => r.run === "p-fee10/r1")).to.include({ status: "failed", error_code: "RUN_INTERRUPTED", error_message: "SIGTERM" });
      expect(csv(copy, "bands.csv").find((r) => r.kpi === "linear")).to.include({ n: "2" });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("campaign outputs: folders that are not campaigns, and broken run files", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = tmp()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const codeOf = async (fn: () => Promise<unknown>) => {
    const e = await errorOf(fn);
    expect(e, String(e)).to.be.instanceOf(TokenspiceError);
    return e as TokenspiceError;
  };
  const small = () => writeSyntheticCampaign(dir, { spec: campaignSpec({ runs: 2, steps: 2 }), points: [point("p-a", {})], kpis: [kpiInfo("x")], value: (_p, r, t) => r + t });

  it("names what is missing in a folder that is not a campaign", async () => {
    const e = await codeOf(() => rebuildCampaignOutputs(dir));
    expect(e.code).to.equal("CAMPAIGN_FOLDER_INVALID");
    expect(e.message).to.contain(`${dir} is not a campaign folder: it has no campaign.json`);
    fs.writeFileSync(path.join(dir, "campaign.json"), "{ not json");
    expect((await codeOf(() => rebuildCampaignOutputs(dir))).message).to.match(/Cannot read .*campaign\.json/);
  });

  it("names the field of a campaign.json that does not hold together", async () => {
    const doc = small();
    const broken = (change: (d: any) => void) => {
      const d = JSON.parse(JSON.stringify(doc));
      change(d);
      writeCampaignJson(dir, d);
      return rebuildCampaignOutputs(dir);
    };
    expect((await codeOf(() => broken((d) => delete d.spec))).message).to.match(/has no "spec" object/);
    expect((await codeOf(() => broken((d) => (d.runs[0].point = "p-nowhere")))).message).to.match(/run "p-a\/r0" is of point "p-nowhere", which "points" does not list/);
    expect((await codeOf(() => broken((d) => (d.runs[1].dir = "../../elsewhere")))).message).to.match(/has folder "..\/..\/elsewhere", which is not inside the campaign folder/);
    expect((await codeOf(() => broken((d) => (d.runs[1].dir = d.runs[0].dir)))).message).to.match(/belongs to two runs/);
    expect((await codeOf(() => broken((d) => d.points.push(d.points[0])))).message).to.match(/point key "p-a" appears twice/);
  });

  it("names the run and file of a broken kpis.csv, and leaves the previous outputs as they were", async () => {
    small();
    await rebuildCampaignOutputs(dir, { report: false });
    const before = fs.readFileSync(path.join(dir, "bands.csv"));
    const file = path.join(dir, "runs", "p-a", "r1", "kpis.csv");
    const good = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, good.replace(/\n1,(\d+),2\n/, "\n1,$1,two\n"));
    const cell = await codeOf(() => rebuildCampaignOutputs(dir));
    expect(cell.message).to.equal(`${file}, row 3, KPI "x": "two" is not a KPI value (a number, a bigint's digits, NaN, Infinity or -Infinity).`);
    fs.writeFileSync(file, good.replace("tick,timestamp,x", "tick,timestamp,y"));
    expect((await codeOf(() => rebuildCampaignOutputs(dir))).message).to.match(/Run "p-a\/r1" has KPIs y in its kpis.csv, but the campaign's runs have x/);
    expect(fs.readFileSync(path.join(dir, "bands.csv")).equals(before)).to.equal(true);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(".tokenspice-outputs-"))).to.deep.equal([]);
  });

  it("a campaign with no run yet still gets its (empty) outputs", async () => {
    const spec = campaignSpec({ runs: 2 });
    const p = point("p-a", {});
    const doc: CampaignDocument = { spec, points: [p], runs: [], command: "x" };
    const { campaignRun } = require("./campaign-fixtures");
    doc.runs = [campaignRun(spec, p, 0), campaignRun(spec, p, 1)];
    writeCampaignJson(dir, doc);
    const out = await rebuildCampaignOutputs(dir);
    expect(out.counts).to.deep.equal({ points: 1, runs: 2, complete: 0, failed: 0, missing: 2 });
    expect(csv(dir, "runs.csv").map((r) => r.status)).to.deep.equal(["missing", "missing"]);
    expect(fs.readFileSync(path.join(dir, "report.html"), "utf8")).to.contain("No run completed");
  });

  it("text from users in runs.csv, points.csv and bands.csv is data to a spreadsheet; readCsv and the store read it back as it was; the final KPIs table", async () => {
    const kpis = [kpiInfo("=cmd|' /C calc'!A0"), kpiInfo("-loss", { unit: "TOK", decimals: 2 })];
    const points = [point("p-a", { mode: "=1+1" }), point("p-b", { mode: "-x" })];
    const spec = campaignSpec({ runs: 2, steps: 2, sweep: [{ param: "mode", values: ["=1+1", "-x"] }] });
    writeSyntheticCampaign(dir, { spec, points, kpis, value: (p, r, t, k) => (k === "-loss" ? -(r + t) * 150 : p.key === "p-a" ? -1.5 : 2) });
    await rebuildCampaignOutputs(dir, { report: false });
    const text = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
    // no cell a spreadsheet would run: every formula-like text cell is quoted and starts with '
    for (const f of ["runs.csv", "points.csv", "bands.csv"]) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without options csv-parse's typings pick the overload that returns unknown[]
      for (const row of parse(text(f)) as string[][]) for (const cell of row) expect(/^[=+@\t\r]|^-(?!\d|Infinity)/.test(cell), `${f}: ${cell}`).to.equal(false);
    }
    expect(text("points.csv")).to.contain(`p-a,"'=1+1","'=cmd|' /C calc'!A0",2,2,0,0,2,0,-1.5,`);
    const back = readCsv(text("points.csv"), { columns: true });
    expect(back.map((r) => [r.param_mode, r.kpi])).to.deep.equal([
      ["=1+1", kpis[0].name],
      ["=1+1", "-loss"],
      ["-x", kpis[0].name],
      ["-x", "-loss"],
    ]);
    expect(
      readCsv(text("bands.csv"), { columns: true })
        .filter((r) => r.tick === "0")
        .map((r) => r.kpi),
    ).to.deep.equal([kpis[0].name, "-loss", kpis[0].name, "-loss"]);
    expect(readCsv(text("runs.csv"), { columns: true }).map((r) => r.param_mode)).to.deep.equal(["=1+1", "=1+1", "-x", "-x"]);
    const stored = await query(path.join(dir, "campaign.duckdb"), "SELECT DISTINCT param_mode, kpi FROM points ORDER BY ALL");
    expect(stored.map((r) => [r.param_mode, r.kpi])).to.deep.equal([
      ["-x", "-loss"],
      ["-x", kpis[0].name],
      ["=1+1", "-loss"],
      ["=1+1", kpis[0].name],
    ]);
    // what a finished campaign prints: p5, median and p95 of the final values, scaled, with units
    const finals = readFinalKpis(dir);
    expect(finals.points.map((p) => p.label)).to.deep.equal(["mode==1+1", "mode=-x"]);
    expect(finals.points[0].kpis[1]).to.deep.equal({ name: "-loss", n: 2, p5: -442.5, p50: -375, p95: -307.5 });
    const table = finalKpisTable(finals.kpis, finals.points);
    expect(table).to.match(/mode==1\+1 +│ +=cmd\|' \/C calc'!A0 +│ +-1\.5 +│ +-1\.5 +│ +-1\.5 +│ +2 /);
    expect(table).to.match(/│ +-loss +│ +-4\.43 TOK +│ +-3\.75 TOK +│ +-3\.08 TOK +│ +2 /);
  });

  it("column names stay unique the way DuckDB compares them (case-insensitively)", () => {
    expect(uniqueColumnNames(["run", "param_fee", "param_Fee", "param_FEE", "param_Fee_2"])).to.deep.equal(["run", "param_fee", "param_Fee_2", "param_FEE_3", "param_Fee_2_2"]);
  });
});

describe("campaign outputs: a writer added to the registry", function () {
  this.timeout(120_000);
  let dir: string;
  let doc: CampaignDocument;
  before(() => {
    dir = tmp();
    const points = [point("p-b", { fee: 20 }), point("p-a", { fee: 10 })];
    const spec = campaignSpec({ runs: 3, steps: 3, sweep: [{ param: "fee", values: [10, 20] }] });
    doc = writeSyntheticCampaign(dir, {
      spec,
      points,
      kpis: [kpiInfo("x"), kpiInfo("y")],
      value: (p, r, t, k) => (k === "x" ? (p.params.fee as number) + r * t : -r),
      fate: (p, r) => (p.key === "p-b" && r === 1 ? { failAt: 1 } : "complete"),
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An output of one file: each point's median final KPIs and the counts, and the hooks it saw, in order. */
  const finalsJson = (hooks: string[]): CampaignOutput => ({
    name: "finals-json",
    files: ["finals.json"],
    writer() {
      let ctx: CampaignOutputContext;
      const medians: Record<string, (number | null)[]> = {};
      return {
        begin: (context) => {
          ctx = context;
          hooks.push("begin");
        },
        run: (r) => void hooks.push(`run ${r.run.key} ${r.status.status}`),
        point: (p) => {
          hooks.push(`point ${p.point.key}`);
          medians[p.point.key] = p.finals.map((d) => d.p50);
        },
        end: (counts) => {
          hooks.push("end");
          fs.writeFileSync(path.join(ctx.scratch, "finals.json"), JSON.stringify({ counts, medians }));
        },
      };
    },
  });

  it("writes its file beside the others, which stay byte for byte as they were, from the same records they had", async () => {
    await writeCampaignOutputs(dir, doc);
    const before = snapshot(dir);
    const hooks: string[] = [];
    const outputs = [...Object.values(CAMPAIGN_OUTPUT_WRITERS), finalsJson(hooks)];
    const written = await writeCampaignOutputs(dir, doc, new Map(), { outputs });

    expect(written.files).to.include(path.join(dir, "finals.json"));
    const after = snapshot(dir);
    expect([...after.keys()].filter((f) => f !== "finals.json")).to.deep.equal([...before.keys()]);
    for (const [file, bytes] of before) {
      if (file === "campaign.duckdb") continue; // its bytes differ from build to build (see the README); its rows do not
      expect(after.get(file)!.equals(bytes), file).to.equal(true);
    }
    // The hooks: begin, each point by key with its runs by replicate, then end.
    expect(hooks).to.deep.equal([
      "begin",
      "run p-a/r0 complete",
      "run p-a/r1 complete",
      "run p-a/r2 complete",
      "point p-a",
      "run p-b/r0 complete",
      "run p-b/r1 failed",
      "run p-b/r2 complete",
      "point p-b",
      "end",
    ]);
    // What it was handed agrees with points.csv.
    const finals = JSON.parse(after.get("finals.json")!.toString("utf8"));
    expect(finals.counts).to.deep.equal({ points: 2, runs: 6, complete: 5, failed: 1, missing: 0 });
    const points = csv(dir, "points.csv");
    for (const r of points) expect(finals.medians[r.point][r.kpi === "x" ? 0 : 1], `${r.point} ${r.kpi}`).to.equal(num(r.p50));
    expect(finals.medians["p-a"]).to.deep.equal([13, -1]); // by hand: at the last tick (3), x = 10 + 3r and y = -r over r = 0, 1, 2
  });

  it("is listed by campaignOutputFiles, after the built-in outputs; one listed before what it requires is refused", async () => {
    const outputs = [...Object.values(CAMPAIGN_OUTPUT_WRITERS), finalsJson([])];
    expect(campaignOutputFiles({ outputs })).to.deep.equal([...campaignOutputFiles(), "finals.json"]);
    expect(campaignOutputFiles()).to.deep.equal(["bands.csv", "points.csv", "runs.csv", "campaign.duckdb", "samples.parquet", "runs.parquet", "points.parquet", "report.html", "plots/"]);
    expect(campaignOutputFiles({ report: false })).not.to.include("report.html");
    const { parquet, database, ...rest } = CAMPAIGN_OUTPUT_WRITERS;
    const e = await errorOf(() => writeCampaignOutputs(dir, doc, new Map(), { outputs: [...Object.values(rest), parquet, database] }));
    expect((e as TokenspiceError).code).to.equal("OPTION_INVALID");
    expect(e.message).to.equal('Campaign output "parquet" needs "database" before it in the list of outputs.');
  });
});
