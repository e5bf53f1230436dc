import { mean, sampleStandardDeviation } from "simple-statistics";
import { TokenspiceError } from "../errors";
import { renamedOption } from "../renamed";
import type { ParamSpecs } from "../model/params";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import type { Evaluator } from "./evaluator";
import { toMetric, type RunMetric } from "./metrics";
import { minimize, type TraceEntry } from "./optimizers";
import { checkBudget, checkCount, paramsOver, unitToParams } from "./shared";
import { escapeHtml } from "../report/html";
import { convergenceOption, paramValue, paramsText, show } from "../report/search";
import { plural } from "../report/format";
import type { SearchMethod } from "./shared";

// worst case over the uncontrollables

/**
 * What `worstCase` takes: the objective, which end is worst, the uncontrollables searched, seeds per point and the run budget.
 */
export interface WorstCaseOptions {
  /** What to make worst: "<kpi> <stat>" or a function of a run. */
  objective: string | RunMetric;
  /** The worst is the objective's minimum (default) or its maximum. */
  worst?: "min" | "max";
  /** Params searched (default every uncontrollable), each over its whole [min, max]. */
  over?: string[];
  /** Replicates (runs, each with its own seed) per point: the objective there is their mean (default 3). */
  replicates?: number;
  /** @deprecated the old name of `replicates` (still accepted; giving both is refused). */
  seedsPerPoint?: number;
  /** Runs in all (default 300). */
  budget?: number;
  /**
   * Check the answer is stable: search again with another search seed (other optimizer draws and
   * other run seeds: replicates `replicates` .. 2·`replicates` − 1), the same budget (so twice the runs), and say whether both found the same worst
   * value and point (`stability`). Default false.
   */
  stability?: boolean;
}

/**
 * What a second search with another seed found (`WorstCaseOptions.stability`): its worst point and
 * value, and whether they agree with the first's. The values agree when they differ by at most twice
 * the standard error of their difference, √(s₁²/n + s₂²/n) over the n seeds of each point, plus 1% of
 * how far the first search moved from its first population's best (a deterministic objective's two
 * minima differ in their last digits); the points when every searched param is within a tenth of its range of the other's.
 */
export interface Stability {
  /** The second search's seed (the first's + 7919). */
  seed: number;
  point: Record<string, ParamValue>;
  objective: { mean: number; std: number; values: number[] };
  runs: number;
  valuesAgree: boolean;
  pointsAgree: boolean;
  /** The largest difference between the two points, as a share of each param's range. */
  distance: number;
  /** Both agree. */
  stable: boolean;
  /** What to do: nothing, or a budget (and replicates) to try. */
  advice: string;
  /** The budget to try next: twice the one given when the values disagree, else the one given. */
  suggestedBudget: number;
}

/**
 * What `worstCase` found: the worst point, the objective there over its seeds, the trace, the runs used and the command that repeats the worst point's first run.
 */
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
  /** With `stability`: what a second search with another seed found, and whether it agrees. */
  stability?: Stability;
}

/**
 * Worst-case analysis: a global derivative-free search (differential evolution) over the
 * uncontrollables' box, then local refinement (Nelder–Mead) from the best point found, of the mean
 * objective over `replicates` seeds, the same seeds at every point (common random numbers). A
 * point whose runs fail counts as the worst possible; a point whose mean objective is NaN or
 * ±Infinity (a KPI of 0/0, say) is never the worst: it is counted (`nonFinite`) and the search goes on.
 * @throws TokenspiceError OPTION_INVALID for a replicates or budget that is not a whole number ≥ 1 (or
 *   both `replicates` and its old name `seedsPerPoint`),
 *   or a budget too small for the search
 */
export async function worstCase(evaluator: Evaluator, specs: ParamSpecs, options: WorstCaseOptions & { seed: number }): Promise<WorstCaseResult> {
  const metric = toMetric(options.objective);
  const replicates = renamedOption<number>("worstCase", options, "replicates", "seedsPerPoint");
  const seeds = checkCount("worstCase", replicates.name, replicates.value ?? 3);
  const budget = checkCount("worstCase", "budget", options.budget ?? 300);
  const over = paramsOver(specs, options.over, "uncontrollable", "worstCase");
  if (options.worst !== undefined && options.worst !== "min" && options.worst !== "max")
    throw new TokenspiceError("OPTION_INVALID", `worstCase: worst ${JSON.stringify(options.worst)} is not valid: use "min" or "max".`);
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
  checkBudget("worstCase", budget, seeds, replicates.name, over.length);
  // One search: every point runs replicates offset .. offset + seeds − 1, whose seeds follow from the
  // replicate alone (the same at every point). The stability check's second search takes the next
  // `seeds` replicates: other seeds, and other run folders even where it meets the first's points.
  const search = async (seed: number, offset: number) => {
    const run = (pts: Record<string, ParamValue>[]) => evaluator.evaluateRuns(pts.map((point) => Array.from({ length: seeds }, (_, r) => ({ point, replicate: offset + r, seedFrom: {} }))));
    const result = await minimize(async (us) => (await run(us.map((u) => unitToParams(specs, over, u)))).map(score), over.length, { budget: points, seed });
    const point = unitToParams(specs, over, result.x);
    const [views] = await run([point]);
    const values = views.map((v) => (v.status === "failed" ? NaN : metric(v)));
    return { result, u: result.x, point, views, objective: { mean: mean(values), std: values.length > 1 ? sampleStandardDeviation(values) : 0, values } };
  };
  const first = await search(options.seed, 0);
  const out: WorstCaseResult = {
    point: first.point,
    params: evaluator.pointParams(first.point),
    objective: first.objective,
    // ±Infinity is a failed point (−Infinity) or none with a finite value yet: no value to draw
    trace: first.result.trace.map((t) => ({ ...t, evaluations: t.evaluations * seeds, best: Number.isFinite(t.best) ? sign * t.best : NaN })),
    runs: first.result.evaluations * seeds,
    nonFinite: 0,
    command: first.views[0].command,
  };
  if (options.stability) {
    const seed = options.seed + 7919;
    const second = await search(seed, seeds);
    const bests = first.result.trace.map((t) => t.best).filter(Number.isFinite);
    const scale = bests.length ? Math.abs(bests[0] - bests[bests.length - 1]) : 0;
    out.stability = stabilityOf(first, second, seed, seeds, budget, second.result.evaluations * seeds, scale);
  }
  out.nonFinite = nonFinite.size;
  return out;
}

/** Whether two searches' worst points and values agree (`Stability`), and what to do when not. */
export function stabilityOf(
  first: { u: number[]; objective: { mean: number; std: number; values: number[] } },
  second: { u: number[]; point: Record<string, ParamValue>; objective: { mean: number; std: number; values: number[] } },
  seed: number,
  replicates: number,
  budget: number,
  runs: number,
  scale = 0,
): Stability {
  const a = first.objective;
  const b = second.objective;
  const se = Math.sqrt((a.std ** 2 + b.std ** 2) / replicates);
  const valuesAgree = a.mean === b.mean || Math.abs(a.mean - b.mean) <= 2 * se + 0.01 * scale;
  const distance = Math.max(0, ...first.u.map((x, i) => Math.abs(x - second.u[i])));
  const pointsAgree = distance <= 0.1;
  const stable = valuesAgree && pointsAgree;
  const noisy = se > 0 && Math.abs(a.mean - b.mean) < 4 * se;
  const advice = stable
    ? "stable: a second search with another seed found the same worst value and point"
    : !valuesAgree
      ? `not stable: a second search with another seed found a worst value of ${b.mean} against ${a.mean}; try a budget of ${2 * budget}${noisy ? ` and more replicates (seed noise is a large part of the gap: ${4 * replicates})` : ""}`
      : `the worst value is stable but the point is not (${(100 * distance).toFixed(0)}% of a range apart): the objective is flat there, any of those points is as bad`;
  return { seed, point: second.point, objective: b, runs, valuesAgree, pointsAgree, distance, stable, advice, suggestedBudget: valuesAgree ? budget : 2 * budget };
}

/** worst case as a search method (`SEARCH_METHODS["worst-case"]`): its loop, its run counts, its part of the report. */
export const worstCaseMethod: SearchMethod<WorstCaseOptions, WorstCaseResult> = {
  run: (evaluator, specs, options) => worstCase(evaluator, specs, options),
  runCounts: (options) => ({ budget: options.budget, replicates: options.replicates }),
  report: {
    nonFiniteMeaning: "never the worst",
    nonFinite: (r) => r.nonFinite,
    render(r, page) {
      const headline = `Worst value: <b>${show(r.objective.mean)}</b> (sd ${show(r.objective.std)} over ${plural(r.objective.values.length, "seed")}) at ${paramsText(r.point)}, after ${plural(r.runs, "run")}`;
      page.chart("convergence", "Convergence: the worst value found against the runs spent", (interactive) => convergenceOption(r.trace, "objective", { interactive }));
      page.section(`<h2>The worst point</h2><table class="facts">${Object.entries(r.params)
        .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td${Object.hasOwn(r.point, k) ? ' class="changed"' : ""}>${paramValue(v)}</td></tr>`)
        .join("")}</table>
<p>Each seed's value: ${(r.objective.values as unknown[]).map(show).join(", ")}. Its first run alone: <code>${escapeHtml(r.command)}</code></p>`);
      if (r.stability) page.section(stabilityHtml(r.stability));
      return headline;
    },
  },
};

/** The report's paragraph on a stability check. */
export function stabilityHtml(st: Stability, what = "The worst case"): string {
  return `<h2>${escapeHtml(what)}: is it stable?</h2><p><b>${st.stable ? "Stable" : "Not stable"}</b>: a second search (seed ${escapeHtml(String(st.seed))}, ${show(st.runs)} runs) found ${show(st.objective.mean)} at ${paramsText(st.point)}. ${escapeHtml(st.advice)}.</p>`;
}
