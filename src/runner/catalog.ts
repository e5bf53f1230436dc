import type { KpiInfo } from "../model/kpi";
import { kpiInfo } from "../model/netlist";
import type { ParamSpec } from "../model/params";
import { listNetlists } from "./netlists";

/**
 * A netlist as `list()` and `--list` show it: name, file, description, params (specs), KPI names and what each measures, ticks per run and seconds per tick.
 */
export interface NetlistInfo {
  name: string;
  file: string;
  description: string;
  params: Record<string, ParamSpec>;
  kpis: string[];
  /** What each KPI measures (label, unit, decimals, scale, group, doc), in declared order. */
  kpiInfo: KpiInfo[];
  steps: number;
  stepSeconds: number;
}

/** A netlist `list()` could not load: its name, file(s) and the error that says why. */
export interface BrokenNetlistInfo {
  name: string;
  file: string;
  files: string[];
  error: Error & { code: string };
}

/** The netlists of a sims folder: those that load, and those that do not (`broken`). */
export interface NetlistCatalog {
  netlists: NetlistInfo[];
  broken: BrokenNetlistInfo[];
}

/** Every netlist in `simsDir`, with its params and KPIs; one that fails to load is in `broken`, with its error. */
export function netlistCatalog(simsDir: string): NetlistCatalog {
  const netlists: NetlistInfo[] = [];
  const broken: BrokenNetlistInfo[] = [];
  for (const n of listNetlists(simsDir)) {
    if (n.error) broken.push({ name: n.name, file: n.file, files: n.files, error: n.error });
    else {
      netlists.push({
        name: n.name,
        file: n.file,
        description: n.netlist.description,
        params: n.netlist.params,
        kpis: Object.keys(n.netlist.kpis),
        kpiInfo: kpiInfo(n.netlist),
        steps: n.netlist.time.steps,
        stepSeconds: n.netlist.time.stepSeconds,
      });
    }
  }
  return { netlists, broken };
}
