import type { ParamSpecs } from "../model/params";
import { renamedOption } from "../renamed";
import type { Evaluator } from "./evaluator";
import type { RunMetric } from "./metrics";
import { checkCount, paramsOver, type Corner } from "./shared";
import { worstCase } from "./worst-case";
import { escapeHtml } from "../report/html";
import { paramsText, show } from "../report/search";
import { CORNERS_FILE, writeCornersFile } from "../output/formats/corners-file";
import type { SearchMethod } from "./shared";

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
  /** Check each corner is stable: a second worst-case search with another seed (`WorstCaseOptions.stability`). */
  stability?: boolean;
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
    const w = await worstCase(evaluator, specs, {
      objective: c.objective,
      worst: c.worst,
      over,
      [replicates.name]: replicates.value,
      budget: options.budget,
      seed: options.seed + i + 1,
      stability: options.stability,
    });
    const st = w.stability;
    out.push({
      name: c.name,
      params: w.point,
      from: typeof c.objective === "string" ? `${c.worst ?? "min"} of ${c.objective}` : c.name,
      value: w.objective.mean,
      nonFinite: w.nonFinite,
      ...(st ? { stability: { stable: st.stable, advice: st.advice, suggestedBudget: st.suggestedBudget, seed: st.seed, value: st.objective.mean, params: st.point } } : {}),
    });
  }
  return out;
}

/** corners as a search method (`SEARCH_METHODS.corners`): its loop (which also writes the corners file), its run counts, its part of the report. */
export const cornersMethod: SearchMethod<CornersOptions, Corner[]> = {
  async run(evaluator, specs, options, context) {
    const found = await corners(evaluator, specs, options);
    writeCornersFile(evaluator.dir, { netlist: context.netlist, corners: found });
    return found;
  },
  runCounts: (options) => ({ budget: options.budget, replicates: options.replicates }),
  report: {
    nonFiniteMeaning: "never a corner",
    // the sum of each corner's count, when any corner has one (a search file older than the count has none)
    nonFinite: (r: any[]) => r.reduce((n: number | undefined, c) => (typeof c.nonFinite === "number" ? (n ?? 0) + c.nonFinite : n), undefined),
    render(r, page) {
      const corners = r as any[];
      const headline = `${corners.length} corners: ${corners.map((c) => escapeHtml(c.name)).join(", ")}`;
      const checked = corners.some((c) => c.stability);
      page.section(`<h2>Corners</h2><div class="scroll"><table><tr><th>corner</th><th>worst case of</th><th>value there</th><th>params</th>${checked ? "<th>stable? (a second search with another seed)</th>" : ""}</tr>${corners.map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.from ?? "")}</td><td class="num">${c.value === undefined ? "—" : show(c.value)}</td><td>${paramsText(c.params)}</td>${checked ? `<td>${c.stability ? `${escapeHtml(c.stability.advice)} (found ${show(c.stability.value)} at ${paramsText(c.stability.params)})` : ""}</td>` : ""}</tr>`).join("")}</table></div>
<p class="muted">${CORNERS_FILE} in this folder holds them: <code>--corners</code> of sim-verify and sim-optimize, <code>--compare-corners</code> of sim-verify.</p>`);
      return headline;
    },
  },
};
