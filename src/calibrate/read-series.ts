/**
 * Observed series in: a CSV or Parquet file read through DuckDB (`@duckdb/node-api`, the same
 * engine as the campaign store), with a column mapping (time, value, optional group). Every cell
 * is read as text and checked here, so a bad file gets one error naming the file, the row (data
 * rows counted from 1, the header not counted) and the column, with the code DATA_FILE_INVALID.
 */
import crypto from "crypto";
import fs from "fs";
import path from "path";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import { findGaps, type Gap } from "./gaps";
import { isoTime, parseTime, type TimeFormat } from "./time";

/** Which columns hold what. `group` splits the file into one series per value (a pool, an agent class). */
export interface ColumnMapping {
  time: string;
  value: string;
  group?: string;
  /** How to read the time column (src/calibrate/time.ts): "auto" (default), "iso" or "unix". */
  timeFormat?: TimeFormat;
}

/** One series: times (unix seconds, UTC, strictly increasing) and values, with the gaps found in it. */
export interface Series {
  /** The group's value ("" without a group column). */
  group: string;
  times: number[];
  values: number[];
  /** The data row (from 1) each point came from, for messages. */
  rows: number[];
  /** The usual spacing (median of consecutive differences), in seconds; NaN with fewer than 2 points. */
  spacingSeconds: number;
  /** Spacings more than 1.5 times the usual one: reported, never filled. */
  gaps: Gap[];
}

/** A data file read: its path, SHA-256 (hex, of the bytes read), format, mapping, rows and series by group. */
export interface ObservedData {
  file: string;
  sha256: string;
  format: "csv" | "parquet";
  mapping: ColumnMapping;
  rows: number;
  series: Series[];
}

type DuckDb = typeof import("@duckdb/node-api");

/**
 * Reads a CSV (`.csv`, `.tsv`, `.txt`: DuckDB sniffs the delimiter; the first line is the header)
 * or Parquet (`.parquet`) file into series, one per group. Checks, each an error naming the file,
 * row and column: the file exists and has at least one data row; the mapped columns exist (the
 * columns it has are listed); every time parses (src/calibrate/time.ts: ISO dates and times with
 * their zone converted to UTC, no zone read as UTC, or unix seconds); every value is a finite
 * number; within a group, times strictly increase (an unsorted or a duplicate time is refused,
 * never reordered or dropped). Gaps are found (spacing above 1.5× the median) and returned, not filled.
 *
 * @throws TokenspiceError DATA_FILE_NOT_FOUND (missing or unreadable), DATA_FILE_INVALID (empty, a
 *   missing column, a bad cell, unsorted or duplicate times)
 */
export async function readSeries(file: string, mapping: ColumnMapping): Promise<ObservedData> {
  const bad = (why: string, details: Record<string, unknown> = {}) => new TokenspiceError("DATA_FILE_INVALID", `${file}: ${why}`, { file, ...details });
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new TokenspiceError("DATA_FILE_NOT_FOUND", `Cannot read the data file ${file}: ${messageOf(error)}`, { file }, error);
  }
  if (bytes.length === 0) throw bad("the file is empty (no header, no rows)");
  const format = /\.parquet$/i.test(file) ? "parquet" : "csv";
  const columns = [mapping.time, mapping.value, ...(mapping.group !== undefined ? [mapping.group] : [])];
  const table = await readColumns(file, format, columns, bad);
  if (table.length === 0) throw bad("the file has a header but no data rows");

  const byGroup = new Map<string, { times: number[]; values: number[]; rows: number[] }>();
  table.forEach((cells, i) => {
    const row = i + 1;
    const [timeText, valueText, groupText] = cells;
    const time = parseTime(timeText ?? "", mapping.timeFormat ?? "auto");
    if ("why" in time) throw bad(`row ${row}, column ${JSON.stringify(mapping.time)}: ${time.why}`, { row, column: mapping.time });
    const valueTrim = (valueText ?? "").trim();
    const value = valueTrim === "" ? NaN : Number(valueTrim);
    if (!Number.isFinite(value)) {
      throw bad(`row ${row}, column ${JSON.stringify(mapping.value)}: ${valueTrim === "" ? "the value is empty" : `${JSON.stringify(valueTrim)} is not a finite number`}`, {
        row,
        column: mapping.value,
      });
    }
    const group = mapping.group !== undefined ? (groupText ?? "") : "";
    let s = byGroup.get(group);
    if (!s) byGroup.set(group, (s = { times: [], values: [], rows: [] }));
    const last = s.times.length - 1;
    if (last >= 0 && time.seconds <= s.times[last]) {
      const inGroup = mapping.group !== undefined ? ` (group ${JSON.stringify(group)})` : "";
      const what = time.seconds === s.times[last] ? "duplicates" : "comes before";
      throw bad(
        `row ${row}, column ${JSON.stringify(mapping.time)}: time ${isoTime(time.seconds)} ${what} row ${s.rows[last]}'s (${isoTime(s.times[last])})${inGroup}: times must strictly increase (sort the file, and keep one row per time)`,
        { row, column: mapping.time },
      );
    }
    s.times.push(time.seconds);
    s.values.push(value);
    s.rows.push(row);
  });
  const series = [...byGroup.entries()].map(([group, s]) => ({ group, ...s, ...findGaps(s.times) }));
  return { file, sha256: crypto.createHash("sha256").update(bytes).digest("hex"), format, mapping, rows: table.length, series };
}

/** The mapped columns of every row, as text (NULL as ""), in the file's order. */
async function readColumns(file: string, format: "csv" | "parquet", columns: string[], bad: (why: string, details?: Record<string, unknown>) => TokenspiceError): Promise<(string | undefined)[][]> {
  const duckdb = require("@duckdb/node-api") as DuckDb;
  const instance = await duckdb.DuckDBInstance.create(":memory:", { threads: "1", autoinstall_known_extensions: "false" });
  const connection = await instance.connect();
  const quoted = `'${path.resolve(file).replace(/'/g, "''")}'`;
  const source = format === "parquet" ? `read_parquet(${quoted})` : `read_csv(${quoted}, header = true, all_varchar = true)`;
  try {
    let names: string[];
    try {
      names = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson().map((r) => String(r.column_name as string));
    } catch (error) {
      throw bad(`DuckDB cannot read it as ${format === "parquet" ? "Parquet" : "CSV"}: ${messageOf(error).split("\n")[0]}`);
    }
    for (const c of columns) {
      if (!names.includes(c)) throw bad(`no column ${JSON.stringify(c)}; its columns are ${names.map((n) => JSON.stringify(n)).join(", ")}`, { column: c });
    }
    const select = columns.map((c) => `CAST("${c.replace(/"/g, '""')}" AS VARCHAR)`).join(", ");
    let rows: unknown[][];
    try {
      rows = (await connection.runAndReadAll(`SELECT ${select} FROM ${source}`)).getRowsJS();
    } catch (error) {
      throw bad(`DuckDB cannot read its rows: ${messageOf(error).split("\n")[0]}`);
    }
    return rows.map((r) => r.map((c) => (c === null || c === undefined ? undefined : String(c as string))));
  } catch (error) {
    if (isTokenspiceError(error)) throw error;
    throw bad(messageOf(error));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The one series of a file read without a group column, or the named group's.
 * @throws TokenspiceError OPTION_INVALID when the file has several groups and none is named, or the group is not in it
 */
export function oneSeries(data: ObservedData, group?: string): Series {
  if (group !== undefined) {
    const s = data.series.find((x) => x.group === group);
    if (!s) throw new TokenspiceError("OPTION_INVALID", `${data.file} has no group ${JSON.stringify(group)}; its groups are ${data.series.map((x) => JSON.stringify(x.group)).join(", ")}`);
    return s;
  }
  if (data.series.length !== 1) {
    throw new TokenspiceError("OPTION_INVALID", `${data.file} has ${data.series.length} groups (${data.series.map((x) => JSON.stringify(x.group)).join(", ")}): name one`);
  }
  return data.series[0];
}
