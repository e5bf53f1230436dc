import { expect } from "chai";
import { covers, fitDist, fitGbm, SECONDS_PER_YEAR } from "../../src/calibrate";
import { distQuantile } from "../../src/model/dist";
import { createRng, type Rng } from "../../src/model/rng";

/** Share of `repeats` fits whose interval covers the truth, for each named parameter. */
function coverage(
  label: string,
  repeats: number,
  fit: (rng: Rng) => Record<string, { lower: number; upper: number; estimate: number; method: string }>,
  truth: Record<string, number>,
): Record<string, number> {
  const hits: Record<string, number> = Object.fromEntries(Object.keys(truth).map((k) => [k, 0]));
  for (let r = 0; r < repeats; r++) {
    const intervals = fit(createRng(`${label}/${r}`));
    for (const k of Object.keys(truth)) if (covers(intervals[k], truth[k])) hits[k]++;
  }
  return Object.fromEntries(Object.entries(hits).map(([k, h]) => [k, h / repeats]));
}

/** A GBM path: daily closes over `days`, drift and volatility per year. */
function gbmPath(rng: Rng, days: number, drift: number, volatility: number, shock: (rng: Rng) => number = (r) => r.normal()): { times: number[]; prices: number[] } {
  const dt = 86_400 / SECONDS_PER_YEAR;
  const times = [0];
  const prices = [100];
  for (let i = 1; i <= days; i++) {
    times.push(i * 86_400);
    prices.push(prices[i - 1] * Math.exp((drift - volatility ** 2 / 2) * dt + volatility * Math.sqrt(dt) * shock(rng)));
  }
  return { times, prices };
}

// Coverage is measured over repeats at a 95% confidence: with 300 repeats a correct interval's
// share has a standard error of 1.3%, so [0.91, 0.99] holds it with margin (3 sd).
describe("calibrate: known answers", function () {
  this.timeout(60_000);

  it("recovers a normal's mean and sd within their exact intervals at about 95% over 300 repeats", () => {
    const share = coverage(
      "normal",
      300,
      (rng) =>
        fitDist(
          "normal",
          Array.from({ length: 60 }, () => rng.normal(5, 2)),
          { gof: false },
        ).parameters,
      { mean: 5, sd: 2 },
    );
    expect(share.mean).to.be.within(0.91, 0.99);
    expect(share.sd).to.be.within(0.91, 0.99);
  });

  it("recovers a lognormal's mu and sigma within their intervals at about 95%", () => {
    const share = coverage(
      "lognormal",
      300,
      (rng) =>
        fitDist(
          "lognormal",
          Array.from({ length: 60 }, () => Math.exp(rng.normal(Math.log(0.7), 0.27))),
          { gof: false },
        ).parameters,
      {
        mu: Math.log(0.7),
        sigma: 0.27,
      },
    );
    expect(share.mu).to.be.within(0.91, 0.99);
    expect(share.sigma).to.be.within(0.91, 0.99);
  });

  it("recovers a triangular's mode within its bootstrap interval at about the stated coverage", () => {
    const dist = { type: "triangular" as const, mode: 3 };
    const share = coverage(
      "triangular",
      100,
      (rng) =>
        fitDist(
          "triangular",
          Array.from({ length: 200 }, () => distQuantile(dist, rng(), 0, 10)),
          { gof: false, min: 0, max: 10, resamples: 199 },
        ).parameters,
      { mode: 3 },
    );
    // a percentile bootstrap of an order-statistic MLE: measured 0.93 over these 100 repeats
    expect(share.mode).to.be.within(0.85, 1);
  });

  it("recovers a known GBM's drift and volatility within their intervals at about 95% (one year of daily closes, 300 repeats)", () => {
    const share = coverage(
      "gbm",
      300,
      (rng) => {
        const { times, prices } = gbmPath(rng, 365, 0.3, 0.8);
        const fit = fitGbm(times, prices);
        return { drift: fit.drift, volatility: fit.volatility };
      },
      { drift: 0.3, volatility: 0.8 },
    );
    expect(share.drift).to.be.within(0.91, 0.99);
    expect(share.volatility).to.be.within(0.91, 0.99);
  });

  it("annualises with the data's own spacing and treats a gap as a longer step", () => {
    const rng = createRng("gaps");
    const { times, prices } = gbmPath(rng, 2000, 0, 0.8);
    // drop every 7th close: a gap is a two-day step, not a missing value
    const kept = times.map((_, i) => i).filter((i) => i % 7 !== 3);
    const fit = fitGbm(
      kept.map((i) => times[i]),
      kept.map((i) => prices[i]),
    );
    expect(fit.periodsPerYear).to.equal(365);
    expect(covers(fit.volatility, 0.8)).to.equal(true);
    const hourly = fitGbm(
      times.map((t) => t / 24),
      prices,
    );
    expect(hourly.periodsPerYear).to.equal(365 * 24);
    expect(hourly.volatility.estimate / fit.volatility.estimate).to.be.closeTo(Math.sqrt(24), 0.5);
  });

  it("passes the right family and flags a misspecified one (lognormal data fitted as normal)", () => {
    const rng = createRng("misspecified");
    const values = Array.from({ length: 300 }, () => Math.exp(rng.normal(0, 0.8)));
    const asNormal = fitDist("normal", values, { resamples: 199 });
    const asLognormal = fitDist("lognormal", values, { resamples: 199 });
    expect(asNormal.gof?.rejected).to.equal(true);
    expect(asNormal.gof?.pValue).to.be.below(0.01);
    expect(asLognormal.gof?.rejected).to.equal(false);
    expect(asLognormal.aic).to.be.below(asNormal.aic);
  });

  it("bootstraps the KS p-value: estimated parameters make the known-parameter p-value too large", () => {
    const rng = createRng("lilliefors");
    const values = Array.from({ length: 200 }, () => rng.normal(0, 1));
    const fit = fitDist("normal", values, { resamples: 199 });
    expect(fit.gof?.pValueKnownParams).to.be.at.least(fit.gof!.pValue - 0.05);
    expect(fit.gof?.rejected).to.equal(false);
  });

  it("finds what GBM misses: fat tails (Student t returns) and volatility clustering (GARCH), and nothing in a true GBM", () => {
    const gbm = fitGbm(...(Object.values(gbmPath(createRng("true-gbm"), 730, 0.1, 0.8)) as [number[], number[]]));
    expect(gbm.diagnostics.jarqueBera.rejected).to.equal(false);
    expect(gbm.diagnostics.ljungBoxSquared.rejected).to.equal(false);

    // Student t with 3 df, scaled to unit variance: fat tails
    const t3 = (r: Rng) => r.normal() / Math.sqrt((r.normal() ** 2 + r.normal() ** 2 + r.normal() ** 2) / 3) / Math.sqrt(3);
    const fat = fitGbm(...(Object.values(gbmPath(createRng("fat"), 730, 0.1, 0.8, t3)) as [number[], number[]]));
    expect(fat.diagnostics.jarqueBera.rejected).to.equal(true);
    expect(fat.diagnostics.excessKurtosis).to.be.above(1);
    expect(fat.findings.join("\n")).to.match(/Fat tails/);

    // GARCH(1,1) shocks: h_t = 0.05 + 0.1 e²_{t-1} + 0.85 h_{t-1} (unit long-run variance)
    let h = 1;
    let e = 0;
    const garch = (r: Rng) => {
      h = 0.05 + 0.1 * e * e + 0.85 * h;
      e = Math.sqrt(h) * r.normal();
      return e;
    };
    const clustered = fitGbm(...(Object.values(gbmPath(createRng("garch"), 1500, 0.1, 0.8, garch)) as [number[], number[]]));
    expect(clustered.diagnostics.ljungBoxSquared.rejected).to.equal(true);
    expect(clustered.findings.join("\n")).to.match(/Volatility clustering: .* calm and stormy spells/);
  });

  it("refuses fits the data cannot have", () => {
    expect(() => fitDist("lognormal", [1, 2, -1])).to.throw(/not > 0/);
    expect(() => fitDist("triangular", [1, 2, 3], { min: 0, max: 2.5 })).to.throw(/not all within the range/);
    expect(() => fitDist("normal", [1, 1, 1])).to.throw(/every value is the same/);
    expect(() => fitGbm([0, 1, 2], [1, 2, 3])).to.throw(/too few/);
  });
});
