import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";
import { TokenspiceError } from "../errors";

/**
 * Clopper & Pearson's (1934) exact interval for a binomial proportion: k successes in n trials,
 * two-sided at `confidence`: lo = Beta⁻¹(α/2; k, n − k + 1), hi = Beta⁻¹(1 − α/2; k + 1, n − k).
 */
export function clopperPearson(k: number, n: number, confidence = 0.95): { p: number; lo: number; hi: number } {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || k < 0 || k > n) {
    throw new TokenspiceError("OPTION_INVALID", `clopperPearson(${k}, ${n}): need integers 0 <= k <= n`, { k, n });
  }
  const alpha = 1 - confidence;
  if (n === 0) return { p: NaN, lo: 0, hi: 1 };
  return {
    p: k / n,
    lo: k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1),
    hi: k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k),
  };
}
