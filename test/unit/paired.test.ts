import { expect } from "chai";
import { createRng } from "../../src/model/rng";
import { comparePaired, hodgesLehmann, holm, pairedT, pairsToDetect, signedRank } from "../../src/search/paired";

/**
 * The paired comparison's numbers (src/search/paired.ts) against textbook values and, over repeats, on
 * analytic designs with a known difference: the intervals must cover it at about their nominal rate,
 * and designs with none must be called different at about α.
 */

// R's wilcox.test example (Hollander & Wolfe 1973, p. 29): depression scale before and after.
const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

describe("paired comparison: the statistics", () => {
  it("signed-rank: V and the exact two-sided p of Hollander & Wolfe's example (V = 40, p = 20/512)", () => {
    const r = signedRank(x.map((v, i) => v - y[i]));
    expect(r.statistic).to.equal(40);
    expect(r.exact).to.equal(true);
    expect(r.p).to.be.closeTo(20 / 512, 1e-12); // P(V ≥ 40) = P(V ≤ 5) = 10/512, doubled
  });

  it("signed-rank: ties and n > 50 take the normal approximation; zeros are dropped; none non-zero is p = 1", () => {
    expect(signedRank([1, 1, 2, -3, 0, 4]).exact).to.equal(false);
    expect(signedRank([1, 1, 2, -3, 0, 4]).n).to.equal(5);
    expect(signedRank(Array.from({ length: 60 }, (_, i) => i + 1)).exact).to.equal(false);
    expect(signedRank(Array.from({ length: 60 }, (_, i) => i + 1)).p).to.be.below(1e-10);
    expect(signedRank([0, 0, 0])).to.deep.include({ n: 0, p: 1 });
  });

  it("paired t on the same example: t = d̄/(s/√n), the interval brackets d̄ and excludes 0 as p < 0.05 says", () => {
    const d = x.map((v, i) => v - y[i]);
    const t = pairedT(d);
    const m = d.reduce((s, v) => s + v, 0) / d.length;
    const s = Math.sqrt(d.reduce((acc, v) => acc + (v - m) ** 2, 0) / (d.length - 1));
    expect(t.mean).to.be.closeTo(m, 1e-12);
    expect(t.statistic).to.be.closeTo(m / (s / 3), 1e-9);
    expect(t.df).to.equal(8);
    expect(t.p).to.be.closeTo(0.01618, 5e-5); // R: t.test(x, y, paired = TRUE)
    expect(t.lo).to.be.closeTo(0.1037, 5e-4);
    expect(t.hi).to.be.closeTo(0.76, 5e-4);
  });

  it("paired t: a constant difference is certain ([d, d], p 0), no difference is p 1, one pair is the whole line", () => {
    expect(pairedT([2, 2, 2])).to.deep.include({ lo: 2, hi: 2, p: 0 });
    expect(pairedT([0, 0, 0])).to.deep.include({ lo: 0, hi: 0, p: 1 });
    expect(pairedT([1])).to.deep.include({ lo: -Infinity, hi: Infinity, p: 1 });
  });

  it("Hodges–Lehmann: the median of the Walsh averages, and the whole line when n is too small for 95%", () => {
    expect(hodgesLehmann([1, 2, 3, 4, 100]).lo).to.equal(-Infinity); // n = 5: P(V = 0) = 1/32 > 0.025
    expect(hodgesLehmann([0, 0, 0])).to.deep.include({ estimate: 0, lo: 0, hi: 0 });
    const h = hodgesLehmann([-1, 0, 1, 2, 3, 4, 5, 6]);
    expect(h.estimate).to.equal(2.5);
    expect(h.confidence).to.be.at.least(0.95);
    expect(h.lo).to.be.below(2.5);
    expect(h.hi).to.be.above(2.5);
  });

  it("Holm: R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm')", () => {
    expect(holm([0.01, 0.04, 0.03, 0.005]).map((p) => +p.toFixed(12))).to.deep.equal([0.03, 0.06, 0.06, 0.02]);
    expect(holm([0.5, NaN])).to.deep.equal([1, 1]);
  });

  it("pairs to detect: the normal formula with Guenther's correction, checked against its power by simulation", () => {
    // sd 1, effect 0.5, α 0.05, power 0.8: (1.96 + 0.8416)²·4 + 1.92 = 33.3 → 34
    expect(pairsToDetect(1, 0.5)).to.equal(34);
    expect(pairsToDetect(0, 1)).to.equal(2);
    expect(pairsToDetect(1, 0)).to.equal(Infinity);
    const rng = createRng("paired/power");
    let hits = 0;
    const repeats = 1000;
    for (let i = 0; i < repeats; i++) if (pairedT(Array.from({ length: 34 }, () => 0.5 + rng.normal())).p < 0.05) hits++;
    expect(hits / repeats).to.be.within(0.77, 0.87); // measured 0.827
  });
});

/**
 * Two analytic designs on common random numbers: KPI_A = 10 + 3·z + e_A, KPI_B = 10 + δ + 3·z + e_B
 * (z the seed's common draw, e independent noise of sd 0.5): the true mean difference is δ, and the
 * common draw cancels in the difference.
 */
function designs(rng: ReturnType<typeof createRng>, pairs: number, delta: number, skewed = false): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < pairs; r++) {
    const z = rng.normal();
    // skewed: exponential noise (mean 0.5, sd 0.5) on B only, centred so the mean difference is still δ
    const eB = skewed ? -Math.log(1 - rng()) * 0.5 - 0.5 : 0.5 * rng.normal();
    a.push(10 + 3 * z + 0.5 * rng.normal());
    b.push(10 + delta + 3 * z + eB);
  }
  return { a, b };
}

describe("paired comparison: known answers over repeats", () => {
  const repeats = 2000;

  it("a known difference (δ = 0.3, n = 20): the t interval covers δ at about 95%, Hodges–Lehmann's at least that", () => {
    const rng = createRng("paired/coverage");
    let t = 0;
    let hl = 0;
    let higher = 0;
    for (let i = 0; i < repeats; i++) {
      const { a, b } = designs(rng, 20, 0.3);
      const [c] = comparePaired([a], [b]);
      if (c.t.lo <= 0.3 && 0.3 <= c.t.hi) t++;
      if (c.wilcoxon.lo <= 0.3 && 0.3 <= c.wilcoxon.hi) hl++;
      if (c.verdict === "B higher") higher++;
    }
    // binomial sd at 95% over 2000 repeats: 0.0049; measured t 0.951, HL 0.956
    expect(t / repeats).to.be.within(0.935, 0.965);
    expect(hl / repeats).to.be.within(0.935, 0.975);
    // power at δ/σ_d = 0.3/0.707, n = 20: about 0.5 by the normal formula (measured 0.446)
    expect(higher / repeats).to.be.within(0.4, 0.65);
  });

  it("a known difference with skewed noise: the t interval still covers at about its nominal rate (n = 30)", () => {
    const rng = createRng("paired/skewed");
    let t = 0;
    for (let i = 0; i < repeats; i++) {
      const { a, b } = designs(rng, 30, 0.3, true);
      const [c] = comparePaired([a], [b]);
      if (c.t.lo <= 0.3 && 0.3 <= c.t.hi) t++;
    }
    expect(t / repeats).to.be.within(0.935, 0.97); // measured 0.958
  });

  it("no difference (δ = 0): both tests call a difference at about α = 5%, and Holm keeps two KPIs' family-wise rate at or below α", () => {
    const rng = createRng("paired/null");
    let t = 0;
    let w = 0;
    let family = 0;
    let sides = 0;
    for (let i = 0; i < repeats; i++) {
      const one = designs(rng, 20, 0);
      const two = designs(rng, 20, 0);
      const [c1] = comparePaired([one.a], [one.b]);
      if (c1.t.p < 0.05) t++;
      if (c1.wilcoxon.p < 0.05) w++;
      if (c1.verdict !== "no detectable difference at this n") sides++;
      const both = comparePaired([one.a, two.a], [one.b, two.b]);
      if (both.some((c) => c.verdict !== "no detectable difference at this n")) family++;
    }
    // measured: t 0.051, signed-rank 0.049, Holm over two KPIs 0.046
    expect(t / repeats).to.be.within(0.035, 0.065);
    expect(w / repeats).to.be.within(0.03, 0.065);
    expect(sides).to.equal(t);
    expect(family / repeats).to.be.within(0.03, 0.065);
  });

  it("a pair with a NaN or ±Infinity value is dropped from that KPI only", () => {
    const [c, d] = comparePaired(
      [
        [1, 2, NaN, 4],
        [1, 2, 3, 4],
      ],
      [
        [2, 3, 4, Infinity],
        [2, 3, 4, 5],
      ],
    );
    expect(c.n).to.equal(2);
    expect(d.n).to.equal(4);
    expect(d.verdict).to.equal("B higher"); // +1 on every seed: certain
    expect(d.t).to.deep.include({ lo: 1, hi: 1 });
  });
});
