/**
 * The campaign's CSV tables: runs.csv (a row per run), points.csv (a row per point and KPI) and
 * bands.csv (a row per point, sample and KPI), with the columns and rows of the database's tables
 * of the same names (./tables.ts). csv-stringify quotes names with commas or quotes; text a
 * spreadsheet could take for a formula is neutralised (src/output/csv.ts).
 */
import fs from "fs";
import path from "path";
import { csvLine } from "../../output/csv";
import type { Cell } from "../store";
import { campaignTables, type CampaignTables } from "./tables";
import type { CampaignOutput, CampaignOutputWriter } from "./writer";

/** The CSV files, relative to the campaign folder. */
export const CSV_FILES = { runs: "runs.csv", points: "points.csv", bands: "bands.csv" } as const;

/** A CSV file written a row at a time, in 64 KiB writes. */
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

/** An output writing one of the campaign's tables to a CSV file. */
function csvOutput(name: string, table: "runs" | "points" | "bands", file: string): CampaignOutput {
  return {
    name,
    files: [file],
    writer(): CampaignOutputWriter {
      let csv: CsvFile | undefined;
      let tables: CampaignTables;
      const emit = (cells: Cell[]) => csv!.row(cells);
      return {
        begin(ctx) {
          tables = campaignTables(ctx);
          csv = new CsvFile(
            path.join(ctx.scratch, file),
            tables[table].spec.columns.map((c) => c.name),
          );
        },
        run(record) {
          if (table === "runs") tables.runs.rows(record, emit);
        },
        point(record) {
          if (table !== "runs") tables[table].rows(record, emit);
        },
        end() {
          csv!.close();
        },
      };
    },
  };
}

export const runsCsv = csvOutput("runs-csv", "runs", CSV_FILES.runs);
export const pointsCsv = csvOutput("points-csv", "points", CSV_FILES.points);
export const bandsCsv = csvOutput("bands-csv", "bands", CSV_FILES.bands);
