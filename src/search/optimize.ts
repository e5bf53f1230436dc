import { mean } from "simple-statistics";
import { TokenspiceError } from "../errors";
import { renamedOption } from "../renamed";
import type { ParamSpecs } from "../model/params";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import type { Evaluator } from "./evaluator";
import { margin, meets, parseBound, toMetric, type Bound, type RunMetric } from "./metrics";
import { minimize, minimumBudget, refineToBoundary, type Assessed, type TraceEntry } from "./optimizers";
import { checkBudget, checkCorners, checkCount, paramsOver, unitToParams, type Corner } from "./shared";
import { escapeHtml } from "../report/html";
import { convergenceOption, paramsText, show } from "../report/search";
import { plural } from "../report/format";
import type { SearchMethod } from "./shared";

// optimize the controllables, every constraint on every corner

/**
 * What `optimize` takes: the objective to maximize (or minimize), the constraints every corner must meet, the controllables searched, the corners, seeds per candidate and the run budget.
 */
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
  /** Replicates (runs, each with its own seed) per candidate and corner (default 2). */
  replicates?: number;
  /** @deprecated the old name of `replicates` (still accepted; giving both is refused). */
  runsPerCandidate?: number;
  /** Runs in all (default 400). */
  budget?: number;
}

/**
 * What `optimize` found: the best design, whether it meets every constraint at every corner, its objective, each constraint's margin per corner, the search's trace and the runs used.
 */
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
/** With constraints: the share of the points kept for the refinement onto the binding constraint. */
const BOUNDARY_SHARE = 0.15;

/**
 * Variation-aware optimization of the controllables: each candidate design is run at every corner
 * (`replicates` seeds each, the same seeds for every candidate: common random numbers); its score is the objective's mean over corners and seeds, and a
 * design that breaks a constraint at any corner scores below every design that does not (ranked by
 * its total violation), whatever the objective's magnitude. A candidate whose objective or a constraint's mean is NaN or
 * ±Infinity at any corner (a KPI of 0/0, say) meets no constraint and ranks with the failed ones,
 * below every candidate with numbers. Differential evolution over the controllables' box, then
 * Nelder–Mead from the best design.
 * @throws TokenspiceError OPTION_INVALID for a replicates (or its old name runsPerCandidate) or budget that is not a whole number
 *   ≥ 1, an empty corners list, or a budget too small for the search
 */
export async function optimize(evaluator: Evaluator, specs: ParamSpecs, options: OptimizeOptions & { seed: number }): Promise<OptimizeResult> {
  const metric = toMetric(options.objective);
  const bounds: Bound[] = (options.constraints ?? []).map(parseBound);
  const over = paramsOver(specs, options.over, "controllable", "optimize");
  checkCorners("optimize", "corners", options.corners);
  const cs = options.corners ?? [{ name: "nominal", params: {} }];
  const replicates = renamedOption<number>("optimize", options, "replicates", "runsPerCandidate");
  const seeds = checkCount("optimize", replicates.name, replicates.value ?? 2);
  const budget = checkCount("optimize", "budget", options.budget ?? 400);
  if (options.goal !== undefined && options.goal !== "max" && options.goal !== "min")
    throw new TokenspiceError("OPTION_INVALID", `optimize: goal ${JSON.stringify(options.goal)} is not valid: use "max" or "min".`);
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
      const violation = Math.min(
        Number.MAX_VALUE,
        margins.reduce((s, m) => s + (m.met ? 0 : Number.isFinite(m.margin) ? Math.max(0, -m.margin) : 0), 0),
      );
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
  checkBudget("optimize", budget, perCandidate, `${replicates.name} × ${cs.length} corner${cs.length === 1 ? "" : "s"}`, over.length);
  const toDesign = (u: number[]) => unitToParams(specs, over, u);
  const points = Math.floor(budget / perCandidate);
  // With constraints, a share of the points is kept for the refinement onto the binding constraint
  // (refineToBoundary), as far as the global and local phases' minimum leaves.
  const reserve = bounds.length ? Math.max(0, Math.min(Math.ceil(points * BOUNDARY_SHARE), points - minimumBudget(over.length))) : 0;
  const history: Assessed[] = [];
  const assessUnit = async (us: number[][]): Promise<Assessed[]> =>
    (await assess(us.map(toDesign))).map((a, i) => {
      const s = { x: us[i], score: a.score, value: Number.isFinite(a.objective) ? sign * a.objective : NaN, feasible: a.feasible };
      history.push(s);
      return s;
    });
  const searched = await minimize(async (us) => (await assessUnit(us)).map((a) => a.score), over.length, { budget: points - reserve, seed: options.seed });
  const same = (a: number[], b: number[]) => JSON.stringify(toDesign(a)) === JSON.stringify(toDesign(b));
  const refined = await refineToBoundary(assessUnit, history, { budget: points - searched.evaluations, distinct: (a, b) => !same(a, b) });
  const result =
    refined.evaluations === 0
      ? searched
      : {
          x: refined.fx < searched.fx ? refined.x : searched.x,
          fx: Math.min(refined.fx, searched.fx),
          evaluations: searched.evaluations + refined.evaluations,
          trace: [...searched.trace, ...refined.trace.map((t) => ({ ...t, evaluations: t.evaluations + searched.evaluations, best: Math.min(t.best, searched.fx) }))],
        };
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

/** optimize as a search method (`SEARCH_METHODS.optimize`): its loop, its run counts, its part of the report. */
export const optimizeMethod: SearchMethod<OptimizeOptions, OptimizeResult> = {
  run: (evaluator, specs, options) => optimize(evaluator, specs, options),
  runCounts: (options) => ({ budget: options.budget, replicates: options.replicates }),
  report: {
    nonFiniteMeaning: "never feasible or best",
    nonFinite: (r) => r.nonFinite,
    render(r, page) {
      const headline = `Best design: ${paramsText(r.design)}; objective ${show(r.objective)} (mean over corners and seeds), ${r.feasible ? "every constraint met at every corner" : "<b>no feasible design found</b>"}, after ${plural(r.runs, "run")}`;
      page.chart("convergence", "Convergence: the best design's objective against the runs spent (grey: none feasible yet)", (interactive) => convergenceOption(r.trace, "objective", { interactive }));
      const margins = r.margins as { constraint: string; corner: string; margin: unknown; met: boolean }[];
      if (margins.length) {
        const constraints = [...new Set(margins.map((m) => m.constraint))];
        const corners = [...new Set(margins.map((m) => m.corner))];
        const cell = (c: string, k: string) => margins.find((m) => m.constraint === c && m.corner === k);
        page.section(
          `<h2>Constraint margins at each corner</h2><div class="scroll"><table><tr><th>constraint</th>${corners.map((k) => `<th>${escapeHtml(k)}</th>`).join("")}</tr>${constraints
            .map(
              (c) =>
                `<tr><td>${escapeHtml(c)}</td>${corners
                  .map((k) => {
                    const m = cell(c, k);
                    return m ? `<td class="num" style="color: var(--${m.met ? "ok" : "bad"})">${show(m.margin)}</td>` : "<td></td>";
                  })
                  .join("")}</tr>`,
            )
            .join("")}</table></div><p class="muted">A margin ≥ 0 meets the constraint (mean over the seeds at that corner).</p>`,
        );
      }
      return headline;
    },
  },
};
