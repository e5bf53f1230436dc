import fs from "fs";
import path from "path";
import { task, types } from "hardhat/config";
import { TokenspiceError, isTokenspiceError, messageOf } from "../src/errors";
import { removeReport, writeRunReport, REPORT_FILES, type WrittenReport } from "../src/report/write";
import { isCampaignFolder } from "../src/campaign/folder";
import { readCampaignStatus } from "../src/campaign/campaign";
import { RUN_FILES } from "../src/output/run-writer";
import { RUN_MANIFEST_FILE, hasRunManifest } from "../src/output/formats/run-manifest";
import { CAMPAIGN_FILE } from "../src/output/formats/campaign-file";
import { CAMPAIGN_STATUS_FILE } from "../src/output/formats/campaign-status";
import { KPIS_CSV_FILE } from "../src/output/formats/kpis-csv";
import { SEARCH_FILE, readSearchFile } from "../src/output/formats/search-file";
import { campaignOutputFiles, rebuildCampaignOutputs, type CampaignOutputOptions } from "../src/campaign/outputs";
import { isSearchFolder, writeSearchOutputs } from "../src/search/outputs";
import { lockOrRefuse } from "../src/output/folder-lock";
import { plural } from "../src/report/format";
import { asCommand } from "./command";

task("sim-report", "Rebuilds a run folder's plots/ and report.html, or a campaign's or search's outputs and report, from its files alone (a copied or merged folder works)")
  .addPositionalParam("dir", `A run folder (it holds ${RUN_MANIFEST_FILE} and ${KPIS_CSV_FILE}), a campaign folder (${CAMPAIGN_FILE} and runs/) or a search folder (${SEARCH_FILE} and runs/)`, undefined, types.string)
  .setAction(({ dir }: { dir: string }, hre) =>
    asCommand("sim-report", hre, async () => {
      const folder = path.resolve(dir);
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
        await rebuild(folder, status);
      } finally {
        release();
      }
    }),
  );

/** sim-report's work on a folder whose lock it holds: a search's, a campaign's or a run's outputs rebuilt, and what was written printed. */
async function rebuild(folder: string, status: ReturnType<typeof readCampaignStatus>): Promise<void> {
  if (isSearchFolder(folder)) {
    const written = await writeSearchOutputs(folder);
    const search = readSearchFile(folder);
    console.log(`Search: ${search.kind} of ${search.netlist}`);
    printOutputs(folder, { report: false }, (line) => console.log(line));
    console.log(`Report: ${written.report}`);
    return;
  }
  if (isCampaignFolder(folder)) {
    const written = await rebuildCampaignOutputs(folder);
    const { counts } = written;
    console.log(`Campaign: ${plural(counts.runs, "run")} at ${plural(counts.points, "point")}: ${counts.complete} complete, ${counts.failed} failed${counts.missing ? `, ${counts.missing} missing` : ""}`);
    // A campaign that did not end (interrupted, or "running" with its process gone) says how to continue it.
    if (status?.resume) console.log(`Status: ${status.state === "stopped" ? `stopped (${CAMPAIGN_STATUS_FILE} says running, but no process is writing it)` : status.state}; continue it with: ${status.resume}`);
    printOutputs(folder, {}, (line) => console.log(line));
    console.log(`Report: ${written.report}`);
    console.log(`Plots:  ${path.join(folder, REPORT_FILES.plots)} (${written.files.filter((f) => f.startsWith(path.join(folder, REPORT_FILES.plots) + path.sep)).length} files)`);
    return;
  }
  const written = asIoErrors(folder, () => writeRunReport(folder));
  console.log(`Report: ${written.html}`);
  console.log(`Plots:  ${path.join(folder, REPORT_FILES.plots)} (${written.plots.length} files)`);
}

/**
 * Lists a campaign's (or search's) output files in `dir`, from the registry of campaign outputs
 * (src/campaign/outputs): those the options write and the folder holds (a shard holds none).
 */
export function printOutputs(dir: string, options: Pick<CampaignOutputOptions, "report">, log: (line: string) => void): void {
  const files = campaignOutputFiles(options).filter((f) => fs.existsSync(path.join(dir, f)));
  if (files.length > 0) log(`Outputs: ${files.join(", ")} (in ${dir})`);
}

/**
 * What `sim` does with a finished run's folder: writes the report (plots/ and report.html), or with
 * --no-report removes one a --force re-run would otherwise leave stale. Returns what it wrote.
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
