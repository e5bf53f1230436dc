import type { KpiValue } from "../model/series";

/**
 * The JSON the plugin writes (run results, manifests, baselines): two-space indented,
 * newline-terminated, with the values JSON has no literal for written as strings so that they
 * round-trip: a bigint as its decimal digits ("540647551691695229860"), and NaN, Infinity and
 * -Infinity as "NaN", "Infinity" and "-Infinity". `JSON.stringify` alone would write bigints as an
 * error and the others as `null`, which cannot be told from a missing value.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => encodeJsonValue(v), 2) + "\n";
}

/**
 * `toJson`'s replacer for one value: a bigint as its decimal digits, NaN and ±Infinity as "NaN", "Infinity", "-Infinity"; anything else unchanged.
 */
export function encodeJsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number" && !Number.isFinite(v)) return String(v); // "NaN", "Infinity", "-Infinity"
  return v;
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/**
 * A KPI value as `toJson` wrote it: a number, a decimal string (a bigint), or "NaN" / "Infinity" /
 * "-Infinity". Undefined for anything else (the caller says what was expected).
 */
export function decodeKpiValue(v: unknown): KpiValue | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  if (Object.hasOwn(NON_FINITE, v)) return NON_FINITE[v];
  if (/^-?\d+$/.test(v)) return BigInt(v);
  return undefined;
}

/** A KPI value as written in the KPI table and shown in tables: bigints exact, NaN and ±Infinity by name. */
export function formatKpiCell(value: KpiValue | string | number | null): string {
  if (value === null) return "";
  return typeof value === "bigint" ? value.toString() : String(value);
}
