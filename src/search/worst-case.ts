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
  const sameSeeds = (n: number) => Array.from({ length: n }, () => ({}));
  const result = await minimize(
    async (us) => {
      const groups = await evaluator.evaluate(
        us.map((u) => unitToParams(specs, over, u)),
        seeds,
        sameSeeds(us.length),
      );
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
      return headline;
    },
  },
};
