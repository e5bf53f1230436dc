import kstest from "@stdlib/stats-kstest";
import { createRng } from "../model/rng";

/**
 * A Kolmogorov–Smirnov goodness-of-fit test of a fitted distribution.
 * - `statistic`: D = sup |F_n(x) − F(x)|, from stdlib's `@stdlib/stats-kstest`;
 * - `pValueKnownParams`: stdlib's p-value, exact for a distribution fixed before seeing the data;
 *   with parameters estimated from the same data it is too large (the fit is closer to the data
 *   than the truth is), so it is reported but not used for the verdict;
 * - `pValue`: the parametric-bootstrap p-value (Lilliefors' correction done by simulation, as in
 *   Babu & Rao 2004, Stute, Gonzáles Manteiga & Presedo Quindimil 1993): `resamples` samples of
 *   the same size are drawn from the fitted distribution, each is fitted again the same way, and
 *   p = (1 + #{D* ≥ D}) / (1 + resamples). Equal to `pValueKnownParams` when nothing was estimated.
 * `rejected` is pValue < alpha: the data do not look drawn from the fitted distribution.
 */
export interface GoodnessOfFit {
  test: "Kolmogorov-Smirnov";
  statistic: number;
  pValueKnownParams: number;
  pValue: number;
  method: string;
  alpha: number;
  rejected: boolean;
}

/**
 * KS test of `values` against `cdf`; `refit` (when parameters were estimated) draws a sample of n
 * from the fitted distribution with the given uniform stream and returns its refitted CDF, for the
 * parametric bootstrap.
 */
export function ksTest(
  values: readonly number[],
  cdf: (x: number) => number,
  options: { alpha: number; resamples: number; seed: string; refit?: (uniform: () => number, n: number) => { sample: number[]; cdf: (x: number) => number } },
): GoodnessOfFit {
  const sorted = [...values].sort((a, b) => a - b);
  const known = kstest(sorted, cdf, { sorted: true });
  let pValue = known.pValue;
  let method = "exact for a distribution given in advance (Marsaglia, Tsang & Wang 2003)";
  if (options.refit) {
    const rng = createRng(options.seed);
    let atLeast = 0;
    for (let b = 0; b < options.resamples; b++) {
      const { sample, cdf: refitted } = options.refit(rng, sorted.length);
      sample.sort((x, y) => x - y);
      if (ksStatistic(sample, refitted) >= known.statistic) atLeast++;
    }
    pValue = (1 + atLeast) / (1 + options.resamples);
    method = `parametric bootstrap, ${options.resamples} resamples refitted (Lilliefors-type)`;
  }
  return { test: "Kolmogorov-Smirnov", statistic: known.statistic, pValueKnownParams: known.pValue, pValue, method, alpha: options.alpha, rejected: pValue < options.alpha };
}

/** D = sup |F_n − F| of sorted values (the same statistic stdlib computes, without its p-value, for the bootstrap's inner loop). */
export function ksStatistic(sorted: readonly number[], cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
