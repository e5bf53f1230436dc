import fs from "fs";
import os from "os";
import path from "path";
import { pathToFileURL } from "url";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import type { Browser } from "playwright-core";
import { parseKpiCell } from "../src/report/data";
import { formatValue } from "../src/report/format";
import type { KpiInfo } from "../src/model/kpi";
import { ROOT, quietConsoleLog, shippedModels, useEnvironment } from "./helpers";

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
