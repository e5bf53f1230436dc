import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { bands, distribution, normalQuantileTwoSided, quantile, quantileSorted, wilson } from "../../src/campaign/stats";

/** Type 7 written out as R's quantile.default does it: (1 − h)·x[lo] + h·x[hi], 1-based index 1 + (n − 1)p. */
function rType7(sorted: number[], p: number): number {
  const index = 1 + (sorted.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const h = index - lo;
  const a = sorted[lo - 1];
  const b = sorted[hi - 1];
  return h === 0 || a === b ? a : (1 - h) * a + h * b;
}

describe("campaign statistics (pure)", () => {
  describe("quantiles: Hyndman & Fan type 7", () => {
    it("matches hand-computed values: R's quantile(1:10, c(.05, .25, .5, .75, .95)) is 1.45 3.25 5.5 7.75 9.55", () => {
      const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      const got = [0.05, 0.25, 0.5, 0.75, 0.95].map((p) => quantileSorted(x, p));
      [1.45, 3.25, 5.5, 7.75, 9.55].forEach((want, i) => expect(got[i]).to.be.closeTo(want, 1e-12));
      // h = (5 − 1)·0.4 = 1.6 → x[1] + 0.6·(x[2] − x[1]) = 20 + 0.6·15 = 29
      expect(quantileSorted([15, 20, 35, 40, 50], 0.4)).to.be.closeTo(29, 1e-12);
      expect(quantileSorted([7], 0.05)).to.equal(7);
      expect(quantileSorted([1, 3], 0)).to.equal(1);
      expect(quantileSorted([1, 3], 1)).to.equal(3);
    });

    it("agrees with R's form of the formula on random samples of every size from 1 to 40", () => {
      let seed = 12345;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2000 - 1000;
      for (let n = 1; n <= 40; n++) {
        const x = Array.from({ length: n }, rand).sort((a, b) => a - b);
        for (const p of [0, 0.05, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 1]) {
          const want = rType7(x, p);
          expect(quantileSorted(x, p), `n=${n} p=${p}`).to.be.closeTo(want, 1e-9 * Math.max(1, Math.abs(want)));
        }
      }
    });

    it("sorts, and leaves NaN out, when given values in any order", () => {
      expect(quantile([10, NaN, 1, 5], 0.5)).to.equal(5);
      expect(quantile([NaN, NaN], 0.5)).to.equal(null);
    });

    it("places infinities in the order: towards an infinite neighbour the quantile is that infinity", () => {
      expect(quantileSorted([-Infinity, 1, 2], 0.25)).to.equal(-Infinity); // between −∞ and 1
      expect(quantileSorted([1, 2, Infinity], 0.75)).to.equal(Infinity);
      expect(quantileSorted([1, Infinity, Infinity], 0.75)).to.equal(Infinity); // equal neighbours, not ∞ − ∞
      expect(quantileSorted([1, 2, Infinity], 0.25)).to.equal(1.5); // finite neighbours: as usual
      expect(quantileSorted([-Infinity, Infinity], 0.5)).to.be.NaN; // undefined
    });

    it("refuses an empty set and p outside [0, 1]", () => {
      expect(() => quantileSorted([], 0.5)).to.throw(TokenspiceError, /no values/);
      expect(() => quantileSorted([1], 1.5)).to.throw(TokenspiceError, /\[0, 1\]/);
      expect(() => quantileSorted([1], NaN)).to.throw(TokenspiceError);
    });
  });

  describe("distribution", () => {
    it("gives percentiles, mean, sample std (n − 1), min and max", () => {
      // mean 5, squared deviations sum to 32: sample variance 32/7
      const d = distribution([2, 4, 4, 4, 5, 5, 7, 9]);
      expect(d.n).to.equal(8);
      expect(d.nan).to.equal(0);
      expect(d.mean).to.equal(5);
      expect(d.std).to.be.closeTo(Math.sqrt(32 / 7), 1e-12);
      expect([d.min, d.max]).to.deep.equal([2, 9]);
      expect(d.p50).to.equal(4.5);
      // h = 7·0.25 = 1.75 → 4 + 0.75·0 = 4; h = 7·0.95 = 6.65 → 7 + 0.65·2 = 8.3
      expect(d.p25).to.equal(4);
      expect(d.p95).to.be.closeTo(8.3, 1e-12);
    });

    it("leaves NaN out and counts it; keeps infinities (mean infinite, std NaN)", () => {
      const d = distribution([3, NaN, 1, Infinity, 2]);
      expect([d.n, d.nan]).to.deep.equal([4, 1]);
      expect(d.mean).to.equal(Infinity);
      expect(d.std).to.be.NaN;
      expect(d.max).to.equal(Infinity);
      expect(d.p50).to.equal(2.5);
      expect(distribution([1, -Infinity]).mean).to.equal(-Infinity);
      expect(distribution([Infinity, -Infinity]).mean).to.be.NaN;
    });

    it("is null where undefined: no values at all, std of one value", () => {
      const none = distribution([NaN]);
      expect(none).to.include({ n: 0, nan: 1, p50: null, mean: null, std: null, min: null });
      const one = distribution([4]);
      expect(one).to.include({ n: 1, p5: 4, p95: 4, mean: 4, std: null });
    });

    it("bands: per sample index, across the series that reach it", () => {
      const b = bands([
        [0, 10, 20],
        [2, 12],
        [4, 14, 24],
      ]);
      expect(b.map((d) => d.n)).to.deep.equal([3, 3, 2]);
      expect(b.map((d) => d.p50)).to.deep.equal([2, 12, 22]);
      expect(b[0].std).to.equal(2);
    });
  });

  describe("Wilson score interval", () => {
    it("reproduces the Wilson intervals (method 3, no continuity correction) of Newcombe (1998)'s worked examples, to 4 decimals", () => {
      const table: [k: number, n: number, lo: number, hi: number][] = [
        [81, 263, 0.2553, 0.3662],
        [15, 148, 0.0624, 0.1605],
        [0, 20, 0, 0.1611],
        [1, 29, 0.0061, 0.1718],
        [29, 29, 0.883, 1],
      ];
      for (const [k, n, lo, hi] of table) {
        const w = wilson(k, n);
        expect(w.p).to.equal(k / n);
        expect(w.lo, `${k}/${n} lo`).to.be.closeTo(lo, 0.00005);
        expect(w.hi, `${k}/${n} hi`).to.be.closeTo(hi, 0.00005);
      }
    });

    it("uses the exact normal quantile (1.959964 at 95%, 2.575829 at 99%), is symmetric, and widens with confidence", () => {
      expect(normalQuantileTwoSided(0.95)).to.be.closeTo(1.959963984540054, 1e-12);
      expect(normalQuantileTwoSided(0.99)).to.be.closeTo(2.5758293035489004, 1e-12);
      const a = wilson(7, 40);
      const b = wilson(33, 40);
      expect(a.lo).to.be.closeTo(1 - b.hi, 1e-12);
      expect(a.hi).to.be.closeTo(1 - b.lo, 1e-12);
      const wide = wilson(7, 40, 0.99);
      expect(wide.lo).to.be.below(a.lo);
      expect(wide.hi).to.be.above(a.hi);
      // the centre is pulled towards 1/2: (p̂ + z²/2n) / (1 + z²/n)
      const z = normalQuantileTwoSided(0.95);
      expect((a.lo + a.hi) / 2).to.be.closeTo((7 / 40 + (z * z) / 80) / (1 + (z * z) / 40), 1e-12);
    });

    it("is exact at the ends, uninformative with no trials, and refuses nonsense", () => {
      expect(wilson(0, 5).lo).to.equal(0);
      expect(wilson(5, 5).hi).to.equal(1);
      const none = wilson(0, 0);
      expect(none.p).to.be.NaN;
      expect([none.lo, none.hi]).to.deep.equal([0, 1]);
      expect(() => wilson(3, 2)).to.throw(TokenspiceError, /0 ≤ k ≤ n/);
      expect(() => wilson(1.5, 2)).to.throw(TokenspiceError);
      expect(() => wilson(1, 2, 1)).to.throw(TokenspiceError, /confidence/);
    });
  });
});
