import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { readObserved } from "../../src/campaign/outputs/report";
import { backtestCommand } from "../../src/cli/backtest";
import type { CliContext } from "../../src/cli/context";
import { defineNetlist, param } from "../../src/api";
import { fanChartOption } from "../../src/report/bands";
import { timeAxis } from "../../src/report/charts";
import { crpsEnsemble, fitGbm, parseWindow, pinballLoss, scoreBacktest, splitWindows, ticksOf } from "../../src/calibrate";
import { createRng, type Rng } from "../../src/model/rng";
import { rejectionOf, thrownBy } from "./thrown";

const DAY = 86_400;
const YEAR = 365 * DAY;

/** A GBM path of `n` prices a day apart: S ← S·exp((μ − σ²/2)dt + σ√dt·z). */
function gbmPath(rng: Rng, start: number, mu: number, sigma: number, n: number): number[] {
  const dt = DAY / YEAR;
  const out = [start];
  for (let i = 1; i < n; i++) out.push(out[i - 1] * Math.exp((mu - (sigma * sigma) / 2) * dt + sigma * Math.sqrt(dt) * rng.normal()));
  return out;
}

describe("calibrate: backtest losses", () => {
  it("CRPS of an ensemble: 0 for a one-run ensemble on the observation, 0.25 for {0, 1} at 0, the double sum's value, and the normal's closed form", () => {
    expect(crpsEnsemble([3], 3)).to.equal(0);
    expect(crpsEnsemble([1, 0], 0)).to.be.closeTo(0.25, 1e-12);
    // one run: CRPS is the absolute error
    expect(crpsEnsemble([2], 5)).to.equal(3);
    const rng = createRng("crps");
    const xs = Array.from({ length: 37 }, () => rng.normal(1, 2));
    let toY = 0;
    let pairs = 0;
    for (const a of xs) {
      toY += Math.abs(a - 0.3);
      for (const b of xs) pairs += Math.abs(a - b);
    }
    expect(crpsEnsemble(xs, 0.3)).to.be.closeTo(toY / xs.length - pairs / (2 * xs.length ** 2), 1e-12);
    // N(0, 1) at y = 0: 2φ(0) − 1/√π = 0.233695 (Gneiting & Raftery 2007); 20,000 draws by their quantiles
    const n = 20_000;
    const grid = Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n, 0, 1));
    expect(crpsEnsemble(grid, 0)).to.be.closeTo(2 / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI), 1e-3);
  });

  it("pinball loss: τ·u above the quantile, (1 − τ)·|u| below", () => {
    expect(pinballLoss(10, 8, 0.9)).to.be.closeTo(1.8, 1e-12);
    expect(pinballLoss(8, 10, 0.9)).to.be.closeTo(0.2, 1e-12);
    expect(pinballLoss(8, 10, 0.5)).to.equal(1);
  });

  it("scores three runs against two observed points by hand: RMSE, MAE, MAPE, coverage, final rank", () => {
    const runs = [
      [100, 110, 120],
      [100, 100, 100],
      [100, 90, 80],
    ];
    const { losses, points } = scoreBacktest({ ticks: [0, 1, 2], values: [100, 105, 130] }, runs, 0.9);
    expect(points.map((p) => [p.lower, p.median, p.upper, p.inside])).to.deep.equal([
      [91, 100, 109, true],
      [82, 100, 118, false],
    ]);
    expect(losses.points).to.equal(2);
    expect(losses.rmse).to.be.closeTo(Math.sqrt((25 + 900) / 2), 1e-9);
    expect(losses.mae).to.equal(17.5);
    expect(losses.mape).to.be.closeTo(((5 / 105 + 30 / 130) / 2) * 100, 1e-9);
    expect(losses.coverage).to.equal(0.5);
    expect(losses.finalRank).to.equal(1);
    expect(losses.crps).to.be.closeTo((crpsEnsemble([110, 100, 90], 105) + crpsEnsemble([120, 100, 80], 130)) / 2, 1e-12);
    expect(losses.pinball).to.be.closeTo(
      ([91, 100, 109].reduce((a, q, i) => a + pinballLoss(105, q, [0.05, 0.5, 0.95][i]), 0) / 3 + [82, 100, 118].reduce((a, q, i) => a + pinballLoss(130, q, [0.05, 0.5, 0.95][i]), 0) / 3) / 2,
      1e-12,
    );
    expect(scoreBacktest({ ticks: [0, 1], values: [0, 0] }, [[0, 1]]).losses.mape).to.equal(null);
    expect(thrownBy(() => scoreBacktest({ ticks: [0], values: [1] }, [[1]])).code).to.equal("OPTION_INVALID");
    expect(thrownBy(() => scoreBacktest({ ticks: [0, 1], values: [1, 1] }, [[1, 1]], 1)).code).to.equal("OPTION_INVALID");
  });

  it("windows: FROM..TO parsed, a test window that starts inside the fit window refused, times off the tick grid named", () => {
    const w = parseWindow("2021-01-01..2021-01-11", "--test-window");
    expect(w).to.deep.equal({ from: Date.UTC(2021, 0, 1) / 1000, to: Date.UTC(2021, 0, 11) / 1000 });
    expect(thrownBy(() => parseWindow("2021-01-01", "--fit-window")).message).to.match(/--fit-window "2021-01-01": is not two times/);
    expect(thrownBy(() => parseWindow("2021-02-01..2021-01-01", "--fit-window")).message).to.match(/FROM is not before TO/);
    const times = Array.from({ length: 30 }, (_, i) => w.from + i * DAY);
    const values = times.map((_, i) => i);
    const { fit, test } = splitWindows(times, values, { from: times[0], to: times[19] }, { from: times[19], to: times[29] });
    expect([fit.values.length, test.values[0], test.values.length]).to.deep.equal([20, 19, 11]);
    expect(thrownBy(() => splitWindows(times, values, { from: times[0], to: times[19] }, { from: times[10], to: times[29] })).message).to.match(/starts .* before the fit window ends/);
    expect(ticksOf([0, DAY, 3 * DAY], DAY)).to.deep.equal([0, 1, 3]);
    expect(thrownBy(() => ticksOf([0, DAY / 2], DAY)).message).to.match(/not a whole number of the netlist's 86400-s ticks/);
  });

  // 1.6–3.5 s (machine load): 200 synthetic histories, each fitted and forecast by 200 GBM paths of 60 days
  it("known answer: GBM fitted on a window of a known GBM covers the held-out days at about the band's 90%, and a misspecified one does not", () => {
    const rng = createRng("backtest-coverage");
    const repeats = 200;
    const [fitDays, testDays, paths] = [730, 60, 200];
    const coverage = { fitted: 0, half: 0, finalInside: 0 };
    for (let r = 0; r < repeats; r++) {
      const prices = gbmPath(rng, 1000, 0.1, 0.7, fitDays + testDays);
      const times = prices.map((_, i) => i * DAY);
      const { fit, test } = splitWindows(times, prices, { from: 0, to: (fitDays - 1) * DAY }, { from: (fitDays - 1) * DAY, to: (fitDays + testDays - 1) * DAY });
      const g = fitGbm(fit.times, fit.values);
      const observed = { ticks: ticksOf(test.times, DAY), values: test.values };
      const ensemble = (sigma: number) => Array.from({ length: paths }, () => gbmPath(rng, test.values[0], g.drift.estimate, sigma, test.values.length));
      const scored = scoreBacktest(observed, ensemble(g.volatility.estimate), 0.9);
      coverage.fitted += scored.losses.coverage / repeats;
      coverage.finalInside += scored.points[scored.points.length - 1].inside ? 1 / repeats : 0;
      coverage.half += scoreBacktest(observed, ensemble(g.volatility.estimate / 2), 0.9).losses.coverage / repeats;
    }
    // nominal 0.9, a little less from the fit's own error (the drift's over two years) and 200 paths' band
    expect(coverage.fitted).to.be.within(0.84, 0.93);
    // the last day alone: 200 independent repeats, binomial sd 0.021
    expect(coverage.finalInside).to.be.within(0.82, 0.96);
    // half the volatility: a band half as wide covers about 2Φ(0.82) − 1 ≈ 0.59
    expect(coverage.half).to.be.below(0.7);
  });
});

describe("calibrate: backtest in the campaign report", () => {
  it("draws the observed series over a fan chart's bands, in the KPI's unit on the time axis, leaving a log axis' non-positive values out", () => {
    const start = 1_900_000_000;
    const axis = timeAxis({ stepSeconds: DAY, start }, 4);
    const rows = [0, 2, 4].map((t) => ({ tick: t, time: start + t * DAY, p5: 1, p25: 2, p50: 3, p75: 4, p95: 5 }));
    const meta = { name: "price", label: "Price", unit: "USD", decimals: 0, scale: "log" as const, group: null, doc: "" };
    const observed = { name: "observed (close)", points: [0, 2, 4].map((t, i): [number, number] => [start + t * DAY, [3, 0, 6][i]]) };
    const option = fanChartOption(rows, meta, { axis, observed });
    const line = option.series[option.series.length - 1];
    expect(line.name).to.equal("observed (close)");
    expect(line.data).to.deep.equal([
      [0, 3],
      [2, null],
      [4, 6],
    ]);
    expect(option.legend.data).to.include("observed (close)");
    expect(fanChartOption(rows, meta, { axis }).series.some((s: { name: string }) => s.name.startsWith("observed"))).to.equal(false);
  });

  it("reads a campaign folder's backtest.json for the report, and refuses a malformed one, named", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-backtest-"));
    try {
      expect(readObserved(dir)).to.equal(undefined);
      const losses = { points: 2, runs: 3, rmse: 1, mae: 1, mape: 1, band: 0.9, coverage: 0.5, crps: 1, pinball: 1, pinballLevels: [0.05, 0.5, 0.95], finalRank: 1 };
      const file = {
        tool: "hardhat-tokenspice",
        kind: "backtest",
        version: 1,
        kpi: "price",
        unit: "USD",
        data: { columns: { value: "close" } },
        losses,
        observed: { ticks: [0, 1, 2], values: [1, 2, 3] },
      };
      fs.writeFileSync(path.join(dir, "backtest.json"), JSON.stringify(file));
      const [o] = readObserved(dir)!;
      expect([o.kpi, o.name, o.values]).to.deep.equal(["price", "observed (close)", [1, 2, 3]]);
      expect(o.summary[1]).to.match(/^coverage of the 90% band: 50% of the observed points inside it/);
      fs.writeFileSync(path.join(dir, "backtest.json"), JSON.stringify({ ...file, observed: { ticks: [0, 1], values: [1] } }));
      const error = thrownBy(() => readObserved(dir));
      expect(error.code).to.equal("CAMPAIGN_FOLDER_INVALID");
      expect(error.message).to.contain(path.join(dir, "backtest.json")).and.contain("observed.ticks and observed.values");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("sim-calibrate backtest: refused before any run", () => {
  const ETH = path.join(__dirname, "..", "..", "sims", "amm", "data", "eth-usd-daily.csv");
  /** A netlist with the GBM params (volatility up to `maxVolatility`) and one KPI, on `stepSeconds` ticks; its runs are never started here. */
  const context = (maxVolatility = 3, stepSeconds = DAY, out = os.tmpdir()): CliContext => {
    const netlist = defineNetlist({
      description: "w",
      params: {
        drift: param.float({ default: 0, min: -2, max: 2 }),
        volatility: param.float({ default: 0.1, min: 0, max: maxVolatility }),
        initialPrice: param.float({ default: 1, min: 0, max: 1e6 }),
      },
      time: { steps: 10, stepSeconds },
      setup: async () => ({ world: {}, agents: [] }),
      kpis: { price: () => 1 },
    });
    return {
      environment: { load: () => ({ name: "w", file: "w.ts", netlist }), outDir: out },
      output: { log: () => undefined, warn: () => undefined },
    } as unknown as CliContext;
  };
  const args = { data: ETH, time: "date", value: "close", netlist: "w", kpi: "price", fitWindow: "2020-06-27..2021-01-01", testWindow: "2021-01-01..2021-01-11", params: "drift=0" };
  const why = async (ctx: CliContext, a: Record<string, unknown>) => (await rejectionOf(() => backtestCommand(ctx, { ...args, ...a }))).message;

  it("names a missing flag, an unknown KPI, a missing param, a fitted value outside its range, data off the tick grid, and a backtest already there", async () => {
    expect(await why(context(), { kpi: undefined })).to.equal("sim-calibrate backtest needs --kpi");
    expect(await why(context(), { kpi: "tvl" })).to.equal('netlist w has no KPI "tvl"; its KPIs: price');
    expect(await why(context(), { startParam: "spot" })).to.match(/netlist w has no param "spot": a GBM backtest sets drift, volatility and --start-param/);
    expect(await why(context(0.5), {})).to.match(/^the fit's volatility 0.774 is outside w's volatility range \[0, 0.5\]: give --params volatility=/);
    expect(await why(context(3, 2 * DAY), {})).to.match(/the observed time 2021-01-02 is 86400 s after .* not a whole number of the netlist's 172800-s ticks/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-backtest-"));
    try {
      fs.writeFileSync(path.join(dir, "backtest.json"), "{}");
      expect(await why(context(), { out: dir })).to.match(/backtest.json exists: give --force/);
      expect(fs.readFileSync(path.join(dir, "backtest.json"), "utf8")).to.equal("{}");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
