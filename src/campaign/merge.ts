import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";
import { isLockEntry } from "../output/folder-lock";
import { campaignFilePath, readOwnCampaignFile, writeCampaignFile, type CampaignFile } from "../output/formats/campaign-file";
import { writeCampaignStatusFile } from "../output/formats/campaign-status";
import { KPIS_CSV_FILE } from "../output/formats/kpis-csv";
import { REVERTS_CSV_FILE } from "../output/formats/reverts-csv";
import { RUN_RESULT_FILE } from "../output/formats/run-result";
import { takeFolder } from "../output/take-folder";
import { createHash } from "crypto";
import { join as shellJoin } from "shlex";
import { readShardOf, runOutcomeOnDisk, type OutputWriter } from "./campaign";
import { isInside, runFolder } from "./folder";
import { canonicalJson, shardRuns } from "./plan";
import { campaignResumeCommand } from "./spec";
import type { CampaignRun, RunOutcome } from "./types";

/** The files of a run that depend only on netlist, params and seed: what two copies must agree on. */
const RESULT_FILES = [KPIS_CSV_FILE, REVERTS_CSV_FILE, RUN_RESULT_FILE];

/**
 * What `sim-merge` did: the merged folder, its runs, runs found in more than one shard (identical results), every outcome by run key and the failed runs.
 */
export interface MergeSummary {
  dir: string;
  runs: number;
  /** Runs found in more than one folder (with the same results): the folders that held them. */
  duplicates: { key: string; dirs: string[] }[];
  outcomes: Map<string, RunOutcome>;
  failed: RunOutcome[];
}

/** A shard's folder as merge reads it: its folder (real path), its checked campaign file, and its shard when its status records one. */
interface ShardFolder {
  dir: string;
  file: CampaignFile;
  /** The shard its campaign status records (null: the whole campaign; undefined: not recorded). */
  shard: { index: number; count: number } | null | undefined;
}

/**
 * Merges the folders of one campaign's shards (or of partial runs of it) into one campaign folder
 * whose outputs are byte for byte those of the campaign run on one machine: the run folders are
 * copied, the campaign file written again, and the aggregates computed from the runs.
 *
 * The shards' folders are data from other machines: every one is checked in full before anything
 * is written (each campaign file by `assertCampaign`, naming that file; the same points and runs
 * in all, made with the same versions; every run folder taken inside its shard, through links too,
 * and holding no link). A merge refused leaves `out` as it was.
 *
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID (naming the shard's file) for a folder whose
 *   campaign file is malformed, names a run folder outside it, or disagrees with the others';
 *   OPTION_INVALID when the folders hold different campaigns (spec hashes), a run twice with
 *   different results, or `out` overlaps a shard; MERGE_VERSIONS_DIFFER for shards made with
 *   different versions, OPTION_INVALID for shards that forked from different fork bundles; MERGE_INCOMPLETE naming the runs no folder holds and the commands that make
 *   them; OUT_* for an `out` that cannot take the merge
 */
export async function mergeCampaigns(dirs: string[], out: string, options: { force?: boolean; writeOutputs?: OutputWriter }): Promise<MergeSummary> {
  if (dirs.length === 0) throw new TokenspiceError("OPTION_INVALID", "sim-merge: name the campaign folders to merge (the shards' --out).");
  const campaigns: ShardFolder[] = dirs.map((d) => readShardFolder(path.resolve(d)));
  const hashes = new Map<string, string[]>();
  for (const c of campaigns) hashes.set(c.file.specHash, [...(hashes.get(c.file.specHash) ?? []), c.dir]);
  if (hashes.size > 1) {
    const list = [...hashes.entries()].map(([h, ds]) => `${h.slice(0, 12)}: ${ds.join(", ")}`).join("; ");
    throw new TokenspiceError("OPTION_INVALID", `sim-merge: the folders hold different campaigns (spec hashes ${list}). Merge the shards of one campaign.`, {
      hashes: Object.fromEntries(hashes),
    });
  }
  const file: CampaignFile = campaigns[0].file;
  // One spec hash, but the lists are data too: every shard must list the same points and runs.
  const planOf = (f: CampaignFile) => sha256(canonicalJson({ spec: f.spec, points: f.points, runs: f.runs }));
  const reference = planOf(file);
  for (const c of campaigns.slice(1)) {
    if (planOf(c.file) !== reference) {
      throw new TokenspiceError(
        "CAMPAIGN_FOLDER_INVALID",
        `${campaignFilePath(c.dir)}: its spec, points or runs differ from those of ${campaignFilePath(campaigns[0].dir)} under the same spec hash; one of them was changed after it was written. Run that shard again.`,
        { file: campaignFilePath(c.dir) },
      );
    }
  }
  refuseMixedVersions(campaigns);
  refuseMixedBundles(campaigns);
  const target = path.resolve(out);
  const overlap = campaigns.find((c) => isInside(c.dir, target) || isInside(target, c.dir) || isInside(realOrSelf(target), c.dir) || isInside(c.dir, realOrSelf(target)));
  if (overlap) {
    throw new TokenspiceError("OPTION_INVALID", `sim-merge: --out ${target} is, holds or lies in ${overlap.dir}, one of the folders to merge; write to a folder of its own.`, { dir: target });
  }
  // Everything is checked (read only) before --out is touched.
  const { sources, duplicates } = findRuns(campaigns, file);
  const release = takeTarget(target, options.force === true);
  try {
    return await copyRuns(target, campaigns, file, sources, duplicates, options);
  } finally {
    release();
  }
}

/**
 * Refuses shards made with different versions (plugin, Hardhat, solc, Node: what each campaign file
 * records): runs are byte-identical only on the same versions, so a merge of mixed ones could hold
 * results no single machine would write (as vitest's blob merge refuses reports of mixed versions).
 * @throws TokenspiceError MERGE_VERSIONS_DIFFER naming each version that differs and the folders
 */
function refuseMixedVersions(campaigns: ShardFolder[]): void {
  const names = [...new Set(campaigns.flatMap((c) => Object.keys(c.file.versions ?? {})))].sort();
  const differing = names.flatMap((name) => {
    const byValue = new Map<string, string[]>();
    for (const c of campaigns) {
      const value = c.file.versions?.[name];
      const shown = value === undefined ? "(not recorded)" : String(value);
      byValue.set(shown, [...(byValue.get(shown) ?? []), c.dir]);
    }
    return byValue.size > 1 ? [`${name}: ${[...byValue.entries()].map(([v, dirs]) => `${v} in ${dirs.join(", ")}`).join("; ")}`] : [];
  });
  if (differing.length > 0) {
    throw new TokenspiceError(
      "MERGE_VERSIONS_DIFFER",
      `sim-merge: the folders were made with different versions (${differing.join(" | ")}). A campaign's runs are the same bytes only on the same versions: run every shard from the same lockfile (npm ci) and Node, then merge.`,
      { versions: Object.fromEntries(campaigns.map((c) => [c.dir, c.file.versions ?? {}])) },
    );
  }
}

/**
 * Refuses shards of a campaign on a fork whose campaign files record different fork bundles (or a
 * bundle in some and none in others): the merged campaign file names one bundle, the one its runs
 * rerun offline from, and no bundle of the hashes recorded need hold every shard's reads.
 * @throws TokenspiceError OPTION_INVALID naming each hash and its folders, and how to share one bundle
 */
function refuseMixedBundles(campaigns: ShardFolder[]): void {
  const byHash = new Map<string, string[]>();
  for (const c of campaigns) {
    const hash = c.file.forkBundle?.hash ?? "(none)";
    byHash.set(hash, [...(byHash.get(hash) ?? []), c.dir]);
  }
  if (byHash.size <= 1) return;
  const list = [...byHash.entries()].map(([h, ds]) => `${h} in ${ds.join(", ")}`).join("; ");
  throw new TokenspiceError(
    "OPTION_INVALID",
    `sim-merge: the shards forked from different fork bundles (${list}). Record the bundle once (or copy every shard's bundle entries/ into one folder), ` +
      `run each shard again --offline --fork-bundle <that folder>, then merge.`,
    { bundles: Object.fromEntries(byHash) },
  );
}

/** Which folder each run is copied from (the first that holds it), and the runs more than one holds. @throws OPTION_INVALID, MERGE_INCOMPLETE */
function findRuns(campaigns: ShardFolder[], file: CampaignFile): { sources: Map<string, string>; duplicates: MergeSummary["duplicates"] } {
  const missing: string[] = [];
  const duplicates: MergeSummary["duplicates"] = [];
  const sources = new Map<string, string>();
  for (const run of file.runs) {
    // A run folder is checked to be the shard's own before anything in it is read.
    const holders = campaigns.filter((c) => assertRunFolder(c.dir, run) && runOutcomeOnDisk(c.dir, run) !== undefined).map((c) => c.dir);
    if (holders.length === 0) {
      missing.push(run.key);
      continue;
    }
    if (holders.length > 1) {
      const differ = holders.slice(1).find((h) => !sameResults(runFolder(holders[0], run), runFolder(h, run)));
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
      `sim-merge: ${missing.length} of ${file.runs.length} runs ${missing.length === 1 ? "is" : "are"} in none of the folders (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}). ` +
        `${missingAdvice(file, campaigns, new Set(missing))} Then merge again.`,
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
    const from = runFolder(sources.get(run.key)!, run);
    const to = runFolder(target, run);
    try {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.cpSync(from, to, { recursive: true, filter: (src) => !isLockEntry(path.basename(src)) });
    } catch (error) {
      throw new TokenspiceError("IO_ERROR", `sim-merge: copying ${from} to ${to} failed: ${messageOf(error)}`, { from, to }, error);
    }
    outcomes.set(run.key, runOutcomeOnDisk(target, run)!);
  }
  writeCampaignFile(target, file);
  await options.writeOutputs?.(target, file, outcomes);
  writeCampaignStatusFile(target, { state: "merged", from: campaigns.map((c) => c.dir), duplicates: duplicates.length });
  const failed = [...outcomes.values()].filter((o) => o.status === "failed");
  return { dir: target, runs: file.runs.length, duplicates, outcomes, failed };
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** A shard's folder: its real path, its campaign file read and checked in full, its shard from its campaign status. */
function readShardFolder(given: string): ShardFolder {
  let dir: string;
  try {
    dir = fs.realpathSync(given);
  } catch (error) {
    throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `sim-merge: ${given} is not a folder (${messageOf(error)}).`, { dir: given }, error);
  }
  return { dir, file: readOwnCampaignFile(dir), shard: readShardOf(dir) };
}

/** Realpath when the path exists, else the path (a --out not made yet). */
function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * A run's folder in a shard is its own: its real path lies in the shard's (no link in `runs/…`
 * leads elsewhere) and it holds no link (a copy would carry it into the merged folder). False when
 * the shard has no folder for the run.
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming the run and the shard's campaign file
 */
function assertRunFolder(shard: string, run: CampaignRun): boolean {
  const folder = runFolder(shard, run);
  if (!fs.existsSync(folder) && !isLink(folder)) return false;
  const file = campaignFilePath(shard);
  const bad = (why: string) => new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}: run "${run.key}"'s folder ${folder} ${why}, which is not inside the campaign folder.`, { file, run: run.key });
  let real: string;
  try {
    real = fs.realpathSync(folder);
  } catch {
    throw bad("is a link that leads nowhere");
  }
  if (!isInside(shard, real)) throw bad("is a link to a place outside the shard");
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (isLockEntry(entry.name)) continue; // a lock left behind is not copied
      if (entry.isSymbolicLink()) throw bad(`holds a link (${entry.name})`);
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
    }
  };
  walk(folder);
  return true;
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * What makes the missing runs: for a shard whose folder was given (its campaign status names its shard),
 * the command that resumes it; for a shard no folder was given for, the campaign's command with
 * `--shard i/n`; without shard records, both in general.
 */
function missingAdvice(file: CampaignFile, campaigns: ShardFolder[], missing: Set<string>): string {
  const counts = new Set(campaigns.map((c) => c.shard?.count));
  const count = counts.size === 1 ? [...counts][0] : undefined;
  if (count === undefined || count < 2) {
    const resume = campaigns.map((c) => campaignResumeCommand(file.spec, c.dir, c.shard)).slice(0, 3);
    return `Resume a shard that stopped (${resume.join("; ")}), or run the shards not given (${shellJoinCommand(file.command, ["--shard", "<i>/<n>", "--out", "<folder>"])}).`;
  }
  const given = new Map(campaigns.map((c) => [c.shard!.index, c.dir]));
  const advice: string[] = [];
  for (let index = 1; index <= count; index++) {
    if (!shardRuns(file.runs, index, count).some((r) => missing.has(r.key))) continue;
    const dir = given.get(index);
    advice.push(
      dir !== undefined
        ? `resume shard ${index}/${count}: ${campaignResumeCommand(file.spec, dir, { index, count })}`
        : `run shard ${index}/${count}: ${shellJoinCommand(file.command, ["--shard", `${index}/${count}`, "--out", `shard-${index}`])}`,
    );
  }
  return `Make them: ${advice.slice(0, 4).join("; ")}${advice.length > 4 ? `; and ${advice.length - 4} more shards` : ""}.`;
}

/** A command read from the campaign file with more arguments, quoted. */
function shellJoinCommand(command: string, more: string[]): string {
  return `${command} ${shellJoin(more)}`;
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
 * Takes `--out` (`takeFolder`: new, empty, or a campaign of ours with `force`), made and locked
 * against a second writer; with `force`, the campaign's runs are replaced only once the lock is
 * held. Every refusal comes before anything is written and names the folder as `details.dir`.
 *
 * @returns the lock's release
 * @throws TokenspiceError OUT_UNUSABLE, OUT_NOT_A_RUN, OUT_HOLDS_RUN, OUT_LOCKED
 */
function takeTarget(dir: string, force: boolean): () => void {
  return takeFolder(dir, "merge", { force }).release;
}
