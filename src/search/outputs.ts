import { TokenspiceError } from "../errors";
import { writeCampaignOutputs } from "../campaign/outputs";
import { assertCampaign, type CampaignDocument } from "../campaign/folder";
import type { CampaignPoint, CampaignRun, ParamValue } from "../campaign/types";
import { writeSearchReport } from "../report/search";
import { SEARCH_METHODS } from "./registry";
import { hasSearchFile, readSearchFile, type SearchDocument } from "../output/formats/search-file";
import { readSearchRuns, searchRunsPath } from "../output/formats/search-runs";

/**
 * A search's runs as a campaign document, so they go to the same store as a campaign's
 * (campaign.duckdb, samples/runs/points Parquet, bands.csv, points.csv, runs.csv): one point per
 * distinct set of params the search tried, the params that differ between points as its varying
 * ones. It has no sweep or sample: the search chose the points.
 */
export function searchCampaignDocument(search: Pick<SearchDocument, "seed" | "steps" | "params" | "command">, runs: readonly CampaignRun[]): CampaignDocument {
  if (runs.length === 0) throw new TokenspiceError("RUN_FOLDER_INVALID", "The search ran nothing: there is nothing to store.");
  const byPoint = new Map<string, Record<string, ParamValue>>();
  for (const run of runs) if (!byPoint.has(run.point)) byPoint.set(run.point, run.spec.params);
  const all = [...byPoint.values()];
  const names = Object.keys(all[0]);
  const varying = names.filter((n) => all.some((p) => JSON.stringify(p[n]) !== JSON.stringify(all[0][n])));
  const points: CampaignPoint[] = [...byPoint].map(([key, params]) => ({ key, varying: Object.fromEntries(varying.map((n) => [n, params[n]])), params }));
  const first = runs[0].spec;
  return {
    spec: {
      netlist: first.netlist,
      steps: search.steps,
      params: search.params as Record<string, ParamValue>,
      runs: Math.max(...runs.map((r) => r.replicate)) + 1,
      sweep: [],
      zip: false,
      sample: null,
      seed: search.seed,
      stepTimeoutMs: first.stepTimeoutMs ?? null,
      network: first.network,
    },
    points,
    runs: [...runs],
    ...(search.command ? { command: search.command } : {}),
  };
}

/**
 * Everything a search's folder holds beside its runs, from its search file and search runs' file alone:
 * the store (as a campaign's, without its report) and the search's report.html and plots/.
 * @throws TokenspiceError SEARCH_FILE_INVALID (not a search's folder), CAMPAIGN_FOLDER_INVALID (a
 *   search runs' file that is not a list of runs, or names a run folder outside the search's, named),
 *   STORE_FAILED, IO_ERROR
 */
export async function writeSearchOutputs(dir: string, options: { png?: boolean } = {}): Promise<{ report: string; files: string[] }> {
  const search = readSearchFile(dir);
  // the runs' file is read back, not just written: its shape and every run's folder are checked
  // (and named as that file) before anything is built from it
  const runs = readSearchRuns(dir);
  const doc = searchCampaignDocument(search, runs);
  assertCampaign(doc, searchRunsPath(dir));
  const written = await writeCampaignOutputs(dir, doc, new Map(), { report: false });
  const report = writeSearchReport(dir, (kind) => SEARCH_METHODS[kind].report, options);
  return { report: report.html, files: [...written.files, report.html, ...report.plots] };
}

/** True when `dir` holds a search's search file. */
export function isSearchFolder(dir: string): boolean {
  return hasSearchFile(dir);
}
