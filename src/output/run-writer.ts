import fs from "fs";
import path from "path";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import type { KpiSample, SimulationObserver } from "../engine/engine";
import type { RevertRecord } from "../engine/reverts";
import { KPIS_CSV_FILE, kpisCsvHeader, kpisCsvRow } from "./formats/kpis-csv";
import { REVERTS_CSV_FILE, revertsCsvHeader, revertsCsvRow } from "./formats/reverts-csv";
import { MANIFEST_TOOL, RUN_MANIFEST_FILE, writeRunManifest, type RunManifest, type RunStatus } from "./formats/run-manifest";
import { RUN_RESULT_FILE, writeRunResult } from "./formats/run-result";
import { checkFolder, explainFsError, takeFolder } from "./take-folder";
import { scrubDeep, scrubSecrets } from "./secrets";

export { toJson } from "./json";
export { MANIFEST_TOOL, type RunStatus } from "./formats/run-manifest";

/** A run's files in its folder, by what they hold (each format's module: src/output/formats/). */
export const RUN_FILES = {
  kpis: KPIS_CSV_FILE,
  reverts: REVERTS_CSV_FILE,
  result: RUN_RESULT_FILE,
  manifest: RUN_MANIFEST_FILE,
} as const;

/** The lock that keeps two processes from writing one run folder (src/output/folder-lock.ts). */
export { LOCK_NAME } from "./folder-lock";

/**
 * Checks that `dir` can take a new run, without writing anything.
 * @deprecated use `checkFolder(dir, "run", { force })` (src/output/take-folder.ts)
 * @throws TokenspiceError OUT_UNUSABLE, OUT_HOLDS_RUN or OUT_NOT_A_RUN
 */
export function assertOutDir(dir: string, force: boolean): void {
  checkFolder(dir, "run", { force });
}

/**
 * Writes a run's files as it goes: the manifest first (status "running"), a CSV row per KPI sample
 * and per revert appended synchronously, so a crash keeps everything done until then. Holds a lock
 * on the folder from `open` to `complete`/`fail`/`interrupt`, so a second process writing the same
 * folder is refused instead of interleaving its rows with ours.
 */
export class RunWriter implements SimulationObserver {
  private manifest: RunManifest;
  private releaseLock: (() => void) | undefined;
  private lockLost: string | undefined;

  private constructor(
    readonly dir: string,
    manifest: RunManifest,
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
    const writer = new RunWriter(dir, { tool: MANIFEST_TOOL, ...opts.manifest, status: "running" satisfies RunStatus });
    // takeFolder makes, locks and checks the folder (again under the lock) and, with force, removes the run files it replaces
    writer.releaseLock = takeFolder(dir, "run", {
      force: opts.force,
      onLockLost: (error) => {
        // Losing the lock (its folder deleted, a clock jump) must not crash the run: note it.
        writer.lockLost = `the folder's lock was lost during the run (${error.message})`;
      },
    }).release;
    try {
      writer.writeManifest();
      fs.writeFileSync(writer.file("kpis"), kpisCsvHeader(opts.kpiNames));
      fs.writeFileSync(writer.file("reverts"), revertsCsvHeader());
    } catch (error) {
      writer.unlock();
      if (isTokenspiceError(error)) throw error;
      throw new TokenspiceError("OUT_UNUSABLE", `Cannot write a run to ${dir}: ${explainFsError(error)}. Choose a writable folder with --out (or \`out\`).`, { dir }, error);
    }
    return writer;
  }

  file(kind: keyof typeof RUN_FILES): string {
    return path.join(this.dir, RUN_FILES[kind]);
  }

  onSample(sample: KpiSample): void {
    this.append("kpis", kpisCsvRow(sample));
  }

  onRevert(r: RevertRecord): void {
    // Reasons, call data and agent names come from contracts and users: text a spreadsheet could
    // take for a formula is neutralised (src/output/csv.ts).
    this.append("reverts", revertsCsvRow(r));
  }

  /** Writes the run's result, marks the manifest complete and releases the folder. */
  complete(result: unknown, extra: Record<string, unknown>): void {
    try {
      this.guardIo(() => writeRunResult(this.dir, result), "result");
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
    return this.manifest.status;
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
    this.guardIo(() => writeRunManifest(this.dir, this.manifest), "manifest");
  }

  private guardIo(write: () => void, kind: keyof typeof RUN_FILES): void {
    try {
      write();
    } catch (error) {
      throw new TokenspiceError("IO_ERROR", `Writing ${RUN_FILES[kind]} in ${this.dir} failed: ${explainFsError(error)}`, { outDir: this.dir, file: RUN_FILES[kind] }, error);
    }
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
