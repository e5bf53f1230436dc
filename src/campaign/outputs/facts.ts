/**
 * What every output needs to know before the first run, from the campaign file and the runs' manifests:
 * the order of points and runs, each run's status, the netlist's KPIs and params, and the params'
 * SQL types. `outputContext` makes it once per build.
 */
import type { KpiInfo } from "../../model/kpi";
import { runFolder, runStatusFromFiles, runStatusFromOutcome, type CampaignDocument, type RunStatus } from "../folder";
import { readKpisCsv } from "../../output/formats/kpis-csv";
import { findRunManifest } from "../../output/formats/run-manifest";
import type { Store } from "../store";
import type { CampaignRun, RunOutcome } from "../types";
import { paramType } from "./tables";
import { byText, sweepOrder, varyingParams } from "./views";
import type { CampaignOutputContext, CampaignOutputOptions, NetlistFacts } from "./writer";

/** A KPI no manifest describes: its name as label, no unit, no decimals. */
export function defaultKpi(name: string): KpiInfo {
  return { name, label: name, unit: "", decimals: 0, scale: "linear", group: null, doc: "" };
}

function netlistFacts(root: string, ordered: CampaignRun[], statuses: Map<string, RunStatus>): NetlistFacts {
  for (const run of ordered) {
    if (statuses.get(run.key)!.status === "missing") continue;
    const folder = runFolder(root, run);
    const manifest = findRunManifest(folder);
    if (!manifest) continue;
    const described = new Map<string, KpiInfo>((Array.isArray(manifest.kpis) ? manifest.kpis : []).map((k) => [k.name, k]));
    const names = readKpisCsv(folder)?.kpis ?? [...described.keys()];
    return {
      description: String(manifest.netlist?.description ?? ""),
      kpis: names.map((n) => ({ ...defaultKpi(n), ...described.get(n) })),
      paramSpecs: manifest.paramSpecs ?? {},
      time: manifest.time ? { stepSeconds: Number(manifest.time.stepSeconds), start: manifest.time.start ?? null } : null,
    };
  }
  return { description: "", kpis: [], paramSpecs: {}, time: null };
}

/**
 * The context of one build: the campaign in its fixed orders, each run's status (an outcome wins
 * over the manifest), the netlist's facts, and the params' types.
 */
export function outputContext(
  root: string,
  scratch: string,
  campaign: CampaignDocument,
  outcomes: ReadonlyMap<string, RunOutcome>,
  options: CampaignOutputOptions,
  store: () => Promise<Store>,
): CampaignOutputContext {
  const points = [...campaign.points].sort((a, b) => byText(a.key, b.key));
  const runsByPoint = new Map<string, CampaignRun[]>(points.map((p) => [p.key, []]));
  for (const run of campaign.runs) runsByPoint.get(run.point)!.push(run);
  for (const runs of runsByPoint.values()) runs.sort((a, b) => a.replicate - b.replicate || byText(a.key, b.key));
  const ordered = points.flatMap((p) => runsByPoint.get(p.key)!);

  const statuses = new Map<string, RunStatus>();
  for (const run of ordered) {
    const outcome = outcomes.get(run.key);
    statuses.set(run.key, outcome ? runStatusFromOutcome(outcome) : runStatusFromFiles(runFolder(root, run)));
  }

  const facts = netlistFacts(root, ordered, statuses);

  // Params: every param of the netlist (in the first point's order), and those that vary.
  const paramNames: string[] = [];
  for (const p of points) for (const n of Object.keys(p.params)) if (!paramNames.includes(n)) paramNames.push(n);
  const paramTypes = new Map(
    paramNames.map((n) => [
      n,
      paramType(
        facts.paramSpecs[n],
        points.map((p) => p.params[n]).filter((v) => v !== undefined),
      ),
    ]),
  );
  const varying = varyingParams(campaign);
  for (const n of varying)
    if (!paramTypes.has(n))
      paramTypes.set(
        n,
        paramType(
          facts.paramSpecs[n],
          points.map((p) => p.varying[n]).filter((v) => v !== undefined),
        ),
      );

  return {
    root,
    scratch,
    campaign,
    options,
    points,
    inSweepOrder: sweepOrder(campaign),
    runsByPoint,
    ordered,
    statuses,
    facts,
    kpiNames: facts.kpis.map((k) => k.name),
    paramNames,
    varying,
    paramTypes,
    store,
  };
}
