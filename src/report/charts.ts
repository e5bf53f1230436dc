import type { KpiInfo, KpiScale } from "../model/kpi";
import type { RunReportData } from "./data";
import { chooseTimeUnit, elapsed, scaled, type TimeUnit } from "./format";

/** One KPI drawn on a chart: `[x, y]` points, x in the chart's time unit, y scaled by the KPI's decimals. */
export interface ChartSeries {
  kpi: KpiInfo;
  /** The legend's name: the KPI's label, made unique within its chart. */
  name: string;
  /** y is null where a log axis cannot draw the value (≤ 0). */
  data: [number, number | null][];
}

/** A KPI's chart, or a group's: KPIs of one group share it (and its unit and scale). */
export interface KpiChart {
  /** File-safe: `plots/<id>.svg`. The group's name, or the KPI's when it has no group. */
  id: string;
  title: string;
  unit: string;
  scale: KpiScale;
  /** The KPIs' docs, one line each. */
  doc: string;
  series: ChartSeries[];
  /** Points a log axis left out (values ≤ 0). */
  hidden: number;
  /** The KPIs asked for a log axis (`scale` says whether they got one). */
  logRequested: boolean;
}

/** The x axis every chart of a run shares. */
export interface TimeAxis {
  unit: TimeUnit;
  start: number;
  /** The planned horizon in `unit`: the axis ends there even when a failed run stopped early. */
  end: number;
}

/** A run's charts: the time axis, the sampled ticks and their sim times (unix seconds), and one chart per KPI or KPI group. */
export interface RunCharts {
  axis: TimeAxis;
  ticks: number[];
  times: number[];
  charts: KpiChart[];
}

/** The time axis of a run: its unit chosen from stepSeconds and the planned horizon. */
export function timeAxis(time: { stepSeconds: number; start: number }, steps: number): TimeAxis {
  const horizon = Math.max(1, steps) * time.stepSeconds;
  const unit = chooseTimeUnit(time.stepSeconds, horizon);
  return { unit, start: time.start, end: horizon / unit.seconds };
}

/**
 * A log axis only where it helps: when the positive values span at least a factor of 10. Over a
 * narrower range ECharts' log axis shows a single tick (its ticks are powers of ten) and a linear
 * one draws nearly the same curve with readable ticks.
 */
export function effectiveScale(requested: KpiScale, values: readonly number[]): KpiScale {
  if (requested !== "log") return "linear";
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v > 0 && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return hi / lo >= 10 ? "log" : "linear";
}

/** 10 significant digits: beyond what a chart or its tooltip shows, and half the bytes of a double's 17. */
function round(x: number): number {
  return Number(x.toPrecision(10));
}

/** A name as a file name and DOM id: runs of other characters become `_`, no leading dot. */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^\.+/, "_") || "kpi";
}

/**
 * The charts of a run: one per group (its KPIs in declared order) and one per ungrouped KPI, in the
 * order their first KPI is declared. Pure: data in, plain objects out.
 */
export function kpiCharts(data: Pick<RunReportData, "kpis" | "samples" | "time" | "steps">): RunCharts {
  const axis = timeAxis(data.time, data.steps);
  const xs = data.samples.times.map((t) => round(elapsed(t, axis.start, axis.unit)));
  const byKey = new Map<string, KpiInfo[]>();
  for (const k of data.kpis) {
    const key = k.group === null ? `kpi:${k.name}` : `group:${k.group}`;
    byKey.set(key, [...(byKey.get(key) ?? []), k]);
  }
  const used = new Set<string>();
  const charts: KpiChart[] = [];
  for (const [key, kpis] of byKey) {
    const grouped = key.startsWith("group:");
    let id = fileSafe(grouped ? kpis[0].group! : kpis[0].name);
    for (let i = 2; used.has(id.toLowerCase()); i++) id = `${fileSafe(grouped ? kpis[0].group! : kpis[0].name)}-${i}`;
    used.add(id.toLowerCase());
    const { unit } = kpis[0];
    const ys = kpis.map((kpi) => (data.samples.values[kpi.name] ?? []).map((raw) => scaled(raw, kpi.decimals)));
    const scale = effectiveScale(kpis[0].scale, ys.flat());
    let hidden = 0;
    const names = new Set<string>();
    const series = kpis.map((kpi, k) => {
      let name = kpi.label;
      if (names.has(name)) name = `${kpi.label} (${kpi.name})`;
      names.add(name);
      const points = ys[k].map((y, i): [number, number | null] => {
        if (scale === "log" && !(y > 0)) {
          hidden++;
          return [xs[i], null];
        }
        return [xs[i], Number.isFinite(y) ? round(y) : null];
      });
      return { kpi, name, data: points };
    });
    charts.push({
      id,
      title: grouped ? kpis[0].group! : kpis[0].label,
      unit,
      scale,
      logRequested: kpis[0].scale === "log",
      doc: kpis
        .filter((k) => k.doc)
        .map((k) => (grouped ? `${k.label}: ${k.doc}` : k.doc))
        .join("\n"),
      series,
      hidden,
    });
  }
  return { axis, ticks: data.samples.ticks, times: data.samples.times, charts };
}

/** Fonts that exist on most machines, so the static SVG and PNG (rendered by resvg) show text. */
export const FONT_FAMILY = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif";

export const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#db2777", "#65a30d", "#4b5563", "#ca8a04"];

/** Approximate advance width of `text` in DejaVu Sans at the CSS `font`'s pixel size (default 12 px). */
export function textWidth(text: string, font = "12px sans-serif"): number {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
  const bold = /bold|[6-9]00/.test(font) ? 1.08 : 1;
  let em = 0;
  for (const c of text) {
    if (/[ .,:;'|!il1-]/.test(c)) em += 0.34;
    else if (/[A-Z0-9#$%&@MWmw]/.test(c)) em += /[MWmw@%]/.test(c) ? 0.95 : 0.7;
    else if (c.charCodeAt(0) > 0x2e7f)
      em += 1; // CJK and other wide scripts
    else em += 0.62;
  }
  return em * size * bold;
}

/** What differs between the static plot (plots/*.svg) and the chart in report.html. */
export interface ChartStyle {
  interactive: boolean;
  /** Width of a static plot in pixels (its legend wraps to fit); default 900. */
  width?: number;
}

/** Rows a plain legend of these names wraps into across `width` pixels (ECharts' 25 px icon, 5 px to the text, 10 px between items). */
export function legendRows(names: readonly string[], width: number): number {
  let rows = 1;
  let x = 0;
  for (const name of names) {
    const item = 25 + 5 + textWidth(name, "12px sans-serif");
    if (x > 0 && x + item > width) {
      rows++;
      x = 0;
    }
    x += item + 10;
  }
  return rows;
}

/**
 * The ECharts option of a KPI chart, JSON-safe (no functions): report.html embeds it as data and
 * adds its tooltip and axis formatters in the page; the static renderer adds the axis formatter.
 */
export function kpiChartOption(chart: KpiChart, axis: TimeAxis, style: ChartStyle): Record<string, any> {
  const many = chart.series.length > 1;
  const subtitle = [
    chart.unit && `unit: ${chart.unit}`,
    chart.scale === "log" ? "log scale" : chart.logRequested && "linear scale (values span less than 10×)",
    chart.hidden > 0 && `${chart.hidden} values ≤ 0 not drawn`,
  ]
    .filter(Boolean)
    .join(" · ");
  const points = chart.series[0]?.data.length ?? 0;
  // A static plot cannot page its legend: it wraps, and the plot starts below it.
  const legendHeight = !many
    ? 0
    : style.interactive
      ? 30
      : 22 *
          legendRows(
            chart.series.map((s) => s.name),
            (style.width ?? 900) - 24,
          ) +
        8;
  return {
    animation: false,
    backgroundColor: "#ffffff",
    color: PALETTE,
    textStyle: { fontFamily: FONT_FAMILY },
    title: style.interactive ? undefined : { text: chart.title, subtext: subtitle, left: 12, top: 6, textStyle: { fontSize: 15, fontFamily: FONT_FAMILY }, subtextStyle: { fontFamily: FONT_FAMILY } },
    // Interactive: the toolbox on the first row, the legend on its own row below it.
    legend: many ? { type: style.interactive ? "scroll" : "plain", top: style.interactive ? 26 : 52, left: 12, right: 12, textStyle: { fontFamily: FONT_FAMILY } } : undefined,
    grid: { left: 16, right: 28, top: (style.interactive ? 36 : 60) + legendHeight, bottom: style.interactive ? 64 : 20, containLabel: true },
    xAxis: {
      type: "value",
      name: axis.unit.name,
      nameLocation: "middle",
      nameGap: 26,
      min: 0,
      max: Math.max(axis.end, 0),
      axisLabel: { hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: chart.scale === "log" ? "log" : "value",
      scale: chart.scale !== "log",
      axisLabel: { hideOverlap: true },
    },
    tooltip: style.interactive ? { trigger: "axis", confine: true, axisPointer: { type: "line" } } : undefined,
    dataZoom: style.interactive
      ? [
          { type: "inside", filterMode: "none" },
          { type: "slider", filterMode: "none", height: 18, bottom: 8 },
        ]
      : undefined,
    toolbox: style.interactive ? { right: 8, top: 0, feature: { dataZoom: { yAxisIndex: "none" }, restore: {} } } : undefined,
    series: chart.series.map((s) => ({
      type: "line",
      name: s.name,
      data: s.data,
      showSymbol: points <= 40,
      symbolSize: 5,
      connectNulls: false,
      lineStyle: { width: many ? 1.6 : 2 },
      emphasis: { focus: "series" },
    })),
  };
}
