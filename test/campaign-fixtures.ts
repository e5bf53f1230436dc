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
  const runSpec: RunSpec = { netlist: spec.netlist, params: p.params as RunSpec["params"], seed, steps: spec.steps, stepTimeoutMs: spec.stepTimeoutMs, network: spec.network };
  const params = Object.entries(p.params).map(([k, v]) => `${k}=${v}`).join(",");
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
  const doc: CampaignDocument = { spec: o.spec, points: o.points, runs, command: o.command ?? `npx hardhat sim-campaign ${o.spec.netlist.name} --runs ${o.spec.runs} --seed ${o.spec.seed}`, specHash: "test-spec-hash", versions: { plugin: "test" } };
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
        paramSpecs: Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, { type: typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : typeof v === "boolean" ? "bool" : "choice", kind: "controllable", default: v }])),
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
