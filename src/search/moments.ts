import chisqCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { TokenspiceError } from "../errors";
import { createRng } from "../model/rng";
import { parseMetric } from "./metrics";
import { moments as sampleMoments, quantileSorted, type Interval } from "../calibrate/interval";

/**
 * The numeric core of calibrating behaviour by the method of simulated moments (MSM; McFadden 1989,
 * Pakes & Pollard 1989; Gouriéroux & Monfort 1996, "Simulation-Based Econometric Methods"): pure
 * functions of numbers, no runs. The search that runs the netlist is ./calibrate.ts.
 *
 * Notation: k moments, p params, R seeds (the same R at every candidate: common random numbers).
 * m_j is the observed value of moment j with standard error se_j; y_rj(θ) the value the run with
 * seed r measures at params θ; m̄_j(θ) = mean over r of y_rj(θ).
 */

/** How the moments' distances are weighted. */
export type Weighting = "inverse-variance" | "relative";
export const WEIGHTINGS: readonly Weighting[] = ["inverse-variance", "relative"];

/** One observed moment: the KPI statistic that measures it in a run, its observed value and standard error. */
export interface ObservedMoment {
  /** `"<kpi> <stat>"` (stat final, min, max or mean), read off each run as sim-verify's specs are. */
  metric: string;
  observed: number;
  /** The observed value's standard error (> 0); needed by the inverse-variance weighting. */
  se?: number;
  /** Where the number comes from: free text (a query, a paper), or the data file it was computed from. */
  source?: string | { file: string; sha256: string; column: string; statistic: string; n: number };
}

const NUMBER = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?";

/**
 * `"<kpi> <stat>=<observed>"` or `"<kpi> <stat>=<observed>±<se>"` (`+-` for `±`), e.g.
 * `"trades final=6.1±0.2"`; spaces around `=` and `±` allowed.
 * @throws TokenspiceError OPTION_INVALID naming the text and the form (also for an se that is not > 0)
 */
export function parseMoment(text: string): ObservedMoment {
  const m = new RegExp(`^(.*?)\\s*=\\s*(${NUMBER})\\s*(?:(?:±|\\+-|\\+/-)\\s*(${NUMBER}))?\\s*$`).exec(text);
  const form = '"<kpi> <stat>=<observed>[±<se>]", e.g. "trades final=6.1±0.2" (stat: final, min, max, mean; +- for ±)';
  if (!m) throw new TokenspiceError("OPTION_INVALID", `Moment ${JSON.stringify(text)} is not ${form}.`, { moment: text });
  parseMetric(m[1]);
  const se = m[3] === undefined ? undefined : Number(m[3]);
  if (se !== undefined && !(se > 0)) throw new TokenspiceError("OPTION_INVALID", `Moment ${JSON.stringify(text)}: its standard error ${m[3]} is not > 0.`, { moment: text });
  return { metric: m[1].trim(), observed: Number(m[2]), ...(se !== undefined ? { se } : {}) };
}

/**
 * The weight of each moment's squared distance: `inverse-variance` 1/se² (the diagonal of the
 * efficient weighting matrix when the observed moments are uncorrelated: Gouriéroux & Monfort 1996,
 * ch. 2; the simulation's own variance is left out so that the objective is one fixed function of
 * the params), `relative` 1/m² (the distance in shares of the observed value, for moments with no
 * standard error; then the intervals cover the simulation's noise only).
 * @throws TokenspiceError OPTION_INVALID for a moment with no se under inverse-variance, or an observed 0 under relative
 */
export function momentWeights(list: readonly ObservedMoment[], weighting: Weighting): number[] {
  if (!WEIGHTINGS.includes(weighting)) throw new TokenspiceError("OPTION_INVALID", `weighting ${JSON.stringify(weighting)} is not one of ${WEIGHTINGS.join(", ")}.`);
  return list.map((m) => {
    if (weighting === "relative") {
      if (m.observed === 0) throw new TokenspiceError("OPTION_INVALID", `Moment "${m.metric}" is observed as 0: the relative weighting divides by it; give its se and use inverse-variance.`);
      return 1 / (m.observed * m.observed);
    }
    if (m.se === undefined) {
      throw new TokenspiceError(
        "OPTION_INVALID",
        `Moment "${m.metric}" has no standard error: give it as "${m.metric}=${m.observed}±<se>" (or the data it comes from), or use the relative weighting.`,
        {
          moment: m.metric,
        },
      );
    }
    return 1 / (m.se * m.se);
  });
}

/** The MSM objective Σ_j w_j (m_j − m̄_j)²: 0 when every simulated moment equals its observed value; NaN when one is not finite. */
export function momentsObjective(observed: readonly number[], simulated: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let j = 0; j < observed.length; j++) {
    const d = observed[j] - simulated[j];
    if (!Number.isFinite(simulated[j])) return NaN;
    sum += weights[j] * d * d;
  }
  return sum;
}

/** Column means of rows (R × k → k). */
export function columnMeans(rows: readonly (readonly number[])[]): number[] {
  const k = rows[0]?.length ?? 0;
  return Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan,
 * "Matrix Computations", 8.5): exact to rounding for the few params a calibration has (p × p).
 * Returns the values in decreasing order, `vectors[i]` the unit eigenvector of `values[i]`.
 */
export function symmetricEigen(matrix: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
    if (
      off <=
      1e-30 *
        Math.max(
          1e-300,
          a.reduce((s, r, i) => s + r[i] * r[i], 0),
        )
    )
      break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

/**
 * The weighted least-squares step Δ minimising Σ_j w_j (r_j − (G Δ)_j)² (k × p `G`), through the
 * eigen-decomposition of G'WG: directions whose eigenvalue is below 1e-10 of the largest (the
 * moments do not move along them at all) get no step.
 */
export function gaussNewtonStep(jacobian: readonly (readonly number[])[], weights: readonly number[], residual: readonly number[]): number[] {
  const k = jacobian.length;
  const p = jacobian[0]?.length ?? 0;
  const a = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, l) => jacobian.reduce((s, row, j) => s + row[i] * weights[j] * row[l], 0)));
  const g = Array.from({ length: p }, (_, i) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += jacobian[j][i] * weights[j] * residual[j];
    return s;
  });
  const { values, vectors } = symmetricEigen(a);
  const tolerance = 1e-10 * Math.max(0, values[0] ?? 0);
  const step = new Array<number>(p).fill(0);
  values.forEach((lambda, e) => {
    if (!(lambda > tolerance)) return;
    const c = vectors[e].reduce((s, x, i) => s + x * g[i], 0) / lambda;
    for (let i = 0; i < p; i++) step[i] += c * vectors[e][i];
  });
  return step;
}

/** A param's range and estimate, as the bootstrap and the identification check take them. */
export interface FittedParam {
  name: string;
  estimate: number;
  min: number;
  max: number;
}

/** Moving the params across this many standard errors of the moments, or less, over a whole range is "not identified". */
export const IDENTIFICATION_THRESHOLD = 2;
/** A param whose component in the weakest direction (a unit vector in range units) is at least this is named with it. */
export const DIRECTION_SHARE = 0.1;
/** An interval wider than this share of the param's range is flagged as weakly identified. */
export const WIDE_INTERVAL_SHARE = 0.5;

/**
 * Whether the moments identify the params, from the Jacobian G (k × p, moments per param unit) at
 * the estimate and the moments' standard errors σ_j (observed and simulated together):
 * - `strength[i]` = ‖(G_ji · range_i / σ_j)_j‖: by how many standard errors the moments move when
 *   param i alone crosses its whole range. Below IDENTIFICATION_THRESHOLD (2: a move the noise
 *   cannot tell apart at about 95%), the param is not identified;
 * - `weakest`: the same along the weakest combination of params: √(smallest eigenvalue) of
 *   (G D)' Σ⁻¹ (G D), D = diag(range), with its direction. Two params that trade off (a rate times a
 *   size fixes the volume) are each strong alone but weak together: the params with a component of
 *   DIRECTION_SHARE (0.1) or more in that unit direction are named. More params than moments always leaves such a direction.
 * `unidentified` lists the params flagged; `warnings` says why, in words.
 */
export function identification(
  jacobian: readonly (readonly number[])[],
  sigma: readonly number[],
  params: readonly FittedParam[],
): { strength: number[]; weakest: { strength: number; direction: number[] }; unidentified: string[]; warnings: string[] } {
  const p = params.length;
  const k = jacobian.length;
  const scaled = jacobian.map((row, j) => row.map((g, i) => (g * (params[i].max - params[i].min)) / (sigma[j] > 0 ? sigma[j] : Number.MIN_VALUE)));
  const strength = params.map((_, i) => Math.hypot(...scaled.map((row) => row[i])));
  const h = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, l) => scaled.reduce((s, row) => s + row[i] * row[l], 0)));
  const { values, vectors } = symmetricEigen(h);
  const weakest = { strength: Math.sqrt(Math.max(0, values[p - 1])), direction: vectors[p - 1] };
  const unidentified = new Set<string>();
  const warnings: string[] = [];
  const se = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)) : x);
  params.forEach((param, i) => {
    if (strength[i] < IDENTIFICATION_THRESHOLD) {
      unidentified.add(param.name);
      warnings.push(
        `${param.name} is not identified by the moments: across its whole range [${param.min}, ${param.max}] they move by ${se(strength[i])} standard errors (below ${IDENTIFICATION_THRESHOLD}); add a moment it moves, or fix it with --params.`,
      );
    }
  });
  if (p > 1 && weakest.strength < IDENTIFICATION_THRESHOLD) {
    const named = params.filter((_, i) => Math.abs(weakest.direction[i]) >= DIRECTION_SHARE).map((x) => x.name);
    if (named.some((n) => !unidentified.has(n))) {
      named.forEach((n) => unidentified.add(n));
      const fewer = k < p ? `; ${k} moment${k === 1 ? "" : "s"} cannot fix ${p} params` : "";
      warnings.push(
        `${named.length === 1 ? `${named[0]} is not identified together with the other params` : `${named.join(" and ")} are not identified together`}: along one combination of them the moments move by ${se(weakest.strength)} standard errors across the ranges (below ${IDENTIFICATION_THRESHOLD})${fewer}: add a moment that tells them apart, or fix one with --params.`,
      );
    }
  }
  return { strength, weakest, unidentified: [...unidentified], warnings };
}

/** What the seed bootstrap takes: the runs at the estimate and the Jacobian, per seed. */
export interface BootstrapInput {
  /** m_j and se_j (se undefined: the observed value is taken as exact). */
  observed: readonly number[];
  se: readonly (number | undefined)[];
  weights: readonly number[];
  /** y_rj(θ̂): R rows of k moments, one per seed. */
  atEstimate: readonly (readonly number[])[];
  /** ∂y_rj/∂θ_i at θ̂: R matrices k × p, one per seed (finite differences on the same seed). */
  jacobian: readonly (readonly (readonly number[])[])[];
  params: readonly FittedParam[];
  resamples: number;
  confidence: number;
  seed: string;
}

/**
 * Confidence intervals of the params by a seed bootstrap with one Gauss–Newton step per resample
 * (the k-step bootstrap of Andrews 2002, Econometrica 70(1), with k = 1; Davidson & MacKinnon 1999):
 * each resample draws R seeds with replacement (the simulation's noise: the moments and their
 * Jacobian averaged over the drawn seeds' runs, which exist, so no run is added) and, where a
 * moment has a standard error, its observed value from N(m_j, se_j²) (the data's noise); the
 * re-estimate is θ̂ plus the weighted least-squares step that matches the resampled moments on the
 * linearised model, clamped to the params' ranges. The interval is the percentile interval of the
 * re-estimates. A re-estimation by a full search per resample would cost `resamples` searches; the
 * one-step re-estimate has the same first-order distribution (Andrews 2002, Theorem 1).
 * @throws TokenspiceError OPTION_INVALID for fewer than 2 seeds
 */
export function seedBootstrap(input: BootstrapInput): { intervals: Interval[]; draws: number[][] } {
  const R = input.atEstimate.length;
  if (R < 2) throw new TokenspiceError("OPTION_INVALID", `A seed bootstrap needs at least 2 seeds (replicates), got ${R}.`);
  const rng = createRng(`${input.seed}/moments-bootstrap`);
  const k = input.observed.length;
  const p = input.params.length;
  const ranges = input.params.map((x) => x.max - x.min);
  const draws: number[][] = input.params.map(() => []);
  for (let b = 0; b < input.resamples; b++) {
    const picks = Array.from({ length: R }, () => rng.int(0, R - 1));
    const ybar = new Array<number>(k).fill(0);
    const g = Array.from({ length: k }, () => new Array<number>(p).fill(0));
    for (const r of picks) {
      for (let j = 0; j < k; j++) {
        ybar[j] += input.atEstimate[r][j] / R;
        for (let i = 0; i < p; i++) g[j][i] += (input.jacobian[r][j][i] * ranges[i]) / R;
      }
    }
    const residual = input.observed.map((m, j) => {
      const se = input.se[j];
      return (se === undefined ? m : m + se * rng.normal()) - ybar[j];
    });
    const step = gaussNewtonStep(g, input.weights, residual);
    input.params.forEach((x, i) => draws[i].push(Math.min(x.max, Math.max(x.min, x.estimate + step[i] * ranges[i]))));
  }
  const lo = (1 - input.confidence) / 2;
  const intervals = input.params.map((x, i) => {
    const sorted = [...draws[i]].sort((a, b) => a - b);
    return {
      estimate: x.estimate,
      lower: quantileSorted(sorted, lo),
      upper: quantileSorted(sorted, 1 - lo),
      method: `seed bootstrap, one Gauss-Newton step (${input.resamples} resamples of ${R} seeds)`,
    };
  });
  return { intervals, draws };
}

/**
 * A fit check when there are more moments than params (Hansen 1982's J): Q = Σ_j r_j² / (se_j² +
 * s_j²/R), r_j the residual at the estimate, s_j the moment's sd over the R seeds; about χ² with
 * k − p degrees of freedom when the model can match the moments (approximate: the weights leave
 * out the simulation's variance). A small p-value says no params in the ranges reproduce all the
 * moments at once. Undefined with k ≤ p or a moment without se.
 */
export function overidentification(
  observed: readonly number[],
  se: readonly (number | undefined)[],
  atEstimate: readonly (readonly number[])[],
  p: number,
): { statistic: number; df: number; pValue: number } | undefined {
  const k = observed.length;
  if (k <= p || se.some((s) => s === undefined)) return undefined;
  const R = atEstimate.length;
  let q = 0;
  for (let j = 0; j < k; j++) {
    const { mean, ss } = sampleMoments(atEstimate.map((r) => r[j]));
    const variance = se[j]! * se[j]! + (R > 1 ? ss / (R - 1) / R : 0);
    q += (observed[j] - mean) ** 2 / variance;
  }
  return { statistic: q, df: k - p, pValue: 1 - chisqCdf(q, k - p) };
}

/**
 * The mean of `values` and its standard error, robust to autocorrelation (Newey & West 1987, Bartlett
 * weights, lag L = ⌊4 (n/100)^{2/9}⌋, the usual automatic choice): daily volumes are autocorrelated,
 * and the plain sd/√n would understate the se. Needs n ≥ 2.
 * @throws TokenspiceError FIT_INVALID for fewer than 2 values
 */
export function meanWithSe(values: readonly number[]): { mean: number; se: number; n: number; lag: number } {
  const n = values.length;
  if (n < 2) throw new TokenspiceError("FIT_INVALID", `A moment's standard error needs at least 2 values, got ${n}.`);
  const { mean } = sampleMoments(values);
  const lag = Math.min(n - 1, Math.floor(4 * (n / 100) ** (2 / 9)));
  const gamma = (l: number) => {
    let s = 0;
    for (let t = l; t < n; t++) s += (values[t] - mean) * (values[t - l] - mean);
    return s / n;
  };
  let variance = gamma(0);
  for (let l = 1; l <= lag; l++) variance += 2 * (1 - l / (lag + 1)) * gamma(l);
  return { mean, se: Math.sqrt(Math.max(0, variance) / n), n, lag };
}
