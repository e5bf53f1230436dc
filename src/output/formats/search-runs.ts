/**
 * The search's runs (`search-runs.json` in a design-loop search's folder): every run the search
 * asked for, in the order asked, each with its key, point, replicate, seed, params, reproduce
 * command, folder and run spec. Written after each batch, so a search's folder always says what it
 * ran; its store is built from it as a campaign's is from the campaign file.
 */
import fs from "fs";
import path from "path";
import { TokenspiceError } from "../../errors";
import { toJson } from "../json";
import type { CampaignRun } from "./campaign-file";
import { isObject, readJsonOrUndefined } from "./read";

/** The search runs' file name in a search's folder. */
export const SEARCH_RUNS_FILE = "search-runs.json";

/** One entry: a campaign run, with its params beside its spec (for people reading the file). */
export type SearchRunEntry = CampaignRun & { params: CampaignRun["spec"]["params"] };

/** The search runs' file of the search in `dir`. */
export function searchRunsPath(dir: string): string {
  return path.join(dir, SEARCH_RUNS_FILE);
}

/**
 * Reads and checks the search runs' file in `dir`: a JSON array of runs, each with a spec holding
 * its params and netlist. (Each run's folder is checked to lie inside the search's when the runs
 * are made into a campaign document: `assertCampaign`.)
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming the file: missing, unreadable, not JSON, not a list of runs
 */
export function readSearchRuns(dir: string): SearchRunEntry[] {
  const file = searchRunsPath(dir);
  const runs = readJsonOrUndefined(file, "CAMPAIGN_FOLDER_INVALID");
  const bad = (problem: string) => new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}: ${problem}.`, { file, problem });
  if (runs === undefined) throw bad(`does not exist (${dir} holds no search's runs)`);
  if (!Array.isArray(runs)) throw bad("is not a JSON array of runs");
  const i = runs.findIndex((r) => !isObject(r) || !isObject(r.spec) || !isObject(r.spec.params) || !isObject(r.spec.netlist));
  if (i !== -1) throw bad(`"[${i}]" is not { key, point, replicate, seed, spec, command, dir }`);
  return runs as SearchRunEntry[];
}

/** Writes the search's runs into `dir`, in the order given. Throws what the file system throws. */
export function writeSearchRuns(dir: string, runs: readonly CampaignRun[]): void {
  fs.writeFileSync(
    searchRunsPath(dir),
    toJson(runs.map((r) => ({ key: r.key, point: r.point, replicate: r.replicate, seed: r.seed, params: r.spec.params, command: r.command, dir: r.dir, spec: r.spec }))),
  );
}
