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
