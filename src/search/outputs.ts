import fs from "fs";
import path from "path";
import { TokenspiceError } from "../errors";
import { writeCampaignOutputs } from "../campaign/outputs";
import { assertCampaign, type CampaignDocument } from "../campaign/folder";
import type { CampaignPoint, CampaignRun, ParamValue } from "../campaign/types";
import { readSearch, writeSearchReport, type SearchDocument } from "../report/search";
import { SEARCH_RUNS_FILE } from "./evaluator";

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
 * Everything a search's folder holds beside its runs, from search.json and search-runs.json alone:
 * the store (as a campaign's, without its report) and the search's report.html and plots/.
 * @throws TokenspiceError RUN_FOLDER_INVALID (not a search's folder), CAMPAIGN_FOLDER_INVALID (a
 *   search-runs.json that is not a list of runs, or names a run folder outside the search's, named),
 *   STORE_FAILED, IO_ERROR
 */
export async function writeSearchOutputs(dir: string, options: { png?: boolean } = {}): Promise<{ report: string; files: string[] }> {
  const search = readSearch(dir);
  const file = path.join(dir, SEARCH_RUNS_FILE);
  let runs: CampaignRun[];
  try {
    runs = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new TokenspiceError("RUN_FOLDER_INVALID", `${file} cannot be read: ${(error as Error).message}`, { dir }, error);
  }
  // the file is read back, not just written: its shape and every run's folder are checked (and
  // named as search-runs.json) before anything is built from it
  const notRuns = !Array.isArray(runs) ? "is not a JSON array of runs" : runs.findIndex((r) => !isObject(r) || !isObject(r.spec) || !isObject(r.spec.params) || !isObject(r.spec.netlist));
  if (notRuns !== -1) {
    throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}: ${typeof notRuns === "string" ? notRuns : `"[${notRuns}]" is not { key, point, replicate, seed, spec, command, dir }`}.`, { file });
  }
  const doc = searchCampaignDocument(search, runs);
  assertCampaign(doc, file);
  const written = await writeCampaignOutputs(dir, doc, new Map(), { report: false });
  const report = writeSearchReport(dir, options);
  return { report: report.html, files: [...written.files, report.html, ...report.plots] };
}

/** True when `dir` holds a search's search.json. */
export function isSearchFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, "search.json"));
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
