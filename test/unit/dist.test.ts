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
  /* eslint-disable @typescript-eslint/no-require-imports */
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
        expect(s.default as number, `${name}.${k}: [${lo}, ${hi}]`).to.be.within(lo, hi);
      }
    }
  });
});
