import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { fanChartOption, heatmapOption, sweepCurveOption, HEATMAP_COLORS, type PercentileRow } from "../../src/report/bands";
import { campaignLayout, evenlySpread, pointLabel, withoutClipPaths } from "../../src/report/campaign";
import { timeAxis } from "../../src/report/charts";
import { renderSvg, stableSvgIds, svgToPng } from "../../src/report/render";
import { sweepOrder, varyingParams } from "../../src/campaign/outputs";
import { campaignSpec, kpiInfo, point } from "../campaign-fixtures";

const DAY = 86_400;
const START = 1_893_456_000;

describe("campaign views (pure)", () => {
  const axis = timeAxis({ stepSeconds: DAY, start: START }, 4);

  it("fan chart: a percentile that is null or not finite leaves a gap, in the bands and the median; a run's NaN too", () => {
    const rows: PercentileRow[] = [0, 1, 2, 3].map((t) => ({ tick: t, time: START + t * DAY, p5: t, p25: t + 1, p50: t + 2, p75: t + 3, p95: t === 2 ? Infinity : t + 4 }));
    rows[3] = { ...rows[3], p5: null, p25: null, p50: null, p75: null, p95: null };
    const option = fanChartOption(rows, kpiInfo("k"), {
      axis,
      runs: [
        {
          name: "r0",
          points: [
            [START, 1],
            [START + DAY, NaN],
            [START + 2 * DAY, 3],
            [START + 3 * DAY, null],
          ],
        },
      ],
    });
    const series = (name: string) => option.series.find((s: any) => s.name === name).data.map((d: number[]) => d[1]);
    expect(series("p5–p95 (lower)")).to.deep.equal([0, 1, null, null]); // the outer band breaks where p95 is infinite
    expect(series("p25–p75")).to.deep.equal([2, 2, 2, null]);
    expect(series("median")).to.deep.equal([2, 3, 4, null]);
    expect(series("runs")).to.deep.equal([1, null, 3, null]);
    // finite levels are still checked for order
    expect(() => fanChartOption([{ ...rows[0], p25: -5 }], kpiInfo("k"), { axis })).to.throw(TokenspiceError, /p5=0 > p25=-5/);
  });

  it("interactive views have no title (the page's card has it), zoom on fan charts, and keep their clip; static ones draw unclipped", () => {
    const rows: PercentileRow[] = [{ tick: 0, time: START, p5: 1, p25: 2, p50: 3, p75: 4, p95: 5 }];
    const page = fanChartOption(rows, kpiInfo("k"), { axis, interactive: true });
    expect(page.title).to.equal(undefined);
    expect(page.dataZoom).to.have.length(2);
    expect(page.series.every((s: any) => s.clip === undefined)).to.equal(true);
    const plot = fanChartOption(rows, kpiInfo("k"), { axis });
    expect(plot.title.text).to.equal("k");
    expect(plot.series.every((s: any) => s.clip === false)).to.equal(true);
    const sweep = sweepCurveOption([{ x: 1, p5: 1, p25: 1, p50: 1, p75: 1, p95: 1 }], { name: "fee", numeric: true }, kpiInfo("k"), { interactive: true });
    expect([sweep.title, sweep.dataZoom]).to.deep.equal([undefined, undefined]);
  });

  it("heatmap: categories in the given order, each cell scaled by decimals and labelled, empty cells counted, the colour scale from min to max", () => {
    const kpi = kpiInfo("treasury", { unit: "OCEAN", decimals: 18, label: "Treasury" });
    const cells = [
      { x: 0, y: 0, value: 2n * 10n ** 18n },
      { x: 1, y: 0, value: 5n * 10n ** 18n },
      { x: 0, y: 1, value: null },
      { x: 1, y: 1, value: 35n * 10n ** 17n },
    ];
    const option = heatmapOption(cells, { name: "fee", values: [30, 5] }, { name: "schedule", values: ["exp", "linear"] }, kpi);
    expect(option.xAxis.data).to.deep.equal(["30", "5"]);
    expect(option.yAxis.data).to.deep.equal(["exp", "linear"]);
    expect(option.series[0].data.map((d: any) => d.value)).to.deep.equal([
      [0, 0, 2],
      [1, 0, 5],
      [0, 1, "-"],
      [1, 1, 3.5],
    ]);
    expect(option.series[0].data.map((d: any) => d.label?.formatter ?? null)).to.deep.equal(["2", "5", null, "3.5"]);
    expect([option.visualMap.min, option.visualMap.max]).to.deep.equal([2, 5]);
    expect(option.visualMap.inRange.color).to.deep.equal(HEATMAP_COLORS);
    expect(option.title.subtext).to.equal("unit: OCEAN · median of the final values · 1 cell without a complete run");
    expect(() => heatmapOption([{ x: 2, y: 0, value: 1 }], { name: "a", values: [1, 2] }, { name: "b", values: [1] }, kpi)).to.throw(TokenspiceError, /outside the 2 × 1 grid/);
    // A grid larger than 12 × 12 is not labelled (the labels would not fit).
    const big = Array.from({ length: 13 }, (_, i) => i);
    expect(heatmapOption([{ x: 0, y: 0, value: 1 }], { name: "a", values: big }, { name: "b", values: [1] }, kpi).series[0].data[0].label).to.equal(undefined);
  });

  it("static plots: SVG ids depend only on the chart, clip paths removed; the SVG still renders to PNG", () => {
    const option = fanChartOption(
      [0, 1].map((t) => ({ tick: t, time: START + t * DAY, p5: t, p25: t + 1, p50: t + 2, p75: t + 3, p95: t + 4 })),
      kpiInfo("k"),
      { axis },
    );
    renderSvg({ animation: false, xAxis: { type: "value" }, yAxis: { type: "value" }, series: [{ type: "line", data: [[0, 1]] }] }); // moves ECharts' global counters on
    const a = renderSvg(option);
    const b = renderSvg(option);
    expect(a).to.equal(b);
    expect(stableSvgIds('<g class="zr7-cls-12"><g class="zr7-cls-3" clip-path="url(#zr7-c0)"><g class="zr7-cls-12">')).to.equal(
      '<g class="zr0-cls-0"><g class="zr0-cls-1" clip-path="url(#zr0-c0)"><g class="zr0-cls-0">',
    );
    expect(a).to.contain("clip-path=");
    const bare = withoutClipPaths(a);
    expect(bare).not.to.contain("clip-path").and.not.to.contain("<clipPath");
    expect(svgToPng(bare).subarray(1, 4).toString()).to.equal("PNG");
  });

  it("layout: one point is a Monte Carlo; one axis (or zipped axes) a sweep curve; two crossed axes a grid; the rest neither", () => {
    expect(campaignLayout(campaignSpec(), 1).kind).to.equal("single");
    expect(campaignLayout(campaignSpec({ sweep: [{ param: "a", values: [1, 2] }] }), 2)).to.deep.include({ kind: "sweep", zipped: [] });
    expect(
      campaignLayout(
        campaignSpec({
          zip: true,
          sweep: [
            { param: "a", values: [1, 2] },
            { param: "b", values: [3, 4] },
          ],
        }),
        2,
      ),
    ).to.deep.include({ kind: "sweep", zipped: ["b"] });
    expect(
      campaignLayout(
        campaignSpec({
          sweep: [
            { param: "a", values: [1, 2] },
            { param: "b", values: [3, 4] },
          ],
        }),
        4,
      ).kind,
    ).to.equal("grid");
    expect(campaignLayout(campaignSpec({ sweep: ["a", "b", "c"].map((param) => ({ param, values: [1, 2] })) }), 8)).to.deep.equal({ kind: "other", why: "it crosses 3 axes" });
    expect(campaignLayout(campaignSpec({ sample: { method: "lhs", samples: 5, over: ["a"] } }), 5)).to.deep.equal({ kind: "other", why: "its params are sampled (lhs)" });
  });

  it("sweep order: by each axis' listed order, then sampled values, then key; fan points spread evenly", () => {
    const spec = campaignSpec({
      sweep: [
        { param: "fee", values: [30, 5] },
        { param: "mode", values: ["b", "a"] },
      ],
    });
    const points = [point("p-1", { fee: 5, mode: "a" }), point("p-2", { fee: 30, mode: "a" }), point("p-3", { fee: 5, mode: "b" }), point("p-4", { fee: 30, mode: "b" })];
    expect(sweepOrder({ spec, points }).map((p) => p.key)).to.deep.equal(["p-4", "p-2", "p-3", "p-1"]);
    expect(varyingParams({ spec: campaignSpec({ sample: { method: "random", samples: 2, over: ["z", "a"] } }), points: [point("p", { a: 1, z: 2, extra: 3 })] })).to.deep.equal(["z", "a", "extra"]);
    expect(evenlySpread([...Array(10).keys()], 3)).to.deep.equal([0, 5, 9]);
    expect(evenlySpread([1, 2], 3)).to.deep.equal([1, 2]);
    expect(pointLabel(point("p-x", { fee: 5, mode: "a" }))).to.equal("fee=5, mode=a");
    expect(pointLabel(point("p-x", {}))).to.equal("p-x");
  });

  it("zipped lists that repeat a value: points in the lists' order, the curve against a list without repeats (or none)", () => {
    const spec = campaignSpec({
      zip: true,
      sweep: [
        { param: "fee", values: [30, 5, 30] },
        { param: "vol", values: [0.8, 0.2, 0.2] },
      ],
    });
    const points = [point("p-1", { fee: 30, vol: 0.2 }), point("p-2", { fee: 5, vol: 0.2 }), point("p-3", { fee: 30, vol: 0.8 })];
    expect(sweepOrder({ spec, points }).map((p) => p.key)).to.deep.equal(["p-3", "p-2", "p-1"]);
    // fee repeats 30 and vol repeats 0.2: no list can be the curve's x without two points at one x
    expect(campaignLayout(spec, 3)).to.deep.equal({ kind: "other", why: "each of its zipped lists repeats a value" });
    const xSecond = campaignSpec({
      zip: true,
      sweep: [
        { param: "fee", values: [30, 30] },
        { param: "vol", values: [0.2, 0.8] },
      ],
    });
    expect(campaignLayout(xSecond, 2)).to.deep.include({ kind: "sweep", zipped: ["fee"] });
    expect((campaignLayout(xSecond, 2) as { axis: { param: string } }).axis.param).to.equal("vol");
  });
});
