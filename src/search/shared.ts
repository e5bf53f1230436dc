import { TokenspiceError } from "../errors";
import type { ParamSpecs } from "../model/params";
import { fromUnit } from "../campaign/axes";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import type { SearchReportSection } from "../report/search";
import type { Evaluator } from "./evaluator";
import { minimumBudget } from "./optimizers";
import type { RunMetric } from "./metrics";

/**
 * What the design-loop searches (verify.ts, worst-case.ts, corners.ts, optimize.ts, sensitivity.ts) share: the
 * corner and failing-run shapes, which params a search varies, and the checks of their counts.
 */

export type { Corner } from "../output/formats/corners-file";
import type { Corner } from "../output/formats/corners-file";

/** What a search method is told besides its options: the netlist as the caller named it ("(inline)" for an object). */
export interface SearchContext {
  netlist: string;
}

/**
 * One design-loop method, everything about it in one value (registered by kind in
 * `SEARCH_METHODS`, ./registry.ts):
 * - `run`: the loop that asks the evaluator for runs (`evaluator.evaluate(points, replicates)`) and
 *   returns the result the search file records. It may write files of its own into
 *   `evaluator.dir` (corners writes the corners file); the folder, its lock, the search file and the
 *   store are `runSearch`'s. Options are checked here (`checkCount`, `paramsOver`): OPTION_INVALID.
 * - `runCounts`: the options that are numbers of runs (e.g. `{ budget, replicates }`), checked against
 *   the most a search holds before the network starts (CAMPAIGN_TOO_LARGE).
 * - `report`: its part of report.html (headline, charts, sections, non-finite runs).
 */
export interface SearchMethod<Options, Result> {
  run(evaluator: Evaluator, specs: ParamSpecs, options: Options & { seed: number }, context: SearchContext): Promise<Result>;
  runCounts(options: Options): Record<string, unknown>;
  readonly report: SearchReportSection;
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
export function unitToParams(specs: ParamSpecs, names: string[], u: number[]): Record<string, ParamValue> {
  return Object.fromEntries(names.map((n, i) => [n, fromUnit({ ...specs[n], dist: undefined } as ParamSpecs[string], u[i])]));
}

/**
 * Refuses a count (runs, seeds, a budget) that is not a whole number from `min` up, naming the
 * option and the range: a zero per-point count made a budget of `budget / 0` = Infinity points, and a
 * negative one a negative budget. @throws TokenspiceError OPTION_INVALID
 */
export function checkCount(what: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new TokenspiceError("OPTION_INVALID", `${what}: ${name} ${typeof value === "number" ? String(value) : JSON.stringify(value)} is not valid: use a whole number, ${min} or more.`, {
      [name]: String(value),
    });
  }
  return value;
}

/** Refuses an empty list of corners. @throws TokenspiceError OPTION_INVALID */
export function checkCorners(what: string, name: string, corners: Corner[] | undefined): void {
  if (corners !== undefined && (!Array.isArray(corners) || corners.length === 0)) {
    throw new TokenspiceError("OPTION_INVALID", `${what}: ${name} is empty: give at least one corner (sim-corners writes them), or leave it out.`, { [name]: "[]" });
  }
}

/** The value of `metric` for a run that did not fail, or NaN when it throws. */
export function valueOf(metric: RunMetric, run: CampaignRunView): number {
  try {
    return metric(run);
  } catch {
    return NaN;
  }
}

/**
 * Refuses, before any run, a budget too small for the search, in the caller's terms (runs, and runs
 * per point): the optimizers count points, so their own message ("a budget of 10 evaluations") named a
 * number nobody had given. @throws TokenspiceError OPTION_INVALID
 */
export function checkBudget(what: string, budget: number, runsPerPoint: number, perPointIs: string, dims: number): void {
  const points = minimumBudget(dims);
  if (Math.floor(budget / runsPerPoint) < points) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `${what}: a budget of ${budget} runs at ${runsPerPoint} runs a point (${perPointIs}) is ${Math.floor(budget / runsPerPoint)} points; searching ${dims} param${dims === 1 ? "" : "s"} takes at least ${points} (one differential-evolution population and the refinement's share): give a budget of at least ${points * runsPerPoint} runs.`,
      { budget, runsPerPoint, points },
    );
  }
}
