/**
 * The campaign's tables (samples, runs, points, bands): their columns and how a run or a point
 * becomes rows. The CSV files and the DuckDB database write the same tables with the same columns
 * and rows, so both take them from here.
 *
 * Column names: fixed ones, then `param_<name>` and `final_<kpi>`, unique as DuckDB compares them
 * (case-insensitively, `uniqueColumnNames`).
 */
import type { ParamSpecInfo } from "../../model/params";
import { uniqueColumnNames, type Cell, type ColumnSpec, type SqlType, type TableSpec } from "../store";
import type { ParamValue } from "../types";
import type { CampaignOutputContext, PointRecord, RunRecord } from "./writer";

const PERCENTILE_COLUMNS = ["p5", "p25", "p50", "p75", "p95"] as const;

/** A table: its columns, and the rows a record makes (in order, handed to `emit` one at a time). */
export interface TableRows<R> {
  spec: TableSpec;
  rows(record: R, emit: (cells: Cell[]) => void): void;
}

/**
 * The campaign's four tables, each with its columns and the rows a run or point makes: the CSVs, the DuckDB store and the Parquet files are written from them, so they agree.
 */
export interface CampaignTables {
  /** Per run, sample and KPI: the value as a double and, for an integer, its exact digits. */
  samples: TableRows<RunRecord>;
  /** Per run: status, error, params and final KPIs. */
  runs: TableRows<RunRecord>;
  /** Per point and KPI: the distribution of the complete runs' final values. */
  points: TableRows<PointRecord>;
  /** Per point, sample and KPI: the distribution across the complete runs. */
  bands: TableRows<PointRecord>;
}

/** The SQL type of a param: from its spec (int, float, bool, choice), else from its values. */
export function paramType(spec: ParamSpecInfo | undefined, values: ParamValue[]): SqlType {
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

const built = new WeakMap<CampaignOutputContext, CampaignTables>();

/** The campaign's tables for one build (made once per context, whoever asks first). */
export function campaignTables(ctx: CampaignOutputContext): CampaignTables {
  let tables = built.get(ctx);
  if (!tables) built.set(ctx, (tables = makeTables(ctx)));
  return tables;
}

function makeTables(ctx: CampaignOutputContext): CampaignTables {
  const { kpiNames, paramNames, paramTypes, varying } = ctx;
  const K = kpiNames.length;
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
    columns: [...runFixed, ...paramNames.map((n) => ({ name: "", type: paramTypes.get(n)! })), ...kpiNames.map(() => ({ name: "", type: "DOUBLE" as const })), ...runTail].map((c, i) => ({
      ...c,
      name: runNames[i],
    })),
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

  return {
    samples: {
      spec: samplesSpec,
      rows({ run, status, ticks, times, values, exact }, emit) {
        const T = ticks.length;
        for (let i = 0; i < T; i++) {
          for (let k = 0; k < K; k++) emit([run.key, run.point, run.replicate, status.status, ticks[i], times[i], kpiNames[k], values[k * T + i], exact[k * T + i]]);
        }
      },
    },
    runs: {
      spec: runsSpec,
      rows({ run, point, status, ticks, values }, emit) {
        const T = ticks.length;
        const finals = kpiNames.map((_, k) => (status.status === "complete" ? values[k * T + T - 1] : null));
        emit([
          run.key,
          run.point,
          run.replicate,
          run.seed,
          status.status,
          status.error?.code ?? null,
          status.error?.message ?? null,
          T > 0 ? ticks[T - 1] : null,
          ...paramNames.map((n) => paramCell(run.spec?.params?.[n] ?? point.params[n], paramTypes.get(n)!)),
          ...finals,
          run.command ?? null,
          run.dir,
        ]);
      },
    },
    points: {
      spec: pointsSpec,
      rows({ point, runs, counts, finals }, emit) {
        for (let k = 0; k < K; k++) {
          const d = finals[k];
          emit([
            point.key,
            ...varying.map((n) => paramCell(point.varying[n], paramTypes.get(n)!)),
            kpiNames[k],
            runs.length,
            counts.complete,
            counts.failed,
            counts.missing,
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
      },
    },
    bands: {
      spec: bandsSpec,
      rows({ point, ticks, times, bands }, emit) {
        for (let t = 0; t < ticks.length; t++) {
          for (let k = 0; k < K; k++) {
            const d = bands[k][t];
            emit([point.key, ticks[t], times[t], kpiNames[k], d.n, d.nan, d.p5, d.p25, d.p50, d.p75, d.p95, d.mean, d.std]);
          }
        }
      },
    },
  };
}
