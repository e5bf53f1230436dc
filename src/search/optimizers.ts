import { TokenspiceError } from "../errors";
import { createRng } from "../model/rng";

/**
 * Derivative-free minimisers over the unit cube [0, 1]^d, for objectives that are simulations:
 * every evaluation is expensive and asynchronous, and candidates are evaluated in batches (a
 * batch is one campaign, spread over the workers). Deterministic for a given seed.
 *
 * No well-kept JavaScript library offers CMA-ES or differential evolution with asynchronous batch
 * evaluation, and `fmin`'s Nelder–Mead takes only a synchronous objective, so both are compact
 * implementations here, tested against standard functions with known optima (sphere, Rosenbrock,
 * Rastrigin).
 */

/**
 * Evaluates a batch of points (each in [0, 1]^d); resolves with their objective values, to minimise.
 * A NaN value ranks as +Infinity (worse than every number), so comparisons stay a total order.
 */
export type BatchObjective = (points: number[][]) => Promise<number[]>;

/** The batch's values with NaN as +Infinity: `NaN <= x` is false, so a NaN would slip through every comparison. */
async function evaluate(f: BatchObjective, points: number[][]): Promise<number[]> {
  return (await f(points)).map((v) => (Number.isNaN(v) ? Infinity : v));
}

/**
 * The search's progress after an improvement: evaluations so far, the best objective then, and the phase (global differential evolution, local Nelder–Mead).
 */
export interface TraceEntry {
  /** Evaluations so far. */
  evaluations: number;
  /** Best objective so far. */
  best: number;
  phase: "global" | "local";
  /** optimize only: whether the best design so far meets every constraint (its objective is `best` either way). */
  feasible?: boolean;
}

/** What `minimize` found: the best point `x` in the unit cube, its objective `fx`, the evaluations used and the trace. */
export interface MinimizeResult {
  x: number[];
  fx: number;
  evaluations: number;
  trace: TraceEntry[];
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Differential evolution, DE/rand/1/bin (Storn & Price 1997): a population of `population`
 * points (default max(8, 5·d)); each generation, for each member, a mutant a + F·(b − c) of three
 * other members, crossed over with rate CR (default F 0.7, CR 0.9), kept when not worse. Points
 * leaving the cube are reflected back into it. Stops when the next generation would pass `budget`
 * evaluations.
 */
export async function differentialEvolution(
  f: BatchObjective,
  dims: number,
  options: { budget: number; seed: number; population?: number; weight?: number; crossover?: number; x0?: number[] },
): Promise<MinimizeResult> {
  if (!Number.isInteger(dims) || dims < 1) throw new TokenspiceError("OPTION_INVALID", `differentialEvolution: dims must be a positive integer, got ${dims}`);
  const np = options.population ?? Math.max(8, 5 * dims);
  if (options.budget < np) throw new TokenspiceError("OPTION_INVALID", `differentialEvolution: a budget of ${options.budget} evaluations is below one population (${np})`, { budget: options.budget });
  const F = options.weight ?? 0.7;
  const CR = options.crossover ?? 0.9;
  const rng = createRng(`hardhat-tokenspice/search/de/${options.seed}`);
  const pop = Array.from({ length: np }, (_, i) => (i === 0 && options.x0 ? options.x0.map(clamp01) : Array.from({ length: dims }, () => rng())));
  const fit = await evaluate(f, pop);
  let evaluations = np;
  const trace: TraceEntry[] = [{ evaluations, best: Math.min(...fit), phase: "global" }];
  while (evaluations + np <= options.budget) {
    const trials = pop.map((target, i) => {
      const [a, b, c] = pick3(np, i, rng);
      const jRand = rng.int(0, dims - 1);
      return target.map((t, j) => {
        if (j !== jRand && rng() >= CR) return t;
        const v = pop[a][j] + F * (pop[b][j] - pop[c][j]);
        return v < 0 ? -v - Math.floor(-v) : v > 1 ? 1 - (v - Math.floor(v)) : v; // reflect into [0, 1]
      });
    });
    const trialFit = await evaluate(f, trials);
    evaluations += np;
    for (let i = 0; i < np; i++) {
      if (trialFit[i] <= fit[i]) {
        pop[i] = trials[i];
        fit[i] = trialFit[i];
      }
    }
    trace.push({ evaluations, best: Math.min(...fit), phase: "global" });
  }
  const best = fit.indexOf(Math.min(...fit));
  return { x: pop[best], fx: fit[best], evaluations, trace };
}

function pick3(n: number, not: number, rng: ReturnType<typeof createRng>): [number, number, number] {
  const chosen: number[] = [];
  while (chosen.length < 3) {
    const k = rng.int(0, n - 1);
    if (k !== not && !chosen.includes(k)) chosen.push(k);
  }
  return chosen as [number, number, number];
}

/**
 * Nelder & Mead's (1965) simplex search, with the standard coefficients (reflection 1, expansion
 * 2, contraction 0.5, shrink 0.5) as in Gao & Han (2012) for low dimensions, from `x0` with an
 * initial step `step` (default 0.1) per coordinate, points kept in the unit cube by clamping. Each
 * iteration evaluates one batch (the reflection, and the expansion or contraction it calls for);
 * stops at `budget` evaluations or when the simplex's values differ by less than `tolerance`.
 */
export async function nelderMead(f: BatchObjective, x0: number[], options: { budget: number; step?: number; tolerance?: number; fx0?: number }): Promise<MinimizeResult> {
  const d = x0.length;
  const step = options.step ?? 0.1;
  const tol = options.tolerance ?? 1e-10;
  const clampAll = (x: number[]) => x.map(clamp01);
  let simplex = [clampAll(x0), ...Array.from({ length: d }, (_, i) => clampAll(x0.map((v, j) => (j === i ? (v + step <= 1 ? v + step : v - step) : v))))];
  let values: number[];
  let evaluations = 0;
  if (options.fx0 !== undefined) {
    values = [Number.isNaN(options.fx0) ? Infinity : options.fx0, ...(await evaluate(f, simplex.slice(1)))];
    evaluations = d;
  } else {
    values = await evaluate(f, simplex);
    evaluations = d + 1;
  }
  const trace: TraceEntry[] = [{ evaluations, best: Math.min(...values), phase: "local" }];
  const eval1 = async (x: number[]) => {
    evaluations++;
    return (await evaluate(f, [x]))[0];
  };
  while (evaluations < options.budget) {
    const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
    simplex = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    if (values[d] - values[0] <= tol) break;
    const centroid = Array.from({ length: d }, (_, j) => simplex.slice(0, d).reduce((s, p) => s + p[j], 0) / d);
    const along = (t: number) => clampAll(centroid.map((c, j) => c + t * (simplex[d][j] - c)));
    const xr = along(-1);
    const fr = await eval1(xr);
    if (fr < values[0]) {
      if (evaluations >= options.budget) {
        simplex[d] = xr;
        values[d] = fr;
        break;
      }
      const xe = along(-2);
      const fe = await eval1(xe);
      [simplex[d], values[d]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < values[d - 1]) {
      [simplex[d], values[d]] = [xr, fr];
    } else {
      if (evaluations >= options.budget) break;
      const xc = fr < values[d] ? along(-0.5) : along(0.5);
      const fc = await eval1(xc);
      if (fc < Math.min(fr, values[d])) {
        [simplex[d], values[d]] = [xc, fc];
      } else {
        // shrink towards the best point: one batch of d evaluations
        if (evaluations + d > options.budget) break;
        const shrunk = simplex.slice(1).map((p) => clampAll(p.map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]))));
        const fs = await evaluate(f, shrunk);
        evaluations += d;
        simplex = [simplex[0], ...shrunk];
        values = [values[0], ...fs];
      }
    }
    trace.push({ evaluations, best: Math.min(...values), phase: "local" });
  }
  // A step cut short by the budget still spent its evaluations: the trace ends at the last of them
  // (the simplex keeps the best value found, so its minimum is the best so far).
  if (trace[trace.length - 1].evaluations !== evaluations) trace.push({ evaluations, best: Math.min(...values), phase: "local" });
  const best = values.indexOf(Math.min(...values));
  return { x: simplex[best], fx: values[best], evaluations, trace };
}

/**
 * The fewest evaluations `minimize` can work with over `dims` dimensions: one DE population
 * (max(8, 5·dims), Storn & Price's usual 5–10 per dimension) plus the refinement's share (at least
 * dims + 2, a simplex and one step).
 */
export function minimumBudget(dims: number, population?: number): number {
  const np = population ?? Math.max(8, 5 * dims);
  // local = max(dims + 2, floor(0.2·budget)); the smallest budget with budget − local ≥ np
  for (let b = np + dims + 2; ; b++) if (b - Math.max(dims + 2, Math.floor(b * 0.2)) >= np) return b;
}

/** Global search, then local refinement from its best point, within one budget (a fifth for the refinement by default). */
export async function minimize(f: BatchObjective, dims: number, options: { budget: number; seed: number; localShare?: number; population?: number; x0?: number[] }): Promise<MinimizeResult> {
  const local = Math.max(dims + 2, Math.floor(options.budget * (options.localShare ?? 0.2)));
  const global = await differentialEvolution(f, dims, { budget: options.budget - local, seed: options.seed, population: options.population, x0: options.x0 });
  const refined = await nelderMead(f, global.x, { budget: options.budget - global.evaluations, fx0: global.fx });
  const better = refined.fx <= global.fx ? refined : global;
  return {
    x: better.x,
    fx: better.fx,
    evaluations: global.evaluations + refined.evaluations,
    trace: [...global.trace, ...refined.trace.map((t) => ({ ...t, evaluations: t.evaluations + global.evaluations, best: Math.min(t.best, global.fx) }))],
  };
}

/** One assessed point of a constrained search: its score (what `minimize` minimised), its signed objective (NaN: none) and whether it met every constraint. */
export interface Assessed {
  x: number[];
  score: number;
  /** The objective, signed so that less is better; NaN when the point has none (a failed run). */
  value: number;
  feasible: boolean;
}

/**
 * Refinement onto a binding constraint, by bisection: a constrained optimum usually lies on the
 * boundary of the feasible set, where a score that ranks every infeasible point below every feasible
 * one is a wall that Nelder–Mead creeps up to by contractions. From the best feasible point so far, the
 * nearest point tried that is infeasible but has a better objective brackets the boundary; the
 * midpoint is assessed, and replaces the feasible end (when feasible and better) or the infeasible one
 * (when infeasible), halving the bracket with each evaluation. A midpoint that is feasible but no better
 * (the objective is not monotone along the segment) drops that bracket for the next nearest. Stops at
 * `budget` evaluations, when no bracket is left, or when `distinct` says the midpoint is no new design
 * (ints rounded to an end). Deterministic. Without a feasible point it does nothing.
 */
export async function refineToBoundary(
  f: (points: number[][]) => Promise<Assessed[]>,
  history: readonly Assessed[],
  options: { budget: number; distinct?: (a: number[], b: number[]) => boolean },
): Promise<MinimizeResult> {
  let best = history.reduce<Assessed | undefined>((b, s) => (s.feasible && (b === undefined || s.score < b.score) ? s : b), undefined);
  const trace: TraceEntry[] = [];
  if (best === undefined) return { x: [], fx: Infinity, evaluations: 0, trace };
  const tried = [...history];
  const dropped = new Set<Assessed>();
  const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, j) => v - b[j]));
  let evaluations = 0;
  while (evaluations < options.budget) {
    const from = best;
    const outside = tried
      .filter((s) => !s.feasible && !dropped.has(s) && Number.isFinite(s.value) && s.value < from.value)
      .reduce<Assessed | undefined>((n, s) => (n === undefined || distance(s.x, from.x) < distance(n.x, from.x) ? s : n), undefined);
    if (outside === undefined) break;
    const mid = from.x.map((v, j) => (v + outside.x[j]) / 2);
    if (options.distinct && !(options.distinct(mid, from.x) && options.distinct(mid, outside.x))) {
      dropped.add(outside);
      continue;
    }
    const [s] = await f([mid]);
    evaluations++;
    tried.push(s);
    if (s.feasible && s.score < best.score) best = s;
    else if (s.feasible || !(s.value < from.value)) dropped.add(outside);
    trace.push({ evaluations, best: best.score, phase: "local" });
  }
  return { x: best.x, fx: best.score, evaluations, trace };
}
