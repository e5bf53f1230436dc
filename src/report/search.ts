import fs from "fs";
import path from "path";
import { decodeKpiValue } from "../output/json";
import { FONT_FAMILY, PALETTE } from "./charts";
import { formatNumber } from "./format";
import { CSS, escapeHtml, scriptJson, scriptText } from "./html";
import { PLOT_SIZE, echartsBrowserBundle, renderSvg, svgToPng } from "./render";
import { REPORT_FILES } from "./write";
import type { SearchKind } from "../output/search-kinds";
import { SEARCH_FILE, readSearchFile } from "../output/formats/search-file";
import { SEARCH_RUNS_FILE } from "../output/formats/search-runs";

/**
 * A design-loop search's report (`report.html` and `plots/` in the search's folder), from its
 * search file alone: the verdict and the interval after each batch for `verify` (and how the
 * corners predicted it), the convergence trace for `worst-case` and `optimize`, the corner table
 * for `corners`, each constraint's margin at each corner for `optimize`.
 */

export type { SearchDocument } from "../output/formats/search-file";

/**
 * One point of a convergence trace: runs so far, the best objective so far (NaN: no value yet), and
 * for optimize whether that best design is feasible.
 */
export interface TracePoint {
  evaluations: number;
  best: number;
  phase: "global" | "local";
  feasible?: boolean;
}

const axisStyle = { axisLine: { lineStyle: { color: "#9ca3af" } }, splitLine: { lineStyle: { color: "#e5e7eb" } }, nameTextStyle: { color: "#4b5563" } };

/**
 * The convergence plot: the best objective found against the runs spent, the global phase
 * (differential evolution) and the local one (Nelder–Mead) in two colours, each trace entry a
 * marker on a step line (so a phase of one entry, as at the smallest budgets, is still drawn). The
 * local line starts (unmarked) at the global phase's last point, where the refinement starts. An
 * optimize trace's entries whose best design is not feasible yet are hollow grey markers of their own
 * series; entries with no value (NaN) are left out.
 */
export function convergenceOption(trace: readonly TracePoint[], objective: string, options: { interactive?: boolean } = {}): Record<string, any> {
  const phase = (p: TracePoint["phase"]) => trace.filter((t) => t.phase === p && t.feasible !== false && Number.isFinite(t.best)).map((t) => [t.evaluations, t.best]);
  const infeasible = trace.filter((t) => t.feasible === false && Number.isFinite(t.best)).map((t) => [t.evaluations, t.best]);
  const global = phase("global");
  const local = phase("local");
  const marked = { showSymbol: true, symbol: "circle", symbolSize: 6 };
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY },
    color: [PALETTE[0], PALETTE[1]],
    grid: { left: 80, right: 30, top: 50, bottom: 50 },
    legend: { top: 8, data: ["global (differential evolution)", "local (Nelder–Mead)", ...(infeasible.length ? ["no feasible design yet"] : [])] },
    tooltip: options.interactive ? { trigger: "axis" } : undefined,
    xAxis: { type: "value", name: "runs", nameLocation: "middle", nameGap: 28, ...axisStyle },
    yAxis: { type: "value", name: objective, scale: true, axisLabel: {}, ...axisStyle },
    series: [
      { name: "global (differential evolution)", type: "line", step: "end", ...marked, data: global, clip: false },
      // its first point is the global phase's last, drawn by that series (no marker here to cover it)
      {
        name: "local (Nelder–Mead)",
        type: "line",
        step: "end",
        ...marked,
        data: global.length && local.length ? [{ value: global[global.length - 1], symbol: "none" }, ...local] : local,
        clip: false,
      },
      ...(infeasible.length ? [{ name: "no feasible design yet", type: "scatter", symbol: "emptyCircle", symbolSize: 7, color: "#9ca3af", data: infeasible, clip: false }] : []),
    ],
  };
}

/**
 * The sequential verification plot: after each batch, the yield k/n and its Clopper–Pearson
 * interval (a band from lo to hi), against the runs so far, with the target as a line.
 */
export function yieldOption(batches: readonly { n: number; k: number; lo: number; hi: number }[], target: number, options: { interactive?: boolean } = {}): Record<string, any> {
  const lowest = Math.min(target, ...batches.map((b) => b.lo));
  const bottom = Math.max(0, Math.floor((lowest - 0.005) * 20) / 20);
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY },
    grid: { left: 80, right: 30, top: 50, bottom: 50 },
    legend: { top: 8, data: ["interval", "yield", "target"] },
    tooltip: options.interactive ? { trigger: "axis" } : undefined,
    xAxis: { type: "value", name: "runs", nameLocation: "middle", nameGap: 28, min: 0, ...axisStyle },
    // from the 0.05 below the lowest of the band and the target, to 1
    yAxis: { type: "value", name: "yield", min: bottom, max: 1, interval: 1 - bottom > 0.3 ? 0.1 : 0.05, axisLabel: {}, ...axisStyle },
    series: [
      // the band: lo, stacked with hi − lo
      { name: "lo", type: "line", stack: "interval", symbol: "none", lineStyle: { opacity: 0 }, data: batches.map((b) => [b.n, b.lo]), clip: false },
      {
        name: "interval",
        type: "line",
        stack: "interval",
        symbol: "none",
        color: "#bfdbfe",
        lineStyle: { opacity: 0 },
        areaStyle: { color: "#bfdbfe" },
        data: batches.map((b) => [b.n, b.hi - b.lo]),
        clip: false,
      },
      { name: "yield", type: "line", symbol: "circle", symbolSize: 6, color: PALETTE[0], data: batches.map((b) => [b.n, b.n === 0 ? null : b.k / b.n]), clip: false },
      {
        name: "target",
        type: "line",
        symbol: "none",
        color: PALETTE[1],
        lineStyle: { type: "dashed" },
        data: batches.length
          ? [
              [0, target],
              [batches.at(-1)!.n, target],
            ]
          : [],
        clip: false,
      },
    ],
  };
}

/**
 * The failure probability of an importance-sampling verification after each look (runs counted from
 * the end of the pilot), on a log axis: the estimate, its interval's ends (a lower end of 0, off a log
 * axis, is left out) and the limit, 1 − target, dashed.
 */
export function failureProbabilityOption(looks: readonly { n: number; p: number; lo: number; hi: number }[], limit: number, options: { interactive?: boolean } = {}): Record<string, any> {
  const positive = (v: number) => (Number.isFinite(v) && v > 0 ? v : null);
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY },
    grid: { left: 80, right: 30, top: 50, bottom: 50 },
    legend: { top: 8, data: ["failure probability", "interval", "limit"] },
    tooltip: options.interactive ? { trigger: "axis" } : undefined,
    xAxis: { type: "value", name: "importance runs", nameLocation: "middle", nameGap: 28, min: 0, ...axisStyle },
    yAxis: { type: "log", name: "failure probability", ...axisStyle },
    series: [
      { name: "failure probability", type: "line", symbol: "circle", symbolSize: 6, color: PALETTE[0], data: looks.map((b) => [b.n, positive(b.p)]) },
      { name: "interval", type: "line", symbol: "none", color: "#93c5fd", data: looks.map((b) => [b.n, positive(b.hi)]) },
      { name: "interval", type: "line", symbol: "none", color: "#93c5fd", data: looks.map((b) => [b.n, positive(b.lo)]) },
      {
        name: "limit",
        type: "line",
        symbol: "none",
        color: PALETTE[1],
        lineStyle: { type: "dashed" },
        data: looks.length
          ? [
              [0, limit],
              [looks.at(-1)!.n, limit],
            ]
          : [],
      },
    ],
  };
}

/**
 * What a search kind's report section is given: the search's folder, `chart` (adds a chart: an
 * ECharts option made twice, static for plots/<id>.svg and .png, interactive for the page) and
 * `section` (adds a block of HTML, escaped by the caller with `escapeHtml`, after the charts).
 */
export interface SearchReportPage {
  dir: string;
  chart(id: string, title: string, make: (interactive: boolean) => Record<string, any>): void;
  section(html: string): void;
}

/**
 * A search kind's part of its report: `render` draws the result (the search file's `result`, as
 * JSON: non-finite numbers as text, read them with `searchNumber`) into the page and returns the
 * headline (HTML); `nonFinite` counts the runs whose value was NaN or ±Infinity (undefined: not
 * counted), and `nonFiniteMeaning` says what such a run meant ("never the worst").
 * Each kind's is its method's `report` (src/search/<kind>.ts, registered in src/search/registry.ts).
 */
export interface SearchReportSection {
  render(result: any, page: SearchReportPage): string;
  nonFinite(result: any): number | undefined;
  readonly nonFiniteMeaning: string;
}

/** The search file writes non-finite numbers as text ("NaN", "-Infinity"): numbers again (NaN for anything else). */
export function searchNumber(v: unknown): number {
  const d = decodeKpiValue(v);
  return typeof d === "bigint" ? Number(d) : typeof d === "number" ? d : NaN;
}

/** A value for a person: a number formatted (`formatNumber`), anything else as escaped text or JSON. */
export const show = (v: unknown) =>
  typeof v === "number" || typeof v === "string" ? (Number.isFinite(searchNumber(v)) ? formatNumber(searchNumber(v)) : escapeHtml(String(v))) : escapeHtml(JSON.stringify(v));
/** A param's value for a person (2.65 for 2.654490298389633), the exact value on hover; the search file and the commands hold it. */
export const paramValue = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && formatNumber(v) !== String(v) ? `<span title="${v}">${formatNumber(v)}</span>` : escapeHtml(String(v)));
/** Params as `name=value, …` (HTML, values as `paramValue`), or "—" for none. */
export const paramsText = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${escapeHtml(k)}=${paramValue(v)}`)
    .join(", ") || "—";
/** A fraction as a percentage with two decimals: 0.9973 → "99.73%". */
export const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * The search report's additions to the run report's style: a reproduce command (one long word of
 * params) wraps instead of widening the page, a wide table scrolls in its own box, and the chart
 * grid's columns shrink below 560 px on a narrow window.
 */
const SEARCH_CSS = `
code { overflow-wrap: anywhere; }
.scroll { max-width: 100%; overflow-x: auto; }
.charts { grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr)); }
`;

/** What `writeSearchReport` wrote: report.html and the plots (absolute paths). */
export interface WrittenSearchReport {
  html: string;
  plots: string[];
}

/**
 * Writes `report.html` and `plots/<view>.svg` (and .png unless `png: false`) in a search's folder.
 * @throws TokenspiceError SEARCH_FILE_INVALID for a folder without a search's search file
 */
export function writeSearchReport(dir: string, sectionFor: (kind: SearchKind) => SearchReportSection, options: { png?: boolean } = {}): WrittenSearchReport {
  const doc = readSearchFile(dir);
  const r = doc.result;
  const plotsDir = path.join(dir, REPORT_FILES.plots);
  const plots: string[] = [];
  const charts: { id: string; title: string; option: Record<string, any> }[] = [];
  const chart = (id: string, title: string, make: (interactive: boolean) => Record<string, any>) => {
    fs.mkdirSync(plotsDir, { recursive: true });
    const svg = renderSvg(make(false), PLOT_SIZE);
    fs.writeFileSync(path.join(plotsDir, `${id}.svg`), svg);
    plots.push(path.join(plotsDir, `${id}.svg`));
    if (options.png !== false) {
      fs.writeFileSync(path.join(plotsDir, `${id}.png`), svgToPng(svg));
      plots.push(path.join(plotsDir, `${id}.png`));
    }
    charts.push({ id, title, option: make(true) });
  };

  const sections: string[] = [];
  const section = sectionFor(doc.kind);
  const headline = section.render(r, { dir, chart, section: (html) => void sections.push(html) });

  const facts: [string, string][] = [
    ["netlist", escapeHtml(doc.netlist)],
    ["search seed", String(doc.seed)],
    ["steps", String(doc.steps)],
    ["fixed params", paramsText(doc.params)],
    ...(doc.forkBundle ? [["fork bundle", `<code>${escapeHtml(doc.forkBundle.hash)}</code> <span class="muted">(${doc.forkBundle.entries} reads)</span>`] as [string, string]] : []),
  ];
  // Runs whose objective, constraint or spec value was NaN or ±Infinity (absent from a search file older than the count)
  const nonFinite = section.nonFinite(r);
  if (typeof nonFinite === "number") {
    const meaning = section.nonFiniteMeaning;
    facts.push(["non-finite runs", `<span id="non-finite"${nonFinite ? ' style="color: var(--bad)"' : ""}>${nonFinite}</span> <span class="muted">(a value NaN or ±Infinity: ${meaning})</span>`]);
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(doc.netlist)} ${escapeHtml(doc.kind)}</title><style>${CSS}${SEARCH_CSS}</style></head>
<body><main>
<h1>${escapeHtml(doc.netlist)} <span class="muted">${escapeHtml(doc.kind)}</span></h1>
<p class="desc" id="headline">${headline}</p>
${doc.command ? `<div class="command"><code id="command">${escapeHtml(doc.command)}</code></div>` : ""}
<table class="facts">${facts.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>
${charts.length ? `<h2>Search</h2><div class="charts">${charts.map((c) => `<div class="card"><h3>${escapeHtml(c.title)}</h3><div class="links">plots/: <a href="plots/${c.id}.svg">${c.id}.svg</a>${options.png !== false ? ` · <a href="plots/${c.id}.png">png</a>` : ""}</div><div class="chart" id="chart-${c.id}"></div></div>`).join("")}</div>` : ""}
${sections.join("\n")}
<footer>Written by hardhat-tokenspice from this folder's ${SEARCH_FILE}; its runs are in runs/ (each with its own report), ${SEARCH_RUNS_FILE} lists them in the order the search asked. Rebuild with <code>npx hardhat sim-report &lt;this folder&gt;</code>.</footer>
</main>
<script id="tokenspice-data" type="application/json">${scriptJson({ charts: charts.map((c) => ({ id: c.id, option: c.option })) })}</script>
<script>${scriptText(echartsBrowserBundle("common"))}</script>
<script>${scriptText(`(function () {
  var data = JSON.parse(document.getElementById("tokenspice-data").textContent);
  var charts = {};
  data.charts.forEach(function (c) {
    var chart = echarts.init(document.getElementById("chart-" + c.id), null, { renderer: "canvas" });
    chart.setOption(c.option);
    charts[c.id] = { chart: chart, points: c.option.series.map(function (s) { return s.data.length; }) };
  });
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].chart.resize(); }); });
  window.tokenspiceReport = { charts: charts, data: data };
  document.body.dataset.ready = "true";
})();`)}</script>
</body></html>
`;
  const file = path.join(dir, REPORT_FILES.html);
  fs.writeFileSync(file, html);
  return { html: file, plots };
}
