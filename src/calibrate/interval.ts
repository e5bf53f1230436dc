/** A point estimate with its confidence interval, and how the interval was made. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  /** "exact (t)", "exact (chi-square)", "Wald (normal)", "bootstrap percentile (999 resamples)". */
  method: string;
}

/** True when `value` is inside the interval (ends included). */
export function covers(interval: Interval, value: number): boolean {
  return interval.lower <= value && value <= interval.upper;
}

/** Sum, mean and the sum of squared deviations of `xs`. */
export function moments(xs: readonly number[]): { n: number; mean: number; ss: number } {
  const n = xs.length;
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { n, mean, ss };
}

/** The q-quantile (0 ≤ q ≤ 1) of already sorted values, linear between order statistics (Hyndman & Fan type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
