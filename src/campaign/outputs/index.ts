/**
 * A campaign's outputs, built from its folder by a registry of writers (`CAMPAIGN_OUTPUT_WRITERS`,
 * a name → output map, as vitest's reporters): `bands.csv`, `points.csv`, `runs.csv` (./csv.ts), the
 * DuckDB database `campaign.duckdb` (./duckdb.ts), `samples.parquet`, `runs.parquet`,
 * `points.parquet` (./parquet.ts), and the campaign report, `report.html` and `plots/`
 * (./report.ts). Each is a `CampaignOutput` (./writer.ts) with optional hooks begin / run / point /
 * end; adding an output is one file, one entry here, one test.
 *
 * Everything written depends only on the campaign document (the campaign file) and the runs' files
 * (the KPI table, the run manifest's status and `kpis`, `paramSpecs`, `time`, `netlist.description`) and,
 * when given, the backends' outcomes: never on timings, the order files were written or listed in,
 * how many workers ran, or the clock. Rows are sorted by point key, replicate, tick and KPI
 * declaration order. So the same campaign run by 1 worker, by 2, or as 3 shards merged gives
 * byte-identical CSV, Parquet, report and plot files (campaign.duckdb holds the same rows; see the
 * README for its bytes).
 *
 * Memory: runs are read one KPI table at a time, and aggregated one point at a time: what is held is
 * one point's complete runs as doubles (replicates × samples × KPIs × 8 bytes) and its bands
 * (samples × KPIs distributions), plus the report's fan-chart data; rows go to DuckDB's appender
 * and the CSV files as they are made.
 */
import fs from "fs";
import path from "path";
import { TokenspiceError, isTokenspiceError, messageOf } from "../../errors";
import { REPORT_FILES } from "../../report/write";
import { loadRenderer } from "../../report/render";
import { runFolder } from "../folder";
import { CAMPAIGN_FILE, assertCampaign, readCampaignFile, type CampaignDocument } from "../../output/formats/campaign-file";
import { KPIS_CSV_FILE, kpiCellNumber, kpisCsvPath, readKpisCsv } from "../../output/formats/kpis-csv";
import { distribution, type Distribution } from "../stats";
import { Store } from "../store";
import type { RunOutcome } from "../types";
import { bandsCsv, CSV_FILES, pointsCsv, runsCsv } from "./csv";
import { database, DATABASE_FILE } from "./duckdb";
import { outputContext } from "./facts";
import { parquet, PARQUET_FILES } from "./parquet";
import { report } from "./report";
import { byText } from "./views";
import type { CampaignCounts, CampaignOutput, CampaignOutputOptions, CampaignOutputWriter } from "./writer";

export type { CampaignCounts, CampaignOutput, CampaignOutputContext, CampaignOutputOptions, CampaignOutputWriter, NetlistFacts, PointRecord, RunRecord } from "./writer";
export { sweepOrder, varyingParams } from "./views";
export { readFinalKpis, type PointFinals } from "./finals";

/**
 * Every campaign output, by name, in the order they are written (an output comes after those it
 * `requires`). `sim`, `sim-merge` and `sim-report` write them all and list their files from here.
 */
export const CAMPAIGN_OUTPUT_WRITERS = {
  "bands-csv": bandsCsv,
  "points-csv": pointsCsv,
  "runs-csv": runsCsv,
  database,
  parquet,
  report,
} as const satisfies Record<string, CampaignOutput>;

/** A campaign output's name: a key of `CAMPAIGN_OUTPUT_WRITERS` ("bands-csv", "points-csv", "runs-csv", "database", "parquet", "report"). */
export type CampaignOutputName = keyof typeof CAMPAIGN_OUTPUT_WRITERS;

/** The files a campaign's outputs are, relative to its folder. */
export const CAMPAIGN_OUTPUT_FILES = {
  bands: CSV_FILES.bands,
  points: CSV_FILES.points,
  runs: CSV_FILES.runs,
  database: DATABASE_FILE,
  samplesParquet: PARQUET_FILES.samples,
  runsParquet: PARQUET_FILES.runs,
  pointsParquet: PARQUET_FILES.points,
  report: REPORT_FILES.html,
  plots: REPORT_FILES.plots,
} as const;

/**
 * The files the outputs write, relative to the campaign folder, in registry order (a folder ends in
 * "/"); without the outputs `options` turns off (the report with `report: false`).
 */
export function campaignOutputFiles(options: Pick<CampaignOutputOptions, "report" | "outputs"> = {}): string[] {
  return outputsOf(options)
    .filter((o) => o.enabled?.(options) !== false)
    .flatMap((o) => o.files);
}

/**
 * Prints the list of a campaign's (or search's) output files in `dir`, from this registry: those the
 * options write and the folder holds (a shard holds none), as one line: `Outputs: a, b (in <dir>)`.
 */
export function printOutputs(dir: string, options: Pick<CampaignOutputOptions, "report">, log: (line: string) => void): void {
  const files = campaignOutputFiles(options).filter((f) => fs.existsSync(path.join(dir, f)));
  if (files.length > 0) log(`Outputs: ${files.join(", ")} (in ${dir})`);
}

/**
 * What writing a campaign's outputs produced: every file (absolute paths, sorted), report.html's path (null when not written) and the run and point counts.
 */
export interface CampaignOutputs {
  /** Absolute paths of every file written, sorted. */
  files: string[];
  /** Absolute path of report.html, when written. */
  report: string | null;
  counts: CampaignCounts;
}

function outputsOf(options: Pick<CampaignOutputOptions, "outputs">): readonly CampaignOutput[] {
  const outputs = options.outputs ?? Object.values(CAMPAIGN_OUTPUT_WRITERS);
  const seen = new Set<string>();
  for (const o of outputs) {
    if (seen.has(o.name)) throw new TokenspiceError("OPTION_INVALID", `Campaign output "${o.name}" is listed twice.`, { output: o.name });
    for (const r of o.requires ?? []) {
      if (!seen.has(r)) throw new TokenspiceError("OPTION_INVALID", `Campaign output "${o.name}" needs "${r}" before it in the list of outputs.`, { output: o.name, requires: r });
    }
    seen.add(o.name);
  }
  return outputs;
}

/**
 * Builds a campaign's outputs in `dir` from its runs' files: every output of the registry (or
 * `options.outputs`), unless the options turn it off (`report: false`). Files are made in a scratch
 * folder inside `dir` and moved into place at the end, so a failure leaves the previous outputs as
 * they were.
 *
 * @param dir the campaign folder: it holds `runs/<point key>/r<k>/`
 * @param campaign what the campaign file holds (pass the object written there: its `command`,
 *   `versions` and `specHash` show in the report)
 * @param outcomes the backends' outcomes by run key; a run without one takes its status from its
 *   manifest (`runStatusFromFiles`). An outcome wins over the manifest (a worker that died leaves
 *   a manifest saying "running"; its outcome says WORKER_DIED). `attempts` is not recorded: it
 *   depends on how workers fared, not on the campaign.
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID (a malformed campaign or run file, named),
 *   STORE_FAILED (DuckDB), IO_ERROR (the disk), OPTION_INVALID (`options.outputs` out of order)
 */
export async function writeCampaignOutputs(
  dir: string,
  campaign: CampaignDocument,
  outcomes: ReadonlyMap<string, RunOutcome> = new Map(),
  options: CampaignOutputOptions = {},
): Promise<CampaignOutputs> {
  const root = path.resolve(dir);
  assertCampaign(campaign, path.join(root, CAMPAIGN_FILE));
  const outputs = outputsOf(options);
  let scratch: string | undefined;
  try {
    scratch = fs.mkdtempSync(path.join(root, ".tokenspice-outputs-"));
    const counts = await build(root, scratch, campaign, outcomes, options, outputs);
    const files = moveIntoPlace(scratch, root, outputs, options);
    const report = path.join(root, CAMPAIGN_OUTPUT_FILES.report);
    return { files, report: files.includes(report) ? report : null, counts };
  } catch (error) {
    if (isTokenspiceError(error)) throw error;
    throw new TokenspiceError("IO_ERROR", `Writing the campaign's outputs in ${root} failed: ${messageOf(error)}`, { outDir: root }, error);
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Loads what writing the outputs loads lazily (DuckDB and its native library, ECharts: ≈0.4 s of a
 * cold build's 1–3 s), without writing or rendering anything, so the outputs' build at the end does
 * not pay for it. A campaign calls it while worker processes run its runs, when its own process is
 * idle. Best effort: a module that cannot load is left to the build to report.
 */
export function warmCampaignOutputs(): void {
  for (const load of [() => Store.load(), () => loadRenderer()]) {
    try {
      load();
    } catch {
      // the build says what is wrong, with its own error
    }
  }
}

/**
 * Rebuilds a campaign's outputs from its folder alone: the campaign file, and each run's status from
 * its manifest (what `sim-report <campaign folder>` does, and what merging shards needs).
 */
export async function rebuildCampaignOutputs(dir: string, options: CampaignOutputOptions = {}): Promise<CampaignOutputs> {
  return writeCampaignOutputs(dir, readCampaignFile(path.resolve(dir)), new Map(), options);
}

/**
 * Clears what earlier builds left (each output's `stale` files; its `remove`, or when it is off its
 * files), then moves the scratch folder's files over the campaign's (a folder's files into it) and
 * returns their final paths, sorted.
 */
function moveIntoPlace(scratch: string, root: string, outputs: readonly CampaignOutput[], options: CampaignOutputOptions): string[] {
  for (const o of outputs) {
    for (const f of o.stale ?? []) fs.rmSync(path.join(root, f), { force: true });
    if (o.remove) o.remove(root);
    else if (o.enabled?.(options) === false) for (const f of o.files) fs.rmSync(path.join(root, f), { recursive: true, force: true });
  }
  const files: string[] = [];
  for (const name of fs.readdirSync(scratch).sort(byText)) {
    const from = path.join(scratch, name);
    if (name.endsWith(".wal")) continue;
    if (fs.statSync(from).isDirectory()) {
      const into = path.join(root, name);
      fs.mkdirSync(into, { recursive: true });
      for (const file of fs.readdirSync(from).sort(byText)) {
        fs.renameSync(path.join(from, file), path.join(into, file));
        files.push(path.join(into, file));
      }
      continue;
    }
    fs.renameSync(from, path.join(root, name));
    files.push(path.join(root, name));
  }
  return files.sort(byText);
}

/** Reads the runs once, in order, and hands each output's writer the same records. Returns the counts. */
async function build(
  root: string,
  scratch: string,
  campaign: CampaignDocument,
  outcomes: ReadonlyMap<string, RunOutcome>,
  options: CampaignOutputOptions,
  outputs: readonly CampaignOutput[],
): Promise<CampaignCounts> {
  let opened: Promise<Store> | undefined;
  const store = () => (opened ??= Store.create(path.join(scratch, DATABASE_FILE)));
  const ctx = outputContext(root, scratch, campaign, outcomes, options, store);
  const writers: CampaignOutputWriter[] = outputs.filter((o) => o.enabled?.(options) !== false).map((o) => o.writer());
  const { points, runsByPoint, statuses, kpiNames } = ctx;
  const K = kpiNames.length;
  try {
    for (const w of writers) await w.begin?.(ctx);
    const counts: CampaignCounts = { points: points.length, runs: ctx.ordered.length, complete: 0, failed: 0, missing: 0 };

    for (const point of points) {
      const runs = runsByPoint.get(point.key)!;
      const pc = { complete: 0, failed: 0, missing: 0 };
      let ticks: number[] | undefined;
      let times: number[] | undefined;
      const series: Float64Array[] = []; // complete runs: K × T, KPI-major
      for (const run of runs) {
        const folder = runFolder(root, run);
        const status = statuses.get(run.key)!;
        pc[status.status]++;
        counts[status.status]++;
        const table = status.status === "missing" ? undefined : readKpisCsv(folder);
        if (status.status === "complete" && !table) {
          throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `Run "${run.key}" is complete but its folder has no ${KPIS_CSV_FILE} (${folder}).`, { run: run.key, folder });
        }
        if (table && table.kpis.join("\u0000") !== kpiNames.join("\u0000")) {
          throw new TokenspiceError(
            "CAMPAIGN_FOLDER_INVALID",
            `Run "${run.key}" has KPIs ${table.kpis.join(", ")} in its ${KPIS_CSV_FILE}, but the campaign's runs have ${kpiNames.join(", ")}: a campaign's runs must be of one netlist.`,
            { run: run.key, folder },
          );
        }
        const rows = table?.rows ?? [];
        const file = kpisCsvPath(folder);
        const runTicks: number[] = [];
        const runTimes: number[] = [];
        const T = rows.length;
        const values = new Float64Array(K * T);
        const exact: (string | null)[] = new Array(K * T);
        rows.forEach((row, i) => {
          if (row.length !== K + 2) throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}, row ${i + 2}: ${row.length} cells for ${K + 2} columns.`, { file });
          const tick = Number(row[0]);
          const time = Number(row[1]);
          if (!Number.isSafeInteger(tick) || !Number.isSafeInteger(time)) throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}, row ${i + 2}: tick and timestamp must be integers.`, { file });
          runTicks.push(tick);
          runTimes.push(time);
          for (let k = 0; k < K; k++) {
            const cell = kpiCellNumber(row[k + 2]); // readKpisCsv checked every cell
            values[k * T + i] = cell.value;
            exact[k * T + i] = cell.exact;
          }
        });
        if (status.status === "complete") {
          if (T === 0) throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `Run "${run.key}" is complete but its ${KPIS_CSV_FILE} has no rows.`, { run: run.key, file });
          if (!ticks) {
            ticks = runTicks;
            times = runTimes;
          } else if (ticks.length !== T || ticks.some((t, i) => t !== runTicks[i])) {
            throw new TokenspiceError(
              "CAMPAIGN_FOLDER_INVALID",
              `Run "${run.key}" sampled ticks ${runTicks[0]}…${runTicks[T - 1]} (${T}), unlike the other complete runs of its point (${ticks.length}): its ${KPIS_CSV_FILE} is not of this campaign.`,
              { run: run.key, file },
            );
          }
          series.push(values);
        }
        for (const w of writers) await w.run?.({ run, point, status, ticks: runTicks, times: runTimes, values, exact });
      }

      // Bands: per tick and KPI, across the point's complete runs (in replicate order).
      const T = ticks?.length ?? 0;
      const bands: Distribution[][] = kpiNames.map(() => new Array<Distribution>(T));
      const column = new Float64Array(series.length);
      for (let t = 0; t < T; t++) {
        for (let k = 0; k < K; k++) {
          for (let r = 0; r < series.length; r++) column[r] = series[r][k * T + t];
          bands[k][t] = distribution(column);
        }
      }
      // Finals: per KPI, the distribution of the complete runs' final values.
      const finals: Distribution[] = [];
      const last = new Float64Array(series.length);
      for (let k = 0; k < K; k++) {
        for (let r = 0; r < series.length; r++) last[r] = series[r][k * T + T - 1];
        finals.push(distribution(last));
      }
      for (const w of writers) await w.point?.({ point, runs, counts: pc, ticks: ticks ?? [], times: times ?? [], bands, finals });
    }

    for (const w of writers) await w.end?.(counts);
    if (opened) await (await opened).close();
    return counts;
  } catch (error) {
    if (opened)
      await opened.then(
        (s) => s.dispose(),
        () => undefined,
      );
    throw error;
  }
}
