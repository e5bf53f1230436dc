import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
/**
 * Statistics across a campaign's replicates, as pure functions: quantiles, the distribution of a
 * set of values (bands.csv and points.csv rows), per-sample bands of a set of series, and the
 * Wilson score interval of a proportion.
 *
 * Definitions (docs/explanation/statistics.md repeats them):
 * - Quantiles: Hyndman & Fan (1996) type 7, linear interpolation between order statistics, the
 *   default of R's `quantile` and NumPy's `percentile` (`method="linear"`). For sorted x₁ ≤ … ≤ xₙ
 *   and p in [0, 1]: h = (n − 1)·p, Q(p) = x⌊h⌋ + (h − ⌊h⌋)·(x⌈h⌉ − x⌊h⌋) (0-based indices).
 *   Computed by simple-statistics' `quantileSorted`, which implements exactly this.
 * - NaN is not a value any quantile can place: it is left out and counted (`nan`).
 * - ±Infinity is a value: it takes its place in the order. Where Q(p) interpolates towards an
 *   infinite neighbour it is that infinity (R's `(1 − g)·a + g·b`, which simple-statistics'
 *   `a + g·(b − a)` form would turn into NaN for −∞ or two equal infinities); between −∞ and +∞
 *   it is NaN. Mean and std follow IEEE 754: an infinity makes the mean infinite (NaN with both
 *   signs) and the std NaN.
 * - std is the sample standard deviation (divisor n − 1, Bessel's correction), the usual for
 *   replicates drawn from a distribution; null below 2 values.
 */
import { mean as ssMean, quantileSorted as ssQuantileSorted, sampleStandardDeviation } from "simple-statistics";
import { TokenspiceError } from "../errors";
import type { Distribution } from "../report/campaign";

/** The percentiles a band or a point's distribution reports, as fractions. */
export const PERCENTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
/** A percentile's column name: p5, p25, p50 (the median), p75, p95 (`PERCENTILES` as fractions). */
export type PercentileName = "p5" | "p25" | "p50" | "p75" | "p95";
export const PERCENTILE_NAMES: readonly PercentileName[] = ["p5", "p25", "p50", "p75", "p95"];

/**
 * The p-quantile (Hyndman & Fan type 7) of values already sorted ascending, with no NaN among
 * them. p in [0, 1]; an empty array throws.
 *
 * @example quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.05) // 1.45, as R's quantile(1:10, 0.05)
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new TokenspiceError("OPTION_INVALID", "A quantile of no values is undefined.");
  if (!(p >= 0 && p <= 1)) throw new TokenspiceError("OPTION_INVALID", `A quantile's p must be in [0, 1], not ${p}.`, { p });
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo];
  const b = sorted[hi];
  if (Number.isFinite(a) && Number.isFinite(b)) return ssQuantileSorted(sorted, p);
  // An infinite neighbour: R's form, with equal neighbours (or no fraction) giving the neighbour itself.
  if (lo === hi || a === b) return a;
  const g = h - lo;
  return (1 - g) * a + g * b;
}

/** The p-quantile (type 7) of `values` in any order; NaN left out. Null when no value is left. */
export function quantile(values: Iterable<number>, p: number): number | null {
  const sorted = [...values].filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  return sorted.length === 0 ? null : quantileSorted(sorted, p);
}

/**
 * The distribution of a set of values: how many there are, the five percentiles, mean, sample std,
 * min and max. Null where undefined (no values; std below two). Declared with the report's data
 * (src/report/campaign.ts), which reads it: the campaign layer writes the report's data, never the
 * other way round.
 */
export type { Distribution } from "../report/campaign";

/** The columns of a `Distribution`, in the order bands.csv and points.csv write them. */
export const DISTRIBUTION_COLUMNS = ["n", "nan", "p5", "p25", "p50", "p75", "p95", "mean", "std", "min", "max"] as const satisfies readonly (keyof Distribution)[];

/** Sorts numbers ascending, in place (a typed array sorts numerically, ±Infinity at the ends). */
function sortedNumbers(values: ArrayLike<number>): number[] {
  const kept = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) kept[n++] = values[i];
  return Array.from(kept.subarray(0, n).sort());
}

/**
 * The distribution of `values` (NaN left out and counted). Order of `values` matters only for the
 * mean's and std's last bits (summed in the order given): pass replicates in replicate order.
 */
export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = sortedNumbers(values);
  const n = sorted.length;
  const nan = values.length - n;
  if (n === 0) return { n, nan, p5: null, p25: null, p50: null, p75: null, p95: null, mean: null, std: null, min: null, max: null };
  const inOrder: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) inOrder.push(values[i]);
  const [p5, p25, p50, p75, p95] = PERCENTILES.map((p) => quantileSorted(sorted, p));
  return {
    n,
    nan,
    p5,
    p25,
    p50,
    p75,
    p95,
    mean: meanOf(inOrder),
    std: n < 2 ? null : stdOf(inOrder),
    min: sorted[0],
    max: sorted[n - 1],
  };
}

/**
 * The IEEE mean: +∞ or −∞ when infinities of one sign are present, NaN with both signs. (Not
 * simple-statistics' alone: its Kahan-compensated sum turns a lone Infinity into NaN.)
 */
function meanOf(values: number[]): number {
  let pos = false;
  let neg = false;
  for (const v of values) {
    if (v === Infinity) pos = true;
    else if (v === -Infinity) neg = true;
  }
  if (pos || neg) return pos && neg ? NaN : pos ? Infinity : -Infinity;
  return ssMean(values);
}

/** Sample std; NaN when a value is infinite (an infinite deviation from an infinite mean is undefined). */
function stdOf(values: number[]): number {
  return values.every(Number.isFinite) ? sampleStandardDeviation(values) : NaN;
}

/**
 * Bands of a set of series: for each sample index i, the distribution of `series[r][i]` across the
 * series r that have an i-th value (series may be of different lengths). `series` in replicate
 * order.
 */
export function bands(series: readonly ArrayLike<number>[]): Distribution[] {
  const length = series.reduce((m, s) => Math.max(m, s.length), 0);
  const out: Distribution[] = [];
  const column: number[] = [];
  for (let i = 0; i < length; i++) {
    column.length = 0;
    for (const s of series) if (i < s.length) column.push(s[i]);
    out.push(distribution(column));
  }
  return out;
}

/** An estimated proportion and its confidence interval. */
export interface Proportion {
  /** k / n; NaN when n = 0. */
  p: number;
  lo: number;
  hi: number;
}

/**
 * The standard normal quantile z with P(|Z| ≤ z) = confidence, i.e. Φ⁻¹(1 − (1 − confidence)/2):
 * 1.959963984540054 for 95%. stdlib's normal quantile (its inverse complementary error function follows Boost's
 * erf_inv rational approximations, accurate to double precision), the package the params'
 * distributions already use. simple-statistics' `probit` is not used: its approximation gives
 * 1.957 for 95%.
 */
export function normalQuantileTwoSided(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

/**
 * The Wilson score interval for a proportion: k successes in n trials, at `confidence` (default
 * 0.95). E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
 * inference", JASA 22(158):209–212; Newcombe (1998), Statistics in Medicine 17:857–872, method 3.
 * With p̂ = k/n and z = Φ⁻¹(1 − (1 − confidence)/2):
 *
 *   centre = (p̂ + z²/(2n)) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/(4n²))
 *   [lo, hi] = [centre − half, centre + half]
 *
 * Unlike the normal (Wald) interval it stays within [0, 1] and is not empty at k = 0 or k = n
 * (lo is exactly 0 at k = 0, hi exactly 1 at k = n). n = 0 carries no information: p is NaN and
 * the interval is [0, 1].
 *
 * @throws TokenspiceError OPTION_INVALID for k or n that are not integers with 0 ≤ k ≤ n, or a
 *   confidence outside (0, 1)
 */
export function wilson(k: number, n: number, confidence = 0.95): Proportion {
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(k) || k < 0 || k > n) {
    throw new TokenspiceError("OPTION_INVALID", `A proportion needs integers 0 ≤ k ≤ n, not k=${k}, n=${n}.`, { k, n });
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new TokenspiceError("OPTION_INVALID", `A confidence level must be in (0, 1), not ${confidence}.`, { confidence });
  }
  if (n === 0) return { p: NaN, lo: 0, hi: 1 };
  const z = normalQuantileTwoSided(confidence);
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    p,
    lo: k === 0 ? 0 : Math.max(0, centre - half),
    hi: k === n ? 1 : Math.min(1, centre + half),
  };
}
