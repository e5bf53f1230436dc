import chisqQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import lognormalCdf from "@stdlib/stats-base-dists-lognormal-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import triangularCdf from "@stdlib/stats-base-dists-triangular-cdf";
import { TokenspiceError } from "../errors";
import { distQuantile, type ParamDist } from "../model/dist";
import { createRng } from "../model/rng";
import { ksTest, type GoodnessOfFit } from "./goodness-of-fit";
import { moments, quantileSorted, type Interval } from "./interval";

/** The distribution families a param's `dist` can take (src/model/dist.ts). */
export type DistFamily = ParamDist["type"];
export const DIST_FAMILIES: readonly DistFamily[] = ["normal", "lognormal", "triangular", "uniform"];

/** Options of a fit. `min`/`max`: the param's range (triangular and uniform need one; see fitDist). */
export interface FitOptions {
  /** Confidence of the intervals, in (0, 1); default 0.95. */
  confidence?: number;
  /** Significance level of the goodness-of-fit test; default 0.05. */
  alpha?: number;
  /** Bootstrap resamples (the triangular mode's interval and the KS p-value); default 999. */
  resamples?: number;
  /** Seed of the bootstrap streams; default "calibrate". */
  seed?: string;
  min?: number;
  max?: number;
  /** Skip the goodness-of-fit test (for repeated fits in coverage studies). */
  gof?: boolean;
}

/** A distribution fitted to values by maximum likelihood. */
export interface DistFit {
  family: DistFamily;
  /** The param model's dist spec (src/model/dist.ts), ready for a param's `dist`. */
  dist: ParamDist;
  /** The range the dist lives on: the given min/max, or for triangular/uniform without one, the data's (see fitDist). */
  min?: number;
  max?: number;
  /** Each fitted parameter with its interval: normal mean, sd; lognormal mu, sigma; triangular mode. */
  parameters: Record<string, Interval>;
  n: number;
  logLikelihood: number;
  /** Akaike's information criterion, 2k − 2 log L (k: parameters fitted): lower is better among families. */
  aic: number;
  gof?: GoodnessOfFit;
}

const fitInvalid = (why: string) => new TokenspiceError("FIT_INVALID", why);

/**
 * Fits one family to `values` by maximum likelihood, with intervals and a KS test:
 * - normal: mean x̄, sd σ̂ = √(Σ(x − x̄)²/n) (the MLE); intervals exact: x̄ ± t(n−1)·s/√n and
 *   σ ∈ [√(SS/χ²(n−1, 1−α/2)), √(SS/χ²(n−1, α/2))];
 * - lognormal: the same on log x (every value must be > 0); mu, sigma;
 * - triangular: the mode c on [min, max] (the param model's triangular has only its mode free;
 *   its ends are the param's range): the MLE is an order statistic (Oliver 1972), found by scanning
 *   them; interval by bootstrap percentile. Without a range, [x(1) − R/(n−1), x(n) + R/(n−1)], R the
 *   sample range (the data's extremes widened by one mean spacing, so no value sits on an end);
 * - uniform: nothing to fit (min and max are the param's range, or the widened extremes as above);
 *   the KS test says whether the data look uniform.
 * The param model truncates every dist to the param's range; the fit does not (the range should
 * hold the data's bulk). KS p-values by parametric bootstrap (./goodness-of-fit.ts).
 * @throws TokenspiceError FIT_INVALID (fewer than 3 values, a non-positive value for lognormal, a range that does not hold the data, min >= max)
 */
export function fitDist(family: DistFamily, values: readonly number[], options: FitOptions = {}): DistFit {
  const confidence = options.confidence ?? 0.95;
  const alpha = options.alpha ?? 0.05;
  const resamples = options.resamples ?? 999;
  const seed = options.seed ?? "calibrate";
  if (!(confidence > 0 && confidence < 1)) throw new TokenspiceError("OPTION_INVALID", `confidence ${confidence} is not in (0, 1)`);
  if (values.length < 3) throw fitInvalid(`${family}: ${values.length} values are too few to fit (at least 3)`);
  const gofOptions = { alpha, resamples, seed: `${seed}/gof/${family}` };
  switch (family) {
    case "normal": {
      const { parameters, logLikelihood, mean, sd } = fitNormalParams(values, confidence, "mean", "sd");
      const fit: DistFit = { family, dist: { type: "normal", mean, sd }, parameters, n: values.length, logLikelihood, aic: 4 - 2 * logLikelihood };
      if (options.gof !== false)
        fit.gof = ksTest(values, (x) => normalCdf(x, mean, sd), {
          ...gofOptions,
          refit: (u, n) => {
            const sample = draw(u, n, (p) => distQuantile(fit.dist, p));
            const m = moments(sample);
            const s = Math.sqrt(m.ss / n);
            return { sample, cdf: (x) => normalCdf(x, m.mean, s) };
          },
        });
      return withRange(fit, options);
    }
    case "lognormal": {
      const bad = values.findIndex((v) => !(v > 0));
      if (bad >= 0) throw fitInvalid(`lognormal: value ${values[bad]} (the ${bad + 1}th) is not > 0; a lognormal value is positive`);
      const logs = values.map(Math.log);
      const { parameters, logLikelihood: logLik, mean: mu, sd: sigma } = fitNormalParams(logs, confidence, "mu", "sigma");
      // the density of x is the normal density of log x over x
      const logLikelihood = logLik - logs.reduce((a, b) => a + b, 0);
      const fit: DistFit = { family, dist: { type: "lognormal", mu, sigma }, parameters, n: values.length, logLikelihood, aic: 4 - 2 * logLikelihood };
      if (options.gof !== false)
        fit.gof = ksTest(values, (x) => lognormalCdf(x, mu, sigma), {
          ...gofOptions,
          refit: (u, n) => {
            const sample = draw(u, n, (p) => distQuantile(fit.dist, p));
            const m = moments(sample.map(Math.log));
            const s = Math.sqrt(m.ss / n);
            return { sample, cdf: (x) => lognormalCdf(x, m.mean, s) };
          },
        });
      return withRange(fit, options);
    }
    case "triangular": {
      const [a, b] = range(values, options, "triangular");
      const sorted = [...values].sort((x, y) => x - y);
      const { mode, logLikelihood } = triangularMode(sorted, a, b);
      const rng = createRng(`${seed}/mode`);
      const boot: number[] = [];
      for (let i = 0; i < resamples; i++) {
        const sample = draw(rng, sorted.length, () => sorted[Math.floor(rng() * sorted.length)]).sort((x, y) => x - y);
        boot.push(triangularMode(sample, a, b).mode);
      }
      boot.sort((x, y) => x - y);
      const parameters = {
        mode: { estimate: mode, lower: quantileSorted(boot, (1 - confidence) / 2), upper: quantileSorted(boot, (1 + confidence) / 2), method: `bootstrap percentile (${resamples} resamples)` },
      };
      const fit: DistFit = { family, dist: { type: "triangular", mode }, min: a, max: b, parameters, n: values.length, logLikelihood, aic: 2 - 2 * logLikelihood };
      if (options.gof !== false)
        fit.gof = ksTest(values, (x) => triangularCdf(x, a, b, mode), {
          ...gofOptions,
          refit: (u, n) => {
            const sample = draw(u, n, (p) => distQuantile(fit.dist, p, a, b)).sort((x, y) => x - y);
            const c = triangularMode(sample, a, b).mode;
            return { sample, cdf: (x) => triangularCdf(x, a, b, c) };
          },
        });
      return fit;
    }
    case "uniform": {
      const [a, b] = range(values, options, "uniform");
      const logLikelihood = -values.length * Math.log(b - a);
      const fit: DistFit = { family, dist: { type: "uniform" }, min: a, max: b, parameters: {}, n: values.length, logLikelihood, aic: -2 * logLikelihood };
      if (options.gof !== false) fit.gof = ksTest(values, (x) => Math.min(1, Math.max(0, (x - a) / (b - a))), gofOptions);
      return fit;
    }
  }
}

function withRange(fit: DistFit, options: FitOptions): DistFit {
  return { ...fit, ...(options.min !== undefined ? { min: options.min } : {}), ...(options.max !== undefined ? { max: options.max } : {}) };
}

function draw(u: () => number, n: number, quantile: (p: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(quantile(u()));
  return out;
}

/** Normal MLE with exact intervals (t for the mean, chi-square for the sd). */
function fitNormalParams(xs: readonly number[], confidence: number, meanName: string, sdName: string) {
  const { n, mean, ss } = moments(xs);
  if (!(ss > 0)) throw fitInvalid(`every value is the same (${xs[0]}): the spread cannot be fitted`);
  const sd = Math.sqrt(ss / n);
  const s = Math.sqrt(ss / (n - 1));
  const q = (1 + confidence) / 2;
  const t = tQuantile(q, n - 1);
  const parameters: Record<string, Interval> = {
    [meanName]: { estimate: mean, lower: mean - (t * s) / Math.sqrt(n), upper: mean + (t * s) / Math.sqrt(n), method: "exact (Student t, n-1 df)" },
    [sdName]: { estimate: sd, lower: Math.sqrt(ss / chisqQuantile(q, n - 1)), upper: Math.sqrt(ss / chisqQuantile(1 - q, n - 1)), method: "exact (chi-square, n-1 df)" },
  };
  const logLikelihood = -0.5 * n * (Math.log(2 * Math.PI * sd * sd) + 1);
  return { parameters, logLikelihood, mean, sd };
}

/** The triangular fit's range: the given one (which must hold every value), or the widened extremes. */
function range(values: readonly number[], options: FitOptions, family: string): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const pad = (hi - lo) / (values.length - 1);
  const a = options.min ?? lo - pad;
  const b = options.max ?? hi + pad;
  if (!(a < b)) throw fitInvalid(`${family}: the range [${a}, ${b}] is empty (min must be < max)`);
  if (lo < a || hi > b) throw fitInvalid(`${family}: the data (from ${lo} to ${hi}) are not all within the range [${a}, ${b}]`);
  return [a, b];
}

/**
 * The MLE of a triangular's mode c on known [a, b], over sorted x: c is one of the order statistics
 * or an end (Oliver 1972, "A maximum likelihood oddity", The American Statistician 26(3)), where
 * log L(c) = Σ_{x<c} log((x − a)/(c − a)) + Σ_{x≥c} log((b − x)/(b − c)) + n log(2/(b − a)).
 */
export function triangularMode(sorted: readonly number[], a: number, b: number): { mode: number; logLikelihood: number } {
  const n = sorted.length;
  // prefix[i] = Σ_{j<i} log(x_j − a); suffix[i] = Σ_{j≥i} log(b − x_j)
  const prefix = [0];
  for (let i = 0; i < n; i++) prefix.push(prefix[i] + Math.log(sorted[i] - a));
  const suffix = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + Math.log(b - sorted[i]);
  let best = { mode: a, value: -Infinity };
  const consider = (c: number, below: number) => {
    // `below` values are < c (indices 0..below-1); the rest are >= c
    const left = below > 0 ? prefix[below] - below * Math.log(c - a) : 0;
    const right = n - below > 0 ? suffix[below] - (n - below) * Math.log(b - c) : 0;
    const value = left + right;
    if (value > best.value) best = { mode: c, value };
  };
  consider(a, 0);
  for (let i = 0; i < n; i++) consider(sorted[i], i);
  consider(b, n);
  return { mode: best.mode, logLikelihood: best.value + n * Math.log(2 / (b - a)) };
}
