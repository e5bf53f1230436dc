import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/**
 * Statistics across a campaign's runs. (Placeholder until the store branch lands: quantile type 7
 * and the Wilson score interval.)
 */

/** Hyndman & Fan (1996) type 7 (R's and NumPy's default): linear interpolation between order statistics. `sorted` ascending. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Wilson's score interval for k successes in n trials (Wilson 1927), at two-sided confidence `confidence`. */
export function wilson(k: number, n: number, confidence = 0.95): { p: number; lo: number; hi: number } {
  if (n === 0) return { p: NaN, lo: 0, hi: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2, 0, 1);
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

