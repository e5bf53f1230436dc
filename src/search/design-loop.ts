import { mean, sampleStandardDeviation } from "simple-statistics";
import { TokenspiceError, messageOf } from "../errors";
import type { ParamSpecs } from "../model/params";
import { fromUnit } from "../campaign/axes";
import { unitSamples } from "../campaign/plan";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import type { Evaluator } from "./evaluator";
import { clopperPearson } from "./intervals";
import { margin, meets, parseBound, toMetric, toPredicate, type Bound, type RunMetric, type RunPredicate } from "./metrics";
import { minimize, minimumBudget, type TraceEntry } from "./optimizers";

/** A point of the uncontrollables the design is checked against: a worst case, or nominal. */
export interface Corner {
  name: string;
  /** The uncontrollable params at this corner. */
  params: Record<string, ParamValue>;
  /** The spec or objective whose worst case it is (none for nominal). */
  from?: string;
  /** The objective's mean there, over seeds. */
  value?: number;
  /** Runs of its worst-case search whose objective was NaN or ±Infinity (never the worst). */
  nonFinite?: number;
}

/** A run that did not meet the spec: what is needed to look at it again. */
export interface FailingRun {
  key: string;
  params: Record<string, ParamValue>;
  seed: number;
  command: string;
  reason: string;
}

/**
 * Params to vary: those named, or every param of the given kind.
 * @throws TokenspiceError PARAM_UNKNOWN for a name the netlist lacks; OPTION_INVALID for none to vary,
 *   a name given twice (`--over a,a` would search one param as two dimensions), or an unbounded range.
 */
export function paramsOver(specs: ParamSpecs, over: string[] | undefined, kind: "controllable" | "uncontrollable", what: string, allowNone = false): string[] {
  const names = over ?? Object.keys(specs).filter((k) => (specs[k].kind ?? "controllable") === kind);
  if (names.length === 0 && !allowNone) throw new TokenspiceError("OPTION_INVALID", `${what}: the netlist has no ${kind} params to vary; name them with over.`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new TokenspiceError("OPTION_INVALID", `${what}: param "${twice}" is named twice in over; name each param once (over: ${[...new Set(names)].join(",")}).`, { param: twice });
  }
  for (const n of names) {
    if (!Object.hasOwn(specs, n)) throw new TokenspiceError("PARAM_UNKNOWN", `${what}: unknown param "${n}". Known params: ${Object.keys(specs).join(", ")}.`, { param: n });
    const s = specs[n];
    if ((s.type === "int" || s.type === "float") && !(Number.isFinite(s.min) && Number.isFinite(s.max))) {
      throw new TokenspiceError("OPTION_INVALID", `${what}: param "${n}" needs a finite min and max to be searched over.`, { param: n });
    }
  }
  return names;
}

/** A unit-cube point onto the params' ranges: uniform over [min, max] (the whole range: a worst case is not weighted by how likely it is). */
function unitToParams(specs: ParamSpecs, names: string[], u: number[]): Record<string, ParamValue> {
  return Object.fromEntries(names.map((n, i) => [n, fromUnit({ ...specs[n], dist: undefined } as ParamSpecs[string], u[i])]));
}

/**
 * Refuses a count (runs, seeds, a budget) that is not a whole number from `min` up, naming the
 * option and the range: a zero per-point count made a budget of `budget / 0` = Infinity points, and a
 * negative one a negative budget. @throws TokenspiceError OPTION_INVALID
 */
export function checkCount(what: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new TokenspiceError("OPTION_INVALID", `${what}: ${name} ${typeof value === "number" ? String(value) : JSON.stringify(value)} is not valid: use a whole number, ${min} or more.`, { [name]: String(value) });
  }
  return value;
}

/** Refuses an empty list of corners. @throws TokenspiceError OPTION_INVALID */
function checkCorners(what: string, name: string, corners: Corner[] | undefined): void {
  if (corners !== undefined && (!Array.isArray(corners) || corners.length === 0)) {
    throw new TokenspiceError("OPTION_INVALID", `${what}: ${name} is empty: give at least one corner (sim-corners writes them), or leave it out.`, { [name]: "[]" });
  }
}

/** The value of `metric` for a run that did not fail, or NaN when it throws. */
function valueOf(metric: RunMetric, run: CampaignRunView): number {
  try {
    return metric(run);
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// verify: 3-sigma yield by Monte Carlo, with sequential stopping on an exact interval

export interface VerifyOptions {
  /** What a run must meet: text ("treasury min >= 1000") or a predicate; several must all hold. */
  spec: string | RunPredicate | (string | RunPredicate)[];
  /** The yield to show (default 0.9973: "3 sigma"). */
  target?: number;
  /** Confidence of the Clopper–Pearson interval (default 0.95). */
  confidence?: number;
  /** At most this many runs (default 2000). */
  maxRuns?: number;
  /** Runs per batch: the interval is checked after each (default 100). */
  batch?: number;
  /** Uncontrollables drawn (default every uncontrollable param), each from its dist. */
  over?: string[];
  /** Verify at these corners (each with `batch` seeds per round) instead of drawing the uncontrollables. */
  corners?: Corner[];
  /**
   * After the Monte Carlo, run these corners too (`seedsPerCorner` seeds each) and say how well they
   * predicted it: whether every corner met the spec, and how many Monte Carlo runs were worse than
   * the worst corner (`cornerCheck`). Not with `corners`.
   */
  compareCorners?: Corner[];
  /** Seeds at each corner of `compareCorners` (default 10). */
  seedsPerCorner?: number;
}

/** How well a set of corners predicted a Monte Carlo verification (`verify`'s `compareCorners`). */
export interface CornerCheck {
  seedsPerCorner: number;
  corners: {
    name: string;
    from?: string;
    params: Record<string, ParamValue>;
    /** k of n seeds at the corner met the spec. */
    k: number;
    n: number;
    /** Per text spec: the smallest margin over the corner's seeds (≥ 0 met; −Infinity for a failed run). */
    margins: { spec: string; worst: number }[];
  }[];
  /** "pass" when every corner met the spec in every seed: what the corners alone would have said. */
  predicted: "pass" | "fail";
  /**
   * Per text spec: the Monte Carlo runs whose margin is below the worst corner's, of all Monte Carlo
   * runs. Corners that bound the worst case miss none.
   */
  missed: { spec: string; worstCorner: number; runs: number; of: number }[];
}

export interface VerifyResult {
  verdict: "pass" | "fail" | "inconclusive";
  /** k of n runs met the spec; [lo, hi] the Clopper–Pearson interval of the yield. */
  yield: { k: number; n: number; p: number; lo: number; hi: number };
  target: number;
  confidence: number;
  spec: string;
  failures: FailingRun[];
  /** The interval after each batch. */
  batches: { n: number; k: number; lo: number; hi: number }[];
  /** With `compareCorners`: how well the corners predicted the Monte Carlo. */
  cornerCheck?: CornerCheck;
  /** Runs (of the Monte Carlo and the corners) where a text spec's value was NaN or ±Infinity: none of them met the spec. */
  nonFinite: number;
}

/**
 * "3-sigma verification": Monte Carlo over the uncontrollables (each drawn from its dist) and
 * seeds, in batches; after each batch the yield's exact Clopper–Pearson interval decides: its
 * lower end at or above the target passes, its upper end below fails; otherwise another batch,
 * up to maxRuns (inconclusive). A run that fails (throws, times out) does not meet the spec.
 * Checking the interval after every batch makes the overall error rate somewhat higher than
 * 1 − confidence (repeated looks); the verdict is a screen, the failing runs are the evidence. A
 * run whose text spec's value is NaN or ±Infinity does not meet it (counted in `nonFinite`).
 * @throws TokenspiceError OPTION_INVALID for a target or confidence outside (0, 1), a maxRuns, batch
 *   or seedsPerCorner that is not a whole number ≥ 1, an empty corners list, or both corners lists
 */
export async function verify(evaluator: Evaluator, specs: ParamSpecs, options: VerifyOptions & { seed: number }): Promise<VerifyResult> {
  const target = options.target ?? 0.9973;
  const confidence = options.confidence ?? 0.95;
  for (const [name, v] of [["target", target], ["confidence", confidence]] as const) {
    if (!(typeof v === "number" && v > 0 && v < 1)) throw new TokenspiceError("OPTION_INVALID", `verify: ${name} ${v} is not valid: use a number between 0 and 1 (both excluded), e.g. 0.95.`, { [name]: String(v) });
  }
  const maxRuns = checkCount("verify", "maxRuns", options.maxRuns ?? 2000);
  const batch = checkCount("verify", "batch", options.batch ?? 100);
  const seedsPerCorner = checkCount("verify", "seedsPerCorner", options.seedsPerCorner ?? 10);
  const spec = toPredicate(options.spec);
  if (options.corners && options.compareCorners) {
    throw new TokenspiceError("OPTION_INVALID", "verify: give corners (verify at them instead of drawing) or compareCorners (Monte Carlo, then the corners beside it), not both");
  }
  checkCorners("verify", "corners", options.corners);
  checkCorners("verify", "compareCorners", options.compareCorners);
  // The text specs' bounds, to measure by how much each run met or missed them.
  const bounds = (Array.isArray(options.spec) ? options.spec : [options.spec]).filter((s): s is string => typeof s === "string").map((text) => ({ text, bound: parseBound(text) }));
  // A run where a text spec's value is not finite: it does not meet the spec, and is counted.
  const nonFinite = new Set<string>();
  const notFinite = (run: CampaignRunView): string | undefined => {
    if (run.status === "failed") return undefined;
    for (const { text, bound } of bounds) {
      let v: number;
      try {
        v = bound.metric(run);
      } catch {
        continue; // "the spec threw" says it
      }
      if (!Number.isFinite(v)) {
        nonFinite.add(run.key);
        return `${text}: the value is ${v}, not a finite number`;
      }
    }
    return undefined;
  };
  const marginsOf = (run: CampaignRunView): number[] =>
    bounds.map(({ bound }) => {
      if (run.status === "failed") return -Infinity;
      const m = margin(bound, valueOf(bound.metric, run));
      return Number.isFinite(m) ? m : -Infinity;
    });
  const mcMargins: number[][] = [];
  // No uncontrollables (or over: []) is Monte Carlo over seeds alone.
  const over = options.corners ? [] : paramsOver(specs, options.over, "uncontrollable", "verify", true);
  const draws = options.corners ? [] : unitSamples("random", maxRuns, over.length, options.seed).map((u) => Object.fromEntries(over.map((n, i) => [n, fromUnit(specs[n], u[i])])));
  let k = 0;
  let n = 0;
  const failures: FailingRun[] = [];
  const batches: VerifyResult["batches"] = [];
  let interval = clopperPearson(0, 0, confidence);
  let verdict: VerifyResult["verdict"] = "inconclusive";
  for (let round = 0; n < maxRuns; round++) {
    let views: CampaignRunView[];
    if (options.corners) {
      const seeds = Math.min(batch, maxRuns - n);
      const per = Math.max(1, Math.floor(seeds / options.corners.length));
      // each round, `per` new replicates at every corner
      const groups = await evaluator.evaluate(options.corners.map((c) => c.params), (round + 1) * per);
      views = groups.flatMap((g) => g.slice(round * per));
    } else {
      // Run i is replicate i of its draw: distinct seeds even where draws coincide (ints, choices, no uncontrollables).
      const pairs = draws.slice(n, Math.min(maxRuns, n + batch)).map((point, j) => [{ point, replicate: n + j }]);
      views = (await evaluator.evaluateRuns(pairs)).map((g) => g[0]);
    }
    for (const run of views) {
      n++;
      if (options.compareCorners) mcMargins.push(marginsOf(run));
      let ok = false;
      let reason = "";
      if (run.status === "failed") reason = `the run failed: ${run.outcome.error?.message ?? "no result"}`;
      else {
        try {
          ok = spec.test(run);
          if (!ok) reason = `does not meet ${spec.describe}`;
        } catch (error) {
          reason = `the spec threw: ${messageOf(error)}`;
        }
        const why = notFinite(run);
        if (why !== undefined) {
          ok = false;
          reason = `does not meet ${spec.describe} (${why})`;
        }
      }
      if (ok) k++;
      else failures.push({ key: run.key, params: run.params, seed: run.seed, command: run.command, reason });
    }
    interval = clopperPearson(k, n, confidence);
    batches.push({ n, k, lo: interval.lo, hi: interval.hi });
    if (interval.lo >= target) {
      verdict = "pass";
      break;
    }
    if (interval.hi < target) {
      verdict = "fail";
      break;
    }
  }
  const result: VerifyResult = { verdict, yield: { k, n, ...interval }, target, confidence, spec: spec.describe, failures, batches, nonFinite: 0 };
  if (options.compareCorners) result.cornerCheck = await runCorners(evaluator, options.compareCorners, seedsPerCorner, (run) => notFinite(run) === undefined && spec.test(run), bounds.map((b) => b.text), marginsOf, mcMargins);
  result.nonFinite = nonFinite.size;
  return result;
}

/** Runs each corner with `seeds` seeds and compares it with the Monte Carlo's margins. */
async function runCorners(
  evaluator: Evaluator,
  corners: Corner[],
  seeds: number,
  test: RunPredicate,
  specTexts: string[],
  marginsOf: (run: CampaignRunView) => number[],
  mcMargins: number[][],
): Promise<CornerCheck> {
  const groups = await evaluator.evaluate(corners.map((c) => c.params), seeds);
  const rows = corners.map((corner, i) => {
    const runs = groups[i];
    const met = runs.filter((run) => {
      if (run.status === "failed") return false;
      try {
        return test(run);
      } catch {
        return false;
      }
    }).length;
    const margins = runs.map(marginsOf);
    return {
      name: corner.name,
      ...(corner.from === undefined ? {} : { from: corner.from }),
      params: corner.params,
      k: met,
      n: runs.length,
      margins: specTexts.map((text, j) => ({ spec: text, worst: Math.min(...margins.map((m) => m[j])) })),
    };
  });
  const missed = specTexts.map((text, j) => {
    const worstCorner = Math.min(...rows.map((r) => r.margins[j].worst));
    return { spec: text, worstCorner, runs: mcMargins.filter((m) => m[j] < worstCorner).length, of: mcMargins.length };
  });
  return { seedsPerCorner: seeds, corners: rows, predicted: rows.every((r) => r.k === r.n) ? "pass" : "fail", missed };
}

/**
 * Refuses, before any run, a budget too small for the search, in the caller's terms (runs, and runs
 * per point): the optimizers count points, so their own message ("a budget of 10 evaluations") named a
 * number nobody had given. @throws TokenspiceError OPTION_INVALID
 */
function checkBudget(what: string, budget: number, runsPerPoint: number, perPointIs: string, dims: number): void {
  const points = minimumBudget(dims);
  if (Math.floor(budget / runsPerPoint) < points) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `${what}: a budget of ${budget} runs at ${runsPerPoint} runs a point (${perPointIs}) is ${Math.floor(budget / runsPerPoint)} points; searching ${dims} param${dims === 1 ? "" : "s"} takes at least ${points} (one differential-evolution population and the refinement's share): give a budget of at least ${points * runsPerPoint} runs.`,
      { budget, runsPerPoint, points },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// worst case over the uncontrollables

export interface WorstCaseOptions {
  /** What to make worst: "<kpi> <stat>" or a function of a run. */
  objective: string | RunMetric;
  /** The worst is the objective's minimum (default) or its maximum. */
  worst?: "min" | "max";
  /** Params searched (default every uncontrollable), each over its whole [min, max]. */
  over?: string[];
  /** Seeds per point: the objective there is their mean (default 3). */
  seedsPerPoint?: number;
  /** Runs in all (default 300). */
  budget?: number;
}

export interface WorstCaseResult {
  /** The worst point: the searched params (the rest at their defaults or fixed values). */
  point: Record<string, ParamValue>;
  params: Record<string, ParamValue>;
  /** The objective at the worst point, over its seeds. */
  objective: { mean: number; std: number; values: number[] };
  trace: TraceEntry[];
  /** Runs used. */
  runs: number;
  /** Runs whose objective was NaN or ±Infinity: a point with one never counts as the worst (a failed run does). */
  nonFinite: number;
  /** The command that repeats the worst point's first run. */
  command: string;
}

/**
 * Worst-case analysis: a global derivative-free search (differential evolution) over the
 * uncontrollables' box, then local refinement (Nelder–Mead) from the best point found, of the mean
 * objective over `seedsPerPoint` seeds, the same seeds at every point (common random numbers). A
 * point whose runs fail counts as the worst possible; a point whose mean objective is NaN or
 * ±Infinity (a KPI of 0/0, say) is never the worst: it is counted (`nonFinite`) and the search goes on.
 * @throws TokenspiceError OPTION_INVALID for a seedsPerPoint or budget that is not a whole number ≥ 1,
 *   or a budget too small for the search
 */
export async function worstCase(evaluator: Evaluator, specs: ParamSpecs, options: WorstCaseOptions & { seed: number }): Promise<WorstCaseResult> {
  const metric = toMetric(options.objective);
  const seeds = checkCount("worstCase", "seedsPerPoint", options.seedsPerPoint ?? 3);
  const budget = checkCount("worstCase", "budget", options.budget ?? 300);
  const over = paramsOver(specs, options.over, "uncontrollable", "worstCase");
  if (options.worst !== undefined && options.worst !== "min" && options.worst !== "max") throw new TokenspiceError("OPTION_INVALID", `worstCase: worst ${JSON.stringify(options.worst)} is not valid: use "min" or "max".`);
  const sign = (options.worst ?? "min") === "min" ? 1 : -1;
  const points = Math.floor(budget / seeds);
  const nonFinite = new Set<string>();
  // What the search minimises: the worst is the smallest. A failed run is the worst there is
  // (−Infinity, whichever way is worst); a non-finite mean is never the worst (+Infinity).
  const score = (views: CampaignRunView[]) => {
    if (views.some((v) => v.status === "failed")) return -Infinity;
    const values = views.map(metric);
    views.forEach((v, i) => Number.isFinite(values[i]) || nonFinite.add(v.key));
    const m = mean(values);
    return Number.isFinite(m) ? sign * m : Infinity;
  };
  // Common random numbers: every point runs on the same `seeds` seeds (they follow from the
  // replicate alone), so points differ by their params, not by their luck: with a seed per point the
  // search's "worst" is partly the unluckiest seeds it happened to draw.
  checkBudget("worstCase", budget, seeds, "seedsPerPoint", over.length);
  const sameSeeds = (n: number) => Array.from({ length: n }, () => ({}));
  const result = await minimize(
    async (us) => {
      const groups = await evaluator.evaluate(us.map((u) => unitToParams(specs, over, u)), seeds, sameSeeds(us.length));
      return groups.map(score);
    },
    over.length,
    { budget: points, seed: options.seed },
  );
  const point = unitToParams(specs, over, result.x);
  const [views] = await evaluator.evaluate([point], seeds, sameSeeds(1));
  const values = views.map((v) => (v.status === "failed" ? NaN : metric(v)));
  return {
    point,
    params: evaluator.pointParams(point),
    objective: { mean: mean(values), std: values.length > 1 ? sampleStandardDeviation(values) : 0, values },
    // ±Infinity is a failed point (−Infinity) or none with a finite value yet: no value to draw
    trace: result.trace.map((t) => ({ ...t, evaluations: t.evaluations * seeds, best: Number.isFinite(t.best) ? sign * t.best : NaN })),
    runs: result.evaluations * seeds,
    nonFinite: nonFinite.size,
    command: views[0].command,
  };
}

// ---------------------------------------------------------------------------------------------
// corners

export interface CornerSpec {
  name: string;
  objective: string | RunMetric;
  worst?: "min" | "max";
}

/**
 * Corner extraction: for each spec, the worst case of its objective over the uncontrollables; and
 * the nominal corner (every uncontrollable at its default). A handful of points to check a design
 * against instead of a full Monte Carlo.
 */
export async function corners(evaluator: Evaluator, specs: ParamSpecs, options: { specs: CornerSpec[]; over?: string[]; seedsPerPoint?: number; budget?: number; seed: number }): Promise<Corner[]> {
  checkCount("corners", "seedsPerPoint", options.seedsPerPoint ?? 3);
  checkCount("corners", "budget", options.budget ?? 300);
  const over = paramsOver(specs, options.over, "uncontrollable", "corners");
  const out: Corner[] = [{ name: "nominal", params: Object.fromEntries(over.map((n) => [n, specs[n].default as ParamValue])) }];
  for (const [i, c] of options.specs.entries()) {
    const w = await worstCase(evaluator, specs, { objective: c.objective, worst: c.worst, over, seedsPerPoint: options.seedsPerPoint, budget: options.budget, seed: options.seed + i + 1 });
    out.push({ name: c.name, params: w.point, from: typeof c.objective === "string" ? `${c.worst ?? "min"} of ${c.objective}` : c.name, value: w.objective.mean, nonFinite: w.nonFinite });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// optimize the controllables, every constraint on every corner

export interface OptimizeOptions {
  objective: string | RunMetric;
  /** Maximize the objective (default) or minimize it. */
  goal?: "max" | "min";
  /** Each must hold, as the mean over seeds, at every corner: "<kpi> <stat> <op> <number>". */
  constraints?: string[];
  /** Params searched (default every controllable); ints are rounded, choices picked by index. */
  over?: string[];
  /** Corners to hold the design against (default: nominal, the uncontrollables at their defaults). */
  corners?: Corner[];
  /** Seeds per candidate and corner (default 2). */
  runsPerCandidate?: number;
  /** Runs in all (default 400). */
  budget?: number;
}

export interface OptimizeResult {
  /** The best design found: the searched params. */
  design: Record<string, ParamValue>;
  /** Whether every constraint holds at every corner. */
  feasible: boolean;
  /** The objective, mean over corners and seeds. */
  objective: number;
  /** Each constraint's margin (mean over seeds; ≥ 0 met) at each corner. */
  margins: { constraint: string; corner: string; margin: number; met: boolean }[];
  trace: TraceEntry[];
  runs: number;
  /** Runs whose objective or a constraint's value was NaN or ±Infinity: a candidate with one is never feasible and never best. */
  nonFinite: number;
}

/** optimize's score tiers: a feasible design's is asinh of its signed objective, at most asinh(Number.MAX_VALUE) ≈ 710.5. */
const INFEASIBLE_SCORE = 1e3;
const FAILED_SCORE = 1e4;

/**
 * Variation-aware optimization of the controllables: each candidate design is run at every corner
 * (`runsPerCandidate` seeds each, the same seeds for every candidate: common random numbers); its score is the objective's mean over corners and seeds, and a
 * design that breaks a constraint at any corner scores below every design that does not (ranked by
 * its total violation), whatever the objective's magnitude. A candidate whose objective or a constraint's mean is NaN or
 * ±Infinity at any corner (a KPI of 0/0, say) meets no constraint and ranks with the failed ones,
 * below every candidate with numbers. Differential evolution over the controllables' box, then
 * Nelder–Mead from the best design.
 * @throws TokenspiceError OPTION_INVALID for a runsPerCandidate or budget that is not a whole number
 *   ≥ 1, an empty corners list, or a budget too small for the search
 */
export async function optimize(evaluator: Evaluator, specs: ParamSpecs, options: OptimizeOptions & { seed: number }): Promise<OptimizeResult> {
  const metric = toMetric(options.objective);
  const bounds: Bound[] = (options.constraints ?? []).map(parseBound);
  const over = paramsOver(specs, options.over, "controllable", "optimize");
  checkCorners("optimize", "corners", options.corners);
  const cs = options.corners ?? [{ name: "nominal", params: {} }];
  const seeds = checkCount("optimize", "runsPerCandidate", options.runsPerCandidate ?? 2);
  const budget = checkCount("optimize", "budget", options.budget ?? 400);
  if (options.goal !== undefined && options.goal !== "max" && options.goal !== "min") throw new TokenspiceError("OPTION_INVALID", `optimize: goal ${JSON.stringify(options.goal)} is not valid: use "max" or "min".`);
  const sign = (options.goal ?? "max") === "max" ? -1 : 1;
  const nonFinite = new Set<string>();
  // the objective behind each score (of a design with numbers), for the trace
  const objectiveOf = new Map<number, number>();
  const perCandidate = seeds * cs.length;
  const assess = async (designs: Record<string, ParamValue>[]) => {
    // Common random numbers: a run's seed follows from its corner and replicate, not its design, so
    // every candidate meets the same market paths at a corner and they differ by the design alone.
    // With a seed per design, seed-to-seed spread (an LP's value against holding varies by ±0.2 between
    // price paths at high volatility) swamps the differences between designs being ranked.
    const groups = await evaluator.evaluate(
      designs.flatMap((d) => cs.map((c) => ({ ...c.params, ...d }))),
      seeds,
      designs.flatMap(() => cs.map((c) => c.params)),
    );
    return designs.map((_, i) => {
      const byCorner = groups.slice(i * cs.length, (i + 1) * cs.length);
      const failed = byCorner.some((g) => g.some((v) => v.status === "failed"));
      // Each run's values, non-finite ones counted: NaN compares false with everything, so a NaN
      // margin once read as "no violation" and ranked an infeasible design as feasible.
      const values = (m: RunMetric, g: CampaignRunView[]) => {
        const vs = g.map(m);
        g.forEach((v, j) => Number.isFinite(vs[j]) || nonFinite.add(v.key));
        return vs;
      };
      const objective = failed ? NaN : mean(byCorner.flatMap((g) => values(metric, g)));
      let finite = !failed && Number.isFinite(objective);
      const margins = bounds.flatMap((b) =>
        byCorner.map((g, k) => {
          const value = failed ? NaN : mean(values(b.metric, g));
          if (!Number.isFinite(value)) finite = false;
          return { constraint: b.text, corner: cs[k].name, margin: failed ? -Infinity : margin(b, value), met: !failed && meets(b, value) };
        }),
      );
      const violation = Math.min(Number.MAX_VALUE, margins.reduce((s, m) => s + (m.met ? 0 : Number.isFinite(m.margin) ? Math.max(0, -m.margin) : 0), 0));
      // Three tiers in the one number the optimizers compare: a feasible design's signed objective
      // through asinh (order kept, every magnitude to about 14 digits, so an objective in wei, 1e21,
      // stays below every infeasible design: a fixed penalty of 1e12 did not), in [−711, 711]; an
      // infeasible one at 1000 + asinh(total violation); a failed or non-finite one at 1e4.
      // (a strict bound met with equality is broken by 0: broken all the same)
      const broken = margins.some((m) => !m.met);
      const score = !finite ? FAILED_SCORE : broken ? INFEASIBLE_SCORE + Math.asinh(violation) : Math.asinh(sign * objective);
      if (score < FAILED_SCORE) objectiveOf.set(score, objective);
      return { objective, margins, score, feasible: finite && !broken };
    });
  };
  checkBudget("optimize", budget, perCandidate, `runsPerCandidate × ${cs.length} corner${cs.length === 1 ? "" : "s"}`, over.length);
  const toDesign = (u: number[]) => unitToParams(specs, over, u);
  const result = await minimize(async (us) => (await assess(us.map(toDesign))).map((a) => a.score), over.length, { budget: Math.floor(budget / perCandidate), seed: options.seed });
  const design = toDesign(result.x);
  const [best] = await assess([design]);
  return {
    design,
    feasible: best.feasible,
    objective: best.objective,
    margins: best.margins,
    // the best design so far: its objective, and whether it is feasible (NaN: none with numbers yet)
    trace: result.trace.map((t) => ({ ...t, evaluations: t.evaluations * perCandidate, best: objectiveOf.get(t.best) ?? NaN, feasible: t.best < INFEASIBLE_SCORE })),
    runs: result.evaluations * perCandidate,
    nonFinite: nonFinite.size,
  };
}
