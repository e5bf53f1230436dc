import { kpiChartOption, type RunCharts } from "./charts";
import { activityByType, groupReverts, type RevertGroup, type RunReportData } from "./data";
import { formatAxis, formatNumber, formatParam, formatValue, plural, scaled, timeLabel, versionsText, withUnit } from "./format";
import { echartsBrowserBundle } from "./render";
import { KPIS_CSV_FILE } from "../output/formats/kpis-csv";
import { REVERTS_CSV_FILE } from "../output/formats/reverts-csv";
import { RUN_MANIFEST_FILE } from "../output/formats/run-manifest";
import { RUN_RESULT_FILE } from "../output/formats/run-result";

/** Revert groups listed in the report (the most frequent first); the rest are counted. */
const MAX_REVERT_ROWS = 200;

/** Text for HTML. Takes only what reads well as text: an object must be described first (no `[object Object]`). */
export function escapeHtml(text: string | number | bigint | boolean): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v))
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** JavaScript that is safe inside a <script> element: every `</script` escaped as `<\/script`. */
export function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}

/** The reports' style sheet (the run's and the campaign's). */
export const CSS = `
:root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --accent: #2563eb; --bad: #b91c1c; --ok: #15803d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { margin: 0; font-size: 26px; }
h2 { margin: 32px 0 10px; font-size: 19px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 0 0 2px; font-size: 15px; }
.desc { margin: 4px 0 0; color: var(--muted); font-size: 15px; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; vertical-align: middle; margin-left: 8px; color: #fff; background: var(--ok); }
.status.failed, .status.running, .status.unknown { background: var(--bad); }
table { border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f1f5f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.facts th { background: none; width: 150px; color: var(--muted); font-weight: 500; }
.command { display: flex; gap: 8px; align-items: center; margin: 12px 0; }
.command code { flex: 1; background: #0f172a; color: #e2e8f0; padding: 8px 12px; border-radius: 6px; overflow-x: auto; white-space: nowrap; font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
button { font: inherit; padding: 6px 14px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; cursor: pointer; }
.error { background: #fef2f2; border: 1px solid #fecaca; color: var(--bad); padding: 10px 14px; border-radius: 6px; white-space: pre-wrap; font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
.changed { font-weight: 600; color: var(--accent); }
.muted { color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 6px; min-width: 0; }
.example { color: var(--muted); font-size: 12px; word-break: break-all; }
.card .doc { color: var(--muted); font-size: 12.5px; margin: 0 0 4px; white-space: pre-line; }
.card details.doc summary { margin: 0; font-size: 12.5px; }
.card .links { font-size: 12px; color: var(--muted); margin: 2px 0 4px; }
.chart { height: 340px; width: 100%; }
.wide { width: 100%; }
details summary { cursor: pointer; color: var(--accent); margin: 8px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
a { color: var(--accent); }
`;

/**
 * The code of report.html: builds every chart from the embedded data, adds the tooltip (tick,
 * sim time, each series' value with its unit) and axis formatters, wires the copy button, and
 * exposes `window.tokenspiceReport` ({ charts: { <id>: { chart, points, kpis } }, data }) for
 * tests and the curious.
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
  var axis = data.axis;
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  var charts = {};
  data.charts.forEach(function (c) {
    var el = document.getElementById("chart-" + c.id);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option = c.option;
    option.yAxis.axisLabel.formatter = formatAxis;
    option.tooltip.formatter = function (params) {
      if (!params.length) return "";
      var i = params[0].dataIndex;
      var html = "<b>tick " + data.ticks[i] + "</b> · " + esc(timeLabel(data.times[i], axis.start, axis.unit, axis.seconds));
      params.forEach(function (p) {
        var s = c.series[p.seriesIndex];
        var y = p.value[1];
        var shown = y === null || y === undefined ? (c.scale === "log" ? "≤ 0 (not drawn on a log axis)" : "—") : esc(withUnit(formatNumber(y), s.unit));
        html += '<br>' + p.marker + esc(p.seriesName) + ': <b class="tooltip-value">' + shown + "</b>";
      });
      return html;
    };
    chart.setOption(option);
    charts[c.id] = { chart: chart, points: option.series.map(function (s) { return s.data.length; }), kpis: c.series.map(function (s) { return s.kpi; }) };
  });
  (data.extra || []).forEach(function (c) {
    var chart = echarts.init(document.getElementById("chart-" + c.id), null, { renderer: "canvas" });
    c.option.xAxis.axisLabel = { formatter: formatAxis, hideOverlap: true };
    chart.setOption(c.option);
    charts[c.id] = { chart: chart, points: c.option.series.map(function (s) { return s.data.length; }), kpis: [] };
  });
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].chart.resize(); }); });
  var button = document.getElementById("copy-command");
  if (button) button.addEventListener("click", function () {
    var text = document.getElementById("command").textContent;
    function done(ok) { button.textContent = ok ? "Copied" : "Select and copy"; setTimeout(function () { button.textContent = "Copy"; }, 1500); }
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById("command"));
      var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      var ok = false; try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    else fallback();
  });
  window.tokenspiceReport = { charts: charts, data: data };
  document.body.setAttribute("data-ready", "true");
})();
`;
}

/** A param's type and range as the reports show it: "int in [0, 100]", "one of "a", "b"". */
export function paramRange(spec: NonNullable<RunReportData["paramSpecs"]>[string]): string {
  switch (spec.type) {
    case "int":
    case "float":
      return `${spec.type} in [${spec.min === undefined || spec.min === null ? "−∞" : formatParam(spec.min)}, ${spec.max === undefined || spec.max === null ? "∞" : formatParam(spec.max)}]`;
    case "choice":
      return `one of ${(spec.choices ?? []).map((c) => JSON.stringify(c)).join(", ")}`;
    default:
      return spec.type;
  }
}

function durationText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${formatNumber(Number((ms / 60_000).toFixed(1)))} min`;
}

/** `1 day`, `2.5 days`, `1 hour`: an amount of a time unit (its plural name), singular for exactly 1. */
export function inUnit(amount: number, unitName: string): string {
  return `${formatNumber(amount)} ${amount === 1 ? unitName.replace(/s$/, "") : unitName}`;
}

/** A `title` attribute with a number's exact value, when the shown one is rounded. */
export function exactTitle(v: unknown): string {
  return typeof v === "number" && Number(formatParam(v).replace(/,/g, "")) !== v ? ` title="${escapeHtml(String(v))}"` : "";
}

function facts(data: RunReportData, charts: RunCharts): string {
  const { unit } = charts.axis;
  const step = data.time.stepSeconds / unit.seconds;
  const horizon = charts.axis.end;
  const versions = escapeHtml(versionsText(data.versions));
  const rows: [string, string][] = [
    ["netlist", `${escapeHtml(data.netlist.name)}${data.netlist.file ? ` <span class="muted">(${escapeHtml(data.netlist.file)})</span>` : ""}`],
    ["seed", escapeHtml(data.seed)],
    ["steps", `${plural(data.steps, "tick")} of ${formatNumber(data.time.stepSeconds)} s (${inUnit(step, unit.name)} each; ${inUnit(horizon, unit.name)} in all)`],
    ["ticks run", escapeHtml(data.ticks.toLocaleString("en-US"))],
    ["sim start", escapeHtml(new Date(data.time.start * 1000).toISOString().replace(".000Z", "Z"))],
    ["network", escapeHtml(data.network)],
    ["started", escapeHtml(data.startedAt ?? "—")],
    ["wall time", escapeHtml(durationText(data.durationMs))],
    ["versions", versions || "—"],
    ["git", data.git ? `${escapeHtml(data.git.commit)}${data.git.dirty ? " (uncommitted changes)" : ""}` : "—"],
  ];
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>`;
}

function paramsTable(data: RunReportData): string {
  const names = Object.keys(data.params);
  if (names.length === 0) return `<p class="muted">This netlist has no params.</p>`;
  const specs = data.paramSpecs;
  const rows = names.map((name) => {
    const value = data.params[name];
    const spec = specs?.[name];
    const changed = spec !== undefined && spec.default !== value;
    return `<tr><td><code>${escapeHtml(name)}</code></td><td class="num${changed ? " changed" : ""}"${exactTitle(value)}>${escapeHtml(formatParam(value))}</td><td class="num"${spec ? exactTitle(spec.default) : ""}>${spec ? escapeHtml(formatParam(spec.default)) : "—"}</td><td>${spec ? escapeHtml(spec.kind) : "—"}</td><td>${spec ? escapeHtml(paramRange(spec)) : "—"}</td><td>${spec?.doc ? escapeHtml(spec.doc) : ""}</td></tr>`;
  });
  return `<table class="wide"><thead><tr><th>param</th><th>value</th><th>default</th><th>kind</th><th>type</th><th>doc</th></tr></thead><tbody>${rows.join("")}</tbody></table>${specs ? `<p class="muted">Values in <span class="changed">blue</span> differ from the default.</p>` : `<p class="muted">This run's manifest has no param specs (written by an older version).</p>`}`;
}

function kpiSummary(data: RunReportData): string {
  const rows = data.kpis.map((k) => {
    const values = data.samples.values[k.name] ?? [];
    if (values.length === 0)
      return `<tr><td>${escapeHtml(k.label)}<br><code class="muted">${escapeHtml(k.name)}</code></td><td colspan="4" class="muted">no samples</td><td>${escapeHtml(k.doc)}</td></tr>`;
    let min = values[0];
    let max = values[0];
    let sum = 0;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += Number(v);
    }
    const show = (v: number | bigint) => escapeHtml(formatValue(v, k));
    const mean = escapeHtml(withUnit(formatNumber(scaled(sum / values.length, k.decimals)), k.unit));
    return `<tr><td>${escapeHtml(k.label)}<br><code class="muted">${escapeHtml(k.name)}</code></td><td class="num">${show(values[values.length - 1])}</td><td class="num">${show(min)}</td><td class="num">${show(max)}</td><td class="num">${mean}</td><td>${escapeHtml(k.doc)}</td></tr>`;
  });
  return `<table class="wide"><thead><tr><th>KPI</th><th>final</th><th>min</th><th>max</th><th>mean</th><th>what it measures</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function revertTable(groups: RevertGroup[], id: string, byType: boolean): string {
  const shown = groups.slice(0, MAX_REVERT_ROWS);
  const rows = shown.map(
    (g) =>
      `<tr><td>${escapeHtml(g.agent)}${byType && g.agents > 1 ? ` <span class="muted">(${g.agents} agents)</span>` : ""}</td><td><code>${escapeHtml(g.reason)}</code>${g.example !== g.reason ? `<div class="example">e.g. ${escapeHtml(g.example)}</div>` : ""}</td><td>${g.calls.map((c) => `<code>${escapeHtml(c)}</code>`).join(", ")}</td><td class="num">${g.count.toLocaleString("en-US")}</td><td class="num">${g.firstTick}</td><td class="num">${g.lastTick}</td></tr>`,
  );
  const more = groups.length > shown.length ? `<p class="muted">${plural(groups.length - shown.length, "more group")} (every revert is in ${REVERTS_CSV_FILE}).</p>` : "";
  return `<table class="wide" id="${id}"><thead><tr><th>agent</th><th>reason</th><th>calls</th><th>count</th><th>first tick</th><th>last tick</th></tr></thead><tbody>${rows.join("")}</tbody></table>${more}`;
}

function revertsSection(data: RunReportData): string {
  if (data.reverts.length === 0) return `<p>No agent transaction reverted.</p>`;
  const byAgent = groupReverts(data.reverts);
  const byType = groupReverts(data.reverts, true);
  const intro = `<p>${plural(data.reverts.length, "reverted agent transaction")}: custom errors are grouped by name, whatever their arguments.</p>`;
  if (byType.every((g) => g.agents === 1)) return intro + revertTable(byAgent, "revert-groups", false);
  return `${intro}<p class="muted">By agent type (agents named <code>type-n</code> together) and reason:</p>${revertTable(byType, "revert-groups", true)}
<details><summary>By agent and reason (${plural(byAgent.length, "group")})</summary>${revertTable(byAgent, "revert-groups-by-agent", false)}</details>`;
}

function gasText(gas: bigint | null): string {
  return gas === null ? "—" : gas.toLocaleString("en-US");
}

function agentsSection(data: RunReportData): { html: string; chart?: Record<string, any>; height?: number } {
  if (data.agents.length === 0) return { html: `<p>No agent sent a transaction.</p>` };
  const recorded = data.agents.some((a) => a.transactions !== null);
  const types = activityByType(data.agents);
  const row = (a: { agent: string; transactions: number | null; reverts: number; gasUsed: bigint | null }, count?: number) =>
    `<tr><td>${escapeHtml(a.agent)}${count !== undefined && count > 1 ? ` <span class="muted">(${count} agents)</span>` : ""}</td><td class="num">${a.transactions === null ? "—" : a.transactions.toLocaleString("en-US")}</td><td class="num">${a.reverts.toLocaleString("en-US")}</td><td class="num">${gasText(a.gasUsed)}</td><td class="num">${a.gasUsed !== null && a.transactions ? gasText(a.gasUsed / BigInt(a.transactions)) : "—"}</td></tr>`;
  const head = `<thead><tr><th>agent</th><th>transactions</th><th>reverted</th><th>gas used</th><th>gas per transaction</th></tr></thead>`;
  const note = recorded
    ? ""
    : `<p class="muted">The run did not finish, so transactions and gas per agent were not recorded (${RUN_RESULT_FILE} is written at the end); reverts are counted from ${REVERTS_CSV_FILE}.</p>`;
  const html = `${note}<table class="wide" id="agent-types">${head}<tbody>${types.map((t) => row(t, t.agents)).join("")}</tbody></table>
${types.length < data.agents.length ? `<details><summary>Every agent (${data.agents.length})</summary><table class="wide">${head}<tbody>${data.agents.map((a) => row(a)).join("")}</tbody></table></details>` : ""}`;
  if (!recorded) return { html };
  const sorted = [...types].sort((a, b) => Number((b.gasUsed ?? 0n) - (a.gasUsed ?? 0n)));
  const chart = {
    animation: false,
    backgroundColor: "#ffffff",
    grid: { left: 12, right: 40, top: 12, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", name: "gas" },
    yAxis: { type: "category", inverse: true, data: sorted.map((t) => t.agent) },
    series: [{ type: "bar", name: "gas used", data: sorted.map((t) => Number(t.gasUsed ?? 0n)), itemStyle: { color: "#2563eb" } }],
  };
  return { html, chart, height: Math.max(120, 40 + sorted.length * 26) };
}

/**
 * report.html of one run, self-contained: ECharts' browser build and the data are inlined, so it
 * opens from file:// with no network. `charts` are the run's KPI charts (from `kpiCharts`).
 */
export function renderRunHtml(data: RunReportData, charts: RunCharts, options: { generator?: string; plotLinks?: boolean } = {}): string {
  const title = `${data.netlist.name} · seed ${data.seed}`;
  const chartCards = charts.charts
    .map((c) => {
      const links =
        options.plotLinks === false
          ? ""
          : `<div class="links">plots/<a href="plots/${encodeURIComponent(c.id)}.svg">${escapeHtml(c.id)}.svg</a> · <a href="plots/${encodeURIComponent(c.id)}.png">png</a>${c.unit ? ` · unit: ${escapeHtml(c.unit)}` : ""}${c.scale === "log" ? " · log scale" : c.logRequested ? " · linear scale (values span less than 10×)" : ""}</div>`;
      const doc = !c.doc ? "" : c.series.length > 1 ? `<details class="doc"><summary>What these measure</summary>${escapeHtml(c.doc)}</details>` : `<p class="doc">${escapeHtml(c.doc)}</p>`;
      return `<div class="card" data-chart="${escapeHtml(c.id)}"><h3>${escapeHtml(c.title)}</h3>${links}${doc}<div class="chart" id="chart-${escapeHtml(c.id)}"></div></div>`;
    })
    .join("\n");
  const agents = agentsSection(data);
  const extra = agents.chart ? [{ id: "__gas", option: agents.chart }] : [];
  const payload = {
    axis: { unit: charts.axis.unit.name, seconds: charts.axis.unit.seconds, start: charts.axis.start },
    ticks: charts.ticks,
    times: charts.times,
    charts: charts.charts.map((c) => ({
      id: c.id,
      scale: c.scale,
      series: c.series.map((s) => ({ kpi: s.kpi.name, unit: s.kpi.unit })),
      option: kpiChartOption(c, charts.axis, { interactive: true }),
    })),
    extra,
  };
  const status =
    data.status === "complete"
      ? ""
      : `<div class="error">This run ${data.status === "failed" ? "failed" : `did not finish (status "${escapeHtml(data.status)}")`}${data.error ? `:\n${escapeHtml(data.error)}` : ""}\n\nThe report shows what was recorded until then.</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — hardhat-tokenspice report</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(data.netlist.name)}<span class="status ${escapeHtml(data.status)}">${escapeHtml(data.status)}</span></h1>
<p class="desc">${escapeHtml(data.netlist.description)}</p>
</header>
<section id="run">
<h2>Run</h2>
${status}
<div class="command"><code id="command">${escapeHtml(data.command)}</code><button id="copy-command" type="button">Copy</button></div>
${facts(data, charts)}
</section>
<section id="params">
<h2>Params</h2>
${paramsTable(data)}
</section>
<section id="kpis">
<h2>KPIs</h2>
<p class="muted">Hover a chart for each value at a tick; scroll or drag the slider to zoom; click a legend entry to hide or show its series. Values are scaled by each KPI's decimals; ${KPIS_CSV_FILE} holds them exactly.</p>
<div class="charts">
${chartCards}
</div>
<h3 style="margin-top:20px">Summary</h3>
${kpiSummary(data)}
</section>
<section id="reverts">
<h2>Reverts</h2>
${revertsSection(data)}
</section>
<section id="agents">
<h2>Transactions and gas</h2>
${agents.chart ? `<div class="card"><h3>Gas used by agent type</h3><div class="chart" id="chart-__gas" style="height:${agents.height}px"></div></div>` : ""}
${agents.html}
</section>
<footer>
Written by ${escapeHtml(options.generator ?? "hardhat-tokenspice")} from this folder's ${RUN_MANIFEST_FILE}, ${KPIS_CSV_FILE}, ${REVERTS_CSV_FILE} and ${RUN_RESULT_FILE}; rebuild it with <code>npx hardhat sim-report &lt;this folder&gt;</code>.
</footer>
</main>
<script>${scriptText(echartsBrowserBundle("common"))}</script>
<script type="application/json" id="tokenspice-data">${scriptJson(payload)}</script>
<script>${scriptText(clientScript())}</script>
</body>
</html>
`;
}
