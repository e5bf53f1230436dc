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
 * is ever outside it).
 * - `{ type: "uniform" }` (the default): uniform over [min, max];
 * - `{ type: "normal", mean, sd }`;
 * - `{ type: "lognormal", mu, sigma }`: log(value) ~ normal(mu, sigma) (so the median is e^mu);
 * - `{ type: "triangular", mode }`: from min to max, peaking at mode.
 */
export type ParamDist =
  | { type: "uniform" }
  | { type: "normal"; mean: number; sd: number }
  | { type: "lognormal"; mu: number; sigma: number }
  | { type: "triangular"; mode: number };

/** Checks a dist against its param's range. @throws TokenspiceError PARAM_SPEC_INVALID */
export function checkDist(what: string, dist: ParamDist, min: number | undefined, max: number | undefined): void {
  const bad = (why: string) => new TokenspiceError("PARAM_SPEC_INVALID", `${what}: dist ${JSON.stringify(dist)}: ${why}`, { dist });
  const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  switch (dist?.type) {
    case "uniform":
      if (!finite(min) || !finite(max)) throw bad("a uniform distribution needs a finite min and max");
      return;
    case "normal":
      if (!finite(dist.mean) || !(finite(dist.sd) && dist.sd > 0)) throw bad("needs a finite mean and sd > 0");
      return;
    case "lognormal":
      if (!finite(dist.mu) || !(finite(dist.sigma) && dist.sigma > 0)) throw bad("needs a finite mu and sigma > 0");
      if (min !== undefined && min < 0) throw bad("a lognormal value is positive: the param's min must be >= 0");
      return;
    case "triangular":
      if (!finite(min) || !finite(max)) throw bad("a triangular distribution needs a finite min and max");
      if (!finite(dist.mode) || dist.mode < min! || dist.mode > max!) throw bad(`mode must be within [${min}, ${max}]`);
      return;
    default:
      throw bad('type must be "uniform", "normal", "lognormal" or "triangular"');
  }
}

/**
 * The value at cumulative probability u ∈ [0, 1) of a dist truncated to [min, max]: the inverse
 * CDF at F(min) + u·(F(max) − F(min)). Quantile and CDF functions from stdlib.
 */
export function distQuantile(dist: ParamDist, u: number, min = -Infinity, max = Infinity): number {
  switch (dist.type) {
    case "uniform":
      return min + u * (max - min);
    case "normal": {
      const lo = normalCdf(min, dist.mean, dist.sd);
      const hi = normalCdf(max, dist.mean, dist.sd);
      return clamp(normalQuantile(lo + u * (hi - lo), dist.mean, dist.sd), min, max);
    }
    case "lognormal": {
      const lo = min > 0 ? lognormalCdf(min, dist.mu, dist.sigma) : 0;
      const hi = Number.isFinite(max) ? lognormalCdf(max, dist.mu, dist.sigma) : 1;
      return clamp(lognormalQuantile(lo + u * (hi - lo), dist.mu, dist.sigma), min, max);
    }
    case "triangular":
      return clamp(triangularQuantile(u, min, max, dist.mode), min, max);
  }
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}
