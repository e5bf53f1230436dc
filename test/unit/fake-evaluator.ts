import type { ParamValue } from "../../src/campaign/types";
import type { ParamSpecs } from "../../src/model/params";
import type { Evaluator } from "../../src/search/evaluator";

/**
 * The design loop's searches on a stand-in for the Evaluator: each run's KPIs are a function of its
 * params and replicate (no simulation), so the searches' handling of the numbers they get back (NaN,
 * ±Infinity, failed runs), their option checks and their traces are tested in milliseconds.
 */
export type Kpis = (params: Record<string, ParamValue>, replicate: number) => Record<string, number> | "failed";

export function fakeEvaluator(specs: ParamSpecs, kpis: Kpis) {
  const keys = new Set<string>();
  const values = new Map<string, Record<string, number> | "failed">();
  const pointParams = (point: Record<string, ParamValue>) => Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, Object.hasOwn(point, k) ? point[k] : s.default]));
  const view = (point: Record<string, ParamValue>, replicate: number) => {
    const params = pointParams(point);
    const key = `${JSON.stringify(params)}/r${replicate}`;
    keys.add(key);
    const v = kpis(params, replicate);
    values.set(key, v);
    const series = (name: string) => {
      if (v === "failed") throw new Error("no KPIs: the run failed");
      const x = v[name];
      return { final: () => x, min: () => x, max: () => x, mean: () => x };
    };
    return {
      key,
      params,
      seed: replicate,
      command: `sim ${key}`,
      status: v === "failed" ? "failed" : "complete",
      outcome: v === "failed" ? { error: { message: "boom" } } : {},
      kpi: series,
      kpiNames: () => (v === "failed" ? [] : Object.keys(v)),
    };
  };
  const evaluator = {
    calls: 0,
    pointParams,
    async evaluate(points: Record<string, ParamValue>[], replicates: number) {
      this.calls++;
      return points.map((p) => Array.from({ length: replicates }, (_, r) => view(p, r)));
    },
    async evaluateRuns(pairs: { point: Record<string, ParamValue>; replicate: number }[][]) {
      this.calls++;
      return pairs.map((g) => g.map(({ point, replicate }) => view(point, replicate)));
    },
  };
  return { evaluator: evaluator as unknown as Evaluator & { calls: number }, keys, values };
}
