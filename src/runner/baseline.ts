import fs from "fs";
import { TokenspiceError } from "../errors";
import type { KpiValue } from "../model/series";
import { toJson } from "../output/run-writer";
import type { SimResult } from "./result";

export const BASELINE_STATS = ["final", "min", "max", "mean"] as const;
export type BaselineStat = (typeof BASELINE_STATS)[number];

/** How far a value may move: |actual − baseline| <= max(absolute, relative × |baseline|). */
export interface Tolerance {
  relative?: number;
  absolute?: number;
}

/** A committed KPI summary that CI compares runs with (`npx hardhat sim <netlist> --baseline <file>`). */
export interface BaselineFile {
  netlist: string;
  /** The run the summary was made from; a check re-runs exactly it. */
  run: { seed: number; steps: number; params: Record<string, unknown> };
  /** For every KPI unless `kpiTolerances` names it. */
  tolerance: Tolerance;
  kpiTolerances: Record<string, Tolerance>;
  /** bigint values are decimal strings. */
  kpis: Record<string, Record<BaselineStat, string | number>>;
}

export const DEFAULT_TOLERANCE: Tolerance = { relative: 0.01 };

export interface BaselineRow {
  kpi: string;
  stat: BaselineStat | "—";
  baseline: string;
  actual: string;
  allowed: string;
  ok: boolean;
}

export function readBaseline(file: string): BaselineFile {
  let parsed: BaselineFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new TokenspiceError(`Cannot read baseline ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed?.netlist !== "string" || typeof parsed.run?.seed !== "number" || typeof parsed.kpis !== "object") {
    throw new TokenspiceError(`${file} is not a baseline (expected netlist, run { seed, steps, params } and kpis); write one with --update-baseline`);
  }
  return { ...parsed, tolerance: parsed.tolerance ?? DEFAULT_TOLERANCE, kpiTolerances: parsed.kpiTolerances ?? {} };
}

const encode = (v: KpiValue | number): string | number => (typeof v === "bigint" ? v.toString() : v);

/** The baseline of a finished run; keeps the tolerances of the baseline it replaces, if any. */
export function makeBaseline(result: SimResult, previous?: BaselineFile): BaselineFile {
  const kpis: BaselineFile["kpis"] = {};
  for (const [name, s] of Object.entries(result.summary())) {
    kpis[name] = { final: encode(s.final), min: encode(s.min), max: encode(s.max), mean: s.mean };
  }
  return {
    netlist: result.netlist,
    run: { seed: result.seed, steps: result.steps, params: { ...result.params } },
    tolerance: previous?.tolerance ?? DEFAULT_TOLERANCE,
    kpiTolerances: previous?.kpiTolerances ?? {},
    kpis,
  };
}

export function writeBaseline(file: string, baseline: BaselineFile): void {
  fs.writeFileSync(file, toJson(baseline));
}

function close(actual: KpiValue, expected: string | number, tol: Tolerance): boolean {
  const relative = tol.relative ?? 0;
  const absolute = tol.absolute ?? 0;
  if (typeof actual === "bigint" && typeof expected === "string" && /^-?\d+$/.test(expected)) {
    const e = BigInt(expected);
    const d = actual - e;
    const allowed = BigInt(Math.floor(Math.max(absolute, relative * Math.abs(Number(e)))));
    return (d < 0n ? -d : d) <= allowed;
  }
  const a = Number(actual);
  const e = Number(expected);
  return Math.abs(a - e) <= Math.max(absolute, relative * Math.abs(e));
}

/** Every KPI statistic of the run against the baseline; a KPI missing on either side fails. */
export function compareBaseline(result: SimResult, baseline: BaselineFile): BaselineRow[] {
  const rows: BaselineRow[] = [];
  const summary = result.summary();
  const describeTol = (t: Tolerance) => [t.relative ? `±${t.relative * 100}%` : "", t.absolute ? `±${t.absolute}` : ""].filter(Boolean).join(" or ") || "exact";
  for (const [kpi, stats] of Object.entries(baseline.kpis)) {
    const tol = baseline.kpiTolerances[kpi] ?? baseline.tolerance;
    const actual = summary[kpi];
    if (!actual) {
      rows.push({ kpi, stat: "—", baseline: "present", actual: "missing from the run", allowed: "", ok: false });
      continue;
    }
    for (const stat of BASELINE_STATS) {
      const a = actual[stat];
      rows.push({ kpi, stat, baseline: String(stats[stat]), actual: String(a), allowed: describeTol(tol), ok: close(a, stats[stat], tol) });
    }
  }
  for (const kpi of Object.keys(summary)) {
    if (!(kpi in baseline.kpis)) rows.push({ kpi, stat: "—", baseline: "missing", actual: "new KPI", allowed: "", ok: false });
  }
  return rows;
}
