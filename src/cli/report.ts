import path from "path";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import { removeReport, writeRunReport, REPORT_FILES, type WrittenReport } from "../report/write";
import { isCampaignFolder } from "../campaign/folder";
import { readCampaignStatus } from "../campaign/campaign";
import { RUN_FILES } from "../output/run-writer";
import { printOutputs, rebuildCampaignOutputs } from "../campaign/outputs";
import { isSearchFolder, writeSearchOutputs } from "../search/outputs";
import { CAMPAIGN_FILE } from "../output/formats/campaign-file";
import { CAMPAIGN_STATUS_FILE } from "../output/formats/campaign-status";
import { RUN_MANIFEST_FILE, hasRunManifest } from "../output/formats/run-manifest";
import { readSearchFile } from "../output/formats/search-file";
import { lockOrRefuse } from "../output/folder-lock";
import { plural } from "../report/format";
import type { CliOutput } from "./context";

/** The arguments of `sim-report`. */
export interface ReportArgs {
  /** A run, campaign or search folder. */
  dir: string;
}

/**
 * `sim-report <dir>`: rebuilds a run folder's plots/ and report.html, or a campaign's or search's
 * outputs and report, from its files alone, and prints what it wrote.
 * @throws TokenspiceError RUN_FOLDER_INVALID for a folder that is none of the three; OUT_LOCKED for
 *   one a live process is writing; IO_ERROR when a run's report cannot be written
 */
export async function reportCommand(args: ReportArgs, output: CliOutput): Promise<void> {
  const folder = path.resolve(args.dir);
  if (!isSearchFolder(folder) && !isCampaignFolder(folder) && !hasRunManifest(folder)) {
    throw new TokenspiceError(
      "RUN_FOLDER_INVALID",
      `${folder} is not a run folder: it has no ${RUN_MANIFEST_FILE} (a run folder holds ${Object.values(RUN_FILES).join(", ")}); nor is it a campaign folder: it has no ${CAMPAIGN_FILE}.`,
      { dir: folder },
    );
  }
  // One writer a folder: a run, campaign or search still being written (its lock held by a live
  // process) is refused (OUT_LOCKED), not rebuilt under its writer.
  // (a campaign's status is read first: with the lock ours, "running" would be believed)
  const status = isCampaignFolder(folder) && !isSearchFolder(folder) ? readCampaignStatus(folder) : undefined;
  const release = lockOrRefuse(folder, "sim-report: folder");
  try {
    await rebuild(folder, status, output);
  } finally {
    release();
  }
}

/** sim-report's work on a folder whose lock it holds: a search's, a campaign's or a run's outputs rebuilt, and what was written printed. */
async function rebuild(folder: string, status: ReturnType<typeof readCampaignStatus> | undefined, output: CliOutput): Promise<void> {
  const log = (line: string) => output.log(line);
  if (isSearchFolder(folder)) {
    const written = await writeSearchOutputs(folder);
    const search = readSearchFile(folder);
    log(`Search: ${search.kind} of ${search.netlist}`);
    printOutputs(folder, { report: false }, log);
    log(`Report: ${written.report}`);
    return;
  }
  if (isCampaignFolder(folder)) {
    const written = await rebuildCampaignOutputs(folder);
    const { counts } = written;
    log(`Campaign: ${plural(counts.runs, "run")} at ${plural(counts.points, "point")}: ${counts.complete} complete, ${counts.failed} failed${counts.missing ? `, ${counts.missing} missing` : ""}`);
    // A campaign that did not end (interrupted, or "running" with its process gone) says how to continue it.
    if (status?.resume)
      log(`Status: ${status.state === "stopped" ? `stopped (${CAMPAIGN_STATUS_FILE} says running, but no process is writing it)` : status.state}; continue it with: ${status.resume}`);
    printOutputs(folder, {}, log);
    log(`Report: ${written.report}`);
    log(`Plots:  ${path.join(folder, REPORT_FILES.plots)} (${written.files.filter((f) => f.startsWith(path.join(folder, REPORT_FILES.plots) + path.sep)).length} files)`);
    return;
  }
  const written = asIoErrors(folder, () => writeRunReport(folder));
  log(`Report: ${written.html}`);
  log(`Plots:  ${path.join(folder, REPORT_FILES.plots)} (${written.plots.length} files)`);
}

/**
 * What `sim` does with a finished run's folder: writes the report (plots/ and report.html), or with
 * --no-report removes one a --force re-run would otherwise leave stale. Returns what it wrote.
 * @throws TokenspiceError IO_ERROR naming the folder
 */
export function reportRun(out: string, noReport: boolean): WrittenReport | undefined {
  return asIoErrors(out, () => {
    if (noReport) {
      removeReport(out);
      return undefined;
    }
    return writeRunReport(out);
  });
}

/** File-system failures writing the report become one IO_ERROR naming the folder. */
function asIoErrors<T>(dir: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isTokenspiceError(error)) throw error;
    throw new TokenspiceError("IO_ERROR", `Writing the report in ${dir} failed: ${messageOf(error)}`, { outDir: dir }, error);
  }
}

/**
 * A report of what a failed run recorded, in the folder its runner opened. Never hides the run's
 * own error: a report that cannot be written is said, not thrown.
 */
export function reportFailedRun(out: string, log: (line: string) => void): void {
  try {
    log(`Report of what the run recorded: ${writeRunReport(out).html}`);
  } catch (error) {
    log(`No report for the failed run: ${messageOf(error)}`);
  }
}
