import { expect } from "chai";
import { mean, median } from "simple-statistics";
import { fromUnit } from "../../src/campaign/axes";
import { unitSamples } from "../../src/campaign/plan";
import { TokenspiceError } from "../../src/errors";
import { param } from "../../src/model/params";
import { clopperPearson } from "../../src/search/intervals";

const draws = (spec: ReturnType<typeof param.float>, n = 4096) => unitSamples("sobol", n, 1, 1).map(([u]) => fromUnit(spec, u) as number);

describe("uncontrollables as distributions", () => {
  it("draws a normal, truncated to the range, by inverse CDF", () => {
    const spec = param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable", dist: { type: "normal", mean: 0.5, sd: 0.1 } });
    const xs = draws(spec);
    expect(Math.min(...xs)).to.be.at.least(0);
    expect(Math.max(...xs)).to.be.at.most(1);
    expect(mean(xs)).to.be.closeTo(0.5, 0.002);
    const within1sd = xs.filter((x) => Math.abs(x - 0.5) <= 0.1).length / xs.length;
    expect(within1sd).to.be.closeTo(0.6827, 0.01);
    // truncated at 0.45: nothing below, and the mass moves up
    const cut = draws(param.float({ default: 0.5, min: 0.45, max: 1, dist: { type: "normal", mean: 0.5, sd: 0.1 } }));
    expect(Math.min(...cut)).to.be.at.least(0.45);
  });

  it("draws a lognormal with median e^mu, and a triangular peaking at its mode", () => {
    const ln = draws(param.float({ default: 1, min: 0, dist: { type: "lognormal", mu: Math.log(2), sigma: 0.5 } }));
    expect(median(ln)).to.be.closeTo(2, 0.02);
    const tri = draws(param.float({ default: 0.2, min: 0, max: 1, dist: { type: "triangular", mode: 0.2 } }));
    expect(mean(tri)).to.be.closeTo((0 + 1 + 0.2) / 3, 0.005); // the triangular mean (a + b + c) / 3
    const ints = unitSamples("sobol", 1024, 1, 1).map(([u]) => fromUnit(param.int({ default: 5, min: 0, max: 10, dist: { type: "normal", mean: 5, sd: 2 } }), u));
    expect(ints.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10)).to.equal(true);
  });

  it("refuses a dist that does not fit its param", () => {
    expect(() => param.float({ default: 0.5, min: 0, max: 1, dist: { type: "triangular", mode: 2 } })).to.throw(TokenspiceError, /mode must be within \[0, 1\]/);
    expect(() => param.float({ default: 0.5, dist: { type: "uniform" } })).to.throw(TokenspiceError, /needs a finite min and max/);
    expect(() => param.float({ default: 0.5, min: 0, max: 1, dist: { type: "normal", mean: 0.5, sd: 0 } })).to.throw(TokenspiceError, /sd > 0/);
    expect(() => param.float({ default: 1, min: -1, dist: { type: "lognormal", mu: 0, sigma: 1 } })).to.throw(TokenspiceError, /min must be >= 0/);
    expect(() => param.float({ default: 1, dist: { type: "cauchy" } as any })).to.throw(TokenspiceError, /type must be/);
  });
});

/**
 * The u-quantile of a density on [lo, hi], by an independent route: composite Simpson integration
 * of the density (given in a scaled form that stays a double far out in a tail) and bisection on x.
 */
function integratedQuantile(density: (x: number) => number, lo: number, hi: number, u: number): number {
  const integral = (a: number, b: number, n = 20000) => {
    const h = (b - a) / n;
    let s = density(a) + density(b);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * density(a + i * h);
    return (s * h) / 3;
  };
  const total = integral(lo, hi);
  let [a, b] = [lo, hi];
  for (let i = 0; i < 60; i++) {
    const m = (a + b) / 2;
    if (integral(lo, m) < u * total) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

describe("truncated distributions deep in a tail", () => {
  const us = [0.001, 0.1, 0.5, 0.9, 0.999];
  // exp(−((x − mean)² − r²)/2sd²), r the distance from the mean to the range's nearer end: 1 there
  const normalDensity = (mean: number, sd: number, near: number) => (x: number) => Math.exp(-(((x - mean) / sd) ** 2 - ((near - mean) / sd) ** 2) / 2);

  for (const [mean, sd, min, max] of [
    [50, 1, 3, 4], // 46–47 sd below the mean: F(min) and F(max) are both 0 in doubles
    [0, 1, 9, 10], // 9–10 sd above: both 1
    [0, 1, -10, -9],
    [0, 2, 70, 90], // 35–45 sd: Q(x) itself below the smallest double
    [0, 1, 4, 60],
  ] as const) {
    it(`draws normal(${mean}, ${sd}) on [${min}, ${max}] at its exact truncated quantiles`, () => {
      const spec = param.float({ default: min, min, max, kind: "uncontrollable", dist: { type: "normal", mean, sd } });
      const near = Math.abs(min - mean) < Math.abs(max - mean) ? min : max;
      for (const u of us) {
        const expected = integratedQuantile(normalDensity(mean, sd, near), min, max, u);
        expect(fromUnit(spec, u), `u = ${u}`).to.be.closeTo(expected, 1e-7 * sd);
      }
    });
  }

  it("draws the median of normal(50, 1) on [3, 4] at 4 − t, 46t + t²/2 = ln 2 up to Mills' ratio (F35)", () => {
    const spec = param.float({ default: 3.5, min: 3, max: 4, kind: "uncontrollable", dist: { type: "normal", mean: 50, sd: 1 } });
    const t = -46 + Math.sqrt(46 ** 2 + 2 * Math.LN2);
    expect(4 - (fromUnit(spec, 0.5) as number)).to.be.closeTo(t, 2e-4);
    // and 20 random draws are 20 different values near 4 (they were all 3)
    const xs = unitSamples("random", 20, 1, 1).map(([u]) => fromUnit(spec, u) as number);
    expect(new Set(xs).size).to.equal(20);
    expect(xs.filter((x) => x > 3.9).length).to.be.at.least(18);
  });

  it("draws a lognormal whose range is far out in its lower tail at its exact quantiles (in log space)", () => {
    // log X ~ normal(0, 1) on [ln 1e-30, ln 1e-20] = [−69.1, −46.1]
    const spec = param.float({ default: 1e-25, min: 1e-30, max: 1e-20, kind: "uncontrollable", dist: { type: "lognormal", mu: 0, sigma: 1 } });
    const [lo, hi] = [Math.log(1e-30), Math.log(1e-20)];
    for (const u of us) {
      const expected = integratedQuantile(normalDensity(0, 1, hi), lo, hi, u);
      expect(Math.log(fromUnit(spec, u) as number), `u = ${u}`).to.be.closeTo(expected, 1e-7);
    }
  });

  it("keeps the bulk of a distribution where it was, and every draw increasing in u and inside the range", () => {
    // between the 1% and 99% points, stdlib's quantile as before
    expect(fromUnit(param.float({ default: 0, min: -5, max: 5, dist: { type: "normal", mean: 0, sd: 1 } }), 0.5)).to.be.closeTo(0, 1e-15);
    // the tails of an untruncated normal against known quantiles (R: qnorm)
    const std = param.float({ default: 0, dist: { type: "normal", mean: 0, sd: 1 } });
    expect(fromUnit(std, 0.001)).to.be.closeTo(-3.090232306167813, 1e-12);
    expect(fromUnit(std, 1e-12)).to.be.closeTo(-7.034483825671117, 1e-9);
    for (const [mean, sd, min, max] of [
      [50, 1, 3, 4],
      [0, 1, 9, 10],
      [0, 1, -3, 40],
      [0, 1e-3, -1, 1],
      [1, 0.5, 0, 2],
    ] as const) {
      const spec = param.float({ default: min, min, max, dist: { type: "normal", mean, sd } });
      // Checked in plain JavaScript, asserted once (see rng.test.ts: chai in a loop is slow in the full suite).
      let last = -Infinity;
      const wrong: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const x = fromUnit(spec, i / 1000) as number;
        if (!(x >= min && x <= max && x >= last)) wrong.push(`u = ${i / 1000}: ${x} (previous ${last})`);
        last = x;
      }
      expect(wrong, `normal(${mean}, ${sd}) on [${min}, ${max}]: draws outside the range or decreasing`).to.deep.equal([]);
    }
  });

  it("draws uniform and triangular dists over a range wider than the largest double", () => {
    const tri = param.float({ default: 0, min: -1e308, max: 1e308, dist: { type: "triangular", mode: 0 } });
    expect(fromUnit(tri, 0.5)).to.be.closeTo(0, 1e293);
    expect(fromUnit(tri, 0.125)).to.be.closeTo(-0.5e308, 1e293);
    const uni = param.float({ default: 0, min: -1e308, max: 1e308, dist: { type: "uniform" } });
    expect(fromUnit(uni, 0.75)).to.be.closeTo(0.5e308, 1e293);
  });

  it("refuses at load a range whose probability a double cannot hold even as a logarithm, and takes one value as itself", () => {
    expect(() => param.float({ default: 1, min: 1, max: 2, dist: { type: "normal", mean: 0, sd: 1e-160 } })).to.throw(
      TokenspiceError,
      /sd from the mean: its probability is below what a double can hold/,
    );
    expect(() => param.float({ default: 1e300, min: 1e300, dist: { type: "normal", mean: -1e300, sd: 1 } })).to.throw(TokenspiceError, /PARAM_SPEC_INVALID|sd from the mean/);
    expect(() => param.float({ default: 1, min: 1, max: 2, dist: { type: "lognormal", mu: -1e300, sigma: 1e-10 } })).to.throw(TokenspiceError, /sd from the mean/);
    // 1e150 sd out is still a probability e^(−5e299): drawn, at the near end
    expect(fromUnit(param.float({ default: 1, min: 1, max: 2, dist: { type: "normal", mean: 0, sd: 1e-150 } }), 0.5)).to.equal(1);
    expect(fromUnit(param.float({ default: 3, min: 3, max: 3, dist: { type: "normal", mean: 50, sd: 1 } }), 0.5)).to.equal(3);
  });
});

describe("Clopper-Pearson interval", () => {
  it("matches closed forms at the ends and R's binom.test in the middle", () => {
    // n = 10, k = 0: hi = 1 - 0.025^(1/10); k = 10: lo = 0.025^(1/10) (closed forms at the ends)
    expect(clopperPearson(0, 10).hi).to.be.closeTo(1 - 0.025 ** 0.1, 1e-12);
    expect(clopperPearson(10, 10).lo).to.be.closeTo(0.025 ** 0.1, 1e-12);
    const mid = clopperPearson(5, 10);
    expect(mid.lo).to.be.closeTo(0.187086, 1e-6); // R: binom.test(5, 10)$conf.int
    expect(mid.hi).to.be.closeTo(0.812914, 1e-6);
    expect(() => clopperPearson(3, 2)).to.throw(TokenspiceError);
  });
});

describe("the shipped models' uncontrollables as distributions", () => {
  // Imported here rather than at the top: the models' params are data for these tests only.
  const models: Record<string, Record<string, ReturnType<typeof param.float>>> = {
    amm: require("../../sims/amm/params").ammParams,
    "uniswap-v2": require("../../sims/uniswap-v2/params").uniswapV2Params,
    vesting: require("../../sims/vesting/params").vestingParams,
    "token-flow": require("../../sims/token-flow/params").tokenFlowParams,
    wsloop: require("../../sims/wsloop/params").wsloopParams,
  };
  const quantile = (spec: ReturnType<typeof param.float>, u: number) => fromUnit(spec, u) as number;

  it("amm's volatility is ETH's realized volatility: median 0.7, 80% of draws in 50–100%, lows near 40%", () => {
    const vol = models.amm.volatility;
    expect(quantile(vol, 0.5)).to.be.closeTo(0.7, 1e-6); // not exact: truncated at 3
    expect(quantile(vol, 0.1)).to.be.within(0.48, 0.52);
    expect(quantile(vol, 0.9)).to.be.within(0.95, 1.02);
    expect(quantile(vol, 0.025)).to.be.within(0.38, 0.45);
    // drift: no view on direction
    expect(quantile(models.amm.drift, 0.5)).to.be.closeTo(0, 1e-9);
    expect(quantile(models.amm.drift, 0.975)).to.be.closeTo(0.98, 0.01);
    // uniswap-v2 draws its market exactly as amm does (the same param objects)
    expect(models["uniswap-v2"].volatility).to.equal(models.amm.volatility);
    expect(models["uniswap-v2"].drift).to.equal(models.amm.drift);
  });

  it("gives every uncontrollable of vesting, token-flow and wsloop a dist whose doc says where it comes from", () => {
    for (const name of ["vesting", "token-flow", "wsloop"]) {
      const unc = Object.entries(models[name]).filter(([, s]) => s.kind === "uncontrollable");
      expect(unc.length, name).to.be.greaterThan(0);
      for (const [k, s] of unc) {
        expect(s.dist, `${name}.${k}`).to.not.equal(undefined);
        expect(s.dist!.type, `${name}.${k}`).to.not.equal("uniform");
        expect(s.doc, `${name}.${k}`).to.match(/drawn from/);
      }
    }
  });

  it("keeps every default a plausible draw: between its dist's 1% and 99% points (so the reference run is not a tail)", () => {
    for (const [name, specs] of Object.entries(models)) {
      for (const [k, s] of Object.entries(specs)) {
        if (!s.dist || s.dist.type === "uniform") continue;
        const lo = quantile(s, 0.01);
        const hi = quantile(s, 0.99);
        // an int whose range starts at its median (initialMarketplaces: 1) rounds its 1% point onto the default
        expect(s.default, `${name}.${k}: [${lo}, ${hi}]`).to.be.within(lo, hi);
      }
    }
  });
});
