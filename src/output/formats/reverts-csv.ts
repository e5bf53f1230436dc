/**
 * The reverts of a run (`reverts.csv` in its folder): a row per reverted transaction, with its
 * tick, agent, addresses, call, decoded reason, call data, hash and gas. Appended as the run goes.
 * Text from contracts and users is neutralised for spreadsheets (src/output/csv.ts) and read back
 * as it was written.
 */
import fs from "fs";
import path from "path";
import type { RevertRecord } from "../../engine/reverts";
import { csvLine, csvLines } from "../csv";
import { formatKpiCell } from "../json";
import { formatError, readCsvOrUndefined } from "./read";

/** The reverts file's name in a run's folder. */
export const REVERTS_CSV_FILE = "reverts.csv";

/** Its columns, in order. */
export const REVERT_COLUMNS = ["tick", "agent", "from", "to", "call", "reason", "data", "txHash", "gasUsed"] as const;

/** One row as read: every column's text (`to` and `txHash` empty when null; `gasUsed` wei as digits). */
export type RevertRow = Record<(typeof REVERT_COLUMNS)[number], string>;

/** The reverts file of the run in `dir`. */
export function revertsCsvPath(dir: string): string {
  return path.join(dir, REVERTS_CSV_FILE);
}

/**
 * Reads and checks the reverts file in `dir`: valid CSV whose header is `REVERT_COLUMNS`, each
 * row's tick a whole number and gas used digits (or empty). An empty list when the folder has none.
 * @throws TokenspiceError REVERTS_CSV_INVALID naming the file, and the row of a bad cell
 */
export function readRevertsCsv(dir: string): RevertRow[] {
  const file = revertsCsvPath(dir);
  const rows = readCsvOrUndefined(file, "REVERTS_CSV_INVALID");
  if (rows === undefined) return [];
  const [header = [], ...body] = rows;
  if (header.join(",") !== REVERT_COLUMNS.join(",")) {
    throw formatError("REVERTS_CSV_INVALID", file, `has the header ${JSON.stringify(header.join(","))}, not ${REVERT_COLUMNS.join(",")}`);
  }
  return body.map((cells, i) => {
    const row = Object.fromEntries(REVERT_COLUMNS.map((c, k) => [c, cells[k]])) as RevertRow;
    if (!/^\d+$/.test(row.tick)) throw formatError("REVERTS_CSV_INVALID", file, `row ${i + 2}: tick "${row.tick}" is not a whole number`, { row: i + 2 });
    if (!/^\d*$/.test(row.gasUsed)) throw formatError("REVERTS_CSV_INVALID", file, `row ${i + 2}: gasUsed "${row.gasUsed}" is not a whole number of gas`, { row: i + 2 });
    return row;
  });
}

/** The reverts file's header line. */
export function revertsCsvHeader(): string {
  return csvLine(REVERT_COLUMNS);
}

/** One revert's line. */
export function revertsCsvRow(revert: RevertRecord): string {
  return csvLine(REVERT_COLUMNS.map((c) => formatKpiCell(revert[c])));
}

/** Writes a whole reverts file into `dir` (the run writer appends it a row at a time instead). */
export function writeRevertsCsv(dir: string, reverts: readonly RevertRecord[]): void {
  fs.writeFileSync(revertsCsvPath(dir), revertsCsvHeader() + csvLines(reverts.map((r) => REVERT_COLUMNS.map((c) => formatKpiCell(r[c])))));
}
