import { TokenspiceError } from "../errors";
import type { CampaignRunView } from "../campaign/result";

/** A number read off one run: a KPI statistic, or any function of the run's KPI series. */
export type RunMetric = (run: CampaignRunView) => number;
/** Whether one run meets a spec. */
export type RunPredicate = (run: CampaignRunView) => boolean;

const STATS = ["final", "min", "max", "mean"] as const;
const OPS = [">=", "<=", ">", "<"] as const;
type Op = (typeof OPS)[number];

/** A bound on a metric, as a constraint's margin reads it: margin > 0 (or ≥ 0) is met. */
export interface Bound {
  text: string;
  metric: RunMetric;
  op: Op;
  value: number;
}

/**
 * `"<kpi> <stat>"`, stat one of final, min, max, mean (as floating point), e.g. `"lpValueVsHold final"`;
 * a KPI whose name has spaces is quoted: `'"LP value" final'`.
 *
 * @throws TokenspiceError OPTION_INVALID naming the text and the form
 */
export function parseMetric(text: string): RunMetric {
  const m = /^\s*(?:"([^"]+)"|(\S+))\s+(final|min|max|mean)\s*$/.exec(text);
  if (!m) throw new TokenspiceError("OPTION_INVALID", `Metric ${JSON.stringify(text)} is not "<kpi> <stat>" (stat: ${STATS.join(", ")}), e.g. "treasury min".`, { metric: text });
  const kpi = m[1] ?? m[2];
  const stat = m[3] as (typeof STATS)[number];
  return (run) => {
    const s = run.kpi(kpi);
    return stat === "mean" ? s.mean() : Number(s[stat]());
  };
}

/** `"<kpi> <stat> <op> <number>"`, op one of >=, <=, >, <, e.g. `"treasury min >= 1000"`. @throws TokenspiceError OPTION_INVALID */
export function parseBound(text: string): Bound {
  const m = /^(.*?)\s*(>=|<=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/.exec(text);
  if (!m) throw new TokenspiceError("OPTION_INVALID", `Spec ${JSON.stringify(text)} is not "<kpi> <stat> <op> <number>" (op: ${OPS.join(", ")}), e.g. "treasury min >= 1000".`, { spec: text });
  return { text, metric: parseMetric(m[1]), op: m[2] as Op, value: Number(m[3]) };
}

/** How far a value is inside its bound (negative: outside by that much). */
export function margin(bound: Pick<Bound, "op" | "value">, v: number): number {
  return bound.op === ">=" || bound.op === ">" ? v - bound.value : bound.value - v;
}

/** Whether a value meets its bound; NaN and ±Infinity never do (a non-finite KPI is not a measurement to pass). */
export function meets(bound: Pick<Bound, "op" | "value">, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  switch (bound.op) {
    case ">=":
      return v >= bound.value;
    case "<=":
      return v <= bound.value;
    case ">":
      return v > bound.value;
    case "<":
      return v < bound.value;
  }
}

/** A spec given as text or as a predicate; several must all hold. */
export function toPredicate(spec: string | RunPredicate | (string | RunPredicate)[]): { test: RunPredicate; describe: string } {
  const list = Array.isArray(spec) ? spec : [spec];
  if (list.length === 0) throw new TokenspiceError("OPTION_INVALID", 'A spec is needed: a predicate of a run, or text such as "treasury min >= 1000".');
  const parts = list.map((s) => (typeof s === "string" ? ((b) => ({ test: (r: CampaignRunView) => meets(b, b.metric(r)), text: s }))(parseBound(s)) : { test: s, text: "(a predicate)" }));
  return { test: (run) => parts.every((p) => p.test(run)), describe: parts.map((p) => p.text).join(" and ") };
}

/** An objective given as text ("<kpi> <stat>") or as a function of a run. */
export function toMetric(objective: string | RunMetric): RunMetric {
  return typeof objective === "string" ? parseMetric(objective) : objective;
}
