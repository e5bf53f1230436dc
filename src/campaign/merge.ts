import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";
import { toJson } from "../output/json";
import { isLockEntry, lockOrRefuse } from "../output/folder-lock";
import { CAMPAIGN_FILES, holdsOurCampaign, readCampaign, runOutcomeOnDisk, type CampaignFile, type OutputWriter } from "./campaign";
import type { RunOutcome } from "./types";

/** The files of a run that depend only on netlist, params and seed: what two copies must agree on. */
const RESULT_FILES = ["kpis.csv", "reverts.csv", "result.json"];

export interface MergeSummary {
  dir: string;
  runs: number;
  /** Runs found in more than one folder (with the same results): the folders that held them. */
  duplicates: { key: string; dirs: string[] }[];
  outcomes: Map<string, RunOutcome>;
  failed: RunOutcome[];
}

/**
 * Merges the folders of one campaign's shards (or of partial runs of it) into one campaign folder
 * whose outputs are byte for byte those of the campaign run on one machine: the run folders are
 * copied, `campaign.json` written again, and the aggregates computed from the runs.
 *
 * @throws TokenspiceError OPTION_INVALID when the folders hold different campaigns (spec hashes) or
 *   a run twice with different results; MERGE_INCOMPLETE naming the runs no folder holds
 */
export async function mergeCampaigns(dirs: string[], out: string, options: { force?: boolean; writeOutputs?: OutputWriter }): Promise<MergeSummary> {
  if (dirs.length === 0) throw new TokenspiceError("OPTION_INVALID", "sim-merge: name the campaign folders to merge (the shards' --out).");
  const campaigns = dirs.map((d) => ({ dir: path.resolve(d), file: readCampaign(path.resolve(d)) }));
  const hashes = new Map<string, string[]>();
  for (const c of campaigns) hashes.set(c.file.specHash, [...(hashes.get(c.file.specHash) ?? []), c.dir]);
  if (hashes.size > 1) {
    const list = [...hashes.entries()].map(([h, ds]) => `${h.slice(0, 12)}: ${ds.join(", ")}`).join("; ");
    throw new TokenspiceError("OPTION_INVALID", `sim-merge: the folders hold different campaigns (spec hashes ${list}). Merge the shards of one campaign.`, {
      hashes: Object.fromEntries(hashes),
    });
  }
  const file: CampaignFile = campaigns[0].file;
  const target = path.resolve(out);
  if (campaigns.some((c) => c.dir === target)) throw new TokenspiceError("OPTION_INVALID", `sim-merge: --out ${target} is one of the folders to merge; write to a new folder.`);
  // Everything is checked (read only) before --out is touched.
  const { sources, duplicates } = findRuns(campaigns, file);
  const release = takeTarget(target, options.force === true);
  try {
    return await copyRuns(target, campaigns, file, sources, duplicates, options);
  } finally {
    release();
  }
}

/** Which folder each run is copied from (the first that holds it), and the runs more than one holds. @throws OPTION_INVALID, MERGE_INCOMPLETE */
function findRuns(campaigns: { dir: string; file: CampaignFile }[], file: CampaignFile): { sources: Map<string, string>; duplicates: MergeSummary["duplicates"] } {
  const missing: string[] = [];
  const duplicates: MergeSummary["duplicates"] = [];
  const sources = new Map<string, string>();
  for (const run of file.runs) {
    const holders = campaigns.filter((c) => runOutcomeOnDisk(c.dir, run) !== undefined).map((c) => c.dir);
    if (holders.length === 0) {
      missing.push(run.key);
      continue;
    }
    if (holders.length > 1) {
      const differ = holders.slice(1).find((h) => !sameResults(path.join(holders[0], run.dir), path.join(h, run.dir)));
      if (differ !== undefined) {
        throw new TokenspiceError(
          "OPTION_INVALID",
          `sim-merge: run ${run.key} is in ${holders[0]} and ${differ} with different results; a run's files depend only on its spec, so one of them is not this campaign's run.`,
          { run: run.key, dirs: holders },
        );
      }
      duplicates.push({ key: run.key, dirs: holders });
    }
    sources.set(run.key, holders[0]);
  }
  if (missing.length > 0) {
    throw new TokenspiceError(
      "MERGE_INCOMPLETE",
      `sim-merge: ${missing.length} of ${file.runs.length} runs are in none of the folders (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}). ` +
        `Run the missing shards (or resume them: npx hardhat sim --resume <shard folder>) and merge again.`,
      { missing },
    );
  }
  return { sources, duplicates };
}

async function copyRuns(
  target: string,
  campaigns: { dir: string; file: CampaignFile }[],
  file: CampaignFile,
  sources: Map<string, string>,
  duplicates: MergeSummary["duplicates"],
  options: { writeOutputs?: OutputWriter },
): Promise<MergeSummary> {
  const outcomes = new Map<string, RunOutcome>();
  for (const run of file.runs) {
    const from = path.join(sources.get(run.key)!, run.dir);
    const to = path.join(target, run.dir);
    try {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.cpSync(from, to, { recursive: true, filter: (src) => !isLockEntry(path.basename(src)) });
    } catch (error) {
      throw new TokenspiceError("IO_ERROR", `sim-merge: copying ${from} to ${to} failed: ${messageOf(error)}`, { from, to }, error);
    }
    outcomes.set(run.key, runOutcomeOnDisk(target, run)!);
  }
  fs.writeFileSync(path.join(target, CAMPAIGN_FILES.campaign), toJson(file));
  await options.writeOutputs?.(target, { spec: file.spec, points: file.points, runs: file.runs }, outcomes);
  fs.writeFileSync(path.join(target, CAMPAIGN_FILES.status), toJson({ state: "merged", from: campaigns.map((c) => c.dir), duplicates: duplicates.length }));
  const failed = [...outcomes.values()].filter((o) => o.status === "failed");
  return { dir: target, runs: file.runs.length, duplicates, outcomes, failed };
}

function sameResults(a: string, b: string): boolean {
  return RESULT_FILES.every((f) => {
    const pa = path.join(a, f);
    const pb = path.join(b, f);
    if (!fs.existsSync(pa) || !fs.existsSync(pb)) return fs.existsSync(pa) === fs.existsSync(pb);
    return fs.readFileSync(pa).equals(fs.readFileSync(pb));
  });
}

/**
 * Checks `--out` (new, empty, or a campaign of ours with `force`), makes it and locks it against a
 * second writer; with `force`, replaces the campaign's runs only once the lock is held. Every
 * refusal comes before anything is written and names the folder as `details.dir`.
 *
 * @returns the lock's release
 * @throws TokenspiceError OUT_UNUSABLE, OUT_NOT_A_RUN, OUT_HOLDS_RUN, OUT_LOCKED
 */
function takeTarget(dir: string, force: boolean): () => void {
  const check = (): boolean => {
    if (!fs.existsSync(dir)) return false;
    if (!fs.statSync(dir).isDirectory()) throw new TokenspiceError("OUT_UNUSABLE", `sim-merge: --out ${dir} is a file, not a folder. Nothing was written.`, { dir });
    const entries = fs.readdirSync(dir).filter((f) => !isLockEntry(f));
    if (entries.length === 0) return false;
    if (!holdsOurCampaign(dir)) {
      throw new TokenspiceError("OUT_NOT_A_RUN", `sim-merge: --out ${dir} holds files that are not a campaign of ours. Nothing was written. Choose a new or empty folder.`, { dir });
    }
    if (!force) throw new TokenspiceError("OUT_HOLDS_RUN", `sim-merge: --out ${dir} already holds a campaign. Nothing was written. Pass --force to replace it.`, { dir });
    return true;
  };
  check();
  const release = lockOrRefuse(dir, "sim-merge: --out");
  try {
    if (check()) fs.rmSync(path.join(dir, "runs"), { recursive: true, force: true }); // another process may have written it before the lock
  } catch (error) {
    release();
    throw error;
  }
  return release;
}
