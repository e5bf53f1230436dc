import fs from "fs";
import path from "path";
import { task, types } from "hardhat/config";
import { asPluginErrorsSync } from "../src/hardhat/errors";
import { existingRun, RUN_FILES } from "../src/output/run-writer";
import { removeReport, writeRunReport, REPORT_FILES, type WrittenReport } from "../src/report/write";

task("sim-report", "Rebuilds a run folder's plots/ and report.html from its files alone (a copied or merged folder works)")
  .addPositionalParam("dir", "A run folder: it holds manifest.json and kpis.csv", undefined, types.string)
  .setAction(async ({ dir }: { dir: string }) => {
    const folder = path.resolve(dir);
    const written = asPluginErrorsSync(() => writeRunReport(folder));
    console.log(`Report: ${written.html}`);
    console.log(`Plots:  ${path.join(folder, REPORT_FILES.plots)} (${written.plots.length} files)`);
  });

/**
 * What `sim` does with a finished run's folder: writes the report (plots/ and report.html), or with
 * --no-report removes one a --force re-run would otherwise leave stale. Returns what it wrote.
 */
export function reportRun(out: string, noReport: boolean): WrittenReport | undefined {
  if (noReport) {
    removeReport(out);
    return undefined;
  }
  return asPluginErrorsSync(() => writeRunReport(out));
}

/**
 * Called before a run: returns what to do if the run fails, which is to write a report of what it
 * recorded when the run got as far as writing its files. Never for a folder that held another run
 * the runner refused to touch (without --force), and never hiding the run's own error: a report
 * that cannot be written is said, not thrown.
 */
export function failedRunReporter(out: string, force: boolean, noReport: boolean, log: (line: string) => void): () => void {
  const ours = force || existingRun(out) === undefined;
  return () => {
    if (noReport || !ours || !fs.existsSync(path.join(out, RUN_FILES.manifest))) return;
    try {
      log(`Report of what the run recorded: ${writeRunReport(out).html}`);
    } catch (error) {
      log(`No report for the failed run: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
