/**
 * A campaign's report: report.html (self-contained like a run's: ECharts' browser build and the
 * data inlined, no network) and plots/ (SVG and PNG per chart), from plain data the campaign's
 * outputs assemble from its folder (`CampaignReportData`).
 *
 * What it draws depends on the campaign's shape:
 * - one point (a Monte Carlo of replicates): a fan chart per KPI;
 * - a 1-D sweep (one axis, or zipped axes): a sweep curve per KPI (the final value's median with
 *   its p25–p75 and p5–p95 bands against the swept param), then fan charts per point;
 * - a 2-D grid (two crossed axes): a heatmap per KPI (the final value's median per cell), then fan
 *   charts per point;
 * - anything else (sampled params, 3 or more crossed axes): fan charts per point and the points table.
 * The page holds fan charts for up to `maxFanPoints` points (chosen evenly in sweep order) behind a
 * selector; plots/ holds a fan chart per KPI for up to 3 of them (first, middle, last).
 */
import fs from "fs";
import path from "path";
import type { KpiInfo } from "../model/kpi";
import type { ParamSpecInfo } from "../model/params";
import { BACKTEST_FILE } from "../calibrate/backtest";
import { fanChartOption, heatmapOption, sweepCurveOption, type FanChartOptions, type HeatmapCell, type PercentileRow, type SweepPoint } from "./bands";
import { effectiveScale, fileSafe, timeAxis, type TimeAxis } from "./charts";
import { formatAxis, formatNumber, formatParam, formatValue, withUnit, networkText, plural, scaled, timeLabel, versionsText } from "./format";
import { CSS, escapeHtml, exactTitle, inUnit, paramRange, scriptJson, scriptText } from "./html";
import { PLOT_SIZE, echartsBrowserBundle, renderSvg, svgToPng } from "./render";
import { REPORT_FILES } from "./write";
import { CAMPAIGN_FILE } from "../output/formats/campaign-file";

/*
 * The report reads plain data and imports nothing from src/campaign (which writes it): the shapes
 * below are what it needs of the campaign's, and the campaign's own types fit them.
 */

/** A param's value at a point (src/campaign/types.ts `ParamValue`). */
export type ParamValue = number | string | boolean;

/** One axis of a sweep: a param and the values it takes, in the order given (src/campaign/types.ts `SweepAxis`). */
export interface SweepAxis {
  param: string;
  values: ParamValue[];
}

/**
 * The distribution of a set of values, as the report reads it; `distribution` in
 * src/campaign/stats.ts computes it (and that module exports this type as its own).
 */
export interface Distribution {
  /** Values counted (NaN excluded; ±Infinity included). */
  n: number;
  /** NaN values left out. */
  nan: number;
  p5: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p95: number | null;
  mean: number | null;
  /** Sample standard deviation (n − 1). */
  std: number | null;
  min: number | null;
  max: number | null;
}

/** What the report shows of a campaign's spec (src/campaign/types.ts `CampaignSpec` has it all). */
export interface ReportCampaignSpec {
  /** Ticks per run. */
  steps: number;
  /** Replicates per point. */
  runs: number;
  sweep: SweepAxis[];
  zip: boolean;
  sample: { method: string; samples: number; over: string[] } | null;
  seed: number;
  stepTimeoutMs: number | null;
  /** The network facts (src/runner/run-spec.ts `NetworkFacts`), shown by `networkText`. */
  network: unknown;
  /** Common random numbers (`--common-seeds`): replicate r has the same seed at every point. */
  commonSeeds?: boolean;
}

/**
 * Whether a campaign's points share their seeds, in words, for its summary and report; undefined for
 * one point (nothing to compare). Shared seeds make a difference between points the params' effect;
 * seeds of their own add each point's seed noise to it.
 */
export function seedsSharing(commonSeeds: boolean | undefined, points: number): string | undefined {
  if (points < 2) return undefined;
  return commonSeeds
    ? "common to every point (--common-seeds): replicate r has the same seed at each point, so a difference between points is the params' effect, not seed noise"
    : "each point its own: a difference between points mixes the params' effect with seed noise; to compare points, use --common-seeds (or sim-compare for two designs)";
}

/**
 * What it takes to halve the uncertainty of a campaign's Monte Carlo answers, in words, for its
 * summary: a point's mean, median and percentiles are estimated from its `replicates` runs, and a
 * Monte Carlo estimate's interval narrows as 1/√n (the central limit theorem; for a quantile, its
 * asymptotic normality: Serfling, *Approximation Theorems of Mathematical Statistics*, 1980, §2.3), so
 * four times the replicates halve it. Undefined for one replicate (no spread to estimate).
 */
export function runsToHalveLine(replicates: number, points: number): string | undefined {
  if (replicates < 2) return undefined;
  const more = 4 * replicates;
  return `each point's percentiles and mean come from ${replicates} replicates; their intervals narrow as 1/√n, so ${more} replicates a point (--replicates ${more}, ${(more * points).toLocaleString("en-US")} runs) would halve them`;
}

/** A point of the campaign as the report shows it. */
export interface ReportPoint {
  key: string;
  varying: Record<string, ParamValue>;
  /** Replicates planned, and how they ended. */
  runs: number;
  complete: number;
  failed: number;
  missing: number;
  /** Per KPI (in declared order): the distribution of the complete runs' final values. */
  finals: Distribution[];
}

/** A point's fan-chart data: per KPI and sample, the distribution across its complete runs; and a few of them. */
export interface FanData {
  point: string;
  ticks: number[];
  /** Block timestamps of the samples (seconds). */
  times: number[];
  /** [kpi][sample]. */
  bands: Distribution[][];
  /** Complete runs drawn thin, in replicate order: values [kpi][sample] (raw, as doubles). */
  runs: { name: string; values: number[][] }[];
}

/** A run that did not complete: failed (with its error) or missing. */
export interface ReportRun {
  run: string;
  point: string;
  replicate: number;
  seed: number;
  status: "failed" | "missing" | "complete";
  code: string | null;
  message: string | null;
  command: string;
  dir: string;
}

/**
 * A param as the campaign report lists it: varying or fixed (with its value), its store type and its spec when the netlist declares it.
 */
export interface ReportParam {
  name: string;
  varying: boolean;
  /** The store's SQL type (BIGINT, DOUBLE, BOOLEAN, VARCHAR). */
  type: string;
  spec: ParamSpecInfo | null;
  /** A fixed param's value (null for varying ones). */
  fixed: ParamValue | null;
}

/** Everything the campaign report shows, as plain data. */
export interface CampaignReportData {
  netlist: { name: string; file: string; description: string };
  spec: ReportCampaignSpec;
  command: string | null;
  specHash: string | null;
  /** A campaign on a fork: the bundle its runs forked from (`campaign.json`'s `forkBundle`), or null. */
  forkBundle?: { hash: string; entries: number } | null;
  versions: Record<string, unknown>;
  kpis: KpiInfo[];
  /** null when no run recorded a manifest. */
  time: { stepSeconds: number; start: number } | null;
  counts: { points: number; runs: number; complete: number; failed: number; missing: number };
  /** Varying params first, then fixed ones. */
  params: ReportParam[];
  /** In sweep order. */
  points: ReportPoint[];
  /** In sweep order. */
  fans: FanData[];
  /** Failed and missing runs, in point and replicate order. */
  unfinished: ReportRun[];
  /** Runs drawn thin per fan chart. */
  maxRuns: number;
  /** Points chosen for fan charts (evenly in sweep order, up to maxFanPoints); those without a complete run have none in `fans`. */
  fanPoints: number;
  /** Observed series to draw over a KPI's bands (a backtest's: src/cli/backtest.ts), with what scored them. */
  observed?: ObservedOverlay[];
}

/** An observed series over one KPI's bands: values in the KPI's display unit at ticks (0 the start), and the losses in words. */
export interface ObservedOverlay {
  kpi: string;
  /** The legend's name, e.g. `observed (close)`. */
  name: string;
  ticks: number[];
  values: number[];
  /** What the report says of it: the windows, then one line per loss. */
  summary: string[];
}

/**
 * The campaign's shape, which decides the report's views: one point (fans only), a 1-D sweep (sweep curves; zipped sweeps move together), a 2-D grid (heatmaps), or another shape (a table, with why).
 */
export type CampaignLayout = { kind: "single" } | { kind: "sweep"; axis: SweepAxis; zipped: string[] } | { kind: "grid"; x: SweepAxis; y: SweepAxis } | { kind: "other"; why: string };

/** What the campaign's shape lets the report draw (see the module's doc). */
export function campaignLayout(spec: Pick<ReportCampaignSpec, "sample" | "sweep" | "zip">, points: number): CampaignLayout {
  if (points <= 1) return { kind: "single" };
  if (spec.sample) return { kind: "other", why: `its params are sampled (${spec.sample.method})` };
  if (spec.sweep.length === 1) return { kind: "sweep", axis: spec.sweep[0], zipped: [] };
  if (spec.zip && spec.sweep.length >= 2) {
    // The x axis is the first list without a repeated value (zipped lists may repeat one).
    const x = spec.sweep.find((a) => new Set(a.values.map((v) => JSON.stringify(v))).size === a.values.length);
    if (!x) return { kind: "other", why: "each of its zipped lists repeats a value" };
    return { kind: "sweep", axis: x, zipped: spec.sweep.filter((a) => a !== x).map((a) => a.param) };
  }
  if (spec.sweep.length === 2) return { kind: "grid", x: spec.sweep[0], y: spec.sweep[1] };
  return { kind: "other", why: `it crosses ${spec.sweep.length} axes` };
}

/** `count` items of `items`, evenly spread from the first to the last (all of them when there are no more). */
export function evenlySpread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  if (count <= 0) return [];
  if (count === 1) return [items[0]];
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) picked.add(Math.round((i * (items.length - 1)) / (count - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => items[i]);
}

/** `a=1, b=x`: a point's varying params (numbers rounded for a person: `formatParam`), or its key when none vary. */
export function pointLabel(point: { key: string; varying: Record<string, ParamValue> }): string {
  const parts = Object.entries(point.varying).map(([k, v]) => `${k}=${formatParam(v)}`);
  return parts.length ? parts.join(", ") : point.key;
}

const same = (a: ParamValue | undefined, b: ParamValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** 7 significant digits: beyond what a chart or tooltip shows, and fewer bytes in the page. */
function r7(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(7));
}

/** KPI ids for file names and the page: file-safe and unique (case-insensitively). */
function kpiIds(kpis: readonly KpiInfo[]): string[] {
  const used = new Set<string>();
  return kpis.map((k) => {
    let id = fileSafe(k.name);
    for (let i = 2; used.has(id.toLowerCase()); i++) id = `${fileSafe(k.name)}-${i}`;
    used.add(id.toLowerCase());
    return id;
  });
}

/** A log axis only when requested, every drawn lower bound is positive, and the values span 10× or more. */
function fanScale(kpi: KpiInfo, bands: readonly Distribution[]): KpiInfo["scale"] {
  if (kpi.scale !== "log") return "linear";
  const lows = bands.map((d) => d.p5).filter((v): v is number => v !== null && Number.isFinite(v));
  if (lows.some((v) => v <= 0)) return "linear";
  const all = bands.flatMap((d) => [d.p5, d.p95]).filter((v): v is number => v !== null && Number.isFinite(v));
  return effectiveScale(
    "log",
    all.map((v) => scaled(v, kpi.decimals)),
  );
}

/** The observed series of KPI `kpi` as a fan chart draws it: each tick at the fan's time for it. */
function observedLine(data: CampaignReportData, fan: FanData, kpi: KpiInfo): FanChartOptions["observed"] {
  const o = data.observed?.find((x) => x.kpi === kpi.name);
  if (!o || !data.time || fan.ticks.length === 0) return undefined;
  const at = (tick: number) => fan.times[0] + (tick - fan.ticks[0]) * data.time!.stepSeconds;
  return { name: o.name, points: o.ticks.map((t, i) => [at(t), o.values[i]]) };
}

function fanOptions(fan: FanData, k: number, kpi: KpiInfo, axis: TimeAxis, maxRuns: number, interactive: boolean, title: string, observed?: FanChartOptions["observed"]): Record<string, any> {
  const bands = fan.bands[k];
  const scale = fanScale(kpi, bands);
  const meta = { ...kpi, scale };
  const rows: PercentileRow[] = fan.ticks.map((tick, i) => ({ tick, time: fan.times[i], p5: bands[i].p5, p25: bands[i].p25, p50: bands[i].p50, p75: bands[i].p75, p95: bands[i].p95 }));
  const runs = fan.runs.slice(0, maxRuns).map((r) => ({
    name: r.name,
    points: fan.times.map((t, i): [number, number | null] => {
      const v = r.values[k][i];
      return [t, scale === "log" && !(v > 0) ? null : v];
    }),
  }));
  const option = fanChartOption(rows, meta, { axis, runs, maxRuns, interactive, title, observed });
  if (interactive) roundSeries(option);
  return option;
}

/** Rounds every series' y values to 7 significant digits (the page's size). */
function roundSeries(option: Record<string, any>): void {
  for (const s of option.series) s.data = s.data.map((d: any) => (Array.isArray(d) ? [d[0], typeof d[1] === "number" ? r7(d[1]) : d[1]] : d));
}

/** The x param of a sweep: numeric (a value axis) unless its values are text or booleans. */
function sweepParam(axis: SweepAxis, params: readonly ReportParam[]) {
  const p = params.find((q) => q.name === axis.param);
  const numeric = axis.values.every((v) => typeof v === "number" && Number.isFinite(v)) && p?.type !== "VARCHAR";
  return { name: axis.param, numeric, doc: p?.spec?.doc };
}

/** A point's final distribution of KPI k as a sweep point (raw values; the option scales them). */
function sweepPoint(x: number | string, d: Distribution): SweepPoint {
  return { x, p5: d.p5, p25: d.p25, p50: d.p50, p75: d.p75, p95: d.p95 };
}

/** Sweep points of a 1-D sweep in x order (as the curve draws them): the point, and its x. */
function sweepPoints(data: CampaignReportData, axis: SweepAxis, numeric: boolean): { point: ReportPoint; x: number | string }[] {
  const list = data.points.filter((p) => p.varying[axis.param] !== undefined).map((point) => ({ point, x: numeric ? (point.varying[axis.param] as number) : String(point.varying[axis.param]) }));
  return numeric ? list.sort((a, b) => (a.x as number) - (b.x as number)) : list;
}

/** The heatmap's cells for KPI k: one per (x, y) value pair that has a point. */
function gridCells(data: CampaignReportData, x: SweepAxis, y: SweepAxis, k: number): { cell: HeatmapCell; point: ReportPoint }[] {
  const out: { cell: HeatmapCell; point: ReportPoint }[] = [];
  x.values.forEach((xv, xi) =>
    y.values.forEach((yv, yi) => {
      const point = data.points.find((p) => same(p.varying[x.param], xv) && same(p.varying[y.param], yv));
      if (point) out.push({ cell: { x: xi, y: yi, value: point.finals[k]?.p50 ?? null }, point });
    }),
  );
  return out;
}

/**
 * How `writeCampaignReport` writes: `png` (default true) also rasterises each plot at twice the size; `generator` names the tool and version in the footer.
 */
export interface CampaignReportOptions {
  png?: boolean;
  generator?: string;
}

/** What writeCampaignReport wrote: report.html and the plots (absolute paths). */
export interface WrittenCampaignReport {
  html: string;
  plots: string[];
}

/**
 * Writes `report.html` and `plots/` into `dir` from `data`: a static plot per chart (SVG, and a
 * PNG at twice the size unless `png: false`) and the page. Pure of the folder's other files.
 */
export function writeCampaignReport(dir: string, data: CampaignReportData, options: CampaignReportOptions = {}): WrittenCampaignReport {
  const layout = campaignLayout(data.spec, data.points.length);
  const ids = kpiIds(data.kpis);
  const axis = data.time ? timeAxis(data.time, data.spec.steps) : null;
  const plotsDir = path.join(dir, REPORT_FILES.plots);
  fs.mkdirSync(plotsDir, { recursive: true });
  const plots: string[] = [];
  const plot = (id: string, option: Record<string, any>, height = PLOT_SIZE.height) => {
    const svg = withoutClipPaths(renderSvg(option, { width: PLOT_SIZE.width, height }));
    const svgFile = path.join(plotsDir, `${id}.svg`);
    fs.writeFileSync(svgFile, svg);
    plots.push(svgFile);
    if (options.png !== false) {
      const pngFile = path.join(plotsDir, `${id}.png`);
      fs.writeFileSync(pngFile, svgToPng(svg));
      plots.push(pngFile);
    }
  };

  // Fan charts: in the page for every fan point; in plots/ for up to 3 of them.
  const single = layout.kind === "single";
  const staticFans = new Set(evenlySpread(data.fans, single ? 1 : 3).map((f) => f.point));
  const fanPlots: Record<string, string[]> = {};
  if (axis) {
    for (const fan of data.fans) {
      if (!staticFans.has(fan.point)) continue;
      const label = single ? "" : ` · ${pointLabel(data.points.find((p) => p.key === fan.point)!)}`;
      data.kpis.forEach((kpi, k) => {
        const id = single ? `fan-${ids[k]}` : `fan-${ids[k]}-${fileSafe(fan.point)}`;
        plot(id, fanOptions(fan, k, kpi, axis, data.maxRuns, false, `${kpi.label}${label}`, observedLine(data, fan, kpi)));
        (fanPlots[ids[k]] ??= []).push(id);
      });
    }
  }
  const fans = axis
    ? data.fans.map((fan) => ({
        point: fan.point,
        label: pointLabel(data.points.find((p) => p.key === fan.point)!),
        ticks: fan.ticks,
        times: fan.times,
        runs: Math.min(fan.runs.length, data.maxRuns),
        kpis: data.kpis.map((kpi, k) => ({
          option: fanOptions(fan, k, kpi, axis, data.maxRuns, true, kpi.label, observedLine(data, fan, kpi)),
          // Per sample: p5, p25, p50, p75, p95 (scaled), n, nan.
          rows: fan.bands[k].map((d) => [...[d.p5, d.p25, d.p50, d.p75, d.p95].map((v) => (v === null ? null : r7(scaled(v, kpi.decimals)))), d.n, d.nan]),
        })),
      }))
    : [];

  // Sweep curves (1-D) and heatmaps (2-D): in plots/ and in the page.
  const sweeps: { id: string; option: Record<string, any>; rows: unknown[][] }[] = [];
  const heatmaps: { id: string; option: Record<string, any>; cells: Record<string, unknown[]>; height: number }[] = [];
  if (layout.kind === "sweep") {
    const param = sweepParam(layout.axis, data.params);
    const list = sweepPoints(data, layout.axis, param.numeric);
    data.kpis.forEach((kpi, k) => {
      const points = list.map(({ point, x }) => sweepPoint(x, point.finals[k]));
      const scale = effectiveScale(
        kpi.scale,
        points
          .flatMap((p) => [p.p5, p.p95])
          .filter((v): v is number => typeof v === "number" && v > 0)
          .map((v) => scaled(v, kpi.decimals)),
      );
      const meta = { ...kpi, scale: scale === "log" && points.every((p) => p.p5 === null || (p.p5 as number) > 0) ? scale : ("linear" as const) };
      const title = `${kpi.label} at the end, by ${param.name}${layout.zipped.length ? ` (with ${layout.zipped.join(", ")})` : ""}`;
      const id = `sweep-${ids[k]}`;
      plot(id, sweepCurveOption(points, param, meta, { title }));
      const option = sweepCurveOption(points, param, meta, { interactive: true });
      roundSeries(option);
      const rows = list.map(({ point }) => {
        const d = point.finals[k];
        return [pointLabel(point), ...[d.p5, d.p25, d.p50, d.p75, d.p95].map((v) => (v === null ? null : r7(scaled(v, kpi.decimals)))), d.n, d.nan, point.complete, point.runs];
      });
      sweeps.push({ id, option, rows });
    });
  } else if (layout.kind === "grid") {
    const height = Math.max(PLOT_SIZE.height, 120 + 34 * layout.y.values.length);
    data.kpis.forEach((kpi, k) => {
      const cells = gridCells(data, layout.x, layout.y, k);
      const id = `heatmap-${ids[k]}`;
      const x = { name: layout.x.param, values: layout.x.values };
      const y = { name: layout.y.param, values: layout.y.values };
      plot(
        id,
        heatmapOption(
          cells.map((c) => c.cell),
          x,
          y,
          kpi,
        ),
        height,
      );
      const info: Record<string, unknown[]> = {};
      for (const { cell, point } of cells) {
        const d = point.finals[k];
        info[`${cell.x},${cell.y}`] = [
          formatParam(layout.x.values[cell.x]),
          formatParam(layout.y.values[cell.y]),
          ...[d.p5, d.p50, d.p95].map((v) => (v === null ? null : r7(scaled(v, kpi.decimals)))),
          d.n,
          point.complete,
          point.runs,
        ];
      }
      heatmaps.push({
        id,
        option: heatmapOption(
          cells.map((c) => c.cell),
          x,
          y,
          kpi,
          { interactive: true },
        ),
        cells: info,
        height: Math.max(340, 80 + 30 * layout.y.values.length),
      });
    });
  }

  const html = path.join(dir, REPORT_FILES.html);
  fs.writeFileSync(html, renderCampaignHtml(data, layout, { ids, axis, fans, fanPlots, sweeps, heatmaps }, options));
  return { html, plots };
}

/**
 * A static plot's SVG without clip paths. ECharts clips every line series (for its reveal
 * animation) even with `clip: false`, which only enlarges the clip to the plot's height; the static
 * views set `clip: false` on every series and fit their axes to the data, so the clips cut nothing.
 * resvg renders each clipped group through a full-size mask: without them a PNG takes a fifth of
 * the time (about 90 ms instead of 490 ms for a fan chart with 20 runs, at twice 900 × 420).
 */
export function withoutClipPaths(svg: string): string {
  return svg.replace(/<clipPath\b[^>]*>[\s\S]*?<\/clipPath>/g, "").replace(/ clip-path="url\(#[^)"]*\)"/g, "");
}

/** A swept value as the report shows it: a number rounded (`formatParam`), text in quotes, with the exact value on hover. */
function valueText(v: ParamValue): string {
  return typeof v === "string" ? escapeHtml(JSON.stringify(v)) : `<span${exactTitle(v)}>${escapeHtml(formatParam(v))}</span>`;
}

function factsTable(data: CampaignReportData): string {
  const s = data.spec;
  const c = data.counts;
  const versions = escapeHtml(versionsText(data.versions));
  const sweep = s.sweep.length
    ? s.sweep.map((a) => `<code>${escapeHtml(a.param)}</code>: ${a.values.map(valueText).join(", ")}`).join("<br>") +
      (s.sweep.length > 1 ? `<br><span class="muted">${s.zip ? "zipped: paired value by value" : "crossed: every combination"}</span>` : "")
    : "—";
  const sample = s.sample ? `${escapeHtml(s.sample.method)}, ${plural(s.sample.samples, "point")} over ${s.sample.over.map((p) => `<code>${escapeHtml(p)}</code>`).join(", ")}` : "—";
  const axis = data.time ? timeAxis(data.time, s.steps) : null;
  const time =
    data.time && axis ? ` of ${formatNumber(data.time.stepSeconds)} s (${inUnit(data.time.stepSeconds / axis.unit.seconds, axis.unit.name)} each; ${inUnit(axis.end, axis.unit.name)} in all)` : "";
  const sharing = seedsSharing(s.commonSeeds, c.points);
  const rows: [string, string][] = [
    ["netlist", `${escapeHtml(data.netlist.name)}${data.netlist.file ? ` <span class="muted">(${escapeHtml(data.netlist.file)})</span>` : ""}`],
    [
      "runs",
      `${plural(c.points, "point")} × ${plural(s.runs, "replicate")} = ${plural(c.runs, "run")}: <b>${c.complete.toLocaleString("en-US")} complete</b>, ${c.failed.toLocaleString("en-US")} failed${c.missing ? `, ${c.missing.toLocaleString("en-US")} missing` : ""}`,
    ],
    ["steps", `${plural(s.steps, "tick")}${time}`],
    ["sweep", sweep],
    ["sample", sample],
    ["seed", `${escapeHtml(s.seed)} <span class="muted">(every run's seed is derived from it)</span>`],
    ...(sharing ? [["seeds across points", escapeHtml(sharing)] as [string, string]] : []),
    ["step timeout", s.stepTimeoutMs === null ? "none" : `${formatNumber(s.stepTimeoutMs)} ms`],
    ["network", s.network ? escapeHtml(networkText(s.network)) : "—"],
    ...(data.forkBundle
      ? [
          [
            "fork bundle",
            `<code>${escapeHtml(data.forkBundle.hash)}</code> <span class="muted">(${plural(data.forkBundle.entries, "read")}; every run reruns --offline from a bundle of this hash)</span>`,
          ] as [string, string],
        ]
      : []),
    ["versions", versions || "—"],
    ["spec hash", data.specHash ? `<code>${escapeHtml(data.specHash)}</code>` : "—"],
  ];
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>`;
}

function paramsTable(data: CampaignReportData): string {
  if (data.params.length === 0) return `<p class="muted">This netlist has no params.</p>`;
  const valuesOf = (name: string) => {
    const axis = data.spec.sweep.find((a) => a.param === name);
    if (axis) return `swept: ${axis.values.map(valueText).join(", ")}`;
    const values = data.points.map((p) => p.varying[name]).filter((v) => v !== undefined);
    const numbers = values.filter((v): v is number => typeof v === "number");
    if (numbers.length === values.length && numbers.length > 0) return `sampled: ${values.length} values in [${formatNumber(Math.min(...numbers))}, ${formatNumber(Math.max(...numbers))}]`;
    return `sampled: ${plural(new Set(values.map(String)).size, "distinct value")}`;
  };
  const rows = data.params.map(
    (p) =>
      `<tr><td><code>${escapeHtml(p.name)}</code></td><td class="${p.varying ? "changed" : "num"}"${p.varying ? "" : exactTitle(p.fixed)}>${p.varying ? valuesOf(p.name) : escapeHtml(formatParam(p.fixed))}</td><td>${p.spec ? escapeHtml(p.spec.kind) : "—"}</td><td>${p.spec ? escapeHtml(paramRange(p.spec)) : "—"}</td><td>${p.spec?.doc ? escapeHtml(p.spec.doc) : ""}</td></tr>`,
  );
  return `<table class="wide"><thead><tr><th>param</th><th>value</th><th>kind</th><th>type</th><th>doc</th></tr></thead><tbody>${rows.join("")}</tbody></table>${data.params.some((p) => p.varying) ? `<p class="muted">Params in <span class="changed">blue</span> vary across the campaign; the others are the same in every run.</p>` : `<p class="muted">Every run has these params; runs differ only in their seeds.</p>`}`;
}

const MAX_POINT_ROWS = 200;
const MAX_RUN_ROWS = 200;

function pointsTable(data: CampaignReportData): string {
  const varying = data.params.filter((p) => p.varying).map((p) => p.name);
  const shown = data.points.slice(0, MAX_POINT_ROWS);
  const median = (d: Distribution | undefined, k: KpiInfo) => (d && d.p50 !== null ? escapeHtml(formatValue(d.p50, k)) : "—");
  const head = `<tr><th>point</th>${varying.map((n) => `<th><code>${escapeHtml(n)}</code></th>`).join("")}<th>complete</th><th>failed</th>${data.counts.missing ? "<th>missing</th>" : ""}${data.kpis.map((k) => `<th>${escapeHtml(k.label)}<br><span class="muted">median final</span></th>`).join("")}</tr>`;
  const rows = shown.map(
    (p) =>
      `<tr><td class="key"><code>${escapeHtml(p.key)}</code></td>${varying.map((n) => `<td class="num"${exactTitle(p.varying[n])}>${p.varying[n] === undefined ? "—" : escapeHtml(formatParam(p.varying[n]))}</td>`).join("")}<td class="num">${p.complete}/${p.runs}</td><td class="num${p.failed ? " bad" : ""}">${p.failed}</td>${data.counts.missing ? `<td class="num">${p.missing}</td>` : ""}${data.kpis.map((k, i) => `<td class="num">${median(p.finals[i], k)}</td>`).join("")}</tr>`,
  );
  const more = data.points.length > shown.length ? `<p class="muted">${plural(data.points.length - shown.length, "more point")} in points.csv.</p>` : "";
  return `<div class="scroll"><table class="wide" id="points-table"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table></div>${more}<p class="muted">points.csv has each KPI's full distribution of final values per point (n, NaN count, p5–p95, mean, std, min, max); bands.csv the same per tick.</p>`;
}

function unfinishedSection(data: CampaignReportData): string {
  const failed = data.unfinished.filter((r) => r.status === "failed");
  const missing = data.unfinished.filter((r) => r.status === "missing");
  if (failed.length === 0 && missing.length === 0) return `<p>Every run completed.</p>`;
  const row = (r: ReportRun, i: number) =>
    `<tr><td><code>${escapeHtml(r.run)}</code><div class="example"><a href="${escapeHtml(r.dir.split("/").map(encodeURIComponent).join("/"))}/">${escapeHtml(r.dir)}/</a></div></td><td class="num">${escapeHtml(r.seed)}</td><td>${r.code ? `<code>${escapeHtml(r.code)}</code>` : "—"}</td><td class="message">${escapeHtml(r.message ?? "")}</td><td><div class="command small"><code id="cmd-${i}">${escapeHtml(r.command)}</code><button type="button" data-copy="cmd-${i}">Copy</button></div></td></tr>`;
  const head = `<thead><tr><th>run</th><th>seed</th><th>error</th><th>message</th><th>reproduce this run alone</th></tr></thead>`;
  let html = "";
  if (failed.length) {
    html += `<p>${plural(failed.length, "run")} failed. They are left out of the bands, the points' distributions, the sweep curves and the heatmaps; their samples are in samples.parquet and the store with their status.</p>`;
    html += `<table class="wide" id="failed-runs">${head}<tbody>${failed.slice(0, MAX_RUN_ROWS).map(row).join("")}</tbody></table>`;
    if (failed.length > MAX_RUN_ROWS) html += `<p class="muted">${(failed.length - MAX_RUN_ROWS).toLocaleString("en-US")} more in runs.csv (status "failed").</p>`;
  }
  if (missing.length) {
    html += `<p>${plural(missing.length, "run")} ${missing.length === 1 ? "has" : "have"} no files in ${"runs/"} (not run yet, or not merged in):</p>`;
    html += `<table class="wide" id="missing-runs">${head}<tbody>${missing
      .slice(0, MAX_RUN_ROWS)
      .map((r, i) => row(r, failed.length + i))
      .join("")}</tbody></table>`;
  }
  return html;
}

interface PageCharts {
  ids: string[];
  axis: TimeAxis | null;
  fans: { point: string; label: string; ticks: number[]; times: number[]; runs: number; kpis: { option: Record<string, any>; rows: unknown[][] }[] }[];
  fanPlots: Record<string, string[]>;
  sweeps: { id: string; option: Record<string, any>; rows: unknown[][] }[];
  heatmaps: { id: string; option: Record<string, any>; cells: Record<string, unknown[]>; height: number }[];
}

const CAMPAIGN_CSS = `
.scroll { overflow-x: auto; }
td.bad { color: var(--bad); font-weight: 600; }
td.key { white-space: nowrap; }
td.message { max-width: 420px; white-space: pre-wrap; word-break: break-word; font-size: 12.5px; }
.command.small { margin: 0; }
.command.small code { font-size: 12px; padding: 4px 8px; max-width: 460px; }
.command.small button { padding: 3px 10px; font-size: 12px; }
.selector { margin: 8px 0 14px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.selector select { font: inherit; padding: 4px 8px; max-width: 100%; }
.summary { margin: 6px 0 0; }
.summary b.ok { color: var(--ok); }
.summary b.bad { color: var(--bad); }
`;

function plotLinks(files: string[]): string {
  return files.map((f) => `<a href="plots/${encodeURIComponent(f)}.svg">${escapeHtml(f)}.svg</a> · <a href="plots/${encodeURIComponent(f)}.png">png</a>`).join(" · ");
}

function card(id: string, title: string, kpi: KpiInfo, links: string, height?: number): string {
  const unit = kpi.unit ? ` · unit: ${escapeHtml(kpi.unit)}` : "";
  return `<div class="card" data-chart="${escapeHtml(id)}"><h3>${escapeHtml(title)}</h3><div class="links">${links ? `plots/: ${links}` : ""}${unit}</div>${kpi.doc ? `<p class="doc">${escapeHtml(kpi.doc)}</p>` : ""}<div class="chart" id="chart-${escapeHtml(id)}"${height ? ` style="height:${height}px"` : ""}></div></div>`;
}

/**
 * The page's code: draws every chart from the embedded data, adds tooltips (a fan chart's tick, sim
 * time and percentiles; a sweep point's or heatmap cell's distribution), switches the fan charts'
 * point, wires the copy buttons, and exposes `window.tokenspiceReport` ({ charts: { <id>: { chart,
 * kind, kpi } }, data, selectPoint(index) }) for tests and the curious.
 */
function clientScript(): string {
  return `
"use strict";
${formatNumber.toString()}
${withUnit.toString()}
${formatAxis.toString()}
${timeLabel.toString()}
(function () {
  var data = JSON.parse(document.getElementById("tokenspice-data").textContent);
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  function show(v, unit) { return v === null || v === undefined ? "—" : esc(withUnit(formatNumber(v), unit)); }
  var charts = {};
  var current = 0;
  function init(id, kind, k, option, tooltip) {
    var el = document.getElementById("chart-" + id);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts[id] = { chart: chart, kind: kind, kpi: data.kpis[k].name };
    draw(id, option, tooltip);
  }
  function draw(id, option, tooltip) {
    var o = JSON.parse(JSON.stringify(option));
    if (o.yAxis && o.yAxis.type !== "category") o.yAxis.axisLabel = Object.assign({}, o.yAxis.axisLabel, { formatter: formatAxis });
    if (o.xAxis && o.xAxis.type === "value") o.xAxis.axisLabel = Object.assign({}, o.xAxis.axisLabel, { formatter: formatAxis });
    o.tooltip.formatter = tooltip;
    charts[id].chart.setOption(o, true);
  }
  function fanTooltip(k) {
    return function (params) {
      if (!params.length) return "";
      var fan = data.fans[current];
      var i = params[0].dataIndex;
      var row = fan.kpis[k].rows[i];
      var unit = data.kpis[k].unit;
      var html = "<b>tick " + fan.ticks[i] + "</b> · " + esc(timeLabel(fan.times[i], data.axis.start, data.axis.unit, data.axis.seconds));
      html += "<br>p95: " + show(row[4], unit) + "<br>p75: " + show(row[3], unit);
      html += '<br><b>median: <span class="tooltip-value">' + show(row[2], unit) + "</span></b>";
      html += "<br>p25: " + show(row[1], unit) + "<br>p5: " + show(row[0], unit);
      var obs = params.filter(function (p) { return p.seriesName && p.seriesName.indexOf("observed") === 0; })[0];
      if (obs && obs.value && obs.value[1] !== null) html += '<br><b style="color:#111827">' + esc(obs.seriesName) + ": " + show(obs.value[1], unit) + "</b>";
      html += '<br><span style="color:#6b7280">across ' + row[5] + " complete run" + (row[5] === 1 ? "" : "s") + (row[6] ? ", " + row[6] + " NaN left out" : "") + "</span>";
      return html;
    };
  }
  function fanId(k) { return "fan-" + data.ids[k]; }
  function selectPoint(index) {
    current = index;
    data.kpis.forEach(function (kpi, k) { draw(fanId(k), data.fans[index].kpis[k].option, fanTooltip(k)); charts[fanId(k)].point = data.fans[index].point; });
    var select = document.getElementById("fan-point");
    if (select) select.value = String(index);
  }
  if (data.fans.length) {
    data.kpis.forEach(function (kpi, k) { init(fanId(k), "fan", k, data.fans[0].kpis[k].option, fanTooltip(k)); charts[fanId(k)].point = data.fans[0].point; });
    var select = document.getElementById("fan-point");
    if (select) select.addEventListener("change", function () { selectPoint(Number(select.value)); });
  }
  data.sweeps.forEach(function (s, k) {
    init(s.id, "sweep", k, s.option, function (params) {
      if (!params.length) return "";
      var row = s.rows[params[0].dataIndex];
      var unit = data.kpis[k].unit;
      // row: label, p5, p25, p50, p75, p95, n, nan, complete, runs
      return "<b>" + esc(row[0]) + "</b><br>final value across " + row[6] + " complete run" + (row[6] === 1 ? "" : "s") + (row[7] ? " (" + row[7] + " NaN left out)" : "") + '<br><b>median: <span class="tooltip-value">' + show(row[3], unit) + "</span></b><br>p25–p75: " + show(row[2], unit) + " – " + show(row[4], unit) + "<br>p5–p95: " + show(row[1], unit) + " – " + show(row[5], unit) + (row[9] > row[8] ? "<br>" + row[8] + " of " + row[9] + " runs complete" : "");
    });
  });
  data.heatmaps.forEach(function (h, k) {
    init(h.id, "heatmap", k, h.option, function (p) {
      var cell = h.cells[p.value[0] + "," + p.value[1]];
      if (!cell) return "";
      var unit = data.kpis[k].unit;
      return "<b>" + esc(data.grid.x) + "=" + esc(cell[0]) + ", " + esc(data.grid.y) + "=" + esc(cell[1]) + '</b><br><b>median final: <span class="tooltip-value">' + show(cell[3], unit) + "</span></b><br>p5–p95: " + show(cell[2], unit) + " – " + show(cell[4], unit) + "<br>" + cell[6] + " of " + cell[7] + " runs complete";
    });
  });
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (id) { charts[id].chart.resize(); }); });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy"));
      var text = target.textContent;
      function done(ok) { button.textContent = ok ? "Copied" : "Select and copy"; setTimeout(function () { button.textContent = "Copy"; }, 1500); }
      function fallback() {
        var range = document.createRange();
        range.selectNodeContents(target);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        var ok = false; try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok);
      }
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
      else fallback();
    });
  });
  window.tokenspiceReport = { charts: charts, data: data, selectPoint: selectPoint };
  document.body.setAttribute("data-ready", "true");
})();
`;
}

/** Why the selector offers fewer points than the campaign has, if it does. */
function fanNote(data: CampaignReportData, shown: number): string {
  if (shown === data.points.length) return "";
  const why = [
    data.fanPoints < data.points.length && "chosen evenly in sweep order",
    shown < data.fanPoints && `${data.fanPoints - shown} ${data.fanPoints - shown === 1 ? "has" : "have"} no complete run`,
  ]
    .filter(Boolean)
    .join("; ");
  return `<span class="muted">${shown} of ${data.points.length} points${why ? ` (${why})` : ""}; bands.csv has every point with a complete run.</span>`;
}

function renderCampaignHtml(data: CampaignReportData, layout: CampaignLayout, page: PageCharts, options: CampaignReportOptions): string {
  const c = data.counts;
  const status = c.failed + c.missing === 0 ? "complete" : c.complete === 0 ? "failed" : "partial";
  const title = `${data.netlist.name} · campaign`;
  const summary = `<p class="summary">${plural(c.runs, "run")} at ${plural(c.points, "point")}: <b class="ok">${c.complete.toLocaleString("en-US")} complete</b>${c.failed ? `, <b class="bad">${c.failed.toLocaleString("en-US")} failed</b>` : ""}${c.missing ? `, <b class="bad">${c.missing.toLocaleString("en-US")} missing</b>` : ""}.</p>`;
  const command = data.command
    ? `<div class="command"><code id="command">${escapeHtml(data.command)}</code><button id="copy-command" type="button" data-copy="command">Copy</button></div>`
    : `<p class="muted">${CAMPAIGN_FILE} records no command.</p>`;

  const sections: string[] = [];
  if (layout.kind === "sweep" && page.sweeps.length) {
    const zipped = layout.zipped.length ? ` (zipped with ${layout.zipped.map((p) => `<code>${escapeHtml(p)}</code>`).join(", ")})` : "";
    sections.push(`<section id="sweep"><h2>Final KPIs by <code>${escapeHtml(layout.axis.param)}</code></h2>
<p class="muted">Each KPI's final value across the complete runs at each point${zipped}: the median, p25–p75 and p5–p95. Hover for the values.</p>
<div class="charts">${page.sweeps.map((s, k) => card(s.id, `${data.kpis[k].label} at the end`, data.kpis[k], plotLinks([s.id]))).join("\n")}</div></section>`);
  }
  if (layout.kind === "grid" && page.heatmaps.length) {
    sections.push(`<section id="heatmaps"><h2>Median final KPIs by <code>${escapeHtml(layout.x.param)}</code> and <code>${escapeHtml(layout.y.param)}</code></h2>
<p class="muted">Each cell is the median of a KPI's final value across the complete runs at that point; an empty cell has none. Hover for p5–p95 and the runs counted.</p>
<div class="charts">${page.heatmaps.map((h, k) => card(h.id, `${data.kpis[k].label} at the end`, data.kpis[k], plotLinks([h.id]), h.height)).join("\n")}</div></section>`);
  }
  if (layout.kind === "other") sections.push(`<p class="muted">No sweep curve or heatmap: ${escapeHtml(layout.why)}. points.csv and the store hold every point's distribution.</p>`);
  if (data.observed?.length) {
    sections.push(`<section id="backtest"><h2>Backtest</h2>
${data.observed
  .map((o) => {
    const k = data.kpis.findIndex((x) => x.name === o.kpi);
    const link = k >= 0 ? ` (drawn in black over its bands: <a href="#chart-fan-${escapeHtml(page.ids[k])}">${escapeHtml(data.kpis[k].label)}</a>)` : "";
    return `<p><b>${escapeHtml(o.name)}</b> against <code>${escapeHtml(o.kpi)}</code>${link}:</p><ul>${o.summary.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`;
  })
  .join("\n")}
<p class="muted">From this folder's ${BACKTEST_FILE} (and ${BACKTEST_FILE.replace(".json", ".csv")}, each observed point with the band around it); the losses are explained in docs/explanation/statistics.md, "Backtest losses".</p></section>`);
  }
  if (page.fans.length) {
    const select =
      page.fans.length > 1 || layout.kind !== "single"
        ? `<div class="selector"><label for="fan-point">Point</label><select id="fan-point">${page.fans.map((f, i) => `<option value="${i}">${escapeHtml(f.label)} · ${escapeHtml(f.point)}</option>`).join("")}</select>${fanNote(data, page.fans.length)}</div>`
        : "";
    const runsDrawn = page.fans[0].runs;
    sections.push(`<section id="fans"><h2>KPIs over time</h2>
<p class="muted">Across the complete runs${layout.kind === "single" ? "" : " of the point chosen below"}: the p5–p95 band, the p25–p75 band, the median, and ${runsDrawn ? `up to ${data.maxRuns} individual runs drawn thin` : "no individual run"}. Hover for each percentile at a tick; scroll or drag the slider to zoom; click a legend entry to hide or show it.</p>
${select}
<div class="charts">${data.kpis.map((kpi, k) => card(`fan-${page.ids[k]}`, kpi.label, kpi, plotLinks(page.fanPlots[page.ids[k]] ?? []))).join("\n")}</div></section>`);
  } else {
    sections.push(`<section id="fans"><h2>KPIs over time</h2><p>No run completed, so there are no bands to draw.</p></section>`);
  }

  const payload = {
    ids: page.ids,
    kpis: data.kpis.map((k) => ({ name: k.name, label: k.label, unit: k.unit })),
    axis: page.axis ? { unit: page.axis.unit.name, seconds: page.axis.unit.seconds, start: page.axis.start } : null,
    fans: page.fans,
    sweeps: page.sweeps,
    heatmaps: page.heatmaps,
    grid: layout.kind === "grid" ? { x: layout.x.param, y: layout.y.param } : null,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — hardhat-tokenspice report</title>
<style>${CSS}${CAMPAIGN_CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(data.netlist.name)} <span class="muted" style="font-weight:400">campaign</span><span class="status ${status === "complete" ? "complete" : "failed"}">${escapeHtml(status)}</span></h1>
<p class="desc">${escapeHtml(data.netlist.description)}</p>
${summary}
</header>
<section id="campaign">
<h2>Campaign</h2>
${command}
${factsTable(data)}
</section>
<section id="params">
<h2>Params</h2>
${paramsTable(data)}
</section>
${sections.join("\n")}
<section id="points">
<h2>Points</h2>
${pointsTable(data)}
</section>
<section id="failed">
<h2>Failed runs</h2>
${unfinishedSection(data)}
</section>
<footer>
Written by ${escapeHtml(options.generator ?? "hardhat-tokenspice")} from this folder's ${CAMPAIGN_FILE} and runs/; rebuild it (and bands.csv, points.csv, runs.csv, campaign.duckdb and the Parquet files) with <code>npx hardhat sim-report &lt;this folder&gt;</code>.
</footer>
</main>
<script>${scriptText(echartsBrowserBundle(page.heatmaps.length ? "full" : "common"))}</script>
<script type="application/json" id="tokenspice-data">${scriptJson(payload)}</script>
<script>${scriptText(clientScript())}</script>
</body>
</html>
`;
}
