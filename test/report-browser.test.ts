import fs from "fs";
import os from "os";
import path from "path";
import { pathToFileURL } from "url";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { writeCampaignOutputs } from "../src/campaign/outputs";
import type { CampaignDocument } from "../src/campaign/folder";
import { parseKpiCell } from "../src/report/data";
import { formatValue } from "../src/report/format";
import type { KpiInfo } from "../src/model/kpi";
import { interruptRun, runCampaign } from "./campaign-fixtures";
import { ROOT, fixture, quietConsoleLog, shippedModels, useEnvironment } from "./helpers";

/**
 * Each shipped model's report.html opened from file:// in Debian's Chromium, driven by
 * playwright-core: no console errors, no network, every KPI chart holds every sample, and hovering
 * a point shows its value. Screenshots go to test-artifacts/report/ (gitignored).
 */
const CHROMIUM = process.env.TOKENSPICE_CHROMIUM ?? "/usr/bin/chromium";
const INSTALL = "apt-get install -y chromium   (Debian/Ubuntu, as root; .ci/run does this)";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"];
const ARTIFACTS = path.join(ROOT, "test-artifacts", "report");

// Short runs, long enough that the x axis counts in days, months and years across the models.
const STEPS: Record<string, number> = { amm: 60, vesting: 450 /* months */, wsloop: 400 /* 2,000 days: years */ };
const MODELS: [name: string, steps: number][] = shippedModels().map((m) => [m, STEPS[m] ?? 30]);

describe("report.html in headless Chromium (every shipped model)", function () {
  this.timeout(300_000);

  if (!fs.existsSync(CHROMIUM)) {
    const banner = [
      "",
      "!".repeat(96),
      `!! BROWSER TESTS NOT RUN: no Chromium at ${CHROMIUM}.`,
      `!! Install it with: ${INSTALL}`,
      "!! or point TOKENSPICE_CHROMIUM at a Chromium binary. CI (.ci/run) always installs it, and fails without it.",
      "!".repeat(96),
      "",
    ].join("\n");
    it("needs Chromium", function () {
      if (process.env.CI) throw new Error(`No Chromium at ${CHROMIUM} in CI: ${INSTALL}`);
      console.warn(banner);
      this.skip();
    });
    return;
  }

  useEnvironment(ROOT);
  quietConsoleLog();
  let browser: Browser;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-browser-"));
  before(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const [model, steps] of MODELS) {
    it(`${model}: loads from file:// with no console errors or network, every chart holds every sample, hovering shows a value`, async function () {
      const out = path.join(tmp, model);
      await this.hre.tokenspice.run(model, { seed: 3, steps, out });
      const written = this.hre.tokenspice.report(out);

      // What the files say, read independently of the report code.
      const rows: string[][] = parse(fs.readFileSync(path.join(out, "kpis.csv"), "utf8"));
      const [header, ...samples] = rows;
      const kpis: KpiInfo[] = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")).kpis;
      expect(kpis.map((k) => k.name)).to.deep.equal(header.slice(2));
      const chartOf = (k: KpiInfo) => k.group ?? k.name;
      const expectedCharts = new Set(kpis.map(chartOf)).size;
      expect(written.plots.filter((p) => p.endsWith(".svg"))).to.have.length(expectedCharts);
      expect(written.plots.filter((p) => p.endsWith(".png"))).to.have.length(expectedCharts);

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => requests.push(r.url()));
      try {
        await page.goto(pathToFileURL(written.html).href);
        await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });

        const charts: { id: string; kpis: string[]; points: number[] }[] = await page.evaluate(() =>
          Object.entries((globalThis as any).tokenspiceReport.charts)
            .filter(([id]) => !id.startsWith("__"))
            .map(([id, c]: [string, any]) => ({ id, kpis: c.kpis, points: c.chart.getOption().series.map((s: any) => s.data.length) })),
        );
        expect(charts).to.have.length(expectedCharts);
        // every KPI on exactly one chart, with its group's KPIs, each series holding every sample
        expect(charts.flatMap((c) => c.kpis).sort()).to.deep.equal(kpis.map((k) => k.name).sort());
        for (const c of charts) {
          expect(new Set(c.kpis.map((n) => chartOf(kpis.find((k) => k.name === n)!))).size, c.id).to.equal(1);
          expect(c.points, c.id).to.deep.equal(c.kpis.map(() => samples.length));
        }

        // Hover the middle sample of the first chart whose first KPI is drawn there.
        const i = Math.floor(samples.length / 2);
        const target = charts.find((c) => {
          const k = kpis.find((m) => m.name === c.kpis[0])!;
          return k.scale !== "log" || Number(samples[i][header.indexOf(k.name)]) > 0;
        })!;
        const kpi = kpis.find((k) => k.name === target.kpis[0])!;
        const raw = parseKpiCell(samples[i][header.indexOf(kpi.name)]);
        const expected = formatValue(raw, kpi);
        await page.locator(`[data-chart="${target.id}"]`).scrollIntoViewIfNeeded();
        const where = await page.evaluate(
          ([id, index]) => {
            const c = (globalThis as any).tokenspiceReport.charts[id].chart;
            const point = c.getOption().series[0].data[index];
            // The sample's x; y mid-plot (an axis tooltip follows x, and a point on the plot's edge may round outside it).
            const [x] = c.convertToPixel({ seriesIndex: 0 }, point);
            const rect = c.getModel().getComponent("grid").coordinateSystem.getRect();
            const box = (globalThis as any).document.getElementById(`chart-${id}`).getBoundingClientRect();
            return { x: box.left + x, y: box.top + rect.y + rect.height / 2 };
          },
          [target.id, i] as const,
        );
        await page.mouse.move(where.x - 30, where.y);
        await page.mouse.move(where.x, where.y, { steps: 4 });
        const tooltip = page.locator(`#chart-${target.id} .tooltip-value`).first();
        await tooltip.waitFor({ state: "visible", timeout: 5_000 });
        const text = await page.locator(`#chart-${target.id} div:has(> .tooltip-value)`).first().innerText();
        expect(text).to.contain(`tick ${samples[i][0]}`);
        expect(text).to.contain(`${kpi.label}: ${expected}`);
        await page.screenshot({ path: path.join(ARTIFACTS, `${model}-hover.png`) });
        await page.screenshot({ path: path.join(ARTIFACTS, `${model}.png`), fullPage: true });

        expect(errors, errors.join("\n")).to.deep.equal([]);
        expect(requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:"))).to.deep.equal([]);
        expect(requests.length).to.be.greaterThan(0); // the page itself, so the listener did listen
      } finally {
        await page.close();
      }
    });
  }
});

/**
 * Campaign reports (the testbed's netlists run for real into campaign folders, as the campaign
 * runner will): a Monte Carlo (fan charts), a 1-D sweep (sweep curves, a point selector) and a 2-D
 * grid (heatmaps) open from file:// with no console errors and no network; each fan chart holds
 * every tick of bands.csv, and hovering shows the values bands.csv and points.csv hold.
 * Screenshots: test-artifacts/report/campaign-*.png.
 */
describe("campaign report.html in headless Chromium (testbed fixture project)", function () {
  this.timeout(300_000);
  if (!fs.existsSync(CHROMIUM)) {
    it("needs Chromium", function () {
      if (process.env.CI) throw new Error(`No Chromium at ${CHROMIUM} in CI: ${INSTALL}`);
      this.skip();
    });
    return;
  }
  useEnvironment(fixture("testbed"));
  quietConsoleLog();
  let browser: Browser;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-campaign-browser-"));
  before(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const csvOf = (dir: string, file: string): Record<string, string>[] => parse(fs.readFileSync(path.join(dir, file), "utf8"), { columns: true });
  const kpisOf = (dir: string, doc: CampaignDocument): KpiInfo[] => JSON.parse(fs.readFileSync(path.join(dir, doc.runs[0].dir, "manifest.json"), "utf8")).kpis;

  /** Opens a report, runs `check` on the page, and asserts no console error and no request but file:. */
  async function inPage(html: string, name: string, check: (page: Page) => Promise<void>): Promise<void> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => requests.push(r.url()));
    try {
      await page.goto(pathToFileURL(html).href);
      await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
      await check(page);
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      expect(errors, errors.join("\n")).to.deep.equal([]);
      expect(requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:"))).to.deep.equal([]);
      expect(requests.length).to.be.greaterThan(0);
    } finally {
      await page.close();
    }
  }

  /** The page's charts: id → kind, KPI, point, and each series' name and length. */
  const chartsIn = (page: Page) =>
    page.evaluate(() =>
      Object.fromEntries(
        Object.entries((globalThis as any).tokenspiceReport.charts).map(([id, c]: [string, any]) => [
          id,
          { kind: c.kind, kpi: c.kpi, point: c.point, series: c.chart.getOption().series.map((s: any) => ({ name: s.name, length: s.data.length })) },
        ]),
      ),
    ) as Promise<Record<string, { kind: string; kpi: string; point?: string; series: { name: string; length: number }[] }>>;

  /** Moves the mouse onto data point `index` of the series named `series` (an axis tooltip: at its x, mid-plot) and returns the tooltip's text. */
  async function hover(page: Page, id: string, series: string, index: number, item = false): Promise<string> {
    await page.locator(`[data-chart="${id}"]`).scrollIntoViewIfNeeded();
    const where = await page.evaluate(
      ([id, series, index, item]) => {
        const c = (globalThis as any).tokenspiceReport.charts[id].chart;
        const option = c.getOption();
        const s = option.series.findIndex((x: any) => x.name === series);
        const datum = option.series[s].data[index];
        const [x, y] = c.convertToPixel({ seriesIndex: s }, Array.isArray(datum) ? datum : datum.value);
        const rect = c.getModel().getComponent("grid").coordinateSystem.getRect();
        const box = (globalThis as any).document.getElementById(`chart-${id}`).getBoundingClientRect();
        return { x: box.left + x, y: box.top + (item ? y : rect.y + rect.height / 2) };
      },
      [id, series, index, item] as const,
    );
    await page.mouse.move(where.x - 20, where.y - 5);
    await page.mouse.move(where.x, where.y, { steps: 4 });
    const value = page.locator(`#chart-${id} .tooltip-value`).first();
    await value.waitFor({ state: "visible", timeout: 5_000 });
    return page.locator(`#chart-${id} div:has(> b > .tooltip-value)`).first().innerText();
  }

  it("a Monte Carlo: a fan chart per KPI holding every tick, runs drawn thin, the failed run listed; hovering shows the tick's percentiles", async function () {
    const dir = path.join(tmp, "mc");
    const doc = await runCampaign(this.hre, dir, { netlist: "pokes", steps: 12, runs: 6, seed: 11 });
    interruptRun(path.join(dir, doc.runs[2].dir), 4);
    const { report } = await writeCampaignOutputs(dir, doc);
    const bands = csvOf(dir, "bands.csv");
    const kpis = kpisOf(dir, doc);
    await inPage(report!, "campaign-mc", async (page) => {
      const charts = await chartsIn(page);
      const fans = Object.entries(charts).filter(([, c]) => c.kind === "fan");
      expect(fans.map(([, c]) => c.kpi)).to.deep.equal(kpis.map((k) => k.name));
      for (const [id, c] of fans) {
        const ticks = bands.filter((b) => b.kpi === c.kpi).length;
        expect(ticks, id).to.equal(13);
        expect(c.series.find((s) => s.name === "median")!.length, id).to.equal(ticks);
        expect(
          c.series.filter((s) => s.name === "runs"),
          id,
        ).to.have.length(5); // the 5 complete runs
      }
      const kpi = kpis.find((k) => k.name === "pokes")!;
      const row = bands.find((b) => b.kpi === "pokes" && b.tick === "6")!;
      const text = await hover(page, "fan-pokes", "median", 6);
      expect(text).to.contain("tick 6");
      expect(text).to.contain(`median: ${formatValue(Number(row.p50), kpi)}`);
      expect(text).to.contain(`p95: ${formatValue(Number(row.p95), kpi)}`);
      expect(text).to.contain("across 5 complete runs");
      await page.screenshot({ path: path.join(ARTIFACTS, "campaign-mc-hover.png") });
      expect(await page.locator("#failed-runs tbody tr").count()).to.equal(1);
      expect(await page.locator("#failed-runs").innerText())
        .to.contain(doc.runs[2].command)
        .and.to.contain("RUN_INTERRUPTED");
    });
  });

  it("a 1-D sweep: a sweep curve per KPI (a point per swept value), and fan charts behind a point selector", async function () {
    const dir = path.join(tmp, "sweep");
    const doc = await runCampaign(this.hre, dir, { netlist: "pokes", steps: 8, runs: 3, seed: 5, sweep: [{ param: "pokers", values: [1, 2, 4] }] });
    const second = doc.points.find((p) => p.varying.pokers === 2)!.key;
    interruptRun(path.join(dir, doc.runs.find((r) => r.point === second && r.replicate === 1)!.dir), 3);
    const { report } = await writeCampaignOutputs(dir, doc);
    const points = csvOf(dir, "points.csv");
    const kpis = kpisOf(dir, doc);
    await inPage(report!, "campaign-sweep", async (page) => {
      let charts = await chartsIn(page);
      const sweeps = Object.entries(charts).filter(([, c]) => c.kind === "sweep");
      expect(sweeps.map(([, c]) => c.kpi)).to.deep.equal(kpis.map((k) => k.name));
      for (const [id, c] of sweeps) expect(c.series.find((s) => s.name === "median")!.length, id).to.equal(3);
      const middle = points.find((p) => p.param_pokers === "2" && p.kpi === "pokes")!;
      const text = await hover(page, "sweep-pokes", "median", 1);
      expect(text).to.contain("pokers=2");
      expect(text).to.contain(`median: ${formatValue(Number(middle.p50), kpis[0])}`);
      expect(text).to.contain("across 2 complete runs").and.to.contain("2 of 3 runs complete"); // one was interrupted
      expect(text).not.to.contain("NaN");
      expect(await hover(page, "sweep-pokes", "median", 2))
        .to.contain("across 3 complete runs")
        .and.not.to.contain("runs complete");
      await hover(page, "sweep-pokes", "median", 1);
      await page.screenshot({ path: path.join(ARTIFACTS, "campaign-sweep-hover.png") });
      // The fan charts show the first point, then the one chosen.
      expect(await page.locator("#fan-point option").count()).to.equal(3);
      const third = doc.points.find((p) => p.varying.pokers === 4)!.key;
      await page.selectOption("#fan-point", "2");
      charts = await chartsIn(page);
      expect(charts["fan-pokes"].point).to.equal(third);
      expect(charts["fan-pokes"].series.find((s) => s.name === "median")!.length).to.equal(9);
      const bands = csvOf(dir, "bands.csv").filter((b) => b.point === third && b.kpi === "pokes");
      const fan = await hover(page, "fan-pokes", "median", 8);
      expect(fan).to.contain(`median: ${formatValue(Number(bands[8].p50), kpis[0])}`);
    });
  });

  it("a 2-D grid: a heatmap per KPI with a cell per point; hovering a cell shows its median final value", async function () {
    const dir = path.join(tmp, "grid");
    const doc = await runCampaign(this.hre, dir, {
      netlist: "treasury",
      steps: 10,
      runs: 2,
      seed: 3,
      sweep: [
        { param: "withdrawPerTick", values: [100, 300, 600] },
        { param: "noise", values: [0.2, 0.8] },
      ],
    });
    const { report } = await writeCampaignOutputs(dir, doc);
    const points = csvOf(dir, "points.csv");
    const kpis = kpisOf(dir, doc);
    await inPage(report!, "campaign-grid", async (page) => {
      const charts = await chartsIn(page);
      const heatmaps = Object.entries(charts).filter(([, c]) => c.kind === "heatmap");
      expect(heatmaps.map(([, c]) => c.kpi)).to.deep.equal(kpis.map((k) => k.name));
      for (const [id, c] of heatmaps) expect(c.series[0].length, id).to.equal(6);
      const cell = points.find((p) => p.param_withdrawPerTick === "300" && p.param_noise === "0.8" && p.kpi === "balance")!;
      // withdrawPerTick 300 is x index 1; noise 0.8 is y index 1: data item 1·2 + 1 (x outer, y inner)
      const text = await hover(page, "heatmap-balance", kpis.find((k) => k.name === "balance")!.label, 3, true);
      expect(text).to.contain("withdrawPerTick=300, noise=0.8");
      expect(text).to.contain(
        `median final: ${formatValue(
          Number(cell.p50),
          kpis.find((k) => k.name === "balance")!,
        )}`,
      );
      await page.screenshot({ path: path.join(ARTIFACTS, "campaign-grid-hover.png") });
    });
    expect(
      fs
        .readdirSync(path.join(dir, "plots"))
        .filter((f) => f.startsWith("heatmap-"))
        .sort(),
    ).to.deep.equal(["heatmap-balance.png", "heatmap-balance.svg", "heatmap-floor.png", "heatmap-floor.svg"]);
  });

  it("a search's report: the yield's interval after each batch and the corner table (verify), the convergence trace and margins (optimize), the trace at the smallest budget (worst case)", async function () {
    const corners = [
      { name: "nominal", params: { demand: 1 } },
      { name: "low demand", params: { demand: 0.5 }, from: "volume final" },
    ];
    const verifyDir = path.join(tmp, "search-verify");
    const v = await this.hre.tokenspice.verify("design-fee", { spec: "volume final >= 300", target: 0.9, maxRuns: 60, batch: 20, compareCorners: corners, seedsPerCorner: 2, seed: 6, out: verifyDir });
    await inPage(path.join(verifyDir, "report.html"), "search-verify", async (page) => {
      const charts = await page.evaluate(() => Object.fromEntries(Object.entries((globalThis as any).tokenspiceReport.charts).map(([id, c]: [string, any]) => [id, c.points])));
      expect(charts).to.deep.equal({ yield: [v.batches.length, v.batches.length, v.batches.length, 2] });
      const text = await page.locator("body").innerText();
      expect(text).to.contain("Corners against the Monte Carlo");
      expect(text).to.match(/low demand\s+volume final\s+demand=0\.5\s+0\/2/);
    });
    const optimizeDir = path.join(tmp, "search-optimize");
    const o = await this.hre.tokenspice.optimize("design-fee", {
      objective: "revenue final",
      constraints: ["volume final >= 300"],
      over: ["fee"],
      corners,
      runsPerCandidate: 1,
      budget: 60,
      seed: 3,
      out: optimizeDir,
    });
    await inPage(path.join(optimizeDir, "report.html"), "search-optimize", async (page) => {
      const points = await page.evaluate(() => (globalThis as any).tokenspiceReport.charts.convergence.points);
      const feasible = o.trace.filter((t) => t.feasible !== false && Number.isFinite(t.best));
      const [global, local] = [feasible.filter((t) => t.phase === "global").length, feasible.filter((t) => t.phase === "local").length];
      const infeasible = o.trace.filter((t) => t.feasible === false).length;
      // the local line starts at the global phase's last point; a best design not yet feasible is a grey marker
      expect(points).to.deep.equal([global, local + (global && local ? 1 : 0), ...(infeasible ? [infeasible] : [])]);
      expect(o.trace.at(-1)).to.include({ evaluations: o.runs, best: o.objective });
      // every trace entry is drawn as a marker; the page is no wider than the window (N4: 2,178 px)
      const drawn = await page.evaluate(() =>
        (globalThis as any).tokenspiceReport.charts.convergence.chart
          .getOption()
          .series.slice(0, 2)
          .map((s: any) => s.showSymbol),
      );
      expect(drawn).to.deep.equal([true, true]);
      expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).to.be.at.most(1280);
      const text = await page.locator("body").innerText();
      expect(text).to.contain("Constraint margins at each corner");
      expect(text).to.contain(`Best design: fee=${o.design.fee}`);
    });
    // worst case at its smallest budget: a global phase of one entry, drawn; the reproduce command
    // wraps and the chart shrinks, so the page is no wider than a phone's window
    const worstDir = path.join(tmp, "search-worst");
    const w = await this.hre.tokenspice.worstCase("design-fee", { objective: "volume final", over: ["demand"], seedsPerPoint: 1, budget: 11, seed: 2, out: worstDir });
    expect(w.trace.filter((t) => t.phase === "global")).to.have.length(1);
    expect(w.trace.at(-1)).to.include({ evaluations: w.runs, best: w.objective.mean });
    await inPage(path.join(worstDir, "report.html"), "search-worst", async (page) => {
      for (const width of [1280, 420]) {
        await page.setViewportSize({ width, height: 900 });
        // the charts follow the window on its resize event
        await page.waitForFunction((w) => (globalThis as any).document.documentElement.scrollWidth <= w, width, { timeout: 5_000 }).catch(() => undefined);
        expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth), `${width} px`).to.be.at.most(width);
      }
      expect(await page.locator("#non-finite").innerText()).to.equal("0");
    });
  });

  it("a comparison's report: each KPI's per-seed differences as a histogram holding every pair, and the verdict table", async function () {
    const dir = path.join(tmp, "search-compare");
    const r = await this.hre.tokenspice.compare("design-fee", { a: { fee: 20 }, b: { fee: 50 }, kpis: ["revenue final", "risk final"], params: { noise: 0.4 }, replicates: 8, seed: 4, out: dir });
    await inPage(path.join(dir, "report.html"), "search-compare", async (page) => {
      const charts = await page.evaluate(() =>
        Object.fromEntries(
          Object.entries((globalThis as any).tokenspiceReport.charts).map(([id, c]: [string, any]) => [id, c.chart.getOption().series[0].data.reduce((n: number, d: number[]) => n + d[1], 0)]),
        ),
      );
      expect(charts).to.deep.equal({ "difference-1": 8, "difference-2": 8 }); // every pair in its bin
      const text = await page.locator("body").innerText();
      expect(text).to.contain("Which differences are real");
      expect(text).to.match(/revenue final\s+8\s+.*B higher/);
      expect(text).to.match(/risk final\s+8\s+.*no detectable difference at this n/);
      expect(text).to.contain("Holm-corrected over the 2 KPIs");
      expect(r.kpis[0].verdict).to.equal("B higher");
    });
  });

  it("an importance-sampling verify's report: the failure probability after each look on a log axis, and the sampler's numbers", async function () {
    // design-fee at fee 0: volume = 1000 · demand, below 560 about 3 sigma out (demand normal(1, 0.2) on [0.5, 1.5])
    const dir = path.join(tmp, "search-importance");
    const v = await this.hre.tokenspice.verify("design-fee", {
      spec: "volume final >= 560",
      method: "importance",
      params: { fee: 0, noise: 0 },
      target: 0.99,
      maxRuns: 300,
      batch: 100,
      seed: 2,
      out: dir,
    });
    const looks = v.importance!.looks.length;
    await inPage(path.join(dir, "report.html"), "search-importance", async (page) => {
      const charts = await page.evaluate(() => Object.fromEntries(Object.entries((globalThis as any).tokenspiceReport.charts).map(([id, c]: [string, any]) => [id, c.points])));
      expect(charts).to.deep.equal({ "failure-probability": [looks, looks, looks, 2] });
      const text = await page.locator("body").innerText();
      expect(text).to.contain("Importance sampling");
      expect(text).to.contain("effective sample size (Kish");
      expect(text).to.contain("plain Monte Carlo runs for the same relative error");
      expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).to.be.at.most(1280);
    });
  });
});
