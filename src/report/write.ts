import fs from "fs";
import path from "path";
import { kpiChartOption, kpiCharts } from "./charts";
import { readRunData } from "./data";
import { renderRunHtml } from "./html";
import { renderSvg, svgToPng } from "./render";

/** The report's files in a run folder: the page and the folder of charts. */
export const REPORT_FILES = { html: "report.html", plots: "plots" } as const;

/** How `writeRunReport` writes a run's report. */
export interface ReportOptions {
  /** Also rasterise each chart to PNG (for slides). Default true. */
  png?: boolean;
  /** Names the tool and version in the footer. */
  generator?: string;
}

/** What `writeRunReport` wrote. */
export interface WrittenReport {
  /** Absolute path of report.html. */
  html: string;
  /** Absolute paths of the plots written (SVG, then PNG, per chart). */
  plots: string[];
}

/**
 * Writes a run folder's charts and report from its files alone: `plots/<kpi or group>.svg` and
 * `.png` per chart, and a self-contained `report.html`. Replaces plots and a report written before;
 * touches nothing else. Throws a `TokenspiceError` when `dir` is not a run folder.
 */
export function writeRunReport(dir: string, options: ReportOptions = {}): WrittenReport {
  const data = readRunData(dir);
  const charts = kpiCharts(data);
  const plotsDir = path.join(dir, REPORT_FILES.plots);
  removeReport(dir);
  fs.mkdirSync(plotsDir, { recursive: true });
  const plots: string[] = [];
  for (const chart of charts.charts) {
    const svg = renderSvg(kpiChartOption(chart, charts.axis, { interactive: false }));
    const svgFile = path.join(plotsDir, `${chart.id}.svg`);
    fs.writeFileSync(svgFile, svg);
    plots.push(svgFile);
    if (options.png !== false) {
      const pngFile = path.join(plotsDir, `${chart.id}.png`);
      fs.writeFileSync(pngFile, svgToPng(svg));
      plots.push(pngFile);
    }
  }
  const html = path.join(dir, REPORT_FILES.html);
  fs.writeFileSync(html, renderRunHtml(data, charts, { generator: options.generator }));
  return { html: path.resolve(html), plots: plots.map((p) => path.resolve(p)) };
}

/**
 * Removes a report written before: report.html, and the SVG and PNG files in plots/ (the folder
 * too, once empty). A re-run with --force and --no-report must not leave a stale report behind.
 */
export function removeReport(dir: string): void {
  fs.rmSync(path.join(dir, REPORT_FILES.html), { force: true });
  const plotsDir = path.join(dir, REPORT_FILES.plots);
  if (!fs.existsSync(plotsDir)) return;
  for (const f of fs.readdirSync(plotsDir)) if (/\.(svg|png)$/.test(f)) fs.rmSync(path.join(plotsDir, f), { force: true });
  if (fs.readdirSync(plotsDir).length === 0) fs.rmdirSync(plotsDir);
}
