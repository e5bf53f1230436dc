/**
 * Whether a folder may be written, for every command that writes one: a run (`sim --out`,
 * `tokenspice.run`), a campaign, a merge (`sim-merge --out`) and a design-loop search. One rule:
 *
 * | the folder holds                      | new            | `resume`      | `force`          |
 * |---------------------------------------|----------------|---------------|------------------|
 * | nothing (missing or empty)            | taken          | taken         | taken            |
 * | our output of the writer's kind       | OUT_HOLDS_RUN  | resumed       | replaced         |
 * | our output of another kind            | OUT_NOT_A_RUN  | OUT_NOT_A_RUN | OUT_NOT_A_RUN    |
 * | files that are not ours               | OUT_NOT_A_RUN  | OUT_NOT_A_RUN | OUT_NOT_A_RUN    |
 * | a file, or a path that cannot be made | OUT_UNUSABLE   | OUT_UNUSABLE  | OUT_UNUSABLE     |
 *
 * (`resume` wins over `force`.) A merge writes a campaign, so a campaign folder is its kind. A
 * search's folder is recognised by its search file or search runs' file, or by holding only the
 * `runs/` of a first batch cut short; a search always passes `resume` (the same folder and seed
 * continue it). Every refusal comes before anything is written, and names the folder as
 * `details.dir` (never `outDir`, which names a folder holding what a failed command recorded).
 */
import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";
import { LOCK_STALE_MS, describeLockOwner, isLockEntry, lockFolder, type FolderLock } from "./folder-lock";
import { CAMPAIGN_FILE, RUNS_DIR, holdsOwnCampaign } from "./formats/campaign-file";
import { KPIS_CSV_FILE } from "./formats/kpis-csv";
import { REVERTS_CSV_FILE } from "./formats/reverts-csv";
import { RUN_MANIFEST_FILE, describeRun, findRunManifest } from "./formats/run-manifest";
import { RUN_RESULT_FILE } from "./formats/run-result";
import { SEARCH_FILE } from "./formats/search-file";
import { SEARCH_RUNS_FILE } from "./formats/search-runs";

/** Who writes the folder. */
export type FolderKind = "run" | "campaign" | "merge" | "search";

/** What a folder of ours holds: a merge's folder holds a campaign. */
export type OutputKind = "run" | "campaign" | "search";

/** What a folder holds, as far as taking it goes. */
export type FolderContents =
  { state: "missing" } | { state: "empty" } | { state: "unusable"; why: string; cause?: unknown } | { state: "ours"; holds: OutputKind; entries: string[] } | { state: "foreign"; entries: string[] };

/** What may be done with a folder: taken (new, resumed, replaced) or refused with a code. */
export type FolderDecision = { take: "new" | "resume" | "replace" } | { refuse: "OUT_UNUSABLE" | "OUT_NOT_A_RUN" | "OUT_HOLDS_RUN" };

/** How `takeFolder` may take a folder that already holds output of its kind, and what it says when it may not. */
export interface TakeFolderOptions {
  /** Replace our output of the writer's kind. */
  force?: boolean;
  /** Continue our output of the writer's kind (campaigns and searches). */
  resume?: boolean;
  /** Called when the folder's lock is found taken from this process while it writes. */
  onLockLost?: (error: Error) => void;
  /**
   * More words for an OUT_HOLDS_RUN refusal: `held` follows "already holds a <kind>" (e.g. " (its
   * status says interrupted)"), `advice` replaces the default way out.
   */
  describeHeld?: (dir: string) => { held?: string; advice?: string };
}

/** The files a run writes: all of them go when a run replaces another. */
export const RUN_FOLDER_FILES = [KPIS_CSV_FILE, REVERTS_CSV_FILE, RUN_RESULT_FILE, RUN_MANIFEST_FILE] as const;

const OUTPUT_OF: Record<FolderKind, OutputKind> = { run: "run", campaign: "campaign", merge: "campaign", search: "search" };

/**
 * What `dir` holds: nothing, our output of a kind, files that are not ours, or a path that cannot
 * be a folder. Reads only; never throws for the folder's sake.
 */
export function inspectFolder(dir: string): FolderContents {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? { state: "missing" } : { state: "unusable", why: explainFsError(error), cause: error };
  }
  if (!stat.isDirectory()) return { state: "unusable", why: "it is a file, not a folder" };
  const entries = fs.readdirSync(dir).filter((f) => !isLockEntry(f));
  if (entries.length === 0) return { state: "empty" };
  if (entries.includes(SEARCH_FILE) || entries.includes(SEARCH_RUNS_FILE)) return { state: "ours", holds: "search", entries };
  if (entries.includes(CAMPAIGN_FILE) && holdsOwnCampaign(dir)) return { state: "ours", holds: "campaign", entries };
  if (entries.includes(RUN_MANIFEST_FILE) && findRunManifest(dir) !== undefined) return { state: "ours", holds: "run", entries };
  if (entries.every((f) => f === RUNS_DIR)) return { state: "ours", holds: "search", entries }; // a search's first batch, cut short
  return { state: "foreign", entries };
}

/** The rule of the module's table: what a writer of `kind` may do with a folder holding `contents`. Pure. */
export function decideFolder(contents: FolderContents, kind: FolderKind, options: Pick<TakeFolderOptions, "force" | "resume"> = {}): FolderDecision {
  switch (contents.state) {
    case "missing":
    case "empty":
      return { take: "new" };
    case "unusable":
      return { refuse: "OUT_UNUSABLE" };
    case "foreign":
      return { refuse: "OUT_NOT_A_RUN" };
    case "ours":
      if (contents.holds !== OUTPUT_OF[kind]) return { refuse: "OUT_NOT_A_RUN" };
      if (options.resume) return { take: "resume" };
      if (options.force) return { take: "replace" };
      return { refuse: "OUT_HOLDS_RUN" };
  }
}

/**
 * Checks that `dir` may be written by a writer of `kind`, without writing anything (cheap enough
 * to call before compiling or running anything): `decideFolder` on what it holds, and for a folder
 * not made yet, that its nearest existing ancestor is a writable folder.
 *
 * @returns how it would be taken
 * @throws TokenspiceError OUT_UNUSABLE, OUT_NOT_A_RUN or OUT_HOLDS_RUN (see the module's table)
 */
export function checkFolder(dir: string, kind: FolderKind, options: TakeFolderOptions = {}): "new" | "resume" | "replace" {
  const contents = inspectFolder(dir);
  const decision = decideFolder(contents, kind, options);
  if ("refuse" in decision) throw refusal(dir, kind, contents, decision.refuse, options);
  if (contents.state === "missing") {
    let parent = path.dirname(dir);
    while (!fs.existsSync(parent) && parent !== path.dirname(parent)) parent = path.dirname(parent);
    if (!fs.statSync(parent).isDirectory()) throw unusable(dir, kind, `${parent} is a file, not a folder`);
    try {
      fs.accessSync(parent, fs.constants.W_OK);
    } catch (error) {
      throw unusable(dir, kind, `${parent} is not writable (${explainFsError(error)})`, error);
    }
  }
  return decision.take;
}

/**
 * Takes `dir` for a writer of `kind`: checks it (`checkFolder`), makes it, locks it against a
 * second process, checks it again under the lock (another process may have written it between),
 * and for a replaced folder removes what the writer replaces (a run's files; a campaign's `runs/`),
 * nothing else.
 *
 * @returns how it was taken, and the lock's release (idempotent)
 * @throws TokenspiceError OUT_UNUSABLE, OUT_NOT_A_RUN, OUT_HOLDS_RUN, OUT_LOCKED, before anything is written
 */
export function takeFolder(dir: string, kind: FolderKind, options: TakeFolderOptions = {}): { taken: "new" | "resume" | "replace"; release: () => void } {
  checkFolder(dir, kind, options);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw unusable(dir, kind, explainFsError(error), error);
  }
  let lock: FolderLock | null;
  try {
    lock = lockFolder(dir, options.onLockLost);
  } catch (error) {
    throw unusable(dir, kind, explainFsError(error), error);
  }
  if (lock === null) {
    const by = kind === "run" ? "another run" : "another process";
    const wait = kind === "run" ? " Wait for that run to end, or choose another --out." : "";
    throw new TokenspiceError("OUT_LOCKED", `Output folder ${dir} is being written by ${by} (${describeLockOwner(dir, LOCK_STALE_MS)}). Nothing was written.${wait}`, { dir });
  }
  const release = () => lock.release();
  try {
    const taken = checkFolder(dir, kind, options);
    if (taken === "replace") {
      if (kind === "run") for (const f of RUN_FOLDER_FILES) fs.rmSync(path.join(dir, f), { force: true });
      else fs.rmSync(path.join(dir, RUNS_DIR), { recursive: true, force: true });
    }
    return { taken, release };
  } catch (error) {
    release();
    throw error;
  }
}

const NOUN: Record<FolderKind, string> = { run: "run", campaign: "campaign", merge: "campaign", search: "search" };
const WRITER: Record<FolderKind, string> = { run: "a run", campaign: "a campaign", merge: "a merge", search: "a search" };

function unusable(dir: string, kind: FolderKind, why: string, cause?: unknown): TokenspiceError {
  const noun = kind === "merge" ? "merged campaign" : NOUN[kind];
  return new TokenspiceError("OUT_UNUSABLE", `Cannot write a ${noun} to ${dir}: ${why}. Choose a writable folder with --out${kind === "run" ? " (or `out`)" : ""}.`, { dir }, cause);
}

function refusal(dir: string, kind: FolderKind, contents: FolderContents, code: "OUT_UNUSABLE" | "OUT_NOT_A_RUN" | "OUT_HOLDS_RUN", options: TakeFolderOptions): TokenspiceError {
  const noun = NOUN[kind];
  if (code === "OUT_UNUSABLE") {
    const c = contents as Extract<FolderContents, { state: "unusable" }>;
    return unusable(dir, kind, c.why, c.cause);
  }
  const entries = "entries" in contents ? contents.entries : [];
  if (code === "OUT_NOT_A_RUN") {
    if (contents.state === "ours") {
      return new TokenspiceError(
        "OUT_NOT_A_RUN",
        `Output folder ${dir} holds a hardhat-tokenspice ${contents.holds}, not a ${noun}: ${WRITER[kind]} is never written into a ${contents.holds}'s folder. ` +
          `Nothing was written, and --force does not change that. Choose a new or empty folder with --out.`,
        { dir, entries: entries.slice(0, 20), holds: contents.holds },
      );
    }
    const shown = entries.slice(0, 5).join(", ") + (entries.length > 5 ? `, … (${entries.length} in all)` : "");
    return new TokenspiceError(
      "OUT_NOT_A_RUN",
      `Output folder ${dir} holds files that are not a hardhat-tokenspice ${noun} (${shown}). Nothing was written, ` +
        `and --force does not overwrite such a folder. Choose a new or empty folder with --out${kind === "search" ? " (the same folder and --search-seed resume a search)" : ""}.`,
      { dir, entries: entries.slice(0, 20) },
    );
  }
  const run = kind === "run" ? describeRun(dir) : undefined;
  const extra = options.describeHeld?.(dir) ?? {};
  const held = extra.held ?? (run ? ` (${run})` : "");
  const advice =
    extra.advice ??
    (kind === "run"
      ? "Pass --force (or force: true) to overwrite it, or choose another --out."
      : `Pass --force to replace it${kind === "campaign" ? ", --resume to continue it" : ""}, or choose another --out.`);
  return new TokenspiceError("OUT_HOLDS_RUN", `Output folder ${dir} already holds a ${noun}${held}. Nothing was written. ${advice}`, { dir, ...(run ? { run } : {}) });
}

/** What an errno means for an output folder, in words. */
export function explainFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case "EEXIST":
    case "ENOTDIR":
      return `a part of the path is a file, not a folder (${e.path ?? ""})`;
    case "EACCES":
    case "EPERM":
      return `permission denied (${e.path ?? ""})`;
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "the disk is full";
    case "ENOENT":
      return `a folder on the path does not exist and could not be made (${e.path ?? ""})`;
    default:
      return messageOf(error);
  }
}
