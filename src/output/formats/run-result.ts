/**
 * A run's result (`result.json` in its folder, written when the run completes): everything that is
 * a function of netlist, params and seed (no timings): the ticks run, each KPI's statistics, the
 * reverts per agent, and each agent's transactions and gas. A failed run has none.
 */
import fs from "fs";
import path from "path";
import type { KpiValue } from "../../model/series";
import { toJson } from "../json";
import { formatError, isObject, readJsonOrUndefined } from "./read";

/** The result's file name in a run's folder. */
export const RUN_RESULT_FILE = "result.json";

/** One KPI's statistics over the run's samples. */
export interface KpiSummary {
  final: KpiValue;
  min: KpiValue;
  max: KpiValue;
  mean: number;
  std: number;
}

/**
 * What the result holds. KPI statistics that are bigints, NaN or ±Infinity are written as text
 * (`toJson`), so as read they are numbers or strings; gas is wei-exact text or a number.
 */
export interface RunResultFile {
  netlist?: string;
  seed?: number;
  steps?: number;
  ticks?: number;
  params?: Record<string, string | number | boolean>;
  kpis?: Record<string, { final?: unknown; min?: unknown; max?: unknown; mean?: unknown; std?: unknown }>;
  reverts?: number;
  revertsByAgent?: Record<string, number>;
  transactions?: Record<string, number>;
  gasUsed?: Record<string, string | number>;
  [field: string]: unknown;
}

/** The result of the run in `dir`. */
export function runResultPath(dir: string): string {
  return path.join(dir, RUN_RESULT_FILE);
}

/**
 * Reads and checks the result in `dir`: a JSON object whose netlist (a name), seed, steps and ticks
 * run (integers), KPI statistics, transactions and gas (by name) are what they should be where
 * present (every result the plugin writes has them all). Undefined when the folder has none (the
 * run did not complete).
 * @throws TokenspiceError RUN_RESULT_INVALID naming the file and what is wrong
 */
export function readRunResult(dir: string): RunResultFile | undefined {
  const file = runResultPath(dir);
  const value = readJsonOrUndefined(file, "RUN_RESULT_INVALID");
  if (value === undefined) return undefined;
  const fail = (problem: string) => {
    throw formatError("RUN_RESULT_INVALID", file, problem);
  };
  if (!isObject(value)) fail("is not a JSON object (a run's result is one)");
  const r = value as Record<string, unknown>;
  if (r.netlist !== undefined && typeof r.netlist !== "string") fail('"netlist" is not the netlist\'s name');
  for (const k of ["seed", "steps", "ticks"]) if (r[k] !== undefined && !Number.isSafeInteger(r[k])) fail(`"${k}" is not an integer`);
  for (const k of ["kpis", "revertsByAgent", "transactions", "gasUsed"]) if (r[k] !== undefined && !isObject(r[k])) fail(`"${k}" is not an object keyed by name`);
  return value as RunResultFile;
}

/** Writes a run's result into `dir` (`toJson`). Throws what the file system throws. */
export function writeRunResult(dir: string, result: unknown): void {
  fs.writeFileSync(runResultPath(dir), toJson(result));
}
