import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";
import type { KpiValue } from "../model/series";
import { decodeKpiValue, encodeJsonValue, toJson } from "../output/json";
import type { SimResult } from "./result";

export const BASELINE_STATS = ["final", "min", "max", "mean"] as const;
/** A statistic of a KPI a baseline records and compares: final, min, max or mean (`BASELINE_STATS`). */
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
  /** bigint values are decimal strings; NaN and ±Infinity are "NaN", "Infinity", "-Infinity". */
  kpis: Record<string, Record<BaselineStat, string | number>>;
}

export const DEFAULT_TOLERANCE: Tolerance = { relative: 0.01 };

/**
 * One line of a baseline comparison's table: the KPI and statistic ("—" for a KPI missing on one side), the baseline's and the run's values and the allowed difference, as text, and whether it passed.
 */
export interface BaselineRow {
  kpi: string;
  stat: BaselineStat | "—";
  baseline: string;
  actual: string;
  allowed: string;
  ok: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function assertTolerance(file: string, where: string, t: unknown): Tolerance {
  const bad = () => new TokenspiceError("BASELINE_INVALID", `Baseline ${file}: ${where} must be { relative?, absolute? } with non-negative numbers, got ${JSON.stringify(t)}.`, { file, field: where });
  if (!isObject(t)) throw bad();
  for (const [k, v] of Object.entries(t)) {
    if ((k !== "relative" && k !== "absolute") || typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw bad();
  }
  return t;
}

/**
 * Reads and checks a baseline file, every section of it, so a bad file fails before the run.
 *
 * @throws TokenspiceError BASELINE_INVALID naming the file and the field that is wrong
 */
export function readBaseline(file: string): BaselineFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new TokenspiceError("BASELINE_INVALID", `Cannot read baseline ${file}: ${messageOf(error)}`, { file }, error);
  }
  const bad = (field: string, expected: string) =>
    new TokenspiceError("BASELINE_INVALID", `Baseline ${file}: ${field} is missing or not ${expected}. Rewrite it with --update-baseline, or fix that field.`, { file, field });
  if (!isObject(parsed)) throw bad("the file", "a JSON object");
  const b = parsed;
  if (typeof b.netlist !== "string") throw bad("netlist", "a string");
  if (!isObject(b.run)) throw bad("run", "an object { seed, steps, params }");
  if (typeof b.run.seed !== "number" || !Number.isInteger(b.run.seed)) throw bad("run.seed", "an integer");
  if (typeof b.run.steps !== "number" || !Number.isInteger(b.run.steps) || b.run.steps < 1) throw bad("run.steps", "a positive integer");
  if (!isObject(b.run.params)) throw bad("run.params", "an object");
  if (!isObject(b.kpis)) throw bad("kpis", "an object of KPI summaries");
  for (const [kpi, stats] of Object.entries(b.kpis)) {
    if (!isObject(stats)) throw bad(`kpis[${JSON.stringify(kpi)}]`, "an object { final, min, max, mean }");
    for (const stat of BASELINE_STATS) {
      if (decodeKpiValue(stats[stat]) === undefined) throw bad(`kpis[${JSON.stringify(kpi)}].${stat}`, `a number, a decimal string, "NaN", "Infinity" or "-Infinity"`);
    }
  }
  const tolerance = b.tolerance === undefined ? DEFAULT_TOLERANCE : assertTolerance(file, "tolerance", b.tolerance);
  if (b.kpiTolerances !== undefined && !isObject(b.kpiTolerances)) throw bad("kpiTolerances", "an object of tolerances by KPI");
  const kpiTolerances: Record<string, Tolerance> = {};
  for (const [kpi, t] of Object.entries(b.kpiTolerances ?? {})) kpiTolerances[kpi] = assertTolerance(file, `kpiTolerances[${JSON.stringify(kpi)}]`, t);
  return { ...(b as unknown as BaselineFile), tolerance, kpiTolerances };
}

/**
 * Checks, before a run, that `--update-baseline` can write `file`: its folder exists and is writable.
 *
 * @throws TokenspiceError BASELINE_UNWRITABLE
 */
export function assertBaselineWritable(file: string): void {
  const dir = path.dirname(file);
  const bad = (why: string, cause?: unknown) => new TokenspiceError("BASELINE_UNWRITABLE", `Cannot write baseline ${file}: ${why}.`, { file }, cause);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    throw bad(`its folder ${dir} does not exist (create it first: mkdir -p ${dir})`, error);
  }
  if (!stat.isDirectory()) throw bad(`${dir} is a file, not a folder`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw bad("it is a folder");
  try {
    fs.accessSync(fs.existsSync(file) ? file : dir, fs.constants.W_OK);
  } catch (error) {
    throw bad(`it is not writable (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`, error);
  }
}

const encode = (v: KpiValue | number): string | number => encodeJsonValue(v) as string | number;

/** The baseline of a finished run; keeps the tolerances of the baseline it replaces, if any. */
export function makeBaseline(result: SimResult, previous?: BaselineFile): BaselineFile {
  const kpis: BaselineFile["kpis"] = {};
  for (const [name, s] of Object.entries(result.summary())) {
    kpis[name] = { final: encode(s.final), min: encode(s.min), max: encode(s.max), mean: encode(s.mean) };
  }
  return {
    netlist: result.netlist,
    run: { seed: result.seed, steps: result.steps, params: { ...result.params } },
    tolerance: previous?.tolerance ?? DEFAULT_TOLERANCE,
    kpiTolerances: previous?.kpiTolerances ?? {},
    kpis,
  };
}

/** @throws TokenspiceError BASELINE_UNWRITABLE when the write fails */
export function writeBaseline(file: string, baseline: BaselineFile): void {
  try {
    fs.writeFileSync(file, toJson(baseline));
  } catch (error) {
    throw new TokenspiceError("BASELINE_UNWRITABLE", `Cannot write baseline ${file}: ${messageOf(error)}`, { file }, error);
  }
}

/**
 * Whether a value is within tolerance of the baseline's. NaN matches only NaN, and ±Infinity only
 * the same infinity: they are values of the run like any other, and an identical run must match.
 */
function close(actual: KpiValue, expectedText: string | number, tol: Tolerance): boolean {
  const expected = decodeKpiValue(expectedText);
  if (expected === undefined) return false;
  const relative = tol.relative ?? 0;
  const absolute = tol.absolute ?? 0;
  const aNum = typeof actual === "number";
  const eNum = typeof expected === "number";
  if ((aNum && !Number.isFinite(actual)) || (eNum && !Number.isFinite(expected))) {
    return Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected));
  }
  if (typeof actual === "bigint" && typeof expected === "bigint") {
    const d = actual - expected;
    const allowed = BigInt(Math.floor(Math.max(absolute, relative * Math.abs(Number(expected)))));
    return (d < 0n ? -d : d) <= allowed;
  }
  const a = Number(actual);
  const e = Number(expected);
  return Math.abs(a - e) <= Math.max(absolute, relative * Math.abs(e));
}

const show = (v: unknown) => String(encodeJsonValue(v));

/** Every KPI statistic of the run against the baseline; a KPI missing on either side fails. */
export function compareBaseline(result: SimResult, baseline: BaselineFile): BaselineRow[] {
  const rows: BaselineRow[] = [];
  const summary = result.summary();
  const describeTol = (t: Tolerance) => [t.relative ? `±${t.relative * 100}%` : "", t.absolute ? `±${t.absolute}` : ""].filter(Boolean).join(" or ") || "exact";
  for (const [kpi, stats] of Object.entries(baseline.kpis)) {
    const tol = baseline.kpiTolerances[kpi] ?? baseline.tolerance;
    if (!Object.hasOwn(summary, kpi)) {
      rows.push({ kpi, stat: "—", baseline: "present", actual: "missing from the run", allowed: "", ok: false });
      continue;
    }
    const actual = summary[kpi];
    for (const stat of BASELINE_STATS) {
      const a = actual[stat];
      rows.push({ kpi, stat, baseline: show(stats[stat]), actual: show(a), allowed: describeTol(tol), ok: close(a, stats[stat], tol) });
    }
  }
  for (const kpi of Object.keys(summary)) {
    if (!Object.hasOwn(baseline.kpis, kpi)) rows.push({ kpi, stat: "—", baseline: "missing", actual: "new KPI", allowed: "", ok: false });
  }
  return rows;
}
