import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import signrankCdf from "@stdlib/stats-base-dists-signrank-cdf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { mean, quantileSorted, sampleStandardDeviation } from "simple-statistics";
import { TokenspiceError } from "../errors";

/**
 * Paired comparison of two designs on common random numbers, as pure functions of the per-seed
 * differences d_r = B_r − A_r (replicate r ran with the same seed, and the same uncontrollables, for
 * both designs). Formulas and sources: docs/explanation/statistics.md, "Paired comparison".
 * The distributions are stdlib's (`@stdlib/stats-base-dists-t-*`, `-signrank-cdf`, `-normal-*`).
 */

/** Largest n whose signed-rank distribution is taken exactly (stdlib's CDF); above it, the normal approximation. */
export const EXACT_SIGNED_RANK_MAX = 50;

/** The paired t interval and test: mean difference, its interval and the two-sided p-value of "mean 0". */
export interface PairedT {
  n: number;
  mean: number;
  /** Sample standard deviation of the differences (divisor n − 1). */
  sd: number;
  /** Degrees of freedom, n − 1. */
  df: number;
  /** t = mean / (sd / √n); ±Infinity when sd is 0 and the mean is not. */
  statistic: number;
  lo: number;
  hi: number;
  p: number;
}

/**
 * Student's paired t: mean d̄, sd s, t = d̄/(s/√n) on n − 1 degrees of freedom, interval
 * d̄ ± t₁₋α/₂,ₙ₋₁·s/√n, two-sided p = 2·(1 − F_t(|t|)). Differences that are all equal (a deterministic
 * KPI) give the interval [d̄, d̄] and p = 0 (or 1 when d̄ = 0). Fewer than 2 differences: the whole line, p = 1.
 * @throws TokenspiceError OPTION_INVALID for a confidence outside (0, 1)
 */
export function pairedT(d: readonly number[], confidence = 0.95): PairedT {
  checkConfidence(confidence);
  const n = d.length;
  if (n < 2) return { n, mean: n ? d[0] : NaN, sd: NaN, df: n - 1, statistic: NaN, lo: -Infinity, hi: Infinity, p: 1 };
  const m = mean(d);
  const sd = sampleStandardDeviation(d);
  const df = n - 1;
  if (sd === 0 || !(sd > Math.abs(m) * 1e-13)) {
    // every difference the same (up to rounding): the difference is that number, with no spread
    return { n, mean: m, sd: 0, df, statistic: m === 0 ? NaN : Math.sign(m) * Infinity, lo: m, hi: m, p: m === 0 ? 1 : 0 };
  }
  const se = sd / Math.sqrt(n);
  const statistic = m / se;
  const q = tQuantile(1 - (1 - confidence) / 2, df);
  const p = Math.min(1, 2 * tCdf(-Math.abs(statistic), df));
  return { n, mean: m, sd, df, statistic, lo: m - q * se, hi: m + q * se, p };
}

/** Wilcoxon's signed-rank test of "the differences are symmetric about 0". */
export interface SignedRank {
  /** Non-zero differences ranked (zeros are dropped, as Wilcoxon and R's wilcox.test do). */
  n: number;
  /** V: the sum of the ranks of the positive differences (mid-ranks for ties). */
  statistic: number;
  p: number;
  /** Whether p is exact (no ties, n ≤ EXACT_SIGNED_RANK_MAX) or the normal approximation with tie and continuity corrections. */
  exact: boolean;
}

/**
 * Wilcoxon (1945) signed-rank test, two-sided. Zeros dropped; |d| ranked with mid-ranks; V = Σ ranks
 * of the positive d. Exact p = 2·min(P(V ≤ v), P(V ≥ v)) from stdlib's signed-rank CDF when n ≤ 50
 * and there are no ties; otherwise z = (V − n(n+1)/4 ∓ ½)/σ with σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48
 * over tie groups of size t (Hollander & Wolfe 1999, §3.1; what R's wilcox.test does). No non-zero
 * difference: p = 1.
 */
export function signedRank(d: readonly number[]): SignedRank {
  const nz = d.filter((x) => x !== 0);
  const n = nz.length;
  if (n === 0) return { n, statistic: 0, p: 1, exact: true };
  const order = nz.map((x, i) => ({ a: Math.abs(x), pos: x > 0, i })).sort((x, y) => x.a - y.a);
  const ranks = new Array<number>(n);
  let ties = false;
  let tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && order[j + 1].a === order[i].a) j++;
    const t = j - i + 1;
    if (t > 1) {
      ties = true;
      tieTerm += t ** 3 - t;
    }
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const v = order.reduce((s, o, k) => s + (o.pos ? ranks[k] : 0), 0);
  if (!ties && n <= EXACT_SIGNED_RANK_MAX) {
    const lower = signrankCdf(v, n);
    const upper = v === 0 ? 1 : 1 - signrankCdf(v - 1, n);
    return { n, statistic: v, p: Math.min(1, 2 * Math.min(lower, upper)), exact: true };
  }
  const centre = (n * (n + 1)) / 4;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  if (sigma === 0) return { n, statistic: v, p: 1, exact: false };
  const diff = v - centre;
  const z = (diff - Math.sign(diff) * 0.5) / sigma;
  return { n, statistic: v, p: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)), exact: false };
}

/** The Hodges–Lehmann estimate of the differences' centre and its distribution-free interval. */
export interface HodgesLehmann {
  /** The median of the Walsh averages (d_i + d_j)/2, i ≤ j. */
  estimate: number;
  lo: number;
  hi: number;
  /** The interval's confidence as achieved (the signed-rank distribution is discrete: at least the one asked for when exact). */
  confidence: number;
}

/**
 * Hodges & Lehmann's (1963) estimate with the interval that inverts the signed-rank test (Hollander &
 * Wolfe 1999, §3.3; Bauer 1972): the M = n(n+1)/2 Walsh averages sorted, lo = W₍ₖ₎ and hi = W₍M+1−ₖ₎, k
 * the largest with P(V ≤ k − 1) ≤ α/2 (exact from the signed-rank CDF for n ≤ 50; beyond, k =
 * ⌊M/2 − z₁₋α/₂·√(n(n+1)(2n+1)/24)⌋). It covers the centre of any symmetric continuous difference
 * distribution (there, the mean) with probability at least `confidence`, whatever its shape. Zeros
 * are kept. Differences all equal give [d, d]; too few for the confidence asked (k < 1: n ≤ 5 at 95%), the whole line.
 * @throws TokenspiceError OPTION_INVALID for a confidence outside (0, 1)
 */
export function hodgesLehmann(d: readonly number[], confidence = 0.95): HodgesLehmann {
  checkConfidence(confidence);
  const n = d.length;
  if (n === 0) return { estimate: NaN, lo: -Infinity, hi: Infinity, confidence: 1 };
  // every difference the same: the centre is that number (a deterministic KPI, or one the design cannot move)
  if (d.every((x) => x === d[0])) return { estimate: d[0], lo: d[0], hi: d[0], confidence: 1 };
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i] + d[j]) / 2);
  walsh.sort((a, b) => a - b);
  const M = walsh.length;
  const estimate = quantileSorted(walsh, 0.5);
  const alpha = 1 - confidence;
  let k: number;
  let achieved: number;
  if (n <= EXACT_SIGNED_RANK_MAX) {
    [k, achieved] = exactRank(n, alpha);
  } else {
    const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    k = Math.floor(M / 2 - normalQuantile(1 - alpha / 2, 0, 1) * sigma);
    achieved = confidence;
  }
  if (k < 1) return { estimate, lo: -Infinity, hi: Infinity, confidence: 1 };
  return { estimate, lo: walsh[k - 1], hi: walsh[M - k], confidence: achieved };
}

const exactRanks = new Map<string, [number, number]>();

/** k with P(V ≤ k − 1) ≤ α/2 < P(V ≤ k) for n ranks, and the confidence 1 − 2·P(V ≤ k − 1) it gives (memoised: it depends on n and α alone). */
function exactRank(n: number, alpha: number): [number, number] {
  const key = `${n}/${alpha}`;
  let found = exactRanks.get(key);
  if (!found) {
    const M = (n * (n + 1)) / 2;
    let k = 0;
    while (k < M && signrankCdf(k, n) <= alpha / 2) k++;
    found = [k, k < 1 ? 1 : 1 - 2 * signrankCdf(k - 1, n)];
    exactRanks.set(key, found);
  }
  return found;
}

/**
 * Holm's (1979) step-down adjustment of m p-values for a family-wise error rate: sorted ascending,
 * p̃₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎); returned in the order given. NaN counts as 1.
 */
export function holm(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => ({ p: Number.isNaN(p) ? 1 : p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p));
    out[i] = running;
  });
  return out;
}

/**
 * Pairs needed for a two-sided paired t test at level `alpha` to detect a mean difference `effect`
 * with probability `power`, for differences of standard deviation `sd`: n = ((z₁₋α/₂ + z_power)·sd/effect)²
 * + z²₁₋α/₂/2, rounded up, at least 2 (Guenther 1981, the normal formula with his t correction). An
 * effect of 0: Infinity (nothing to detect); differences with no spread: 2.
 */
export function pairsToDetect(sd: number, effect: number, alpha = 0.05, power = 0.8): number {
  if (!(sd >= 0) || !Number.isFinite(sd) || Number.isNaN(effect)) return NaN;
  if (effect === 0) return Infinity;
  if (sd === 0 || !Number.isFinite(effect)) return 2;
  const za = normalQuantile(1 - alpha / 2, 0, 1);
  const zb = normalQuantile(power, 0, 1);
  return Math.max(2, Math.ceil(((za + zb) * sd) ** 2 / effect ** 2 + za ** 2 / 2));
}

/** The spread of the differences: min, quartiles (Hyndman & Fan type 7) and max. */
export function fiveNumbers(d: readonly number[]): { min: number; q1: number; median: number; q3: number; max: number } {
  if (d.length === 0) return { min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN };
  const s = [...d].sort((a, b) => a - b);
  return { min: s[0], q1: quantileSorted(s, 0.25), median: quantileSorted(s, 0.5), q3: quantileSorted(s, 0.75), max: s[s.length - 1] };
}

/** What a paired comparison says of one KPI. */
export type PairedVerdict = "B higher" | "B lower" | "no detectable difference at this n";

/** One KPI's paired comparison: the differences' statistics, both intervals, both tests (Holm-adjusted), the verdict and the pairs a given effect needs. */
export interface PairedComparison {
  /** Pairs with a number for both designs (the rest dropped). */
  n: number;
  meanA: number;
  meanB: number;
  spread: ReturnType<typeof fiveNumbers>;
  t: PairedT & { pHolm: number };
  wilcoxon: SignedRank & HodgesLehmann & { pHolm: number };
  verdict: PairedVerdict;
  /** The effect `pairsToDetect` was asked about, and where it came from. */
  effect: number;
  effectFrom: "given" | "observed";
  /** Pairs a paired t test at the Holm family's strictest level (α/m) needs to detect `effect` with probability `power`. */
  pairsToDetect: number;
}

/**
 * Compares B against A on each KPI, from per-pair values `a[k][r]`, `b[k][r]` (KPI k, pair r): the
 * differences b − a of the pairs where both are finite numbers, the paired t interval and test, the
 * signed-rank test with its Hodges–Lehmann interval, Holm's adjustment of each test's p-values over the
 * m KPIs, and the verdict: "B higher" / "B lower" when the Holm-adjusted t p-value is below
 * α = 1 − confidence (by the mean difference's sign), else "no detectable difference at this n".
 * `effects[k]` (default: the observed |mean difference|) is the effect whose pairs-to-detect is given,
 * at level α/m and power `power`.
 * @throws TokenspiceError OPTION_INVALID for a confidence or power outside (0, 1), or lists of different lengths
 */
export function comparePaired(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  options: { confidence?: number; power?: number; effects?: readonly (number | undefined)[] } = {},
): PairedComparison[] {
  const confidence = options.confidence ?? 0.95;
  const power = options.power ?? 0.8;
  checkConfidence(confidence);
  checkConfidence(power, "power");
  if (a.length !== b.length || a.some((x, k) => x.length !== b[k].length)) throw new TokenspiceError("OPTION_INVALID", "comparePaired: A's and B's values must be given for the same KPIs and pairs.");
  const alpha = 1 - confidence;
  const m = a.length;
  const rows = a.map((ak, k) => {
    const pairs = ak.map((x, r) => [x, b[k][r]] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const d = pairs.map(([x, y]) => y - x);
    return {
      n: d.length,
      meanA: d.length ? mean(pairs.map((p) => p[0])) : NaN,
      meanB: d.length ? mean(pairs.map((p) => p[1])) : NaN,
      spread: fiveNumbers(d),
      t: pairedT(d, confidence),
      wilcoxon: { ...signedRank(d), ...hodgesLehmann(d, confidence) },
    };
  });
  const tHolm = holm(rows.map((r) => r.t.p));
  const wHolm = holm(rows.map((r) => r.wilcoxon.p));
  return rows.map((r, k) => {
    const detected = tHolm[k] < alpha && r.t.mean !== 0;
    const given = options.effects?.[k];
    const effect = given ?? Math.abs(r.t.mean);
    return {
      ...r,
      t: { ...r.t, pHolm: tHolm[k] },
      wilcoxon: { ...r.wilcoxon, pHolm: wHolm[k] },
      verdict: detected ? (r.t.mean > 0 ? "B higher" : "B lower") : "no detectable difference at this n",
      effect,
      effectFrom: given === undefined ? "observed" : "given",
      pairsToDetect: r.n < 2 ? NaN : pairsToDetect(r.t.sd, effect, alpha / m, power),
    };
  });
}

function checkConfidence(value: number, name = "confidence"): void {
  if (!(typeof value === "number" && value > 0 && value < 1))
    throw new TokenspiceError("OPTION_INVALID", `compare: ${name} ${value} is not valid: use a number between 0 and 1 (both excluded), e.g. ${name === "power" ? "0.8" : "0.95"}.`, {
      [name]: String(value),
    });
}
