/**
 * Campaign views as pure functions: a fan chart of one KPI over time from per-tick percentile
 * rows, a sweep curve of a KPI's final value against a swept param, and a heatmap of a KPI's final
 * median over a 2-D grid of params. Each returns a JSON-safe ECharts option that `renderSvg` draws
 * in Node and the campaign's report.html draws in the page (`interactive: true`: no title, since
 * the page's card has one; zoom; the page adds tooltip formatters), like the run charts.
 *
 * A level that is null or not finite (a point or tick with no complete run; a percentile at
 * ±Infinity or NaN) leaves a gap: the line and its band break there.
 */
import { TokenspiceError } from "../errors";
import type { KpiInfo } from "../model/kpi";
import { FONT_FAMILY, PALETTE, type TimeAxis } from "./charts";
import { elapsed, formatNumber, formatParam, scaled, type RawValue } from "./format";

/** One KPI's distribution across runs at one sample: the 5th, 25th, 50th, 75th and 95th percentiles (null: none). */
export interface PercentileRow {
  tick: number;
  /** The sample's block timestamp (seconds). */
  time: number;
  p5: RawValue | null;
  p25: RawValue | null;
  p50: RawValue | null;
  p75: RawValue | null;
  p95: RawValue | null;
}

/** One run drawn thin over the bands: `[time, value]` per sample (null, NaN and ±Infinity leave a gap). */
export interface RunLine {
  name: string;
  points: [time: number, value: RawValue | null][];
}

const LEVELS = ["p5", "p25", "p50", "p75", "p95"] as const;

/** A value scaled by decimals, or null where a chart cannot draw it. */
function drawable(value: RawValue | null, decimals: number): number | null {
  if (value === null) return null;
  const v = scaled(value, decimals);
  return Number.isFinite(v) ? v : null;
}

/** Scaled percentiles of a row (null where not finite), the finite ones checked to be ordered p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95. */
function levels(row: Omit<PercentileRow, "tick" | "time">, decimals: number, where: string): (number | null)[] {
  const values = LEVELS.map((l) => drawable(row[l], decimals));
  for (let i = 1; i < values.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [values[j], values[i]];
      if (a !== null && b !== null && !(a <= b)) {
        throw new TokenspiceError("OPTION_INVALID", `${where}: percentiles must be ordered p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95, but ${LEVELS[j]}=${a} > ${LEVELS[i]}=${b}`);
      }
    }
  }
  return values;
}

/**
 * Bands as ECharts draws them: a transparent base line at the lower bound and, stacked on it, the
 * band's height filled. `lower[i] + height[i]` is the upper bound; a missing bound leaves a gap.
 */
function band(name: string, stack: string, x: (number | string)[], lower: (number | null)[], upper: (number | null)[], color: string, opacity: number): Record<string, any>[] {
  const ok = (i: number) => lower[i] !== null && upper[i] !== null;
  return [
    {
      type: "line",
      name: `${name} (lower)`,
      stack,
      data: x.map((xi, i) => [xi, ok(i) ? lower[i] : null]),
      lineStyle: { opacity: 0 },
      symbol: "none",
      silent: true,
      tooltip: { show: false },
      connectNulls: false,
    },
    {
      type: "line",
      name,
      stack,
      connectNulls: false,
      data: x.map((xi, i) => [xi, ok(i) ? upper[i]! - lower[i]! : null]),
      lineStyle: { opacity: 0 },
      symbol: "none",
      areaStyle: { color, opacity },
      itemStyle: { color, opacity: Math.min(1, opacity * 2) }, // the legend's swatch
      silent: true,
      tooltip: { show: false },
    },
  ];
}

/** How `fanChartOption` draws a KPI's percentile bands over time (a static plot, or report.html's interactive chart). */
export interface FanChartOptions {
  axis: TimeAxis;
  /** Individual runs to draw thin over the bands; at most `maxRuns` of them (default 20). */
  runs?: RunLine[];
  maxRuns?: number;
  title?: string;
  /** An observed series drawn over the bands (a backtest's held-out data): `[time, value]` in the KPI's display unit (already scaled), null a gap. */
  observed?: { name: string; points: [time: number, value: number | null][] };
  /** For report.html: no title (the page has one), zoom, room for the slider. Default false: a static plot. */
  interactive?: boolean;
}

/** What a view looks like as a static plot (title, legend below it) or in the page (no title, zoom). */
function frame(interactive: boolean | undefined, title: string, subtext: string, legend: unknown[] | null, zoom: boolean): Record<string, any> {
  if (interactive) {
    return {
      legend: legend ? { top: 0, left: 12, data: legend } : undefined,
      grid: { left: 16, right: 28, top: legend ? 34 : 12, bottom: zoom ? 64 : 24, containLabel: true },
      dataZoom: zoom
        ? [
            { type: "inside", filterMode: "none" },
            { type: "slider", filterMode: "none", height: 18, bottom: 8 },
          ]
        : undefined,
    };
  }
  return {
    title: { text: title, subtext, left: 12, top: 6 },
    legend: legend ? { top: 52, left: 12, data: legend } : undefined,
    grid: { left: 16, right: 28, top: legend ? 92 : 64, bottom: 20, containLabel: true },
  };
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
  if (kpi.scale === "log" && v.some((l) => l[0] !== null && l[0] <= 0)) throw new TokenspiceError("OPTION_INVALID", `${where}: a log-scale fan chart needs p5 > 0 at every tick`);
  const col = (i: number) => v.map((l) => l[i]);
  const color = PALETTE[0];
  const maxRuns = options.maxRuns ?? 20;
  const runs = (options.runs ?? []).slice(0, Math.max(0, maxRuns));
  const observed = options.observed;
  const legend = [{ name: "p5–p95", icon: "rect" }, { name: "p25–p75", icon: "rect" }, "median", ...(runs.length ? ["runs"] : []), ...(observed ? [observed.name] : [])];
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT_FAMILY },
    ...frame(options.interactive, options.title ?? kpi.label, kpi.unit ? `unit: ${kpi.unit}` : "", legend, true),
    tooltip: { trigger: "axis", confine: true },
    xAxis: { type: "value", name: options.axis.unit.name, nameLocation: "middle", nameGap: 26, min: 0, max: options.axis.end, axisLabel: { hideOverlap: true }, splitLine: { show: false } },
    yAxis: { type: kpi.scale === "log" ? "log" : "value", scale: kpi.scale !== "log", axisLabel: { hideOverlap: true } },
    series: unclipped(options.interactive, [
      ...band("p5–p95", "outer", x, col(0), col(4), color, 0.15),
      ...band("p25–p75", "inner", x, col(1), col(3), color, 0.3),
      { type: "line", name: "median", data: x.map((xi, i) => [xi, col(2)[i]]), symbol: "none", lineStyle: { width: 2, color }, itemStyle: { color }, connectNulls: false, z: 3 },
      ...runs.map((run) => ({
        type: "line",
        name: "runs",
        id: `run:${run.name}`,
        data: run.points.map(([t, value]) => [elapsed(t, options.axis.start, options.axis.unit), drawable(value, kpi.decimals)]),
        connectNulls: false,
        silent: true,
        symbol: "none",
        lineStyle: { width: 0.7, color: "#475569", opacity: 0.45 },
        itemStyle: { color: "#475569" },
        z: 1,
      })),
      ...(observed
        ? [
            {
              type: "line",
              name: observed.name,
              data: observed.points.map(([t, value]) => [
                elapsed(t, options.axis.start, options.axis.unit),
                value !== null && Number.isFinite(value) && !(kpi.scale === "log" && value <= 0) ? value : null,
              ]),
              connectNulls: false,
              // a dot per observation while they are few enough to see apart
              symbol: observed.points.length <= 60 ? "circle" : "none",
              symbolSize: 3,
              lineStyle: { width: 1.8, color: OBSERVED_COLOR },
              itemStyle: { color: OBSERVED_COLOR },
              z: 4,
            },
          ]
        : []),
    ]),
  };
}

/** The observed series' colour: black, apart from the bands' blue and the runs' grey. */
export const OBSERVED_COLOR = "#111827";

/**
 * A static plot's series drawn without ECharts' clip path: nothing lies outside its axes (they
 * are fitted to the data, and there is no zoom), and resvg renders a clipped path through a
 * full-size mask, five times slower. The page keeps the clip (its zoom needs it).
 */
function unclipped(interactive: boolean | undefined, series: Record<string, any>[]): Record<string, any>[] {
  return interactive ? series : series.map((s) => ({ ...s, clip: false }));
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
export function sweepCurveOption(
  points: readonly SweepPoint[],
  param: { name: string; numeric: boolean; doc?: string },
  kpi: KpiInfo,
  options: { title?: string; interactive?: boolean } = {},
): Record<string, any> {
  const where = `sweep curve of KPI "${kpi.name}" against ${param.name}`;
  if (param.numeric && points.some((p) => typeof p.x !== "number" || !Number.isFinite(p.x))) throw new TokenspiceError("OPTION_INVALID", `${where}: every x must be a finite number`);
  const sorted = param.numeric ? [...points].sort((a, b) => (a.x as number) - (b.x as number)) : [...points];
  const x = sorted.map((p) => (param.numeric ? p.x : String(p.x)));
  const v = sorted.map((p) => levels(p, kpi.decimals, `${where} at ${param.name}=${p.x}`));
  const col = (i: number) => v.map((l) => l[i]);
  const color = PALETTE[0];
  const legend = [{ name: "p5–p95", icon: "rect" }, { name: "p25–p75", icon: "rect" }, "median"];
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT_FAMILY },
    ...frame(options.interactive, options.title ?? `${kpi.label} at the end, by ${param.name}`, kpi.unit ? `unit: ${kpi.unit}` : "", legend, false),
    tooltip: { trigger: "axis", confine: true },
    xAxis: param.numeric
      ? { type: "value", name: param.name, nameLocation: "middle", nameGap: 26, scale: true, axisLabel: { hideOverlap: true } }
      : { type: "category", name: param.name, nameLocation: "middle", nameGap: 26, data: x, boundaryGap: false },
    yAxis: { type: kpi.scale === "log" ? "log" : "value", scale: kpi.scale !== "log", axisLabel: { hideOverlap: true } },
    series: unclipped(options.interactive, [
      ...band("p5–p95", "outer", x, col(0), col(4), color, 0.15),
      ...band("p25–p75", "inner", x, col(1), col(3), color, 0.3),
      { type: "line", name: "median", data: x.map((xi, i) => [xi, col(2)[i]]), symbol: "circle", symbolSize: 6, lineStyle: { width: 2, color }, itemStyle: { color }, connectNulls: false, z: 3 },
    ]),
  };
}

/** One cell of a heatmap: the indices of its x and y values, and the KPI's final median there (null: no complete run). */
export interface HeatmapCell {
  x: number;
  y: number;
  value: RawValue | null;
}

/** Sequential colours from low to high (viridis), readable in print and by most colour-blind readers. */
export const HEATMAP_COLORS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

/**
 * A heatmap of a KPI's final median over a 2-D grid of params: x and y are the two params' values
 * as categories, in the order given; each cell is coloured by its value (scaled by the KPI's
 * decimals) and, in a static plot of up to 12 × 12 cells, labelled with it. Cells without a value
 * are left empty (and counted in the subtitle).
 */
export function heatmapOption(
  cells: readonly HeatmapCell[],
  xParam: { name: string; values: readonly (number | string | boolean)[] },
  yParam: { name: string; values: readonly (number | string | boolean)[] },
  kpi: KpiInfo,
  options: { title?: string; interactive?: boolean } = {},
): Record<string, any> {
  const where = `heatmap of KPI "${kpi.name}" over ${xParam.name} × ${yParam.name}`;
  for (const c of cells) {
    if (!(Number.isInteger(c.x) && c.x >= 0 && c.x < xParam.values.length && Number.isInteger(c.y) && c.y >= 0 && c.y < yParam.values.length)) {
      throw new TokenspiceError("OPTION_INVALID", `${where}: cell (${c.x}, ${c.y}) is outside the ${xParam.values.length} × ${yParam.values.length} grid`);
    }
  }
  const values = cells.map((c) => drawable(c.value, kpi.decimals));
  const finite = values.filter((v): v is number => v !== null);
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 1;
  const labels = xParam.values.length <= 12 && yParam.values.length <= 12;
  const empty = values.filter((v) => v === null).length;
  const subtext = [kpi.unit && `unit: ${kpi.unit}`, "median of the final values", empty > 0 && `${empty} ${empty === 1 ? "cell" : "cells"} without a complete run`].filter(Boolean).join(" · ");
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT_FAMILY },
    ...(options.interactive
      ? { grid: { left: 16, right: 84, top: 32, bottom: 36, containLabel: true } }
      : {
          title: { text: options.title ?? `${kpi.label} at the end, by ${xParam.name} and ${yParam.name}`, subtext, left: 12, top: 6 },
          grid: { left: 16, right: 96, top: 86, bottom: 28, containLabel: true },
        }),
    tooltip: { trigger: "item", confine: true },
    xAxis: { type: "category", name: xParam.name, nameLocation: "middle", nameGap: 26, data: xParam.values.map(formatParam), splitArea: { show: true } },
    yAxis: { type: "category", name: yParam.name, nameLocation: "end", nameGap: 10, nameTextStyle: { align: "left" }, data: yParam.values.map(formatParam), splitArea: { show: true } },
    // The colour scale, labelled at its ends (a handle would show unformatted numbers).
    visualMap: {
      type: "continuous",
      min,
      max: max > min ? max : min + 1,
      calculable: false,
      orient: "vertical",
      right: 8,
      top: "middle",
      itemHeight: 120,
      text: [formatNumber(max), formatNumber(min)],
      inRange: { color: HEATMAP_COLORS },
      textStyle: { fontFamily: FONT_FAMILY },
    },
    series: [
      {
        type: "heatmap",
        name: kpi.label,
        data: cells.map((c, i) => ({
          value: [c.x, c.y, values[i] ?? "-"],
          ...(labels && values[i] !== null ? { label: { show: true, formatter: formatNumber(values[i]), color: "#ffffff", textBorderColor: "#1f2937", textBorderWidth: 2 } } : {}),
        })),
        emphasis: { itemStyle: { borderColor: "#111827", borderWidth: 1 } },
      },
    ],
  };
}
