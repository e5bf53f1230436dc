/**
 * What a check reports: its summary when nothing failed, and for a failure one report object with
 * every fact, printed as the `PropertyFailedError`'s message.
 */
import type { KpiValue } from "../model/series";
import { KPIS_CSV_FILE } from "../output/formats/kpis-csv";
import { RUN_MANIFEST_FILE } from "../output/formats/run-manifest";

/**
 * What a check resolves to when no run failed: the netlist, the fast-check seed, the simulations run and whether the time limit cut the search short.
 */
export interface CheckSummary {
  netlist: string;
  seed: number;
  runs: number;
  /** The time limit stopped the search before `runs` simulations. */
  interrupted: boolean;
}

/**
 * What broke in the failing run: the property, an invariant (with the sample's tick) or an error thrown, its message and the KPI values then.
 */
export interface CheckFailure {
  kind: "property" | "invariant" | "error";
  message: string;
  /** For invariants: the sample that broke it. */
  tick?: number;
  /** KPI values at that sample (invariants) or at the end of the run. */
  kpis: Record<string, KpiValue>;
}

/** Everything needed to understand, reproduce and replay a failed check. */
export interface CheckReport {
  netlist: string;
  /** The shrunk params. */
  params: Record<string, unknown>;
  /** The shrunk sim seed. */
  simSeed: number;
  /** Ticks of the failing run (shrunk with `shrinkSteps`). */
  steps: number;
  failure: CheckFailure;
  /** Simulations the search ran before it found the failure. */
  runs: number;
  shrinks: number;
  /** fast-check's seed and path: `replay: { seed, path }` in the same check repeats exactly this counterexample. */
  replay: { seed: number; path: string };
  /** The command that re-runs the failing simulation. */
  command: string;
  /** The failing run's files. */
  folder: string;
  /** The time limit ended the search early (the shrink was not limited). */
  searchInterrupted: boolean;
  /** The folder holds the failing run's report.html (and plots/). */
  reportHtml: boolean;
}

/** KPI values as JSON holds them: a bigint as its digits. */
export function stringifyKpis(kpis: Record<string, KpiValue>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(kpis).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
}

function show(v: unknown): string {
  return typeof v === "bigint" ? v.toString() : typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** The report as the error's message: what broke, the shrunk counterexample, and how to repeat it. */
export function formatReport(r: CheckReport): string {
  const what =
    r.failure.kind === "invariant"
      ? `invariant broke at tick ${r.failure.tick}: ${r.failure.message}`
      : r.failure.kind === "property"
        ? `property failed: ${r.failure.message}`
        : `the simulation failed: ${r.failure.message}`;
  const kpis = Object.entries(r.failure.kpis)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(", ");
  return [
    `Netlist "${r.netlist}": ${what}`,
    ``,
    `  shrunk to   params ${
      Object.entries(r.params)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(", ") || "(none)"
    }`,
    `              seed ${r.simSeed}, steps ${r.steps}`,
    `  KPIs        ${r.failure.kind === "invariant" ? `at tick ${r.failure.tick}` : "at the end"}: ${kpis || "(none)"}`,
    `  found after ${r.runs} run${r.runs === 1 ? "" : "s"} and ${r.shrinks} shrink${r.shrinks === 1 ? "" : "s"}` +
      (r.searchInterrupted ? " (the time limit ended the search early; the shrink was not limited)" : ""),
    `  reproduce   ${r.command}`,
    `  files       ${r.folder} (${KPIS_CSV_FILE}, ${RUN_MANIFEST_FILE}${r.reportHtml ? ", report.html" : ""})`,
    `  replay      replay: { seed: ${r.replay.seed}, path: ${JSON.stringify(r.replay.path)} } (fast-check seed and path)`,
  ].join("\n");
}
