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

/**
 * The confidence of the interval at look `look` of `looks` planned looks (1-based), so that the
 * chance any look's interval misses the truth is at most 1 − confidence (Bonferroni's inequality:
 * the looks' error rates add up to α = 1 − confidence). Half of α is kept for the last look, the
 * other half split evenly over the looks before it (an alpha-spending plan fixed in advance, in the
 * spirit of Haybittle–Peto: early stops need strong evidence). One look: the whole α.
 */
export function lookConfidence(look: number, looks: number, confidence: number): number {
  const alpha = 1 - confidence;
  if (looks <= 1) return confidence;
  return look >= looks ? 1 - alpha / 2 : 1 - alpha / (2 * (looks - 1));
}

/**
 * Runs (in all) after which the Clopper–Pearson interval of k successes in n would be half as wide,
 * if the proportion stayed k/n: the smallest n′ whose interval at k′ = round(n′·k/n) is at most half
 * today's width (searched by doubling, then bisection). About 4n when 0 < k < n (the width shrinks as
 * 1/√n); about 2n at k = 0 or k = n (the width is then about −ln(α/2)/n).
 */
export function runsToHalve(k: number, n: number, confidence = 0.95): number {
  if (n === 0) return 0;
  const width = (m: number) => {
    const j = Math.min(m, Math.max(0, Math.round((m * k) / n)));
    const ci = clopperPearson(j, m, confidence);
    return ci.hi - ci.lo;
  };
  const half = width(n) / 2;
  let hi = 2 * n;
  while (width(hi) > half && hi < n * 1024) hi *= 2;
  let lo = n;
  while (hi - lo > Math.max(1, Math.floor(n / 1000))) {
    const mid = Math.floor((lo + hi) / 2);
    if (width(mid) > half) lo = mid;
    else hi = mid;
  }
  return hi;
}
