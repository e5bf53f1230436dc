import lognormalCdf from "@stdlib/stats-base-dists-lognormal-cdf";
import lognormalQuantile from "@stdlib/stats-base-dists-lognormal-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import triangularQuantile from "@stdlib/stats-base-dists-triangular-quantile";
import { TokenspiceError } from "../errors";

/**
 * How an uncontrollable param is distributed, for Monte Carlo, sampling and verification: the
 * world's value is drawn from it (the designer does not choose it). Every distribution is
 * truncated to the param's [min, max] (drawn by inverse CDF over the truncated range, so no draw
 * is ever outside it; deep in a tail the inverse CDF is worked out in log space, so a range far
 * from the mean is sampled as accurately as one around it).
 * - `{ type: "uniform" }` (the default): uniform over [min, max];
 * - `{ type: "normal", mean, sd }`;
 * - `{ type: "lognormal", mu, sigma }`: log(value) ~ normal(mu, sigma) (so the median is e^mu);
 * - `{ type: "triangular", mode }`: from min to max, peaking at mode.
 */
export type ParamDist = { type: "uniform" } | { type: "normal"; mean: number; sd: number } | { type: "lognormal"; mu: number; sigma: number } | { type: "triangular"; mode: number };

/**
 * Checks a dist against its param's range. A normal or lognormal whose range lies so far out in a
 * tail that the log of its probability is not a double (more than about 10^154 sd from the mean, or
 * a range that is infinitely many sd away in double precision) is refused: nothing could be drawn
 * from it.
 * @throws TokenspiceError PARAM_SPEC_INVALID
 */
export function assertDist(what: string, dist: ParamDist, min: number | undefined, max: number | undefined): void {
  const bad = (why: string) => new TokenspiceError("PARAM_SPEC_INVALID", `${what}: dist ${JSON.stringify(dist)}: ${why}`, { dist });
  const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  switch (dist?.type) {
    case "uniform":
      if (!finite(min) || !finite(max)) throw bad("a uniform distribution needs a finite min and max");
      return;
    case "normal":
      if (!finite(dist.mean) || !(finite(dist.sd) && dist.sd > 0)) throw bad("needs a finite mean and sd > 0");
      if (min !== max) assertMass(bad, (min ?? -Infinity) - dist.mean, (max ?? Infinity) - dist.mean, dist.sd, `[${min ?? "-inf"}, ${max ?? "inf"}]`);
      return;
    case "lognormal":
      if (!finite(dist.mu) || !(finite(dist.sigma) && dist.sigma > 0)) throw bad("needs a finite mu and sigma > 0");
      if (min !== undefined && min < 0) throw bad("a lognormal value is positive: the param's min must be >= 0");
      if (min !== max)
        assertMass(bad, Math.log(min ?? 0) - dist.mu, Math.log(max ?? Infinity) - dist.mu, dist.sigma, `[${min ?? 0}, ${max ?? "inf"}] (log: [${Math.log(min ?? 0)}, ${Math.log(max ?? Infinity)}])`);
      return;
    case "triangular":
      if (!finite(min) || !finite(max)) throw bad("a triangular distribution needs a finite min and max");
      if (!finite(dist.mode) || dist.mode < min! || dist.mode > max!) throw bad(`mode must be within [${min}, ${max}]`);
      return;
    default:
      throw bad('type must be "uniform", "normal", "lognormal" or "triangular"');
  }
}

/** Refuses a range [lo, hi] (offsets from the mean) on one side of the mean whose log probability is not a double. */
function assertMass(bad: (why: string) => Error, lo: number, hi: number, sd: number, range: string): void {
  const near = lo > 0 ? lo / sd : hi < 0 ? -hi / sd : 0;
  if (!(Number.isFinite(near) && Number.isFinite(logQ(near)))) {
    throw bad(
      `the range ${range} is ${Number.isFinite(near) ? near.toPrecision(3) : "infinitely many"} sd from the mean: its probability is below what a double can hold (even as a logarithm), so nothing can be drawn from it. Move the mean or the range, or widen sd.`,
    );
  }
}

/**
 * The value at cumulative probability u ∈ [0, 1) of a dist truncated to [min, max]: the inverse
 * CDF at F(min) + u·(F(max) − F(min)). For a normal or lognormal, stdlib's CDF and quantile where
 * that point is between 1% and 99% of the untruncated distribution; elsewhere (a tail, or a range
 * far from the mean, where F(min) and F(max) round to 0 or 1) the inverse CDF is solved in log
 * space on the side away from the mean (`tailQuantile`). A range of one value gives that value.
 */
export function distQuantile(dist: ParamDist, u: number, min = -Infinity, max = Infinity): number {
  if (min === max) return min;
  switch (dist.type) {
    case "uniform":
      return clamp(Number.isFinite(max - min) ? min + u * (max - min) : min + 2 * u * (max / 2 - min / 2), min, max);
    case "normal": {
      const lo = normalCdf(min, dist.mean, dist.sd);
      const hi = normalCdf(max, dist.mean, dist.sd);
      const p = lo + u * (hi - lo);
      if (p >= 0.01 && p <= 0.99) return clamp(normalQuantile(p, dist.mean, dist.sd), min, max);
      return clamp(dist.mean + dist.sd * truncatedStandardNormal((min - dist.mean) / dist.sd, (max - dist.mean) / dist.sd, u), min, max);
    }
    case "lognormal": {
      const lo = min > 0 ? lognormalCdf(min, dist.mu, dist.sigma) : 0;
      const hi = Number.isFinite(max) ? lognormalCdf(max, dist.mu, dist.sigma) : 1;
      const p = lo + u * (hi - lo);
      if (p >= 0.01 && p <= 0.99) return clamp(lognormalQuantile(p, dist.mu, dist.sigma), min, max);
      const z = truncatedStandardNormal((Math.log(Math.max(0, min)) - dist.mu) / dist.sigma, (Math.log(max) - dist.mu) / dist.sigma, u);
      return clamp(Math.exp(dist.mu + dist.sigma * z), min, max);
    }
    case "triangular": {
      if (Number.isFinite(max - min)) return clamp(triangularQuantile(u, min, max, dist.mode), min, max);
      // a range wider than the largest double: the same closed form on halved differences
      const [b, c, d] = [max / 2 - min / 2, dist.mode / 2 - min / 2, max / 2 - dist.mode / 2];
      return clamp(u < c / b ? min + 2 * Math.sqrt(u) * Math.sqrt(b) * Math.sqrt(c) : max - 2 * Math.sqrt(1 - u) * Math.sqrt(b) * Math.sqrt(d), min, max);
    }
  }
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

// ---------------------------------------------------------------------------------------------
// The standard normal truncated to [a, b], in log space

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_HALF = Math.log(0.5);

/**
 * log Q(x), Q(x) = P(Z > x) the standard normal's upper tail, for every x a double can square:
 * from stdlib's CDF (erfc) while Q(x) is a normal double (x < 30), then −x²/2 − log √(2π) +
 * log R(x) with R Mills' ratio (Laplace's continued fraction). −Infinity for x = Infinity.
 */
export function logQ(x: number): number {
  if (x === Infinity) return -Infinity;
  if (x < 30) return Math.log(normalCdf(-x, 0, 1));
  return -0.5 * x * x - LOG_SQRT_2PI + Math.log(millsRatio(x));
}

/**
 * Mills' ratio R(x) = Q(x)/φ(x), x ≥ 0: Q(x)/φ(x) from stdlib below 30; above, Laplace's continued
 * fraction 1/(x + 1/(x + 2/(x + 3/(x + …)))) (Abramowitz & Stegun 26.2.14), 60 terms, evaluated
 * backwards (from x = 30 on, 60 terms and 200 agree to the last bit).
 */
function millsRatio(x: number): number {
  if (x < 30) return normalCdf(-x, 0, 1) / Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / f;
  return 1 / f;
}

/** log(e^p + e^q). */
function logAdd(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const [hi, lo] = p > q ? [p, q] : [q, p];
  return hi + Math.log1p(Math.exp(lo - hi));
}

/**
 * The u-quantile of Z ~ N(0, 1) truncated to [a, b]: each part of the range on one side of 0 is
 * taken as an upper tail (the part below 0 mirrored), so every probability is a Q of a positive
 * number, held as its logarithm: no range is too far out for it.
 */
export function truncatedStandardNormal(a: number, b: number, u: number): number {
  if (a >= 0) return upperTail(a, b, u, false);
  if (b <= 0) return -upperTail(-b, -a, u, true);
  // Around 0: below it with probability 0.5 − Q(−a), above with 0.5 − Q(b).
  const below = 0.5 - normalCdf(a, 0, 1);
  const above = 0.5 - normalCdf(-b, 0, 1);
  const v = u * (below + above);
  return v < below ? -upperTail(0, -a, v / below, true) : upperTail(0, b, Math.min(1, (v - below) / above), false);
}

/**
 * The point z of [c, d] (0 ≤ c ≤ d) with the share u of the truncated mass between it and c (or
 * between it and d when `fromFar`): log Q(z) from whichever share is the smaller (no cancellation),
 * then solved for z by Newton's method on log Q (its slope is −1/R(z)) kept inside a bracket.
 */
function upperTail(c: number, d: number, u: number, fromFar: boolean): number {
  const lc = logQ(c);
  const ld = logQ(d);
  if (lc === -Infinity || lc === ld) return fromFar ? d : c; // all the mass at c (a range beyond doubles, or one value)
  const relMass = Math.log1p(-Math.exp(ld - lc)); // log of the range's mass over Q(c)
  const near = fromFar ? 1 - u : u;
  const far = fromFar ? u : 1 - u;
  if (near <= 0) return c;
  if (far <= 0) return d;
  // log Q(z) = log(Q(c) − near·mass), relative to Q(c) (log Q(c) may be too large to add a share's log to), or log(Q(d) + far·mass)
  const target = near <= far ? lc + Math.log1p(-near * Math.exp(relMass)) : logAdd(ld, Math.log(far) + lc + relMass);
  // the root is in [c, min(d, sqrt(2·(log 0.5 − target)))], as Q(z) ≤ e^(−z²/2)/2 for z ≥ 0
  let lo = c;
  let hi = Math.min(d, Math.sqrt(2 * (LOG_HALF - target)));
  if (!(hi > lo)) return c;
  let z = near <= far ? c : hi;
  for (let i = 0; i < 200; i++) {
    const f = logQ(z) - target;
    if (f > 0) lo = z;
    else if (f < 0) hi = z;
    else return z;
    let next = z + f * millsRatio(z);
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    if (next === z || hi - lo <= 4 * Number.EPSILON * Math.max(1, Math.abs(hi))) return next;
    z = next;
  }
  return z;
}
