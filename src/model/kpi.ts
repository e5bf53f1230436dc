import { TokenspiceError } from "../errors";
import { assertKpiNames } from "./names";
import type { KpiValue } from "./series";

/** How a KPI's axis is drawn: "log" for quantities that grow by factors (prices, supplies over decades). */
export type KpiScale = "linear" | "log";

/**
 * What a KPI measures, for tables, charts and the report. Every field is optional in a netlist;
 * `resolveKpis` fills the defaults. CSV files always hold the exact value: these only change how it
 * is shown.
 */
export interface KpiMeta {
  /** Human name, e.g. "Pool price". Default: the KPI's key. */
  label?: string;
  /** Unit shown after the value, e.g. "OCEAN", "USD", "%". Default: none. */
  unit?: string;
  /**
   * Fixed-point decimals of the raw value: the value shown is `raw / 10^decimals` (18 for an
   * ERC20 amount in wei). Default 0. Applies to bigints and numbers alike.
   */
  decimals?: number;
  /** Axis scale of its chart. Default "linear". */
  scale?: KpiScale;
  /**
   * KPIs with the same group share one chart (`plots/<group>.svg`); they must share unit and scale.
   * Default: none, a chart of its own (`plots/<kpi>.svg`).
   */
  group?: string;
  /** One or two sentences: what it measures and how. */
  doc?: string;
}

/** A KPI's metadata with every default filled in: what the run manifest records under `kpis`. */
export interface KpiInfo {
  name: string;
  label: string;
  unit: string;
  decimals: number;
  scale: KpiScale;
  /** null: the KPI has a chart of its own. */
  group: string | null;
  doc: string;
}

/** A KPI written as a record: `{ value: (ctx) => ..., label, unit, decimals, scale, group, doc }`. */
export interface KpiSpec<Fn> extends KpiMeta {
  value: Fn;
}

/** A KPI resolved once from the netlist's record: its name, the function to call, and its metadata. */
export interface ResolvedKpi<Fn = (ctx: any) => KpiValue | Promise<KpiValue>> {
  readonly name: string;
  readonly value: Fn;
  readonly meta: KpiInfo;
}

const META_KEYS = new Set(["value", "label", "unit", "decimals", "scale", "group", "doc"]);
const MAX_DECIMALS = 77; // 10^77 is the largest power of ten below 2^256

/**
 * Checks a netlist's `kpis` record and resolves each entry (a function, or a record with `value`)
 * into `{ name, value, meta }` with defaults filled in. Throws a `TokenspiceError` naming the KPI
 * and what is wrong: a non-function value, an unknown key, a bad `decimals` or `scale`, or a group
 * whose KPIs disagree on unit or scale (they share one axis).
 */
export function resolveKpis<Fn>(kpis: Record<string, Fn | KpiSpec<Fn>>, where: string): ResolvedKpi<Fn>[] {
  if (typeof kpis !== "object" || kpis === null || Array.isArray(kpis)) throw new TokenspiceError("NETLIST_INVALID", `${where}: kpis must be an object`);
  assertKpiNames(where, Object.keys(kpis));
  const resolved: ResolvedKpi<Fn>[] = [];
  for (const [name, entry] of Object.entries(kpis)) {
    const bad = (why: string) => new TokenspiceError("NETLIST_INVALID", `${where}: KPI "${name}" ${why}`, { kpi: name });
    if (typeof entry === "function") {
      resolved.push({ name, value: entry, meta: defaults(name) });
      continue;
    }
    if (typeof entry !== "object" || entry === null) {
      throw bad(`must be a function, or a record { value: (ctx) => ..., label?, unit?, decimals?, scale?, group?, doc? }`);
    }
    const spec = entry as KpiSpec<Fn>;
    if (typeof spec.value !== "function") throw bad(`has no value function: write { value: (ctx) => ..., label: ... }`);
    for (const key of Object.keys(spec)) {
      if (!META_KEYS.has(key)) throw bad(`has an unknown key "${key}" (known: ${[...META_KEYS].join(", ")})`);
    }
    for (const key of ["label", "unit", "group", "doc"] as const) {
      if (spec[key] !== undefined && typeof spec[key] !== "string") throw bad(`${key} must be a string, got ${typeof spec[key]}`);
    }
    if (spec.group !== undefined && spec.group.trim() === "") throw bad(`group must not be empty`);
    if (spec.decimals !== undefined && (!Number.isInteger(spec.decimals) || spec.decimals < 0 || spec.decimals > MAX_DECIMALS)) {
      throw bad(`decimals must be an integer in [0, ${MAX_DECIMALS}], got ${String(spec.decimals)}`);
    }
    if (spec.scale !== undefined && spec.scale !== "linear" && spec.scale !== "log") {
      throw bad(`scale must be "linear" or "log", got ${JSON.stringify(spec.scale)}`);
    }
    const base = defaults(name);
    resolved.push({
      name,
      value: spec.value,
      meta: {
        name,
        label: spec.label ?? base.label,
        unit: spec.unit ?? base.unit,
        decimals: spec.decimals ?? base.decimals,
        scale: spec.scale ?? base.scale,
        group: spec.group ?? base.group,
        doc: spec.doc ?? base.doc,
      },
    });
  }
  assertGroups(
    resolved.map((k) => k.meta),
    where,
  );
  return resolved;
}

function defaults(name: string): KpiInfo {
  return { name, label: name, unit: "", decimals: 0, scale: "linear", group: null, doc: "" };
}

/** KPIs of one group share an axis: they must agree on unit and scale. */
function assertGroups(kpis: KpiInfo[], where: string): void {
  const first = new Map<string, KpiInfo>();
  for (const k of kpis) {
    if (k.group === null) continue;
    const f = first.get(k.group);
    if (!f) {
      first.set(k.group, k);
      continue;
    }
    for (const field of ["unit", "scale"] as const) {
      if (f[field] !== k[field]) {
        throw new TokenspiceError(
          "NETLIST_INVALID",
          `${where}: KPIs "${f.name}" and "${k.name}" share group "${k.group}" (one chart, one axis) but differ in ${field}: ` + `${JSON.stringify(f[field])} vs ${JSON.stringify(k[field])}`,
        );
      }
    }
  }
}
