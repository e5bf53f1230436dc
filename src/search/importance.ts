import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { TokenspiceError } from "../errors";
import { createRng, type Rng } from "../model/rng";
import { lookConfidence } from "./intervals";

/**
 * High-sigma verification's numeric core, free of any chain: the probability that a limit state
 * fails, over d independent standard normal inputs z (every uncontrollable maps from one: its value
 * is its dist's inverse CDF at Φ(z), src/campaign/axes.ts `fromUnit`), by importance sampling with
 * a mean-shifted proposal (Owen, "Monte Carlo theory, methods and examples", 2013, ch. 9).
 *
 * 1. Pilot (cross-entropy, Rubinstein & Kroese 2004; not part of the estimate): batches from
 *    N(μ_t, I), starting at μ_0 = 0; the batch's worst ρ = 10% by margin (the spec's score, < 0
 *    failed) are the elites; μ_{t+1} is the mean, weighted by the likelihood ratio φ(z)/φ(z − μ_t), of
 *    the elites on the side of their plain mean (z·mean > 0: one part of a failure region in parts).
 *    The pilot ends once a batch has ρ·batch failures (μ is then the weighted mean of those), or at
 *    half the run budget. Without margins (a spec that is only pass/fail), the pilot widens instead:
 *    N(0, s²I) with s = 1.5, 2, 2.5, … until failures appear, and μ is their weighted mean.
 * 2. Importance sampling from N(μ, I) with the rest of the budget: p̂ = (1/n) Σ wᵢ·1[zᵢ fails],
 *    wᵢ = φ(zᵢ)/φ(zᵢ − μ) = exp(−μ·zᵢ + |μ|²/2). Unbiased for any μ (the proposal is positive
 *    everywhere) and independent of the pilot given μ; its standard error is the sample standard
 *    deviation of wᵢ·1ᵢ over √n, the interval p̂ ± z·se (normal approximation: it needs enough
 *    failures with even weights, which the checks below test).
 *
 * Assumption checks (`problems`): fewer than `minFailures` failing runs under the proposal; a Kish
 * effective sample size of the failing runs' weights, ESS = (Σ wᵢ1ᵢ)² / Σ (wᵢ1ᵢ)², below `minEss`;
 * one run holding more than `maxWeightShare` of p̂ (degenerate weights); a pilot that found no
 * failure; a first pilot batch whose worst runs point in opposite directions (a failure region of
 * several parts: one shift covers one part, the others are then undercounted). While any holds, no
 * verdict is given (the interval is shown, flagged).
 */

/** What the limit state says of one point: failed or not, and its margin (smaller is worse, < 0 failed; undefined when the spec gives none). */
export interface LimitSample {
  fail: boolean;
  margin?: number;
}

/** Options of `importanceSampling`. */
export interface ImportanceOptions {
  /** Standard normal inputs (≥ 1). */
  dims: number;
  /** Runs in all, pilot included (≥ 2 batches). */
  maxRuns: number;
  /** Runs per batch: a pilot stage, or the runs between two looks at the interval (default 100). */
  batch?: number;
  /** Two-sided confidence of the interval (default 0.95), spent over the looks (`lookConfidence`). */
  confidence?: number;
  /** Failure probability to decide against: stop once the interval is wholly below it (pass) or above it (fail). None: run the whole budget. */
  limit?: number;
  /** The RNG's seed (same seed, same limit state ⇒ the same points). */
  seed: number | string;
  /** Fewest failing runs under the proposal for the interval to be trusted (default 10). */
  minFailures?: number;
  /** Smallest Kish ESS of the failing runs' weights (default 30). */
  minEss?: number;
  /** Largest share of p̂ one run may carry (default 0.3). */
  maxWeightShare?: number;
  /** The most of `maxRuns` the pilot may use (default 0.5). */
  pilotShare?: number;
}

/** One run: its standard normal point, the stage, whether it failed, and its likelihood ratio (importance runs; 0 for the pilot's, which the estimate does not use). */
export interface ImportanceRun {
  z: number[];
  stage: "pilot" | "importance";
  fail: boolean;
  weight: number;
}

/** An assumption that did not hold: a stable code and a sentence. */
export interface ImportanceProblem {
  code: "NO_PILOT_FAILURES" | "PILOT_SHORT" | "SEVERAL_REGIONS" | "TOO_FEW_FAILURES" | "LOW_ESS" | "DEGENERATE_WEIGHTS";
  message: string;
  /**
   * The interval is not to be trusted (no verdict; SEVERAL_REGIONS: no pass). The pilot's own
   * (NO_PILOT_FAILURES, PILOT_SHORT) are notes: the estimate is unbiased whatever the shift, and the
   * importance runs' checks say whether the shift served.
   */
  blocking: boolean;
}

/** The interval after one look. */
export interface ImportanceLook {
  n: number;
  p: number;
  lo: number;
  hi: number;
  /** The confidence this look's interval was computed at (Bonferroni share of 1 − confidence). */
  level: number;
}

/** What `importanceSampling` found. */
export interface ImportanceResult {
  /** The failure probability's estimate and interval (at the last look's level). */
  p: number;
  lo: number;
  hi: number;
  /** Standard error of p̂; relative error se / p̂. */
  se: number;
  relativeError: number;
  /** The interval's confidence (the last look's) and the overall confidence over all looks. */
  level: number;
  confidence: number;
  /** "pass": interval wholly below `limit`; "fail": wholly above; else "inconclusive". */
  verdict: "pass" | "fail" | "inconclusive";
  /** The proposal's mean (the shift) and its length β (≈ the reliability index: the failure's sigma for a linear limit state). */
  shift: number[];
  beta: number;
  /** Runs used: all, the pilot's, the importance stage's; failing runs under the proposal. */
  runs: number;
  pilotRuns: number;
  importanceRuns: number;
  failures: number;
  /** Kish effective sample size of the failing runs' weights; the largest share of p̂ one run holds. */
  ess: number;
  maxWeightShare: number;
  /** Runs plain Monte Carlo needs for the same relative error: (1 − p̂) / (p̂ · relativeError²). */
  plainMcRuns: number;
  /** Runs in all (the pilot once, 4× the importance runs: se ∝ 1/√n) to halve the interval. */
  runsToHalve: number;
  /** The interval's sigma level: Φ⁻¹(1 − p̂) (one-sided). */
  sigma: number;
  looks: ImportanceLook[];
  problems: ImportanceProblem[];
  /** Every run with its likelihood-ratio weight, in the order run. */
  samples: ImportanceRun[];
}

const RHO = 0.1;

/**
 * Importance sampling of a rare failure (see the file's comment for the method and its checks).
 * `evaluate` gets a batch of standard normal points and resolves with each one's `LimitSample`.
 * @throws TokenspiceError OPTION_INVALID for dims, maxRuns or batch not whole numbers ≥ 1, a budget under two batches, confidence or limit outside (0, 1)
 */
export async function importanceSampling(evaluate: (zs: number[][]) => Promise<LimitSample[]> | LimitSample[], options: ImportanceOptions): Promise<ImportanceResult> {
  const batch = options.batch ?? 100;
  const confidence = options.confidence ?? 0.95;
  const { dims, maxRuns } = options;
  const bad = (msg: string, details: Record<string, unknown>) => new TokenspiceError("OPTION_INVALID", `importance sampling: ${msg}`, details);
  for (const [name, v] of [
    ["dims", dims],
    ["maxRuns", maxRuns],
    ["batch", batch],
  ] as const)
    if (!Number.isSafeInteger(v) || v < 1) throw bad(`${name} ${v} is not valid: use a whole number, 1 or more.`, { [name]: v });
  if (maxRuns < 2 * batch)
    throw bad(`maxRuns ${maxRuns} is under two batches of ${batch}: the pilot and the estimate need a batch each at least; give maxRuns ≥ ${2 * batch} or a smaller batch.`, { maxRuns, batch });
  for (const [name, v] of [
    ["confidence", confidence],
    ["limit", options.limit ?? 0.5],
  ] as const)
    if (!(v > 0 && v < 1)) throw bad(`${name} ${v} is not valid: use a number between 0 and 1 (both excluded).`, { [name]: v });
  const minFailures = options.minFailures ?? 10;
  const minEss = options.minEss ?? 30;
  const maxShare = options.maxWeightShare ?? 0.3;
  const rng = createRng(`hardhat-tokenspice/verify/${options.seed}/importance`);
  const samples: ImportanceRun[] = [];
  const problems: ImportanceProblem[] = [];

  // 1. pilot
  const pilotCap = Math.max(batch, Math.floor((maxRuns * (options.pilotShare ?? 0.5)) / batch) * batch);
  let mu = new Array<number>(dims).fill(0);
  let scale = 1;
  let pilotRuns = 0;
  let reached = false;
  let anyFailure = false;
  for (let stage = 0; pilotRuns + batch <= pilotCap; stage++) {
    const zs = Array.from({ length: batch }, () => mu.map((m) => m + scale * gaussian(rng)));
    const out = await evaluate(zs);
    pilotRuns += batch;
    zs.forEach((z, i) => samples.push({ z, stage: "pilot", fail: out[i].fail, weight: 0 }));
    // likelihood ratio of nominal to this stage's proposal
    const logLr = zs.map((z) => logPhi(z) - logProposal(z, mu, scale));
    const fails = out.map((o, i) => (o.fail ? i : -1)).filter((i) => i >= 0);
    if (fails.length) anyFailure = true;
    // margins to climb: every run that met the spec has one, and they differ
    const margins = out.filter((o) => !o.fail).map((o) => o.margin as number);
    const withMargins = out.every((o) => o.fail || Number.isFinite(o.margin)) && Math.min(...margins) < Math.max(...margins);
    if (fails.length >= Math.ceil(RHO * batch) || (!withMargins && fails.length > 0)) {
      mu = weightedMean(
        fails.map((i) => zs[i]),
        fails.map((i) => logLr[i]),
      );
      scale = 1;
      reached = true;
      break;
    }
    if (!withMargins) {
      scale += 0.5; // no margins to climb: widen until failures appear
      continue;
    }
    // elites: the worst ρ by margin (failures first), kept to the side of the worst one
    const score = out.map((o) => (o.fail ? Math.min(o.margin ?? 0, 0) - 1e-300 : (o.margin as number)));
    const order = score.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const elites = order.slice(0, Math.ceil(RHO * batch)).map(([, i]) => i);
    // the elites' mean direction: one failure region puts every elite on its side; opposite parts split them
    const center = elites.reduce((acc, i) => acc.map((v, j) => v + zs[i][j] / elites.length), new Array<number>(dims).fill(0));
    const side = elites.filter((i) => dot(zs[i], center) > 0);
    if (side.length === 0) side.push(elites[0]);
    if (stage === 0 && side.length < 0.75 * elites.length) {
      problems.push({
        code: "SEVERAL_REGIONS",
        blocking: true,
        message: `the pilot's first worst runs point in opposite directions (${elites.length - side.length} of ${elites.length} on the far side of their mean): the failure region may have several parts. The shift covers the part around the worst run; the others are undercounted, so the estimate is low. Verify each part on its own (a spec per side), or use plain Monte Carlo.`,
      });
    }
    mu = weightedMean(
      side.map((i) => zs[i]),
      side.map((i) => logLr[i]),
    );
  }
  if (!reached) {
    problems.push(
      anyFailure
        ? {
            code: "PILOT_SHORT",
            blocking: false,
            message: `the pilot (${pilotRuns} runs) did not reach the failure region (fewer than ${Math.ceil(RHO * batch)} failures in a batch): the shift is short of it, so few runs under the proposal fail. Give more runs (maxRuns) or a larger batch.`,
          }
        : {
            code: "NO_PILOT_FAILURES",
            blocking: false,
            message: `the pilot (${pilotRuns} runs) found no failure: either failures are rarer than it could reach, or the spec gives no margin to climb (a pass/fail predicate). Give more runs, a text spec ("<kpi> <stat> <op> <number>"), or use plain Monte Carlo.`,
          },
    );
  }

  // 2. importance sampling from N(mu, I), looks after each batch
  const mu2 = dot(mu, mu);
  const budget = maxRuns - pilotRuns;
  const looks = Math.max(1, Math.ceil(budget / batch));
  const wi: number[] = [];
  const lookList: ImportanceLook[] = [];
  let verdict: ImportanceResult["verdict"] = "inconclusive";
  let stats = summarize([], 0);
  let level = confidence;
  let lookProblems: ImportanceProblem[] = [];
  for (let look = 1; wi.length < budget; look++) {
    const count = Math.min(batch, budget - wi.length);
    const zs = Array.from({ length: count }, () => mu.map((m) => m + gaussian(rng)));
    const out = await evaluate(zs);
    zs.forEach((z, i) => {
      const w = Math.exp(-dot(mu, z) + mu2 / 2);
      samples.push({ z, stage: "importance", fail: out[i].fail, weight: w });
      wi.push(out[i].fail ? w : 0);
    });
    // with a limit, the looks share 1 − confidence (Bonferroni); without one, no decision is made at a look
    level = options.limit === undefined ? confidence : lookConfidence(look, looks, confidence);
    stats = summarize(wi, normalQuantile(1 - (1 - level) / 2, 0, 1));
    lookList.push({ n: wi.length, p: stats.p, lo: stats.lo, hi: stats.hi, level });
    lookProblems = checks(stats, minFailures, minEss, maxShare);
    if (lookProblems.length === 0 && options.limit !== undefined) {
      // several failure regions make p̂ low: a pass is then not shown, a fail still is
      if (stats.hi < options.limit && !problems.some((x) => x.code === "SEVERAL_REGIONS")) verdict = "pass";
      else if (stats.lo > options.limit) verdict = "fail";
      if (verdict !== "inconclusive") break;
    }
  }
  problems.push(...lookProblems);
  const n = wi.length;
  const relativeError = stats.p > 0 ? stats.se / stats.p : Infinity;
  return {
    p: stats.p,
    lo: stats.lo,
    hi: stats.hi,
    se: stats.se,
    relativeError,
    level,
    confidence,
    verdict,
    shift: mu,
    beta: Math.sqrt(mu2),
    runs: pilotRuns + n,
    pilotRuns,
    importanceRuns: n,
    failures: stats.failures,
    ess: stats.ess,
    maxWeightShare: stats.maxShare,
    plainMcRuns: stats.p > 0 && Number.isFinite(relativeError) && relativeError > 0 ? Math.ceil((1 - stats.p) / (stats.p * relativeError ** 2)) : Infinity,
    runsToHalve: pilotRuns + 4 * n,
    sigma: stats.p > 0 ? -normalQuantile(stats.p, 0, 1) : Infinity,
    looks: lookList,
    problems,
    samples,
  };
}

/** p̂, its standard error and z-interval (lo clipped at 0), failures, Kish ESS and the largest share of the weights wᵢ1ᵢ. */
function summarize(wi: number[], z: number) {
  const n = wi.length;
  let sum = 0;
  let sum2 = 0;
  let max = 0;
  let failures = 0;
  for (const w of wi) {
    sum += w;
    sum2 += w * w;
    if (w > max) max = w;
    if (w > 0) failures++;
  }
  const p = n ? sum / n : NaN;
  const variance = n > 1 ? Math.max(0, (sum2 - n * p * p) / (n - 1)) : NaN;
  const se = Math.sqrt(variance / n);
  return { p, se, lo: Math.max(0, p - z * se), hi: Math.min(1, p + z * se), failures, ess: sum2 > 0 ? (sum * sum) / sum2 : 0, maxShare: sum > 0 ? max / sum : 0 };
}

/** The assumption checks on the importance stage so far. */
function checks(s: ReturnType<typeof summarize>, minFailures: number, minEss: number, maxShare: number): ImportanceProblem[] {
  const out: ImportanceProblem[] = [];
  if (s.failures < minFailures)
    out.push({
      code: "TOO_FEW_FAILURES",
      blocking: true,
      message: `only ${s.failures} run${s.failures === 1 ? "" : "s"} under the proposal failed (fewer than ${minFailures}): the interval is not to be trusted. Give more runs.`,
    });
  else if (s.ess < minEss)
    out.push({
      code: "LOW_ESS",
      blocking: true,
      message: `the failing runs' effective sample size (Kish) is ${s.ess.toFixed(1)}, under ${minEss}: a few runs carry the estimate, so its interval is not to be trusted. Give more runs.`,
    });
  if (s.failures > 0 && s.maxShare > maxShare)
    out.push({
      code: "DEGENERATE_WEIGHTS",
      blocking: true,
      message: `one run carries ${(100 * s.maxShare).toFixed(0)}% of the estimate (more than ${(100 * maxShare).toFixed(0)}%): the weights are degenerate, the shift is probably off the most likely failure. Give more runs or check for a second failure region.`,
    });
  return out;
}

/** A standard normal draw by inverse CDF, u in (0, 1). */
function gaussian(rng: Rng): number {
  let u = rng();
  while (u <= 0) u = rng();
  return normalQuantile(u, 0, 1);
}

const LOG_2PI = Math.log(2 * Math.PI);

/** log φ_d(z), the standard normal density in d dimensions. */
function logPhi(z: number[]): number {
  return -0.5 * (dot(z, z) + z.length * LOG_2PI);
}

/** log of the N(mu, s²I) density at z. */
function logProposal(z: number[], mu: number[], s: number): number {
  const d = z.map((v, i) => (v - mu[i]) / s);
  return logPhi(d) - z.length * Math.log(s);
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Σ wᵢzᵢ / Σ wᵢ with wᵢ = exp(logWᵢ) (scaled by the largest first, so none underflows). */
function weightedMean(zs: number[][], logW: number[]): number[] {
  const top = Math.max(...logW);
  const w = logW.map((l) => Math.exp(l - top));
  const total = w.reduce((a, b) => a + b, 0);
  return zs[0].map((_, j) => zs.reduce((acc, z, i) => acc + (w[i] / total) * z[j], 0));
}

/** A standard normal value z as a unit-cube coordinate u = Φ(z) in (0, 1) (kept off 1, which no dist takes). */
export function normalToUnit(z: number): number {
  return Math.min(1 - 2 ** -53, Math.max(2 ** -1074, normalCdf(z, 0, 1)));
}
