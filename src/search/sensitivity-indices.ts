import { quantileSorted } from "simple-statistics";
import { TokenspiceError } from "../errors";
import { createRng, type Rng } from "../model/rng";
import { unitSamples } from "../campaign/plan";

/**
 * The numeric cores of global sensitivity analysis, pure functions of numbers (no chain, no runs):
 * Saltelli's design and Sobol' indices with bootstrap intervals, and Morris's elementary effects.
 * `sensitivity.ts` runs them on a netlist's KPIs; `sobolAnalyze` and `morrisAnalyze` run them on a
 * function of the unit cube (the analytic test functions: Ishigami, Sobol's G).
 *
 * Sources:
 * - Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010), "Variance based sensitivity
 *   analysis of model output. Design and estimator for the total sensitivity index", Comput. Phys.
 *   Commun. 181:259–270: the A, B, A_B^(i) design (N·(d+2) runs) and the first-order estimator
 *   V_i = (1/N) Σ_j f(B)_j (f(A_B^i)_j − f(A)_j) (their Table 2, (b)).
 * - Jansen (1999), "Analysis of variance designs for model output", Comput. Phys. Commun.
 *   117:35–43: the total-effect estimator V_Ti = (1/2N) Σ_j (f(A)_j − f(A_B^i)_j)² (Saltelli 2010, Table 2, (f)).
 * - Morris (1991), "Factorial sampling plans for preliminary computational experiments",
 *   Technometrics 33:161–174: trajectories on a p-level grid, Δ = p / (2(p − 1)), elementary effects.
 * - Campolongo, Cariboni & Saltelli (2007), "An effective screening design for sensitivity analysis
 *   of large models", Environ. Model. Softw. 22:1509–1518: μ* = mean |EE|.
 * - The estimators and V(Y) over f(A) and f(B) together (population variance) are those of SALib
 *   (Herman & Usher 2017), `SALib.analyze.sobol` and `SALib.analyze.morris`; the intervals here are
 *   percentile bootstrap intervals (SALib's are normal approximations of the same bootstrap).
 */

/** What the bootstrap takes: resamples (default 1000), two-sided confidence (default 0.95), its seed. */
export interface BootstrapOptions {
  resamples?: number;
  confidence?: number;
  /** The bootstrap's seed (the resampling is `createRng("hardhat-tokenspice/sensitivity/<seed>/bootstrap")`). */
  seed: number;
}

/** A value with its percentile bootstrap interval. */
export interface Interval {
  value: number;
  lo: number;
  hi: number;
}

/** One param's Sobol' indices with their intervals. */
export interface SobolIndex {
  param: string;
  S1: Interval;
  ST: Interval;
}

/** Sobol' indices of one output: one row per param, in the order given, ΣS1 with its interval, V(Y), and the base samples used. */
export interface SobolIndices {
  indices: SobolIndex[];
  sumS1: Interval;
  variance: number;
  mean: number;
  /** Base samples whose d + 2 values were all finite (the others are left out). */
  used: number;
  /** Base samples left out because one of their values was NaN or ±Infinity. */
  dropped: number;
}

/** One param's Morris measures: μ (mean EE), μ* (mean |EE|) with its interval, σ (sample sd of EE, n − 1). */
export interface MorrisIndex {
  param: string;
  mu: number;
  muStar: Interval;
  sigma: number;
  /** Elementary effects used (trajectories whose two values were finite). */
  effects: number;
}

/** The defaults: 1000 resamples, 95% intervals (Efron & Tibshirani 1993 suggest ≥ 1000 for percentile intervals). */
export const BOOTSTRAP_DEFAULTS = { resamples: 1000, confidence: 0.95 } as const;

/** Bits the project's Sobol generator (the `sobol` package) gives each coordinate: points are multiples of 2⁻²⁰. */
const SOBOL_BITS = 20;

function bad(what: string, why: string, details: Record<string, unknown> = {}): TokenspiceError {
  return new TokenspiceError("OPTION_INVALID", `${what}: ${why}`, details);
}

function checkWhole(what: string, name: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) throw bad(what, `${name} ${String(v)} is not valid: use a whole number, ${min} or more.`, { [name]: String(v) });
  return v;
}

function checkBootstrap(what: string, options: BootstrapOptions): { resamples: number; confidence: number; rng: Rng } {
  const resamples = checkWhole(what, "resamples", options.resamples ?? BOOTSTRAP_DEFAULTS.resamples, 10);
  const confidence = options.confidence ?? BOOTSTRAP_DEFAULTS.confidence;
  if (!(typeof confidence === "number" && confidence > 0 && confidence < 1)) throw bad(what, `confidence ${confidence} is not valid: use a number between 0 and 1 (both excluded), e.g. 0.95.`);
  return { resamples, confidence, rng: createRng(`hardhat-tokenspice/sensitivity/${options.seed}/bootstrap`) };
}

/** The percentile interval of bootstrap values around `value` (NaN ends when there are none finite). */
function percentile(value: number, boot: number[], confidence: number): Interval {
  const sorted = boot.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { value, lo: NaN, hi: NaN };
  const alpha = 1 - confidence;
  return { value, lo: quantileSorted(sorted, alpha / 2), hi: quantileSorted(sorted, 1 - alpha / 2) };
}

/**
 * `count` points of the project's Sobol sequence in [0, 1)^dims (`unitSamples("sobol")`, Joe & Kuo's
 * direction numbers; 20 bits a coordinate), scrambled by the seed as SciPy's `qmc.Sobol(scramble=True)`
 * (which SALib samples with) does: a random linear matrix scramble (Matoušek 1998: each coordinate's
 * digits times a random lower-triangular binary matrix with a unit diagonal), then a random digital
 * shift (XOR a random 20-bit word), then a random offset inside the finest cell, per dimension.
 * Every point is then uniform on the cube, its coordinates independent, and the sequence keeps its
 * (t, m, s)-net structure: the estimators are unbiased, and a new seed is an independent replicate
 * (what a coverage check needs; the unscrambled sequence is the same for every seed). A digital shift
 * alone was not enough: on Sobol's G function, whose kinks sit on dyadic points, one index's
 * estimate came out bimodal across seeds and its interval missed for 100 of 100 seeds at N = 256.
 */
export function scrambledSobol(count: number, dims: number, seed: number): number[][] {
  const rng = createRng(`hardhat-tokenspice/sensitivity/${seed}/scramble`);
  const scale = 2 ** SOBOL_BITS;
  // per dimension: a random lower-triangular binary matrix with a unit diagonal (row r: which of the
  // digits 1..r, most significant first, its output digit r adds up mod 2), a digital shift, an offset in the finest cell
  const matrices = Array.from({ length: dims }, () =>
    Array.from({ length: SOBOL_BITS }, (_, r) => {
      let row = 1 << (SOBOL_BITS - 1 - r); // the diagonal: digit r itself
      for (let c = 0; c < r; c++) if (rng() < 0.5) row |= 1 << (SOBOL_BITS - 1 - c);
      return row;
    }),
  );
  const shifts = Array.from({ length: dims }, () => Math.floor(rng() * scale));
  const offsets = Array.from({ length: dims }, () => rng());
  const parity = (v: number) => {
    let p = 0;
    while (v) {
      p ^= 1;
      v &= v - 1;
    }
    return p;
  };
  return unitSamples("sobol", count, dims, seed).map((u) =>
    u.map((x, j) => {
      const k = Math.round(x * scale);
      let scrambled = 0;
      for (let r = 0; r < SOBOL_BITS; r++) scrambled |= parity(k & matrices[j][r]) << (SOBOL_BITS - 1 - r);
      return (((scrambled ^ shifts[j]) >>> 0) + offsets[j]) / scale;
    }),
  );
}

/**
 * Saltelli's (2010) design for `dims` params and `samples` (N) base samples: A and B are the first and
 * last `dims` columns of N points of a 2·dims-dimensional randomized Sobol sequence (`scrambledSobol`);
 * A_B^(i) is A with its column i from B. `points` lists them in the order the estimators read
 * values: A (N rows), B (N rows), then A_B^(1) … A_B^(d) (N rows each): N·(d + 2) points in [0, 1)^d.
 * @throws TokenspiceError OPTION_INVALID for dims or samples below 1 (2 for samples), or more than 2²⁰ samples
 */
export function saltelliDesign(dims: number, samples: number, seed: number): { A: number[][]; B: number[][]; points: number[][] } {
  checkWhole("sensitivity", "params", dims, 1);
  checkWhole("sensitivity", "samples", samples, 2);
  if (samples > 2 ** SOBOL_BITS) throw bad("sensitivity", `samples ${samples} is more than the Sobol generator's 2^${SOBOL_BITS}.`);
  const base = scrambledSobol(samples, 2 * dims, seed);
  const A = base.map((p) => p.slice(0, dims));
  const B = base.map((p) => p.slice(dims));
  const points = [...A, ...B];
  for (let i = 0; i < dims; i++) for (let j = 0; j < samples; j++) points.push(A[j].map((x, k) => (k === i ? B[j][i] : x)));
  return { A, B, points };
}

/** S1 and ST of every param from the rows `rows` of (yA, yB, yAB): Saltelli 2010 and Jansen 1999 over V(Y) of yA and yB. */
function sobolPoint(yA: number[], yB: number[], yAB: number[][], rows: readonly number[]): { S1: number[]; ST: number[]; variance: number; mean: number } {
  const n = rows.length;
  let sum = 0;
  for (const j of rows) sum += yA[j] + yB[j];
  const mean = sum / (2 * n);
  let ss = 0;
  for (const j of rows) ss += (yA[j] - mean) ** 2 + (yB[j] - mean) ** 2;
  const variance = ss / (2 * n);
  const S1: number[] = [];
  const ST: number[] = [];
  for (const y of yAB) {
    let first = 0;
    let total = 0;
    for (const j of rows) {
      first += yB[j] * (y[j] - yA[j]);
      total += (yA[j] - y[j]) ** 2;
    }
    S1.push(first / n / variance);
    ST.push(total / (2 * n) / variance);
  }
  return { S1, ST, variance, mean };
}

/**
 * First-order (S1) and total (ST) Sobol' indices of one output from its values on Saltelli's design
 * (`saltelliDesign`'s order: f(A), f(B), f(A_B^(1)) … f(A_B^(d)), N each), with percentile bootstrap
 * intervals: the N base samples are resampled with replacement (the same rows of A, B and every
 * A_B^(i), so each resample is a design of its own), `resamples` times, from the seeded stream.
 * S1_i = (1/N) Σ f(B)(f(A_B^i) − f(A)) / V(Y) (Saltelli et al. 2010); ST_i = (1/2N) Σ (f(A) − f(A_B^i))² / V(Y)
 * (Jansen 1999); V(Y) the variance of f(A) and f(B) together. A base sample with a value that is NaN
 * or ±Infinity is left out (counted in `dropped`).
 * @param values N·(d + 2) values; @param params the d params' names
 * @throws TokenspiceError OPTION_INVALID for a count of values that is not N·(d + 2), fewer than 2 usable base samples, or bad bootstrap options
 */
export function sobolIndices(values: readonly number[], params: readonly string[], options: BootstrapOptions): SobolIndices {
  const d = params.length;
  const { resamples, confidence, rng } = checkBootstrap("sensitivity", options);
  if (d < 1 || values.length % (d + 2) !== 0) throw bad("sensitivity", `${values.length} values are not N·(d + 2) for d = ${d} params.`);
  const N = values.length / (d + 2);
  const yA = values.slice(0, N);
  const yB = values.slice(N, 2 * N);
  const yAB = params.map((_, i) => values.slice((2 + i) * N, (3 + i) * N));
  const rows: number[] = [];
  for (let j = 0; j < N; j++) if (Number.isFinite(yA[j]) && Number.isFinite(yB[j]) && yAB.every((y) => Number.isFinite(y[j]))) rows.push(j);
  if (rows.length < 2) throw bad("sensitivity", `only ${rows.length} of ${N} base samples have finite values for every run: the indices cannot be estimated.`);
  const point = sobolPoint(yA, yB, yAB, rows);
  const bootS1 = params.map(() => [] as number[]);
  const bootST = params.map(() => [] as number[]);
  const bootSum: number[] = [];
  const drawn = new Array<number>(rows.length);
  for (let b = 0; b < resamples; b++) {
    for (let k = 0; k < rows.length; k++) drawn[k] = rows[Math.floor(rng() * rows.length)];
    const s = sobolPoint(yA, yB, yAB, drawn);
    s.S1.forEach((v, i) => bootS1[i].push(v));
    s.ST.forEach((v, i) => bootST[i].push(v));
    bootSum.push(s.S1.reduce((a, v) => a + v, 0));
  }
  return {
    indices: params.map((param, i) => ({ param, S1: percentile(point.S1[i], bootS1[i], confidence), ST: percentile(point.ST[i], bootST[i], confidence) })),
    sumS1: percentile(
      point.S1.reduce((a, v) => a + v, 0),
      bootSum,
      confidence,
    ),
    variance: point.variance,
    mean: point.mean,
    used: rows.length,
    dropped: N - rows.length,
  };
}

/** One Morris trajectory step: the param (index) that moved and by how much in the unit cube (±Δ). */
export interface MorrisStep {
  param: number;
  delta: number;
}

/**
 * Morris's (1991) design: `trajectories` (r) one-at-a-time paths of d + 1 points on a `levels`-level
 * grid of [0, 1]^d, Δ = levels / (2(levels − 1)). Each path starts at a base point x* (each coordinate
 * drawn from the grid's levels k/(levels − 1) ≤ 1 − Δ) shifted by Δ where its direction is down, then
 * moves each param once, in a random order, by +Δ or −Δ (its random direction). `points` lists the
 * trajectories one after the other (r·(d + 1) points); `steps[t][k]` says what moved between points k
 * and k + 1 of trajectory t. Drawn from `createRng("hardhat-tokenspice/sensitivity/<seed>/morris")`.
 * @throws TokenspiceError OPTION_INVALID for dims < 1, trajectories < 2 or levels < 2
 */
export function morrisDesign(dims: number, trajectories: number, levels: number, seed: number): { points: number[][]; steps: MorrisStep[][]; delta: number } {
  checkWhole("sensitivity", "params", dims, 1);
  checkWhole("sensitivity", "trajectories", trajectories, 2);
  checkWhole("sensitivity", "levels", levels, 2);
  const rng = createRng(`hardhat-tokenspice/sensitivity/${seed}/morris`);
  const delta = levels / (2 * (levels - 1));
  const starts = Array.from({ length: levels }, (_, k) => k / (levels - 1)).filter((x) => x <= 1 - delta + 1e-12);
  const points: number[][] = [];
  const steps: MorrisStep[][] = [];
  for (let t = 0; t < trajectories; t++) {
    const base = Array.from({ length: dims }, () => starts[Math.floor(rng() * starts.length)]);
    const up = Array.from({ length: dims }, () => rng() < 0.5);
    const order = rng.shuffle(Array.from({ length: dims }, (_, i) => i));
    let x = base.map((b, i) => (up[i] ? b : b + delta));
    points.push(x);
    const path: MorrisStep[] = [];
    for (const i of order) {
      const move = up[i] ? delta : -delta;
      x = x.map((v, k) => (k === i ? v + move : v));
      points.push(x);
      path.push({ param: i, delta: move });
    }
    steps.push(path);
  }
  return { points, steps, delta };
}

/**
 * Morris's measures from the values on `morrisDesign`'s points (its order): each elementary effect
 * EE = (f(x + Δe_i) − f(x)) / Δ, Δ in the unit cube (so a linear f = Σ c_i x_i over ranges w_i has
 * EE_i = c_i·w_i), μ its mean, μ* its mean absolute value (Campolongo et al. 2007) with a percentile
 * bootstrap interval over trajectories, σ its sample standard deviation (n − 1; NaN for one effect).
 * An effect with a NaN or ±Infinity value at either end is left out.
 * @throws TokenspiceError OPTION_INVALID for values that do not match the design, or bad bootstrap options
 */
export function morrisIndices(values: readonly number[], design: { steps: MorrisStep[][] }, params: readonly string[], options: BootstrapOptions): MorrisIndex[] {
  const { resamples, confidence, rng } = checkBootstrap("sensitivity", options);
  const d = params.length;
  const r = design.steps.length;
  if (values.length !== r * (d + 1)) throw bad("sensitivity", `${values.length} values do not match a Morris design of ${r} trajectories of ${d + 1} points.`);
  // effects[t][i]: param i's elementary effect on trajectory t (NaN: not finite)
  const effects = design.steps.map((path, t) => {
    const row = new Array<number>(d).fill(NaN);
    path.forEach((s, k) => {
      const before = values[t * (d + 1) + k];
      const after = values[t * (d + 1) + k + 1];
      row[s.param] = (after - before) / s.delta;
    });
    return row;
  });
  const measures = (ts: readonly number[], i: number) => {
    const ee = ts.map((t) => effects[t][i]).filter(Number.isFinite);
    const mu = ee.reduce((a, v) => a + v, 0) / ee.length;
    const muStar = ee.reduce((a, v) => a + Math.abs(v), 0) / ee.length;
    const sigma = ee.length > 1 ? Math.sqrt(ee.reduce((a, v) => a + (v - mu) ** 2, 0) / (ee.length - 1)) : NaN;
    return { mu, muStar, sigma, n: ee.length };
  };
  const all = Array.from({ length: r }, (_, t) => t);
  const boot = params.map(() => [] as number[]);
  const drawn = new Array<number>(r);
  for (let b = 0; b < resamples; b++) {
    for (let k = 0; k < r; k++) drawn[k] = Math.floor(rng() * r);
    params.forEach((_, i) => boot[i].push(measures(drawn, i).muStar));
  }
  return params.map((param, i) => {
    const m = measures(all, i);
    return { param, mu: m.mu, muStar: percentile(m.muStar, boot[i], confidence), sigma: m.sigma, effects: m.n };
  });
}

/** The options of `sobolAnalyze`: base samples N (default 1024) and the bootstrap's. */
export interface SobolAnalyzeOptions extends Partial<BootstrapOptions> {
  samples?: number;
  seed: number;
}

/**
 * Sobol' indices of `f` on the unit cube [0, 1)^d (map to your ranges inside `f`), from N·(d + 2)
 * evaluations on Saltelli's design: `sobolIndices(saltelliDesign(…).points.map(f), …)`. The numeric
 * core of `sim-sensitivity --method sobol`, for functions known in closed form.
 */
export function sobolAnalyze(f: (u: number[]) => number, params: readonly string[], options: SobolAnalyzeOptions): SobolIndices {
  const design = saltelliDesign(params.length, options.samples ?? 1024, options.seed);
  return sobolIndices(design.points.map(f), params, { ...options, seed: options.seed });
}

/** The options of `morrisAnalyze`: trajectories (default 20), levels (default 4) and the bootstrap's. */
export interface MorrisAnalyzeOptions extends Partial<BootstrapOptions> {
  trajectories?: number;
  levels?: number;
  seed: number;
}

/** Morris's measures of `f` on the unit cube [0, 1]^d from r·(d + 1) evaluations: the core of `sim-sensitivity --method morris`. */
export function morrisAnalyze(f: (u: number[]) => number, params: readonly string[], options: MorrisAnalyzeOptions): MorrisIndex[] {
  const design = morrisDesign(params.length, options.trajectories ?? 20, options.levels ?? 4, options.seed);
  return morrisIndices(design.points.map(f), design, params, { ...options, seed: options.seed });
}
