import fs from "fs";
import path from "path";
import { TokenspiceError } from "../src/errors";
import type { KpiInfo } from "../src/model/kpi";
import type { KpiValue } from "../src/model/series";
import { RunWriter } from "../src/output/run-writer";
import type { CampaignPoint, CampaignRun, CampaignSpec, ParamValue } from "../src/campaign/types";
import type { CampaignDocument } from "../src/campaign/folder";
import type { RunSpec } from "../src/runner/run-spec";

/**
 * Campaign folders for tests, without the (separate) campaign runner: runs written through the
 * plugin's own RunWriter (so kpis.csv, manifest.json and result.json are in the exact format runs
 * write), or by `hre.tokenspice.runSpec` (see writeCampaignJson), and a campaign.json with the
 * shapes of src/campaign/types.ts. Point keys and run seeds are hand-rolled.
 */

export const NETWORK: RunSpec["network"] = { name: "hardhat", chainId: 31337 };
export const START = 1_893_456_000; // 2030-01-01T00:00:00Z

export function kpiInfo(name: string, meta: Partial<KpiInfo> = {}): KpiInfo {
  return { name, label: name, unit: "", decimals: 0, scale: "linear", group: null, doc: "", ...meta };
}

export function campaignSpec(over: Partial<CampaignSpec> = {}): CampaignSpec {
  return { netlist: { name: "synthetic", file: "sims/synthetic.ts" }, steps: 10, params: {}, runs: 3, sweep: [], zip: false, sample: null, seed: 42, stepTimeoutMs: null, network: NETWORK, ...over };
}

export function point(key: string, varying: Record<string, ParamValue>, fixed: Record<string, ParamValue> = {}): CampaignPoint {
  return { key, varying, params: { ...fixed, ...varying } };
}

/** A run of the campaign: key `<point>/r<k>`, folder `runs/<point>/r<k>`, a seed derived by hand. */
export function campaignRun(spec: CampaignSpec, p: CampaignPoint, replicate: number): CampaignRun {
  const seed = (spec.seed * 1_000_003 + replicate * 7919 + p.key.length * 104_729) % 2 ** 32;
  const runSpec: RunSpec = { netlist: spec.netlist, params: p.params, seed, steps: spec.steps, stepTimeoutMs: spec.stepTimeoutMs, network: spec.network };
  const params = Object.entries(p.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return {
    key: `${p.key}/r${replicate}`,
    point: p.key,
    replicate,
    seed,
    spec: runSpec,
    command: `npx hardhat sim ${spec.netlist.name} --seed ${seed} --steps ${spec.steps}${params ? ` --params ${params}` : ""}`,
    dir: `runs/${p.key}/r${replicate}`,
  };
}

export function writeCampaignJson(dir: string, doc: CampaignDocument): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "campaign.json"), JSON.stringify(doc, null, 2) + "\n");
}

export interface SyntheticOptions {
  spec: CampaignSpec;
  points: CampaignPoint[];
  kpis: KpiInfo[];
  stepSeconds?: number;
  /** A KPI's value in run (point, replicate) at a tick. */
  value(p: CampaignPoint, replicate: number, tick: number, kpi: string): KpiValue;
  /** How the run ends: complete (default), failed at a tick, or never written (missing). */
  fate?(p: CampaignPoint, replicate: number): "complete" | "missing" | { failAt: number };
  command?: string;
  /** Order to write the runs in (default: as planned); the outputs must not depend on it. */
  order?(runs: CampaignRun[]): CampaignRun[];
}

/** Writes a synthetic campaign: campaign.json and every run's files through RunWriter. */
export function writeSyntheticCampaign(dir: string, o: SyntheticOptions): CampaignDocument {
  const runs = o.points.flatMap((p) => Array.from({ length: o.spec.runs }, (_, r) => campaignRun(o.spec, p, r)));
  const doc: CampaignDocument = {
    spec: o.spec,
    points: o.points,
    runs,
    command: o.command ?? `npx hardhat sim-campaign ${o.spec.netlist.name} --runs ${o.spec.runs} --seed ${o.spec.seed}`,
    specHash: "test-spec-hash",
    versions: { plugin: "test" },
  };
  writeCampaignJson(dir, doc);
  const stepSeconds = o.stepSeconds ?? 86_400;
  const byKey = new Map(o.points.map((p) => [p.key, p]));
  for (const run of o.order ? o.order(runs) : runs) {
    const p = byKey.get(run.point)!;
    const fate = o.fate?.(p, run.replicate) ?? "complete";
    if (fate === "missing") continue;
    const writer = RunWriter.open(path.join(dir, run.dir), {
      force: false,
      kpiNames: o.kpis.map((k) => k.name),
      manifest: {
        netlist: { name: o.spec.netlist.name, file: o.spec.netlist.file, description: "A synthetic netlist for campaign tests" },
        spec: run.spec,
        params: p.params,
        paramSpecs: Object.fromEntries(
          Object.entries(p.params).map(([k, v]) => [
            k,
            { type: typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : typeof v === "boolean" ? "bool" : "choice", kind: "controllable", default: v },
          ]),
        ),
        kpis: o.kpis,
        seed: run.seed,
        steps: o.spec.steps,
        time: { stepSeconds, start: START },
        command: run.command,
      },
    });
    const last = fate === "complete" ? o.spec.steps : fate.failAt;
    for (let tick = 0; tick <= last; tick++) {
      writer.onSample({ tick, time: START + tick * stepSeconds, values: Object.fromEntries(o.kpis.map((k) => [k.name, o.value(p, run.replicate, tick, k.name)])) });
    }
    if (fate === "complete") writer.complete({ netlist: o.spec.netlist.name, seed: run.seed, steps: o.spec.steps, ticks: o.spec.steps }, { finishedAt: "2030-01-01T00:00:00.000Z" });
    else writer.fail(new TokenspiceError("AGENT_FAILED", `Agent "a" threw at tick ${fate.failAt}: boom`), {});
  }
  return doc;
}

/** Every file under `dir` (relative, sorted) with its bytes, except those `skip` matches. */
export function snapshot(dir: string, skip: RegExp = /^runs\//): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip.test(r)) continue;
      if (fs.statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, fs.readFileSync(path.join(dir, r)));
    }
  };
  walk("");
  return out;
}

/** What `runCampaign` runs: a netlist of the loaded project, replicates, and sweep axes (crossed, or zipped). */
export interface RealCampaign {
  netlist: string;
  steps: number;
  runs: number;
  seed: number;
  sweep?: { param: string; values: ParamValue[] }[];
  zip?: boolean;
  params?: Record<string, ParamValue>;
}

/**
 * Runs a campaign for real with `hre.tokenspice.plan` and `runSpec`, one run at a time, into
 * `dir/runs/<point>/r<k>`, and writes its campaign.json: what the campaign runner will do, for
 * tests of the outputs and the report. Point keys are a hash of the point's varying params; each
 * run's seed is derived from the campaign seed, the point and the replicate (by this helper, not
 * the plan's derivation). A run that fails stays failed (its folder says how).
 */
export async function runCampaign(hre: { tokenspice: { plan: (...args: any[]) => any; runSpec: (...args: any[]) => any } }, dir: string, c: RealCampaign): Promise<CampaignDocument> {
  const crypto = require("crypto") as typeof import("crypto");
  const axes = c.sweep ?? [];
  let combos: Record<string, ParamValue>[] = [{}];
  if (c.zip) combos = axes.length ? axes[0].values.map((_, i) => Object.fromEntries(axes.map((a) => [a.param, a.values[i]]))) : [{}];
  else for (const a of axes) combos = combos.flatMap((combo) => a.values.map((v) => ({ ...combo, [a.param]: v })));
  const points: CampaignPoint[] = [];
  const runs: CampaignRun[] = [];
  let network: RunSpec["network"] = NETWORK;
  let netlist: RunSpec["netlist"] = { name: c.netlist, file: "" };
  let stepTimeoutMs: number | null = null;
  for (const varying of combos) {
    const key = `p-${crypto.createHash("sha256").update(JSON.stringify(varying)).digest("hex").slice(0, 12)}`;
    let params: Record<string, ParamValue> | undefined;
    for (let r = 0; r < c.runs; r++) {
      const seed = Number(BigInt(`0x${crypto.createHash("sha256").update(`${c.seed}/${key}/${r}`).digest("hex").slice(0, 8)}`));
      const spec: RunSpec = await hre.tokenspice.plan(c.netlist, { seed, steps: c.steps, params: { ...c.params, ...varying } });
      params ??= spec.params;
      ({ network, netlist, stepTimeoutMs } = spec);
      const run: CampaignRun = { key: `${key}/r${r}`, point: key, replicate: r, seed, spec, command: "", dir: `runs/${key}/r${r}` };
      try {
        const result = await hre.tokenspice.runSpec(spec, { out: path.join(dir, run.dir) });
        run.command = result.command;
      } catch (error) {
        run.command = JSON.parse(fs.readFileSync(path.join(dir, run.dir, "manifest.json"), "utf8")).command;
      }
      runs.push(run);
    }
    points.push({ key, varying, params: params! });
  }
  const spec: CampaignSpec = { netlist, steps: c.steps, params: c.params ?? {}, runs: c.runs, sweep: axes, zip: c.zip ?? false, sample: null, seed: c.seed, stepTimeoutMs, network };
  const sweepArgs = axes.map((a) => ` --sweep ${a.param}=${a.values.join(",")}`).join("");
  const doc: CampaignDocument = {
    spec,
    points,
    runs,
    command: `npx hardhat sim-campaign ${c.netlist} --runs ${c.runs} --steps ${c.steps} --seed ${c.seed}${sweepArgs}`,
    specHash: "fixture",
    versions: { plugin: "test" },
  };
  writeCampaignJson(dir, doc);
  return doc;
}

/**
 * Marks a finished run as a SIGTERM would have left it at `tick`: manifest "interrupted", kpis.csv
 * cut after that tick, no result.json (a fixture for runs that did not finish).
 */
export function interruptRun(runDir: string, tick: number): void {
  const manifestFile = path.join(runDir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, status: "interrupted", error: "SIGTERM stopped the run", interruptedAt: "2030-01-01T00:00:00.000Z" }, null, 2) + "\n");
  const kpis = fs.readFileSync(path.join(runDir, "kpis.csv"), "utf8").split("\n");
  fs.writeFileSync(path.join(runDir, "kpis.csv"), kpis.slice(0, tick + 2).join("\n") + "\n");
  fs.rmSync(path.join(runDir, "result.json"), { force: true });
}

/** Runs SQL on a campaign.duckdb (read-only, one thread: rows in stored order), rows as plain JS values. */
export async function query(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = require("@duckdb/node-api") as typeof import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(file, { access_mode: "READ_ONLY", threads: "1" });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every table of the database, every row in stored order: what "the same store" means. */
export async function storeContents(file: string): Promise<Record<string, unknown[]>> {
  const tables = (await query(file, "SELECT table_name FROM information_schema.tables ORDER BY table_name")).map((r) => String(r.table_name));
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await query(file, `SELECT * FROM "${t}"`);
  return out;
}
