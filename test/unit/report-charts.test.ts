import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import type { KpiInfo } from "../../src/model/kpi";
import { TokenspiceError } from "../../src/errors";
import { fanChartOption, sweepCurveOption, type PercentileRow } from "../../src/report/bands";
import { effectiveScale, kpiChartOption, kpiCharts, legendRows, timeAxis } from "../../src/report/charts";
import { groupReverts, readRunData, reasonKind, activityByType, type RevertRow } from "../../src/report/data";
import { escapeHtml, renderRunHtml } from "../../src/report/html";
import { renderSvg, svgToPng } from "../../src/report/render";
import { yieldOption } from "../../src/report/search";

const DAY = 86_400;
const START = 1_893_456_000;
const kpi = (name: string, extra: Partial<KpiInfo> = {}): KpiInfo => ({ name, label: name, unit: "", decimals: 0, scale: "linear", group: null, doc: "", ...extra });

describe("report charts (pure)", () => {
  const data = {
    steps: 4,
    time: { stepSeconds: DAY, start: START },
    kpis: [
      kpi("supply", { label: "Supply", unit: "T", decimals: 18, group: "Tokens" }),
      kpi("price", { label: "Price", unit: "USD", scale: "log" }),
      kpi("burned", { label: "Burned", unit: "T", decimals: 18, group: "Tokens" }),
      kpi("odd name/with slash", { label: "Odd" }),
    ],
    samples: {
      ticks: [0, 1, 2, 3, 4],
      times: [0, 1, 2, 3, 4].map((t) => START + t * DAY),
      values: {
        supply: [0n, 10n ** 18n, 2n * 10n ** 18n, 25n * 10n ** 17n, 3n * 10n ** 18n],
        price: [0, 2, 40, -1, 80],
        burned: [0n, 0n, 5n * 10n ** 17n, 10n ** 18n, 10n ** 18n],
        "odd name/with slash": [1, 2, 3, 4, 5],
      },
    },
  };

  it("gives a group one chart with its KPIs in declared order, others a chart each, in order of first KPI", () => {
    const { charts, axis } = kpiCharts(data);
    expect(charts.map((c) => c.id)).to.deep.equal(["Tokens", "price", "odd_name_with_slash"]);
    expect(charts[0].series.map((s) => s.kpi.name)).to.deep.equal(["supply", "burned"]);
    expect(axis.unit.name).to.equal("days");
    expect(axis.end).to.equal(4);
    expect(charts[0].series[0].data).to.deep.equal([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 2.5],
      [4, 3],
    ]);
    expect(charts[0].unit).to.equal("T");
  });

  it("leaves values ≤ 0 off a log chart, and counts them", () => {
    const price = kpiCharts(data).charts[1];
    expect(price.series[0].data.map((p) => p[1])).to.deep.equal([null, 2, 40, null, 80]);
    expect(price.hidden).to.equal(2);
    const option = kpiChartOption(price, timeAxis(data.time, data.steps), { interactive: false });
    expect(option.yAxis.type).to.equal("log");
    expect(option.title.subtext).to.contain("2 values ≤ 0 not drawn");
  });

  it("draws a log KPI on a linear axis when its values span less than a factor of 10, and says so", () => {
    expect(effectiveScale("log", [1500, 2100, 0, -3])).to.equal("linear");
    expect(effectiveScale("log", [150, 2100])).to.equal("log");
    expect(effectiveScale("log", [0, -1])).to.equal("linear");
    expect(effectiveScale("linear", [1, 1e9])).to.equal("linear");
    const narrow = { ...data, samples: { ...data.samples, values: { ...data.samples.values, price: [0, 2, 4, -1, 8] } } };
    const price = kpiCharts(narrow).charts[1];
    expect(price.scale).to.equal("linear");
    expect(price.series[0].data.map((p) => p[1])).to.deep.equal([0, 2, 4, -1, 8]);
    expect(kpiChartOption(price, timeAxis(data.time, data.steps), { interactive: false }).title.subtext).to.contain("linear scale (values span less than 10×)");
  });

  it("wraps a static plot's legend (an image cannot page it) and starts the plot below it", () => {
    const names = ["Publishers: net worth", "Consumers: net worth", "Staker-speculators: net worth", "Speculators: net worth", "Malicious publishers: net worth"];
    expect(legendRows(names.slice(0, 2), 876)).to.equal(1);
    expect(legendRows(names, 876)).to.equal(2);
    expect(legendRows(names, 300)).to.equal(5);
    const { charts, axis } = kpiCharts(data);
    const plain = kpiChartOption(charts[0], axis, { interactive: false });
    const interactive = kpiChartOption(charts[0], axis, { interactive: true });
    expect([plain.legend.type, interactive.legend.type]).to.deep.equal(["plain", "scroll"]);
    const narrow = kpiChartOption(charts[0], axis, { interactive: false, width: 120 });
    expect(narrow.grid.top).to.be.greaterThan(plain.grid.top);
  });

  it("makes ids unique when a group and a KPI share a name", () => {
    const clash = { ...data, kpis: [kpi("a", { group: "x" }), kpi("x")], samples: { ...data.samples, values: { a: [1, 1, 1, 1, 1], x: [2, 2, 2, 2, 2] } } };
    expect(kpiCharts(clash).charts.map((c) => c.id)).to.deep.equal(["x", "x-2"]);
  });

  it("renders a chart to SVG in Node, and the SVG to PNG", () => {
    const { charts, axis } = kpiCharts(data);
    const svg = renderSvg(kpiChartOption(charts[0], axis, { interactive: false }));
    expect(svg).to.match(/^<svg[^>]*width="900"[^>]*height="420"/);
    expect(svg).to.contain(">Tokens<");
    expect(svg).to.contain(">Supply<");
    expect(svg).to.contain(">days<");
    const png = svgToPng(svg);
    expect(png.subarray(1, 4).toString()).to.equal("PNG");
    expect(png.readUInt32BE(16)).to.equal(1800); // width, at 2x
    expect(png.readUInt32BE(20)).to.equal(840);
  });
});

describe("PNG rasterising (resvg)", () => {
  const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

  it("rasterises a clipped group drawn wholly off the canvas (resvg 2.6 aborted the process on one)", () => {
    // a line series with clip: false beyond its axis, as ECharts writes it: a clipped group below the canvas
    const svg =
      '<svg width="900" height="420" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 420"><defs><clipPath id="c"><path d="M79 -743l792 0l0 1906l-792 0Z"/></clipPath></defs>' +
      '<g clip-path="url(#c)"><path d="M475 2183.3L870 2172.7" fill="none" stroke="#2563eb" stroke-width="2"/></g></svg>';
    const png = svgToPng(svg);
    expect(png.subarray(0, 4).equals(PNG_MAGIC)).to.equal(true);
  });

  it("rasterises a verify plot whose yield lies below the band the axis was fitted to", () => {
    const svg = renderSvg(
      yieldOption(
        [
          { n: 100, k: 0, lo: 0.9, hi: 1 },
          { n: 200, k: 1, lo: 0.95, hi: 1 },
        ],
        0.99,
      ),
    );
    expect(svgToPng(svg).subarray(0, 4).equals(PNG_MAGIC)).to.equal(true);
  });
});

describe("campaign views (pure, synthetic percentiles)", () => {
  const axis = timeAxis({ stepSeconds: DAY, start: START }, 10);
  const rows: PercentileRow[] = [0, 5, 10].map((t) => ({
    tick: t,
    time: START + t * DAY,
    p5: BigInt(t) * 10n ** 18n,
    p25: BigInt(t + 1) * 10n ** 18n,
    p50: BigInt(t + 2) * 10n ** 18n,
    p75: BigInt(t + 3) * 10n ** 18n,
    p95: BigInt(t + 5) * 10n ** 18n,
  }));
  const meta = kpi("treasury", { label: "Treasury", unit: "OCEAN", decimals: 18 });
  const bounds = (option: Record<string, any>, band: string) => {
    const base = option.series.find((s: any) => s.name === `${band} (lower)`);
    const height = option.series.find((s: any) => s.name === band);
    expect(base.stack).to.equal(height.stack);
    return base.data.map(([x, lo]: number[], i: number) => [x, lo, lo + height.data[i][1]]);
  };

  it("fan chart: p5–p95 and p25–p75 bands stacked on their lower bound, the median, scaled and on the time axis", () => {
    const option = fanChartOption(rows, meta, { axis });
    expect(bounds(option, "p5–p95")).to.deep.equal([
      [0, 0, 5],
      [5, 5, 10],
      [10, 10, 15],
    ]);
    expect(bounds(option, "p25–p75")).to.deep.equal([
      [0, 1, 3],
      [5, 6, 8],
      [10, 11, 13],
    ]);
    expect(option.series.find((s: any) => s.name === "median").data).to.deep.equal([
      [0, 2],
      [5, 7],
      [10, 12],
    ]);
    expect(option.xAxis.name).to.equal("days");
    expect(option.title.subtext).to.equal("unit: OCEAN");
  });

  it("fan chart: draws at most maxRuns individual runs, thin", () => {
    const runs = Array.from({ length: 30 }, (_, r) => ({ name: `seed${r}`, points: rows.map((row): [number, bigint] => [row.time, BigInt(r) * 10n ** 17n]) }));
    const option = fanChartOption(rows, meta, { axis, runs, maxRuns: 12 });
    const drawn = option.series.filter((s: any) => s.name === "runs");
    expect(drawn).to.have.length(12);
    expect(drawn[3].data).to.deep.equal([
      [0, 0.3],
      [5, 0.3],
      [10, 0.3],
    ]);
    expect(drawn[0].lineStyle.width).to.be.below(1);
    expect(fanChartOption(rows, meta, { axis, runs }).series.filter((s: any) => s.name === "runs")).to.have.length(20);
  });

  it("fan chart: refuses unordered percentiles or ticks, and non-positive bands on a log axis", () => {
    const bad = [{ ...rows[0], p25: 10n ** 30n }];
    expect(() => fanChartOption(bad, meta, { axis })).to.throw(TokenspiceError, /at tick 0: percentiles must be ordered .* p25=1000000000000 > p50=2/);
    expect(() => fanChartOption([rows[1], rows[0]], meta, { axis })).to.throw(TokenspiceError, /increasing tick order/);
    expect(() => fanChartOption(rows, { ...meta, scale: "log" }, { axis })).to.throw(TokenspiceError, /log-scale fan chart needs p5 > 0/);
  });

  it("sweep curve: the final KPI's median and bands against a numeric param, sorted by its value", () => {
    const points = [30, 5, 100].map((fee) => ({ x: fee, p5: fee - 3, p25: fee - 1, p50: fee, p75: fee + 1, p95: fee + 3 }));
    const option = sweepCurveOption(points, { name: "feeBps", numeric: true }, kpi("fees", { label: "Fees" }));
    expect(option.series.find((s: any) => s.name === "median").data).to.deep.equal([
      [5, 5],
      [30, 30],
      [100, 100],
    ]);
    expect(bounds(option, "p5–p95")).to.deep.equal([
      [5, 2, 8],
      [30, 27, 33],
      [100, 97, 103],
    ]);
    expect(option.xAxis).to.include({ type: "value", name: "feeBps" });
    expect(option.title.text).to.equal("Fees at the end, by feeBps");
  });

  it("sweep curve: a choice param on a category axis, in the given order", () => {
    const points = ["linear", "exp"].map((x, i) => ({ x, p5: i, p25: i, p50: i, p75: i, p95: i }));
    const option = sweepCurveOption(points, { name: "schedule", numeric: false }, kpi("sold"));
    expect(option.xAxis).to.deep.include({ type: "category", data: ["linear", "exp"] });
    expect(() => sweepCurveOption([{ x: "a", p5: 0, p25: 0, p50: 0, p75: 0, p95: 0 }], { name: "fee", numeric: true }, kpi("k"))).to.throw(/every x must be a finite number/);
  });

  it("both render to SVG in Node", () => {
    const svg = renderSvg(fanChartOption(rows, meta, { axis }));
    expect(svg).to.contain(">Treasury<").and.to.contain(">median<");
  });
});

describe("report data from a run's files", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-report-data-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  const manifest = (extra: Record<string, unknown> = {}) =>
    write(
      "manifest.json",
      JSON.stringify({
        netlist: { name: "jar", file: "/x/sims/jar.ts", description: "A <jar> & coins" },
        params: { greed: 0.5 },
        paramSpecs: { greed: { type: "float", kind: "controllable", default: 0.4, min: 0, max: 1, doc: "Chance to take" } },
        kpis: [{ name: "total", label: "Coins", unit: "coins", decimals: 0, scale: "linear", group: null, doc: "In the jar" }],
        seed: 5,
        steps: 3,
        time: { stepSeconds: DAY, start: null },
        network: "hardhat",
        versions: { "hardhat-tokenspice": "0.1.0" },
        git: null,
        command: "npx hardhat sim jar --seed 5 --steps 3 --params greed=0.5",
        status: "complete",
        ...extra,
      }),
    );

  it("reads samples exactly (bigints past 2^53 stay bigints), metadata, reverts and per-agent activity", () => {
    manifest();
    write("kpis.csv", `tick,timestamp,total,big\n0,${START},0,0\n1,${START + DAY},3,123456789012345678901234\n2,${START + 2 * DAY},2.5,-5\n`);
    write(
      "reverts.csv",
      'tick,agent,from,to,call,reason,data,txHash,gasUsed\n1,saver-0,0x1,0x2,Jar.take,"Empty(3, 0x00ab)",0x,0xh,21000\n2,saver-1,0x1,0x2,Jar.take,"Empty(1, 0x00ab)",0x,0xh,21000\n2,saver-0,0x1,0x2,Jar.put,jar is full,0x,0xh,21000\n',
    );
    write("result.json", JSON.stringify({ ticks: 3, transactions: { setup: 1, "saver-0": 4, "saver-1": 2 }, gasUsed: { setup: "900000", "saver-0": "100000", "saver-1": "50000" } }));
    const d = readRunData(dir);
    expect(d.samples.values.total).to.deep.equal([0, 3, 2.5]);
    expect(d.samples.values.big).to.deep.equal([0, 123456789012345678901234n, -5]);
    expect(d.kpis.map((k) => [k.name, k.label])).to.deep.equal([
      ["total", "Coins"],
      ["big", "big"],
    ]); // defaults for a KPI the manifest does not describe
    expect(d.time).to.deep.equal({ stepSeconds: DAY, start: START }); // start from the first sample when the netlist set none
    expect(d.ticks).to.equal(3);
    expect(d.agents).to.deep.equal([
      { agent: "setup", transactions: 1, reverts: 0, gasUsed: 900000n },
      { agent: "saver-0", transactions: 4, reverts: 2, gasUsed: 100000n },
      { agent: "saver-1", transactions: 2, reverts: 1, gasUsed: 50000n },
    ]);
    expect(activityByType(d.agents)).to.deep.equal([
      { agent: "setup", transactions: 1, reverts: 0, gasUsed: 900000n, agents: 1 },
      { agent: "saver-*", transactions: 6, reverts: 3, gasUsed: 150000n, agents: 2 },
    ]);
  });

  it("groups reverts by agent (or agent type) and reason, custom errors by name", () => {
    const r = (tick: number, agent: string, reason: string, call = "Jar.take"): RevertRow => ({ tick, agent, call, reason, gasUsed: 0n });
    const rows = [r(1, "saver-0", "Empty(3, 0x00)"), r(4, "saver-0", "Empty(1, 0x00)", "Jar.takeAll"), r(2, "saver-1", "Empty(2, 0x00)"), r(3, "saver-0", "jar is full", "Jar.put")];
    expect(reasonKind("Empty(3, 0x00)")).to.equal("Empty(…)");
    expect(reasonKind("panic 0x11 (arithmetic overflow)")).to.equal("panic 0x11 (arithmetic overflow)");
    expect(groupReverts(rows)).to.deep.equal([
      { agent: "saver-0", agents: 1, reason: "Empty(…)", calls: ["Jar.take", "Jar.takeAll"], count: 2, firstTick: 1, lastTick: 4, example: "Empty(3, 0x00)" },
      { agent: "saver-0", agents: 1, reason: "jar is full", calls: ["Jar.put"], count: 1, firstTick: 3, lastTick: 3, example: "jar is full" },
      { agent: "saver-1", agents: 1, reason: "Empty(…)", calls: ["Jar.take"], count: 1, firstTick: 2, lastTick: 2, example: "Empty(2, 0x00)" },
    ]);
    expect(groupReverts(rows, true).map((g) => [g.agent, g.agents, g.reason, g.count])).to.deep.equal([
      ["saver-*", 2, "Empty(…)", 3],
      ["saver-*", 1, "jar is full", 1],
    ]);
  });

  it("reports a failed run from what it recorded: no result.json, the error shown", () => {
    manifest({ status: "failed", error: 'Agent "saver-0" threw: boom' });
    write("kpis.csv", `tick,timestamp,total\n0,${START},0\n1,${START + DAY},3\n`);
    write("reverts.csv", "tick,agent,from,to,call,reason,data,txHash,gasUsed\n1,saver-0,0x1,0x2,Jar.take,Empty(),0x,0xh,21000\n");
    const d = readRunData(dir);
    expect(d.ticks).to.equal(1);
    expect(d.agents).to.deep.equal([{ agent: "saver-0", transactions: null, reverts: 1, gasUsed: null }]);
    const html = renderRunHtml(d, kpiCharts(d));
    expect(html).to.contain("This run failed:\nAgent &quot;saver-0&quot; threw: boom");
    expect(html).to.contain("transactions and gas per agent were not recorded");
  });

  it("shows the network, params and counts as a person reads them: no [object Object], no 16-digit numbers, 1 tick not 1 ticks", () => {
    const network = {
      name: "hardhat",
      chainId: 31337,
      blockTime: "tick",
      hardfork: "osaka",
      blockGasLimit: "60000000",
      initialBaseFeePerGas: null,
      fork: { url: "https://eth.example/KEY", blockNumber: 19000000 },
    };
    manifest({ network, steps: 1, params: { greed: 0.1 + 0.2 }, time: { stepSeconds: DAY, start: START } });
    write("kpis.csv", `tick,timestamp,total\n0,${START},1\n1,${START + DAY},2\n`);
    const html = renderRunHtml(readRunData(dir), kpiCharts(readRunData(dir)));
    expect(html).not.to.contain("[object Object]");
    expect(html).to.contain("<th>network</th><td>hardhat · chain id 31337 · hardfork osaka · block gas limit 60,000,000 · blocks at the tick&#39;s time · forked at block 19,000,000</td>");
    expect(html).not.to.contain("KEY"); // a fork URL may hold a key: the report leaves it out
    expect(html).to.contain("1 tick of 86,400 s (1 day each; 1 day in all)");
    expect(html).to.contain(`title="0.30000000000000004">0.3</td>`);
    expect(html).not.to.match(/>[-0-9.,]{16,}</); // no 16-digit figure shown
  });

  it("refuses a folder that is not a run", () => {
    expect(() => readRunData(dir)).to.throw(TokenspiceError, /is not a run folder: it has no manifest\.json/);
  });

  it("escapes everything that came from files, in the page and in the embedded data", () => {
    manifest({ netlist: { name: "jar", description: "</script><script>alert(1)</script> & <b>" } });
    write("kpis.csv", `tick,timestamp,total\n0,${START},1\n`);
    const html = renderRunHtml(readRunData(dir), kpiCharts(readRunData(dir)));
    expect(html).to.contain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;");
    expect(html).not.to.contain("<script>alert(1)");
    expect(escapeHtml(`"a'`)).to.equal("&quot;a&#39;");
    // one <script> for ECharts, one for the data, one for the page's code; none opened by the data
    expect(html.match(/<script/g)).to.have.length(3);
    expect(html).not.to.match(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
  });
});
