/**
 * A campaign's outputs, built from its folder: `bands.csv`, `points.csv`, `runs.csv`, the DuckDB
 * database `campaign.duckdb`, `samples.parquet`, `runs.parquet`, `points.parquet`, and the campaign
 * report (`report.html`, `plots/`).
 *
 * Everything written depends only on the campaign document (campaign.json) and the runs' files
 * (kpis.csv, manifest.json's status and `kpis`, `paramSpecs`, `time`, `netlist.description`) and,
 * when given, the backends' outcomes: never on timings, the order files were written or listed in,
 * how many workers ran, or the clock. Rows are sorted by point key, replicate, tick and KPI
 * declaration order. So the same campaign run by 1 worker, by 2, or as 3 shards merged gives
 * byte-identical CSV, Parquet, report and plot files (campaign.duckdb holds the same rows; see the
 * README for its bytes).
 *
 * Memory: runs are read one kpis.csv at a time, and aggregated one point at a time: what is held is
 * one point's complete runs as doubles (replicates × samples × KPIs × 8 bytes) plus the report's
 * fan-chart data; rows go to DuckDB's appender and the CSV files as they are made.
 */
import fs from "fs";
import path from "path";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import { csvLine, readCsv } from "../output/csv";
import { formatParam } from "../report/format";
import type { KpiInfo } from "../model/kpi";
import type { ParamSpecInfo } from "../model/params";
import { removeReport, REPORT_FILES } from "../report/write";
import { evenlySpread, writeCampaignReport, type CampaignReportData, type FanData, type ReportPoint, type ReportRun } from "../report/campaign";
import {
  CAMPAIGN_JSON,
  checkCampaign,
  parseCell,
  readCampaign,
  readKpiTable,
  readManifest,
  runFolder,
  runStatusFromFiles,
  runStatusFromOutcome,
  type CampaignDocument,
  type RunStatus,
} from "./folder";
import { distribution, type Distribution } from "./stats";
import { Store, uniqueColumnNames, type Cell, type ColumnSpec, type SqlType, type TableSpec, type TableWriter } from "./store";
import type { CampaignPoint, CampaignRun, ParamValue, RunOutcome } from "./types";

/** The files a campaign's outputs are, relative to its folder. */
export const CAMPAIGN_OUTPUT_FILES = {
  bands: "bands.csv",
  points: "points.csv",
  runs: "runs.csv",
  database: "campaign.duckdb",
  samplesParquet: "samples.parquet",
  runsParquet: "runs.parquet",
  pointsParquet: "points.parquet",
  report: REPORT_FILES.html,
  plots: REPORT_FILES.plots,
} as const;

export interface CampaignOutputOptions {
  /** Write report.html and plots/ (default true); false removes a report written before. */
  report?: boolean;
  /** A PNG beside each plot's SVG (default true). */
  png?: boolean;
  /** Individual runs drawn thin on each fan chart (default 20). */
  maxRuns?: number;
  /** Points whose fan charts the report holds (default 12; more are chosen evenly in sweep order). */
  maxFanPoints?: number;
  /** Names the tool in the report's footer. */
  generator?: string;
}

export interface CampaignOutputs {
  /** Absolute paths of every file written, sorted. */
  files: string[];
  /** Absolute path of report.html, when written. */
  report: string | null;
  counts: { points: number; runs: number; complete: number; failed: number; missing: number };
}

const PERCENTILE_COLUMNS = ["p5", "p25", "p50", "p75", "p95"] as const;

/** Sample rows appended between checkpoints: bounds what DuckDB holds in memory (about 10 MB of rows). */
const CHECKPOINT_ROWS = 200_000;

/** Code-unit order (never the locale's): the same everywhere. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Builds a campaign's outputs in `dir` from its runs' files: the CSVs, the DuckDB database, the
 * Parquet files, and (unless `report: false`) report.html and plots/. Files are made in a scratch
 * folder inside `dir` and moved into place at the end, so a failure leaves the previous outputs as
 * they were.
 *
 * @param dir the campaign folder: it holds `runs/<point key>/r<k>/`
 * @param campaign what campaign.json holds (pass the object written there: its `command`,
 *   `versions` and `specHash` show in the report)
 * @param outcomes the backends' outcomes by run key; a run without one takes its status from its
 *   manifest (`runStatusFromFiles`). An outcome wins over the manifest (a worker that died leaves
 *   a manifest saying "running"; its outcome says WORKER_DIED). `attempts` is not recorded: it
 *   depends on how workers fared, not on the campaign.
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID (a malformed campaign or run file, named),
 *   STORE_FAILED (DuckDB), IO_ERROR (the disk)
 */
export async function writeCampaignOutputs(
  dir: string,
  campaign: CampaignDocument,
  outcomes: ReadonlyMap<string, RunOutcome> = new Map(),
  options: CampaignOutputOptions = {},
): Promise<CampaignOutputs> {
  const root = path.resolve(dir);
  checkCampaign(campaign, path.join(root, CAMPAIGN_JSON));
  let scratch: string | undefined;
  try {
    scratch = fs.mkdtempSync(path.join(root, ".tokenspice-outputs-"));
    const built = await build(root, scratch, campaign, outcomes, options);
    const files = moveIntoPlace(scratch, root, options.report !== false);
    return { files, report: options.report === false ? null : path.join(root, CAMPAIGN_OUTPUT_FILES.report), counts: built.counts };
  } catch (error) {
    if (isTokenspiceError(error)) throw error;
    throw new TokenspiceError("IO_ERROR", `Writing the campaign's outputs in ${root} failed: ${messageOf(error)}`, { outDir: root }, error);
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Rebuilds a campaign's outputs from its folder alone: campaign.json, and each run's status from
 * its manifest (what `sim-report <campaign folder>` does, and what merging shards needs).
 */
export async function rebuildCampaignOutputs(dir: string, options: CampaignOutputOptions = {}): Promise<CampaignOutputs> {
  return writeCampaignOutputs(dir, readCampaign(path.resolve(dir)), new Map(), options);
}

/** Moves the scratch folder's files over the campaign's, and returns their final paths, sorted. */
function moveIntoPlace(scratch: string, root: string, report: boolean): string[] {
  const files: string[] = [];
  removeReport(root);
  fs.rmSync(path.join(root, `${CAMPAIGN_OUTPUT_FILES.database}.wal`), { force: true });
  for (const name of fs.readdirSync(scratch).sort(byText)) {
    const from = path.join(scratch, name);
    if (name === CAMPAIGN_OUTPUT_FILES.plots) {
      if (!report) continue;
      const plots = path.join(root, CAMPAIGN_OUTPUT_FILES.plots);
      fs.mkdirSync(plots, { recursive: true });
      for (const plot of fs.readdirSync(from).sort(byText)) {
        fs.renameSync(path.join(from, plot), path.join(plots, plot));
        files.push(path.join(plots, plot));
      }
      continue;
    }
    if (name.endsWith(".wal")) continue;
    fs.renameSync(from, path.join(root, name));
    files.push(path.join(root, name));
  }
  return files.sort(byText);
}

/**
 * A CSV file written a row at a time (csv-stringify quotes names with commas or quotes; text a
 * spreadsheet could take for a formula is neutralised, src/output/csv.ts).
 */
class CsvFile {
  private fd: number;
  private buffer: string[] = [];
  private size = 0;

  constructor(file: string, header: readonly string[]) {
    this.fd = fs.openSync(file, "w");
    this.row(header);
  }

  row(cells: readonly Cell[]): void {
    const line = csvLine(cells);
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 16) this.flush();
  }

  private flush(): void {
    fs.writeSync(this.fd, this.buffer.join(""));
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** A table written to DuckDB and, when it has one, to a CSV file, with the same columns and rows. */
class Output {
  constructor(
    readonly table: TableWriter,
    private readonly csv?: CsvFile,
  ) {}

  row(cells: Cell[]): void {
    this.table.row(cells);
    this.csv?.row(cells);
  }

  close(): void {
    this.table.close();
    this.csv?.close();
  }
}

/** What the manifests say about the netlist, from the first run (in sorted order) that has a manifest. */
interface NetlistFacts {
  description: string;
  kpis: KpiInfo[];
  paramSpecs: Record<string, ParamSpecInfo>;
  time: { stepSeconds: number; start: number | null } | null;
}

function defaultKpi(name: string): KpiInfo {
  return { name, label: name, unit: "", decimals: 0, scale: "linear", group: null, doc: "" };
}

function netlistFacts(root: string, ordered: CampaignRun[], statuses: Map<string, RunStatus>): NetlistFacts {
  for (const run of ordered) {
    if (statuses.get(run.key)!.status === "missing") continue;
    const folder = runFolder(root, run);
    const manifest = readManifest(folder);
    if (!manifest) continue;
    const described = new Map<string, KpiInfo>((Array.isArray(manifest.kpis) ? (manifest.kpis as KpiInfo[]) : []).map((k) => [k.name, k]));
    const names = readKpiTable(folder)?.kpis ?? [...described.keys()];
    return {
      description: String(manifest.netlist?.description ?? ""),
      kpis: names.map((n) => ({ ...defaultKpi(n), ...described.get(n) })),
      paramSpecs: manifest.paramSpecs ?? {},
      time: manifest.time ? { stepSeconds: Number(manifest.time.stepSeconds), start: manifest.time.start ?? null } : null,
    };
  }
  return { description: "", kpis: [], paramSpecs: {}, time: null };
}

/** The SQL type of a param: from its spec (int, float, bool, choice), else from its values. */
function paramType(spec: ParamSpecInfo | undefined, values: ParamValue[]): SqlType {
  switch (spec?.type) {
    case "int":
      return "BIGINT";
    case "float":
      return "DOUBLE";
    case "bool":
      return "BOOLEAN";
    case "choice":
      return "VARCHAR";
  }
  if (values.every((v) => typeof v === "boolean")) return "BOOLEAN";
  if (values.every((v) => typeof v === "number")) return values.every((v) => Number.isSafeInteger(v)) ? "BIGINT" : "DOUBLE";
  return "VARCHAR";
}

/** A param's value as its column holds it (a choice that looks like a number stays text). */
function paramCell(value: ParamValue | undefined, type: SqlType): Cell {
  if (value === undefined) return null;
  return type === "VARCHAR" ? String(value) : value;
}

/** The params that vary across the campaign, in order: sweep axes, sampled params, then any other (sorted). */
export function varyingParams(campaign: Pick<CampaignDocument, "spec" | "points">): string[] {
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  campaign.spec.sweep.forEach((a) => add(a.param));
  campaign.spec.sample?.over.forEach(add);
  const others = new Set<string>();
  for (const p of campaign.points) for (const n of Object.keys(p.varying)) if (!names.includes(n)) others.add(n);
  [...others].sort(byText).forEach(add);
  return names;
}

/**
 * Points in sweep order: zipped sweeps in the lists' order; else by each sweep axis' value in the order the axis lists them, then by each
 * other varying param's value (numbers numerically, text in code-unit order), then by key.
 */
export function sweepOrder(campaign: Pick<CampaignDocument, "spec" | "points">): CampaignPoint[] {
  const varying = varyingParams(campaign);
  const axes = new Map(campaign.spec.sweep.map((a) => [a.param, a.values.map((v) => JSON.stringify(v))]));
  // Zipped lists may repeat a value within a list: their points go in the lists' order.
  const sweep = campaign.spec.sweep;
  const zipped = campaign.spec.zip && sweep.length > 0 ? new Map(sweep[0].values.map((_, i) => [JSON.stringify(sweep.map((a) => a.values[i])), i])) : undefined;
  const position = (p: CampaignPoint) => zipped?.get(JSON.stringify(sweep.map((a) => p.varying[a.param]))) ?? -1;
  const compare = (a: CampaignPoint, b: CampaignPoint): number => {
    if (zipped && position(a) !== position(b)) return position(a) - position(b);
    for (const name of varying) {
      const va = a.varying[name];
      const vb = b.varying[name];
      const axis = axes.get(name);
      let c: number;
      if (axis) c = axis.indexOf(JSON.stringify(va)) - axis.indexOf(JSON.stringify(vb));
      else if (typeof va === "number" && typeof vb === "number") c = va - vb;
      else c = byText(String(va), String(vb));
      if (c !== 0) return c;
    }
    return byText(a.key, b.key);
  };
  return [...campaign.points].sort(compare);
}

interface Built {
  counts: CampaignOutputs["counts"];
}

async function build(root: string, scratch: string, campaign: CampaignDocument, outcomes: ReadonlyMap<string, RunOutcome>, options: CampaignOutputOptions): Promise<Built> {
  const points = [...campaign.points].sort((a, b) => byText(a.key, b.key));
  const runsByPoint = new Map<string, CampaignRun[]>(points.map((p) => [p.key, []]));
  for (const run of campaign.runs) runsByPoint.get(run.point)!.push(run);
  for (const runs of runsByPoint.values()) runs.sort((a, b) => a.replicate - b.replicate || byText(a.key, b.key));
  const ordered = points.flatMap((p) => runsByPoint.get(p.key)!);

  const statuses = new Map<string, RunStatus>();
  for (const run of ordered) {
    const outcome = outcomes.get(run.key);
    statuses.set(run.key, outcome ? runStatusFromOutcome(outcome) : runStatusFromFiles(runFolder(root, run)));
  }

  const facts = netlistFacts(root, ordered, statuses);
  const kpis = facts.kpis;
  const kpiNames = kpis.map((k) => k.name);
  const K = kpis.length;

  // Params: every param of the netlist (in the first point's order), and those that vary.
  const paramNames: string[] = [];
  for (const p of points) for (const n of Object.keys(p.params)) if (!paramNames.includes(n)) paramNames.push(n);
  const paramTypes = new Map(paramNames.map((n) => [n, paramType(facts.paramSpecs[n], points.map((p) => p.params[n]).filter((v) => v !== undefined))]));
  const varying = varyingParams(campaign);
  for (const n of varying) if (!paramTypes.has(n)) paramTypes.set(n, paramType(facts.paramSpecs[n], points.map((p) => p.varying[n]).filter((v) => v !== undefined)));

  // Tables. Column names: fixed ones, then `param_<name>` and `final_<kpi>`, unique as DuckDB compares them.
  const runFixed: ColumnSpec[] = [
    { name: "run", type: "VARCHAR" },
    { name: "point", type: "VARCHAR" },
    { name: "replicate", type: "INTEGER" },
    { name: "seed", type: "BIGINT" },
    { name: "status", type: "VARCHAR" },
    { name: "error_code", type: "VARCHAR" },
    { name: "error_message", type: "VARCHAR" },
    { name: "ticks", type: "INTEGER" },
  ];
  const runTail: ColumnSpec[] = [
    { name: "command", type: "VARCHAR" },
    { name: "dir", type: "VARCHAR" },
  ];
  const runNames = uniqueColumnNames([...runFixed.map((c) => c.name), ...paramNames.map((n) => `param_${n}`), ...kpiNames.map((n) => `final_${n}`), ...runTail.map((c) => c.name)]);
  const runsSpec: TableSpec = {
    name: "runs",
    columns: [...runFixed, ...paramNames.map((n) => ({ name: "", type: paramTypes.get(n)! })), ...kpiNames.map(() => ({ name: "", type: "DOUBLE" as const })), ...runTail].map((c, i) => ({ ...c, name: runNames[i] })),
  };
  const distributionColumns: ColumnSpec[] = [
    { name: "n", type: "INTEGER" },
    { name: "nan", type: "INTEGER" },
    ...PERCENTILE_COLUMNS.map((name) => ({ name, type: "DOUBLE" as const })),
    { name: "mean", type: "DOUBLE" },
    { name: "std", type: "DOUBLE" },
  ];
  const pointFixedHead: ColumnSpec[] = [{ name: "point", type: "VARCHAR" }];
  const pointFixedTail: ColumnSpec[] = [
    { name: "kpi", type: "VARCHAR" },
    { name: "runs", type: "INTEGER" },
    { name: "complete", type: "INTEGER" },
    { name: "failed", type: "INTEGER" },
    { name: "missing", type: "INTEGER" },
    ...distributionColumns,
    { name: "min", type: "DOUBLE" },
    { name: "max", type: "DOUBLE" },
  ];
  const pointNames = uniqueColumnNames([...pointFixedHead.map((c) => c.name), ...varying.map((n) => `param_${n}`), ...pointFixedTail.map((c) => c.name)]);
  const pointsSpec: TableSpec = {
    name: "points",
    columns: [...pointFixedHead, ...varying.map((n) => ({ name: "", type: paramTypes.get(n)! })), ...pointFixedTail].map((c, i) => ({ ...c, name: pointNames[i] })),
  };
  const bandsSpec: TableSpec = {
    name: "bands",
    columns: [{ name: "point", type: "VARCHAR" }, { name: "tick", type: "INTEGER" }, { name: "time", type: "BIGINT" }, { name: "kpi", type: "VARCHAR" }, ...distributionColumns],
  };
  const samplesSpec: TableSpec = {
    name: "samples",
    columns: [
      { name: "run", type: "VARCHAR" },
      { name: "point", type: "VARCHAR" },
      { name: "replicate", type: "INTEGER" },
      { name: "status", type: "VARCHAR" },
      { name: "tick", type: "INTEGER" },
      { name: "time", type: "BIGINT" },
      { name: "kpi", type: "VARCHAR" },
      { name: "value", type: "DOUBLE" },
      { name: "exact", type: "VARCHAR" },
    ],
  };

  const store = await Store.create(path.join(scratch, CAMPAIGN_OUTPUT_FILES.database));
  try {
    const samples = await store.table(samplesSpec);
    const runsOut = new Output(await store.table(runsSpec), new CsvFile(path.join(scratch, CAMPAIGN_OUTPUT_FILES.runs), runsSpec.columns.map((c) => c.name)));
    const pointsOut = new Output(await store.table(pointsSpec), new CsvFile(path.join(scratch, CAMPAIGN_OUTPUT_FILES.points), pointsSpec.columns.map((c) => c.name)));
    const bandsOut = new Output(await store.table(bandsSpec), new CsvFile(path.join(scratch, CAMPAIGN_OUTPUT_FILES.bands), bandsSpec.columns.map((c) => c.name)));

    const inSweepOrder = sweepOrder(campaign);
    const fanKeys = new Set(evenlySpread(inSweepOrder, options.maxFanPoints ?? 12).map((p) => p.key));
    const maxRuns = options.maxRuns ?? 20;
    const fans = new Map<string, FanData>();
    const reportPoints = new Map<string, ReportPoint>();
    const unfinished: ReportRun[] = [];
    const counts = { points: points.length, runs: ordered.length, complete: 0, failed: 0, missing: 0 };
    let checkpointed = 0;

    for (const point of points) {
      const runs = runsByPoint.get(point.key)!;
      const pc = { complete: 0, failed: 0, missing: 0 };
      let ticks: number[] | undefined;
      let times: number[] | undefined;
      const series: Float64Array[] = []; // complete runs: K × T, KPI-major
      const thin: FanData["runs"] = [];
      for (const run of runs) {
        const folder = runFolder(root, run);
        const status = statuses.get(run.key)!;
        pc[status.status]++;
        counts[status.status]++;
        const table = status.status === "missing" ? undefined : readKpiTable(folder);
        if (status.status === "complete" && !table) {
          throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `Run "${run.key}" is complete but its folder has no kpis.csv (${folder}).`, { run: run.key, folder });
        }
        if (table && table.kpis.join("\u0000") !== kpiNames.join("\u0000")) {
          throw new TokenspiceError(
            "CAMPAIGN_FOLDER_INVALID",
            `Run "${run.key}" has KPIs ${table.kpis.join(", ")} in its kpis.csv, but the campaign's runs have ${kpiNames.join(", ")}: a campaign's runs must be of one netlist.`,
            { run: run.key, folder },
          );
        }
        const rows = table?.rows ?? [];
        const file = path.join(folder, "kpis.csv");
        const runTicks: number[] = [];
        const runTimes: number[] = [];
        const values = new Float64Array(K * rows.length);
        rows.forEach((row, i) => {
          if (row.length !== K + 2) throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}, row ${i + 2}: ${row.length} cells for ${K + 2} columns.`, { file });
          const tick = Number(row[0]);
          const time = Number(row[1]);
          if (!Number.isSafeInteger(tick) || !Number.isSafeInteger(time)) throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}, row ${i + 2}: tick and timestamp must be integers.`, { file });
          runTicks.push(tick);
          runTimes.push(time);
          for (let k = 0; k < K; k++) {
            const { value, exact } = parseCell(row[k + 2], () => `${file}, row ${i + 2}, KPI "${kpiNames[k]}"`);
            values[k * rows.length + i] = value;
            samples.row([run.key, run.point, run.replicate, status.status, tick, time, kpiNames[k], value, exact]);
          }
        });
        const T = rows.length;
        if (status.status === "complete") {
          if (T === 0) throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `Run "${run.key}" is complete but its kpis.csv has no rows.`, { run: run.key, file });
          if (!ticks) {
            ticks = runTicks;
            times = runTimes;
          } else if (ticks.length !== T || ticks.some((t, i) => t !== runTicks[i])) {
            throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `Run "${run.key}" sampled ticks ${runTicks[0]}…${runTicks[T - 1]} (${T}), unlike the other complete runs of its point (${ticks.length}): its kpis.csv is not of this campaign.`, { run: run.key, file });
          }
          series.push(values);
          if (fanKeys.has(point.key) && thin.length < maxRuns) thin.push({ name: run.key, values: kpiNames.map((_, k) => Array.from(values.subarray(k * T, (k + 1) * T))) });
        } else {
          unfinished.push({ run: run.key, point: run.point, replicate: run.replicate, seed: run.seed, status: status.status, code: status.error?.code ?? null, message: status.error?.message ?? null, command: run.command ?? "", dir: run.dir });
        }
        const finals = kpiNames.map((_, k) => (status.status === "complete" ? values[k * T + T - 1] : null));
        runsOut.row([
          run.key,
          run.point,
          run.replicate,
          run.seed,
          status.status,
          status.error?.code ?? null,
          status.error?.message ?? null,
          T > 0 ? runTicks[T - 1] : null,
          ...paramNames.map((n) => paramCell(run.spec?.params?.[n] ?? point.params[n], paramTypes.get(n)!)),
          ...finals,
          run.command ?? null,
          run.dir,
        ]);
        if (samples.count - checkpointed >= CHECKPOINT_ROWS) {
          await store.checkpoint([samples, runsOut.table, pointsOut.table, bandsOut.table]);
          checkpointed = samples.count;
        }
      }

      // Bands: per tick and KPI, across the point's complete runs (in replicate order).
      const T = ticks?.length ?? 0;
      const fanBands: Distribution[][] = kpiNames.map(() => []);
      const column = new Float64Array(series.length);
      for (let t = 0; t < T; t++) {
        for (let k = 0; k < K; k++) {
          for (let r = 0; r < series.length; r++) column[r] = series[r][k * T + t];
          const d = distribution(column);
          bandsOut.row([point.key, ticks![t], times![t], kpiNames[k], d.n, d.nan, d.p5, d.p25, d.p50, d.p75, d.p95, d.mean, d.std]);
          if (fanKeys.has(point.key)) fanBands[k].push(d);
        }
      }
      // Points: per KPI, the distribution of the complete runs' final values.
      const finals: Distribution[] = [];
      const last = new Float64Array(series.length);
      for (let k = 0; k < K; k++) {
        for (let r = 0; r < series.length; r++) last[r] = series[r][k * T + T - 1];
        const d = distribution(last);
        finals.push(d);
        pointsOut.row([
          point.key,
          ...varying.map((n) => paramCell(point.varying[n], paramTypes.get(n)!)),
          kpiNames[k],
          runs.length,
          pc.complete,
          pc.failed,
          pc.missing,
          d.n,
          d.nan,
          d.p5,
          d.p25,
          d.p50,
          d.p75,
          d.p95,
          d.mean,
          d.std,
          d.min,
          d.max,
        ]);
      }
      reportPoints.set(point.key, { key: point.key, varying: point.varying, runs: runs.length, ...pc, finals });
      if (fanKeys.has(point.key) && T > 0) fans.set(point.key, { point: point.key, ticks: ticks!, times: times!, bands: fanBands, runs: thin });
    }

    samples.close();
    runsOut.close();
    pointsOut.close();
    bandsOut.close();

    // Metadata tables: what each KPI measures, and the campaign.
    const kpiTable = await store.table({
      name: "kpis",
      columns: [
        { name: "position", type: "INTEGER" },
        { name: "name", type: "VARCHAR" },
        { name: "label", type: "VARCHAR" },
        { name: "unit", type: "VARCHAR" },
        { name: "decimals", type: "INTEGER" },
        { name: "scale", type: "VARCHAR" },
        { name: "group", type: "VARCHAR" },
        { name: "doc", type: "VARCHAR" },
      ],
    });
    kpis.forEach((k, i) => kpiTable.row([i, k.name, k.label, k.unit, k.decimals, k.scale, k.group, k.doc]));
    kpiTable.close();
    const campaignTable = await store.table({
      name: "campaign",
      columns: [
        { name: "netlist", type: "VARCHAR" },
        { name: "netlist_file", type: "VARCHAR" },
        { name: "steps", type: "INTEGER" },
        { name: "replicates", type: "INTEGER" },
        { name: "seed", type: "BIGINT" },
        { name: "points", type: "INTEGER" },
        { name: "runs", type: "INTEGER" },
        { name: "complete", type: "INTEGER" },
        { name: "failed", type: "INTEGER" },
        { name: "missing", type: "INTEGER" },
        { name: "command", type: "VARCHAR" },
        { name: "spec_hash", type: "VARCHAR" },
        { name: "spec", type: "VARCHAR" },
      ],
    });
    const spec = campaign.spec;
    campaignTable.row([
      spec.netlist.name,
      spec.netlist.file ?? null,
      spec.steps,
      spec.runs ?? null,
      spec.seed ?? null,
      counts.points,
      counts.runs,
      counts.complete,
      counts.failed,
      counts.missing,
      campaign.command ?? null,
      campaign.specHash ?? null,
      JSON.stringify(spec),
    ]);
    campaignTable.close();

    await store.toParquet("samples", path.join(scratch, CAMPAIGN_OUTPUT_FILES.samplesParquet));
    await store.toParquet("runs", path.join(scratch, CAMPAIGN_OUTPUT_FILES.runsParquet));
    await store.toParquet("points", path.join(scratch, CAMPAIGN_OUTPUT_FILES.pointsParquet));
    await store.close();

    if (options.report !== false) {
      const start = facts.time?.start ?? fans.values().next().value?.times[0] ?? 0;
      const data: CampaignReportData = {
        netlist: { name: spec.netlist.name, file: spec.netlist.file ?? "", description: facts.description },
        spec,
        command: campaign.command ?? null,
        specHash: campaign.specHash ?? null,
        versions: campaign.versions ?? {},
        kpis,
        time: facts.time ? { stepSeconds: facts.time.stepSeconds, start } : null,
        counts,
        params: [...varying.map((n) => ({ name: n, varying: true })), ...paramNames.filter((n) => !varying.includes(n)).map((n) => ({ name: n, varying: false }))].map((p) => ({
          ...p,
          type: paramTypes.get(p.name)!,
          spec: facts.paramSpecs[p.name] ?? null,
          fixed: p.varying ? null : (points[0]?.params[p.name] ?? null),
        })),
        points: inSweepOrder.map((p) => reportPoints.get(p.key)!),
        fans: inSweepOrder.filter((p) => fans.has(p.key)).map((p) => fans.get(p.key)!),
        unfinished,
        maxRuns,
        fanPoints: fanKeys.size,
      };
      writeCampaignReport(scratch, data, { png: options.png, generator: options.generator });
    }
    return { counts };
  } catch (error) {
    store.dispose();
    throw error;
  }
}

/** One point's final KPIs, as points.csv holds them (raw values, as doubles; null where no run completed). */
export interface PointFinals {
  point: string;
  /** `a=1, b=x`: the point's varying params (points.csv's `param_` columns), or its key. */
  label: string;
  runs: number;
  complete: number;
  /** Per KPI, in declared order: the p5, median and p95 of the complete runs' final values, over n of them. */
  kpis: { name: string; n: number; p5: number | null; p50: number | null; p95: number | null }[];
}

/**
 * The final KPIs of a campaign whose outputs are written: per point (in points.csv's order, by key),
 * each KPI's p5, median and p95 across the complete runs (the distributions `writeCampaignOutputs`
 * computed, src/campaign/stats.ts), and what each KPI measures (unit, decimals) from the first run
 * manifest found. For the table a finished campaign prints.
 *
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID when points.csv is missing or malformed
 */
export function readFinalKpis(dir: string): { kpis: KpiInfo[]; points: PointFinals[] } {
  const file = path.join(dir, CAMPAIGN_OUTPUT_FILES.points);
  let records: Record<string, string>[];
  try {
    records = readCsv(fs.readFileSync(file, "utf8"), { columns: true });
  } catch (error) {
    throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `Cannot read ${file}: ${messageOf(error)}`, { file }, error);
  }
  const num = (text: string | undefined) => (text === undefined || text === "" ? null : Number(text));
  const points = new Map<string, PointFinals>();
  const names: string[] = [];
  for (const r of records) {
    let p = points.get(r.point);
    if (!p) {
      const varying = Object.entries(r).filter(([k]) => k.startsWith("param_")).map(([k, v]) => `${k.slice("param_".length)}=${v !== "" && !Number.isNaN(Number(v)) ? formatParam(Number(v)) : v}`);
      p = { point: r.point, label: varying.length ? varying.join(", ") : r.point, runs: Number(r.runs), complete: Number(r.complete), kpis: [] };
      points.set(r.point, p);
    }
    p.kpis.push({ name: r.kpi, n: Number(r.n), p5: num(r.p5), p50: num(r.p50), p95: num(r.p95) });
    if (!names.includes(r.kpi)) names.push(r.kpi);
  }
  let described: KpiInfo[] = [];
  const runsDir = path.join(dir, "runs");
  outer: for (const p of fs.existsSync(runsDir) ? fs.readdirSync(runsDir).sort(byText) : []) {
    const pointDir = path.join(runsDir, p);
    if (!fs.statSync(pointDir).isDirectory()) continue;
    for (const r of fs.readdirSync(pointDir).sort(byText)) {
      const manifest = readManifest(path.join(pointDir, r));
      if (manifest && Array.isArray(manifest.kpis)) {
        described = manifest.kpis as KpiInfo[];
        break outer;
      }
    }
  }
  const byName = new Map(described.map((k) => [k.name, k]));
  return { kpis: names.map((n) => ({ ...defaultKpi(n), ...byName.get(n) })), points: [...points.values()] };
}
