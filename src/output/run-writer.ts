import fs from "fs";
import path from "path";
import { LOCK_STALE_MS, describeLockOwner, isLockEntry, lockFolder, type FolderLock } from "./folder-lock";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import type { KpiSample, SimulationObserver } from "../engine/engine";
import type { RevertRecord } from "../engine/reverts";
import { csvLine } from "./csv";
import { formatKpiCell, toJson } from "./json";
import { scrubDeep, scrubSecrets } from "./secrets";

export { toJson } from "./json";

export const RUN_FILES = {
  kpis: "kpis.csv",
  reverts: "reverts.csv",
  result: "result.json",
  manifest: "manifest.json",
} as const;

/** `manifest.json`'s `tool`: how a folder is recognised as a run of ours. */
export const MANIFEST_TOOL = "hardhat-tokenspice";
/** The lock that keeps two processes from writing one run folder (src/output/folder-lock.ts). */
export { LOCK_NAME } from "./folder-lock";

/**
 * A run's `manifest.json` status: "running" while it writes, then how it ended ("complete", "failed", or "interrupted" by a signal).
 */
export type RunStatus = "running" | "complete" | "failed" | "interrupted";

const REVERT_COLUMNS = ["tick", "agent", "from", "to", "call", "reason", "data", "txHash", "gasUsed"] as const;

/** The manifest of the run in `dir`, when `dir` holds a run of ours; undefined otherwise. */
export function readRunManifest(dir: string): Record<string, unknown> | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILES.manifest), "utf8"));
    return m?.tool === MANIFEST_TOOL ? m : undefined;
  } catch {
    return undefined;
  }
}

/** A one-line description of the run in `dir` (for messages), or undefined when it holds none of ours. */
export function existingRun(dir: string): string | undefined {
  const m = readRunManifest(dir) as { netlist?: { name?: string }; seed?: number; startedAt?: string; status?: string } | undefined;
  return m && `netlist "${m.netlist?.name}", seed ${m.seed}, started ${m.startedAt}, ${m.status}`;
}

/**
 * A refusal of `--out` before anything is written: its folder is `details.dir`, never `outDir`
 * (which names a folder holding what a failed command recorded).
 */
function unusable(dir: string, why: string, cause?: unknown): TokenspiceError {
  return new TokenspiceError("OUT_UNUSABLE", `Cannot write a run to ${dir}: ${why}. Choose a writable folder with --out (or \`out\`).`, { dir }, cause);
}

/** What an errno means for an output folder, in words. */
function explainFsError(error: unknown): string {
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

/**
 * Checks that `dir` can take a new run, without writing anything: it is a folder (or can be made),
 * and it is empty or holds a run of ours (which only `force` may replace). Cheap enough to call
 * before compiling or running anything; `RunWriter.open` checks again under the lock.
 *
 * @throws TokenspiceError OUT_UNUSABLE, OUT_HOLDS_RUN or OUT_NOT_A_RUN
 */
export function assertOutDir(dir: string, force: boolean): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw unusable(dir, explainFsError(error), error);
    if (code !== "ENOENT") throw unusable(dir, explainFsError(error), error);
  }
  if (stat === undefined) {
    // Not there yet: the nearest existing ancestor must be a writable folder.
    let parent = path.dirname(dir);
    while (!fs.existsSync(parent) && parent !== path.dirname(parent)) parent = path.dirname(parent);
    if (!fs.statSync(parent).isDirectory()) throw unusable(dir, `${parent} is a file, not a folder`);
    try {
      fs.accessSync(parent, fs.constants.W_OK);
    } catch (error) {
      throw unusable(dir, `${parent} is not writable (${explainFsError(error)})`, error);
    }
    return;
  }
  if (!stat.isDirectory()) throw unusable(dir, "it is a file, not a folder");
  const entries = fs.readdirSync(dir).filter((f) => !isLockEntry(f));
  if (entries.length === 0) return;
  const held = existingRun(dir);
  if (held === undefined) {
    const shown = entries.slice(0, 5).join(", ") + (entries.length > 5 ? `, … (${entries.length} in all)` : "");
    throw new TokenspiceError(
      "OUT_NOT_A_RUN",
      `Output folder ${dir} holds files that are not a hardhat-tokenspice run (${shown}). Nothing was written, ` +
        `and --force does not overwrite such a folder. Choose a new or empty folder with --out.`,
      { dir, entries: entries.slice(0, 20) },
    );
  }
  if (!force) {
    throw new TokenspiceError(
      "OUT_HOLDS_RUN",
      `Output folder ${dir} already holds a run (${held}). Nothing was written. ` +
        `Pass --force (or force: true) to overwrite it, or choose another --out.`,
      { dir, run: held },
    );
  }
}

/**
 * Writes a run's files as it goes: the manifest first (status "running"), a CSV row per KPI sample
 * and per revert appended synchronously, so a crash keeps everything done until then. Holds a lock
 * on the folder from `open` to `complete`/`fail`/`interrupt`, so a second process writing the same
 * folder is refused instead of interleaving its rows with ours.
 */
export class RunWriter implements SimulationObserver {
  private manifest: Record<string, unknown>;
  private releaseLock: (() => void) | undefined;
  private lockLost: string | undefined;

  private constructor(
    readonly dir: string,
    manifest: Record<string, unknown>,
  ) {
    this.manifest = manifest;
  }

  /**
   * Takes the folder: makes it, locks it, checks it again under the lock, and writes the manifest
   * and CSV headers. Replaces only the run files of a run of ours, and only with `force`.
   *
   * @throws TokenspiceError OUT_UNUSABLE, OUT_LOCKED, OUT_HOLDS_RUN, OUT_NOT_A_RUN
   */
  static open(dir: string, opts: { force: boolean; kpiNames: string[]; manifest: Record<string, unknown> }): RunWriter {
    assertOutDir(dir, opts.force);
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw unusable(dir, explainFsError(error), error);
    }
    const writer = new RunWriter(dir, { tool: MANIFEST_TOOL, ...opts.manifest, status: "running" satisfies RunStatus });
    writer.lock();
    try {
      assertOutDir(dir, opts.force); // another process may have written it between the check and the lock
      for (const f of Object.values(RUN_FILES)) fs.rmSync(path.join(dir, f), { force: true });
      writer.writeManifest();
      fs.writeFileSync(writer.file("kpis"), csvLine(["tick", "timestamp", ...opts.kpiNames]));
      fs.writeFileSync(writer.file("reverts"), csvLine(REVERT_COLUMNS));
    } catch (error) {
      writer.unlock();
      if (isTokenspiceError(error)) throw error;
      throw unusable(dir, explainFsError(error), error);
    }
    return writer;
  }

  file(kind: keyof typeof RUN_FILES): string {
    return path.join(this.dir, RUN_FILES[kind]);
  }

  onSample(sample: KpiSample): void {
    this.append("kpis", csvLine([sample.tick, sample.time, ...Object.values(sample.values).map(formatKpiCell)]));
  }

  onRevert(r: RevertRecord): void {
    // Reasons, call data and agent names come from contracts and users: text a spreadsheet could
    // take for a formula is neutralised (src/output/csv.ts).
    this.append("reverts", csvLine(REVERT_COLUMNS.map((c) => formatKpiCell(r[c]))));
  }

  /** Writes result.json, marks the manifest complete and releases the folder. */
  complete(result: unknown, extra: Record<string, unknown>): void {
    try {
      this.guardIo(() => fs.writeFileSync(this.file("result"), toJson(result)), "result");
      this.finish("complete", extra);
    } finally {
      this.unlock();
    }
  }

  /** Marks the manifest failed, with the error's code, message and details, and releases the folder. */
  fail(error: unknown, extra: Record<string, unknown>): void {
    // A node's error may quote an RPC URL with its key: scrubbed before it is written.
    const e = isTokenspiceError(error) ? { code: error.code, message: scrubSecrets(error.message), details: scrubDeep(error.details) } : { message: scrubSecrets(messageOf(error)) };
    try {
      this.finish("failed", { ...extra, error: e.message, errorCode: e.code ?? null, errorDetails: e.details ?? null });
    } finally {
      this.unlock();
    }
  }

  /**
   * Marks the manifest interrupted (a signal, or the process exiting with the run unfinished) and
   * releases the folder. Synchronous: it runs in signal and exit handlers. Never throws.
   */
  interrupt(reason: string, extra: Record<string, unknown> = {}): void {
    try {
      this.finish("interrupted", { ...extra, interruptedAt: new Date().toISOString(), error: reason });
    } catch {
      // the disk is gone: nothing more to save
    } finally {
      this.unlock();
    }
  }

  get status(): RunStatus {
    return this.manifest.status as RunStatus;
  }

  private finish(status: RunStatus, extra: Record<string, unknown>): void {
    if (this.status !== "running") return; // the first ending wins (a failure, then the exit handler)
    this.manifest = { ...this.manifest, ...extra, status, ...(this.lockLost ? { lockWarning: this.lockLost } : {}) };
    this.writeManifest();
  }

  private append(kind: keyof typeof RUN_FILES, text: string): void {
    this.guardIo(() => fs.appendFileSync(this.file(kind), text), kind);
  }

  private writeManifest(): void {
    this.guardIo(() => fs.writeFileSync(this.file("manifest"), toJson(this.manifest)), "manifest");
  }

  private guardIo(write: () => void, kind: keyof typeof RUN_FILES): void {
    try {
      write();
    } catch (error) {
      throw new TokenspiceError(
        "IO_ERROR",
        `Writing ${RUN_FILES[kind]} in ${this.dir} failed: ${explainFsError(error)}`,
        { outDir: this.dir, file: RUN_FILES[kind] },
        error,
      );
    }
  }

  private lock(): void {
    let lock: FolderLock | null;
    try {
      // Losing the lock (its folder deleted, a clock jump) must not crash the run: note it.
      lock = lockFolder(this.dir, (error) => {
        this.lockLost = `the folder's lock was lost during the run (${error.message})`;
      });
    } catch (error) {
      throw unusable(this.dir, explainFsError(error), error);
    }
    if (lock === null) {
      throw new TokenspiceError(
        "OUT_LOCKED",
        `Output folder ${this.dir} is being written by another run (${describeLockOwner(this.dir, LOCK_STALE_MS)}). ` +
          `Nothing was written. Wait for that run to end, or choose another --out.`,
        { dir: this.dir },
      );
    }
    this.releaseLock = () => lock.release();
  }

  private unlock(): void {
    const release = this.releaseLock;
    this.releaseLock = undefined;
    try {
      release?.();
    } catch {
      // already released or compromised: nothing to give back
    }
  }
}
