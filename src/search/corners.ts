import type { ParamSpecs } from "../model/params";
import { renamedOption } from "../renamed";
import type { Evaluator } from "./evaluator";
import type { RunMetric } from "./metrics";
import { checkCount, paramsOver, type Corner } from "./shared";
import { worstCase } from "./worst-case";

// corners: each spec's worst case over the uncontrollables, plus nominal

/**
 * One corner to find: its name and the objective ("<kpi> <stat>" or a function of a run) whose worst case (`worst`, default "min") over the uncontrollables the corner is.
 */
export interface CornerSpec {
  name: string;
  objective: string | RunMetric;
  worst?: "min" | "max";
}

/** Options of `corners`: the specs whose worst cases are the corners, and the worst-case search's own. */
export interface CornersOptions {
  specs: CornerSpec[];
  /** Params searched (default every uncontrollable), each over its whole [min, max]. */
  over?: string[];
  /** Replicates (runs, each with its own seed) per point of each worst-case search (default 3). */
  replicates?: number;
  /** @deprecated the old name of `replicates` (still accepted; giving both is refused). */
  seedsPerPoint?: number;
  /** Runs of each worst-case search (default 300). */
  budget?: number;
}

/**
 * Corner extraction: for each spec, the worst case of its objective over the uncontrollables; and
 * the nominal corner (every uncontrollable at its default). A handful of points to check a design
 * against instead of a full Monte Carlo. Spec i's search uses seed `seed + i + 1`.
 * @throws TokenspiceError OPTION_INVALID as `worstCase` does
 */
export async function corners(evaluator: Evaluator, specs: ParamSpecs, options: CornersOptions & { seed: number }): Promise<Corner[]> {
  const replicates = renamedOption<number>("corners", options, "replicates", "seedsPerPoint");
  checkCount("corners", replicates.name, replicates.value ?? 3);
  checkCount("corners", "budget", options.budget ?? 300);
  const over = paramsOver(specs, options.over, "uncontrollable", "corners");
  const out: Corner[] = [{ name: "nominal", params: Object.fromEntries(over.map((n) => [n, specs[n].default])) }];
  for (const [i, c] of options.specs.entries()) {
    const w = await worstCase(evaluator, specs, { objective: c.objective, worst: c.worst, over, [replicates.name]: replicates.value, budget: options.budget, seed: options.seed + i + 1 });
    out.push({ name: c.name, params: w.point, from: typeof c.objective === "string" ? `${c.worst ?? "min"} of ${c.objective}` : c.name, value: w.objective.mean, nonFinite: w.nonFinite });
  }
  return out;
}
