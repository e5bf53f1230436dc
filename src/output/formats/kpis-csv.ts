/**
 * The KPI table of a run (`kpis.csv` in its folder): a header `tick,timestamp,<kpi>,…` (KPIs in
 * declared order) and a row per sample: the tick, its block timestamp (unix seconds) and each KPI's
 * value, exact (a bigint as its digits; NaN and ±Infinity by name). Appended a row at a time as the
 * run goes, so a crash keeps every sample taken.
 *
 * One reader checks every cell; what a cell becomes depends on who asks, and each rule is here:
 * `kpiCellNumber` (statistics: a double, and the exact digits of an integer), `parseKpiCell`
 * (reports: a number, or a bigint beyond 2^53) and `kpiCellValue` (series: a bigint KPI's cells as
 * bigints).
 */
import fs from "fs";
import path from "path";
import { TokenspiceError } from "../../errors";
import type { KpiSample } from "../../engine/engine";
import type { KpiValue } from "../../model/series";
import { csvLine } from "../csv";
import { decodeKpiValue, formatKpiCell } from "../json";
import { formatError, readCsvOrUndefined } from "./read";

/** The KPI table's file name in a run's folder. */
export const KPIS_CSV_FILE = "kpis.csv";

/** The columns before the KPIs' (no KPI may take their names). */
export const KPI_TABLE_COLUMNS = ["tick", "timestamp"] as const;

/** A run's KPI table as read: the KPI names of its header, and its rows (tick, timestamp, a cell per KPI), as text. */
export interface KpiTable {
  kpis: string[];
  rows: string[][];
}

/** A KPI value's text: a number as JavaScript writes it, a bigint's digits, NaN, Infinity or -Infinity. */
const KPI_CELL = /^-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|Infinity)$|^NaN$/;
const INTEGER = /^-?\d+$/;
const NATURAL = /^\d+$/;

/** The KPI table of the run in `dir`. */
export function kpisCsvPath(dir: string): string {
  return path.join(dir, KPIS_CSV_FILE);
}

/**
 * Reads and checks the KPI table in `dir` (one file at a time: memory is bounded by one run):
 * valid CSV with rows as wide as the header, the header starting with tick,timestamp, ticks and
 * timestamps whole numbers, every KPI cell a KPI value. Undefined when the folder has none.
 *
 * @throws TokenspiceError KPIS_CSV_INVALID naming the file (and the row and KPI of a bad cell)
 */
export function readKpisCsv(dir: string): KpiTable | undefined {
  const file = kpisCsvPath(dir);
  const rows = readCsvOrUndefined(file, "KPIS_CSV_INVALID");
  if (rows === undefined) return undefined;
  const [header = [], ...body] = rows;
  if (header[0] !== KPI_TABLE_COLUMNS[0] || header[1] !== KPI_TABLE_COLUMNS[1]) {
    throw formatError("KPIS_CSV_INVALID", file, `does not start with ${KPI_TABLE_COLUMNS.join(",")} (a KPI table's header is ${KPI_TABLE_COLUMNS.join(",")},<kpi>,…)`);
  }
  const kpis = header.slice(2);
  body.forEach((row, i) => {
    for (const [c, column] of KPI_TABLE_COLUMNS.entries()) {
      if (!NATURAL.test(row[c])) throw cellError(file, i, `${column} "${row[c]}" is not a whole number`);
    }
    kpis.forEach((kpi, k) => {
      const cell = row[k + 2];
      if (!KPI_CELL.test(cell)) throw cellError(file, i, `KPI ${JSON.stringify(kpi)}: "${cell}" is not a KPI value (a number, a bigint's digits, NaN, Infinity or -Infinity)`);
    });
  });
  return { kpis, rows: body };
}

function cellError(file: string, i: number, problem: string): TokenspiceError {
  const where = `row ${i + 2}, ${problem}`;
  return new TokenspiceError("KPIS_CSV_INVALID", `${file}, ${where}.`, { file, problem: where, row: i + 2 });
}

/** A checked cell for statistics: its value as a double (a bigint rounded to the nearest), and its exact digits when it is an integer, else null. */
export function kpiCellNumber(cell: string): { value: number; exact: string | null } {
  return { value: Number(cell), exact: INTEGER.test(cell) ? cell : null };
}

/** A checked cell for a report: a number, except an integer beyond 2^53, which stays exact as a bigint. */
export function parseKpiCell(cell: string): number | bigint {
  if (INTEGER.test(cell)) {
    const n = Number(cell);
    return Number.isSafeInteger(n) ? n : BigInt(cell);
  }
  return Number(cell);
}

/** A checked cell for a KPI series: a bigint for a bigint KPI (`bigint`), else a number. */
export function kpiCellValue(cell: string, bigint: boolean): KpiValue {
  if (bigint) return BigInt(cell);
  const v = decodeKpiValue(cell);
  return typeof v === "bigint" ? Number(v) : (v ?? Number(cell));
}

/** The KPI table's header line: tick, timestamp, then the KPIs in declared order. */
export function kpisCsvHeader(kpiNames: readonly string[]): string {
  return csvLine([...KPI_TABLE_COLUMNS, ...kpiNames]);
}

/** One sample's line: tick, block timestamp, each KPI's value exactly. */
export function kpisCsvRow(sample: KpiSample): string {
  return csvLine([sample.tick, sample.time, ...Object.values(sample.values).map(formatKpiCell)]);
}

/** Writes a whole KPI table into `dir` (the run writer appends it a row at a time instead). */
export function writeKpisCsv(dir: string, kpiNames: readonly string[], samples: readonly KpiSample[]): void {
  fs.writeFileSync(kpisCsvPath(dir), kpisCsvHeader(kpiNames) + samples.map(kpisCsvRow).join(""));
}
