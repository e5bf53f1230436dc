import path from "path";
import { task, types } from "hardhat/config";
import { TokenspiceError, isTokenspiceError, messageOf } from "../src/errors";
import { removeReport, writeRunReport, REPORT_FILES, type WrittenReport } from "../src/report/write";
import { asCommand } from "./command";

task("sim-report", "Rebuilds a run folder's plots/ and report.html from its files alone (a copied or merged folder works)")
  .addPositionalParam("dir", "A run folder: it holds manifest.json and kpis.csv", undefined, types.string)
  .setAction(({ dir }: { dir: string }, hre) =>
    asCommand("sim-report", hre, async () => {
      const folder = path.resolve(dir);
      const written = asIoErrors(folder, () => writeRunReport(folder));
      console.log(`Report: ${written.html}`);
      console.log(`Plots:  ${path.join(folder, REPORT_FILES.plots)} (${written.plots.length} files)`);
    }),
  );

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
