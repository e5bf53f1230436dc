import Table from "cli-table3";
import type { KpiInfo } from "../model/kpi";
import { formatNumber, formatValue, plural, scaled, withUnit, type RawValue } from "./format";

const BARS = "▁▂▃▄▅▆▇█";

/**
 * A sparkline of `values` in `width` characters (▁ to █ between the series' min and max): each
 * character is the mean of its share of the samples. A flat series is a row of ▄; NaN and ±∞ are
 * left out of the scale and drawn as a space.
 */
export function sparkline(values: readonly number[], width = 16): string {
  if (values.length === 0 || width < 1) return "";
  const n = Math.min(width, values.length);
  const buckets: number[] = [];
  for (let b = 0; b < n; b++) {
    const from = Math.floor((b * values.length) / n);
    const to = Math.floor(((b + 1) * values.length) / n);
    const finite = values.slice(from, to).filter(Number.isFinite);
    buckets.push(finite.length ? finite.reduce((a, v) => a + v, 0) / finite.length : NaN);
  }
  const finite = buckets.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return buckets
    .map((v) => {
      if (!Number.isFinite(v)) return " ";
      if (hi === lo) return BARS[3];
      return BARS[Math.min(BARS.length - 1, Math.floor(((v - lo) / (hi - lo)) * BARS.length))];
    })
    .join("");
}

/** One KPI's row of the summary table. */
export interface KpiSummaryRow {
  meta: KpiInfo;
  final: RawValue;
  min: RawValue;
  max: RawValue;
  /** Of the raw values, in floating point. */
  mean: number;
  values: readonly RawValue[];
}

/**
 * The end-of-run KPI table: final, min, max and mean scaled by each KPI's decimals and followed by
 * its unit (`540.65 OCEAN`), and a sparkline of the run. CSV files keep the exact values.
 */
export function kpiSummaryTable(rows: readonly KpiSummaryRow[], sparkWidth = 16): string {
  const table = new Table({
    head: ["KPI", "final", "min", "max", "mean", "trend"],
    colAligns: ["left", "right", "right", "right", "right", "left"],
    style: { head: [], border: [] }, // no colours: the table also goes to CI logs and files
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" }, // one line per KPI
  });
  for (const r of rows) {
    const show = (v: RawValue) => formatValue(v, r.meta);
    const mean = withUnit(formatNumber(scaled(r.mean, r.meta.decimals)), r.meta.unit);
    table.push([
      r.meta.name,
      show(r.final),
      show(r.min),
      show(r.max),
      mean,
      sparkline(
        r.values.map((v) => scaled(v, r.meta.decimals)),
        sparkWidth,
      ),
    ]);
  }
  return table.toString();
}

/** A point's final KPIs for `finalKpisTable` (as `readFinalKpis` reads them from points.csv). */
export interface FinalKpisPoint {
  label: string;
  runs: number;
  complete: number;
  kpis: { name: string; n: number; p5: number | null; p50: number | null; p95: number | null }[];
}

/**
 * The table a finished campaign prints: each KPI's final value across the complete runs, as p5,
 * median and p95 scaled by its decimals and followed by its unit, per point (the first `maxPoints`
 * of them; the rest are counted). CSV files keep the exact values.
 */
export function finalKpisTable(kpis: readonly KpiInfo[], points: readonly FinalKpisPoint[], maxPoints = 10): string {
  const many = points.length > 1;
  const table = new Table({
    head: [...(many ? ["point"] : []), "KPI (final)", "p5", "median", "p95", "runs"],
    colAligns: [...(many ? (["left"] as const) : []), "left", "right", "right", "right", "right"],
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  const meta = new Map(kpis.map((k) => [k.name, k]));
  for (const p of points.slice(0, maxPoints)) {
    p.kpis.forEach((k, i) => {
      const m = meta.get(k.name) ?? { unit: "", decimals: 0 };
      const show = (v: number | null) => (v === null ? "—" : formatValue(v, m));
      const runs = k.n === p.runs ? `${k.n}` : `${k.n} of ${p.runs}`;
      table.push([...(many ? [i === 0 ? p.label : ""] : []), k.name, show(k.p5), show(k.p50), show(k.p95), runs]);
    });
  }
  const more = points.length > maxPoints ? `\n${plural(points.length - maxPoints, "more point")} in points.csv.` : "";
  return table.toString() + more;
}
