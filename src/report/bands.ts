/**
 * Campaign views as pure functions, ready for the campaign runner: a fan chart of one KPI over
 * time from per-tick percentile rows, and a sweep curve of a KPI's final value against a swept
 * param. Both return JSON-safe ECharts options that `renderSvg` draws in Node and report.html draws
 * in the page, like the run charts.
 */
import { TokenspiceError } from "../errors";
import type { KpiInfo } from "../model/kpi";
import { FONT_FAMILY, PALETTE, type TimeAxis } from "./charts";
import { elapsed, scaled, type RawValue } from "./format";

/** One KPI's distribution across runs at one sample: the 5th, 25th, 50th, 75th and 95th percentiles. */
export interface PercentileRow {
  tick: number;
  /** The sample's block timestamp (seconds). */
  time: number;
  p5: RawValue;
  p25: RawValue;
  p50: RawValue;
  p75: RawValue;
  p95: RawValue;
}

/** One run drawn thin over the bands: `[time, value]` per sample. */
export interface RunLine {
  name: string;
  points: [time: number, value: RawValue][];
}

const LEVELS = ["p5", "p25", "p50", "p75", "p95"] as const;

/** Scaled percentiles of a row, checked to be ordered p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95. */
function levels(row: Omit<PercentileRow, "tick" | "time">, decimals: number, where: string): number[] {
  const values = LEVELS.map((l) => scaled(row[l], decimals));
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1] <= values[i])) {
      throw new TokenspiceError("OPTION_INVALID", `${where}: percentiles must be ordered p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95, but ${LEVELS[i - 1]}=${values[i - 1]} > ${LEVELS[i]}=${values[i]}`);
    }
  }
  return values;
}

/**
 * Bands as ECharts draws them: a transparent base line at the lower bound and, stacked on it, the
 * band's height filled. `lower[i] + height[i]` is the upper bound.
 */
function band(name: string, stack: string, x: (number | string)[], lower: number[], upper: number[], color: string, opacity: number): Record<string, any>[] {
  return [
    { type: "line", name: `${name} (lower)`, stack, data: x.map((xi, i) => [xi, lower[i]]), lineStyle: { opacity: 0 }, symbol: "none", silent: true, tooltip: { show: false } },
    {
      type: "line",
      name,
      stack,
      data: x.map((xi, i) => [xi, upper[i] - lower[i]]),
      lineStyle: { opacity: 0 },
      symbol: "none",
      areaStyle: { color, opacity },
      itemStyle: { color, opacity: Math.min(1, opacity * 2) }, // the legend's swatch
      silent: true,
      tooltip: { show: false },
    },
  ];
}

export interface FanChartOptions {
  axis: TimeAxis;
  /** Individual runs to draw thin over the bands; at most `maxRuns` of them (default 20). */
  runs?: RunLine[];
  maxRuns?: number;
  title?: string;
}

/**
 * A fan chart of one KPI across a campaign's runs: the p5–p95 band, the p25–p75 band, the median,
 * and up to `maxRuns` individual runs drawn thin. Rows must be in tick order with ordered
 * percentiles (else a `TokenspiceError`). Values are scaled by the KPI's decimals; x is sim time in
 * the axis' unit. A log-scale KPI gets a log axis: bands need positive values there.
 */
export function fanChartOption(rows: readonly PercentileRow[], kpi: KpiInfo, options: FanChartOptions): Record<string, any> {
  const where = `fan chart of KPI "${kpi.name}"`;
  for (let i = 1; i < rows.length; i++) {
    if (!(rows[i - 1].tick < rows[i].tick)) throw new TokenspiceError("OPTION_INVALID", `${where}: rows must be in increasing tick order (tick ${rows[i].tick} after ${rows[i - 1].tick})`);
  }
  const x = rows.map((r) => elapsed(r.time, options.axis.start, options.axis.unit));
  const v = rows.map((r) => levels(r, kpi.decimals, `${where} at tick ${r.tick}`));
  if (kpi.scale === "log" && v.some((l) => l[0] <= 0)) throw new TokenspiceError("OPTION_INVALID", `${where}: a log-scale fan chart needs p5 > 0 at every tick`);
  const col = (i: number) => v.map((l) => l[i]);
  const color = PALETTE[0];
  const maxRuns = options.maxRuns ?? 20;
  const runs = (options.runs ?? []).slice(0, Math.max(0, maxRuns));
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT_FAMILY },
    title: { text: options.title ?? kpi.label, subtext: kpi.unit ? `unit: ${kpi.unit}` : "", left: 12, top: 6 },
    legend: { top: 52, left: 12, data: [{ name: "p5–p95", icon: "rect" }, { name: "p25–p75", icon: "rect" }, "median", ...(runs.length ? ["runs"] : [])] },
    grid: { left: 16, right: 28, top: 92, bottom: 20, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", name: options.axis.unit.name, nameLocation: "middle", nameGap: 26, min: 0, max: options.axis.end },
    yAxis: { type: kpi.scale === "log" ? "log" : "value", scale: kpi.scale !== "log" },
    series: [
      ...band("p5–p95", "outer", x, col(0), col(4), color, 0.15),
      ...band("p25–p75", "inner", x, col(1), col(3), color, 0.3),
      { type: "line", name: "median", data: x.map((xi, i) => [xi, col(2)[i]]), symbol: "none", lineStyle: { width: 2, color }, itemStyle: { color } },
      ...runs.map((run) => ({
        type: "line",
        name: "runs",
        id: `run:${run.name}`,
        data: run.points.map(([t, value]) => [elapsed(t, options.axis.start, options.axis.unit), scaled(value, kpi.decimals)]),
        symbol: "none",
        lineStyle: { width: 0.7, color: "#475569", opacity: 0.45 },
        itemStyle: { color: "#475569" },
        z: 1,
      })),
    ],
  };
}

/** One point of a sweep: a swept param's value and the KPI's final values across that point's runs. */
export interface SweepPoint extends Omit<PercentileRow, "tick" | "time"> {
  /** The swept param's value: a number for int and float params, a string for choices and bools. */
  x: number | string;
}

/**
 * A sweep curve: a KPI's final value (median, with its p25–p75 and p5–p95 bands) against the
 * swept param. A numeric param gets a value axis in sweep order (sorted by x); a choice or bool a
 * category axis in the given order.
 */
export function sweepCurveOption(points: readonly SweepPoint[], param: { name: string; numeric: boolean; doc?: string }, kpi: KpiInfo, options: { title?: string } = {}): Record<string, any> {
  const where = `sweep curve of KPI "${kpi.name}" against ${param.name}`;
  if (param.numeric && points.some((p) => typeof p.x !== "number" || !Number.isFinite(p.x))) throw new TokenspiceError("OPTION_INVALID", `${where}: every x must be a finite number`);
  const sorted = param.numeric ? [...points].sort((a, b) => (a.x as number) - (b.x as number)) : [...points];
  const x = sorted.map((p) => (param.numeric ? p.x : String(p.x)));
  const v = sorted.map((p) => levels(p, kpi.decimals, `${where} at ${param.name}=${p.x}`));
  const col = (i: number) => v.map((l) => l[i]);
  const color = PALETTE[0];
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT_FAMILY },
    title: { text: options.title ?? `${kpi.label} at the end, by ${param.name}`, subtext: kpi.unit ? `unit: ${kpi.unit}` : "", left: 12, top: 6 },
    legend: { top: 52, left: 12, data: [{ name: "p5–p95", icon: "rect" }, { name: "p25–p75", icon: "rect" }, "median"] },
    grid: { left: 16, right: 28, top: 92, bottom: 20, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: param.numeric ? { type: "value", name: param.name, nameLocation: "middle", nameGap: 26, scale: true } : { type: "category", name: param.name, data: x, boundaryGap: false },
    yAxis: { type: kpi.scale === "log" ? "log" : "value", scale: kpi.scale !== "log" },
    series: [
      ...band("p5–p95", "outer", x, col(0), col(4), color, 0.15),
      ...band("p25–p75", "inner", x, col(1), col(3), color, 0.3),
      { type: "line", name: "median", data: x.map((xi, i) => [xi, col(2)[i]]), symbol: "circle", symbolSize: 6, lineStyle: { width: 2, color }, itemStyle: { color } },
    ],
  };
}
