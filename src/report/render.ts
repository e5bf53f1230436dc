import fs from "fs";
import { textWidth } from "./charts";
import { formatAxis } from "./format";

/** Size of the static charts in plots/ (CSS pixels); PNGs are rendered at twice that, for slides. */
export const PLOT_SIZE = { width: 900, height: 420 };
export const PNG_SCALE = 2;

type ECharts = typeof import("echarts");
let echartsModule: ECharts | undefined;
function echarts(): ECharts {
  if (!echartsModule) {
    echartsModule = require("echarts") as ECharts;
    // With no canvas in Node, ECharts lays text out with Helvetica's widths; the PNG may be drawn in
    // DejaVu Sans (the one font many Linux machines have), which is wider, and a legend's labels
    // would overlap. Measure as DejaVu Sans does: layouts get a little looser in narrower fonts.
    echartsModule.setPlatformAPI({ measureText: (text: string, font?: string) => ({ width: textWidth(text, font) }) });
  }
  return echartsModule;
}

/** Loads ECharts (≈0.2 s the first time) without rendering anything: `warmCampaignOutputs`. */
export function loadRenderer(): void {
  echarts();
}

/**
 * Renders an ECharts option to an SVG string in Node, with no browser and no DOM: ECharts'
 * server-side SVG renderer. Adds the y axis number formatter (functions cannot travel as JSON).
 */
export function renderSvg(option: Record<string, any>, size = PLOT_SIZE): string {
  const chart = echarts().init(null as any, null, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  try {
    const withFormatters = { ...option, yAxis: { ...option.yAxis, axisLabel: { ...option.yAxis?.axisLabel, formatter: (v: number) => formatAxis(v) } } };
    chart.setOption(withFormatters);
    return stableSvgIds(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts numbers each chart (`zr3-`) and each CSS class (`zr3-cls-41`) with counters global to
 * the process, so the same chart drawn after others would differ byte for byte. Renumbered here
 * from the SVG alone (the chart as `zr0`, its classes from 0 in order of first use), a plot
 * depends only on its option: a campaign's plots are the same whichever process draws them.
 */
export function stableSvgIds(svg: string): string {
  const classes = new Map<string, number>();
  return svg
    .replace(/\bzr\d+-cls-(\d+)\b/g, (_m, n: string) => {
      if (!classes.has(n)) classes.set(n, classes.size);
      return `zr0-cls-${classes.get(n)}`;
    })
    .replace(/\bzr\d+-/g, "zr0-");
}

/**
 * An invisible 1 × 1 rectangle at the canvas's origin, put first in every group: resvg 2.6
 * (`@resvg/resvg-js`) panics, aborting the whole process, on a group it must composite (clipped,
 * masked, translucent) whose content lies wholly off the canvas (`geom.rs: Option::unwrap() on a
 * None value`): a line series drawn with `clip: false` beyond its axis is one. With the anchor in
 * it, every group's bounding box meets the canvas. The charts' groups carry no `transform` (ECharts
 * puts transforms on the shapes), so the anchor stays at the origin.
 */
const GROUP_ANCHOR = '<rect width="1" height="1" fill-opacity="0"/>';

/** Rasterises an SVG to PNG with resvg (Rust, no browser), at `scale` times its size, on white. */
export function svgToPng(svg: string, scale = PNG_SCALE): Buffer {
  const { Resvg } = require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
  const resvg = new Resvg(
    svg.replace(/<g\b[^>]*>/g, (open) => open + GROUP_ANCHOR),
    {
      fitTo: { mode: "zoom", value: scale },
      background: "#ffffff",
      font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    },
  );
  return resvg.render().asPng();
}

/**
 * ECharts' browser build, read from node_modules when the report is written, to inline into
 * report.html (no CDN, no network). "common" (line, bar, scatter, pie; tooltip, legend, dataZoom,
 * toolbox; about 0.7 MB) draws every view of a run; "full" (about 1.1 MB) adds heatmaps and more.
 */
export function echartsBrowserBundle(build: "common" | "full" = "common"): string {
  const file = require.resolve(build === "full" ? "echarts/dist/echarts.min.js" : "echarts/dist/echarts.common.min.js");
  return fs.readFileSync(file, "utf8");
}
