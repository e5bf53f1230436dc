/**
 * The campaign's DuckDB database, campaign.duckdb: the tables samples, runs, points and bands
 * (./tables.ts, the same rows as the CSV files), and two of metadata: kpis (what each KPI
 * measures) and campaign (the spec and the counts). Its bytes differ from build to build (see the
 * README); its rows do not.
 *
 * Memory: rows go to DuckDB's appender as they are made, with a checkpoint every
 * `CHECKPOINT_ROWS` sample rows, so what DuckDB holds stays about 10 MB of rows.
 */
import type { Cell, TableWriter } from "../store";
import { campaignTables } from "./tables";
import type { CampaignOutput, CampaignOutputContext, CampaignOutputWriter } from "./writer";

/** The database file, relative to the campaign folder. */
export const DATABASE_FILE = "campaign.duckdb";

/** Sample rows appended between checkpoints: bounds what DuckDB holds in memory (about 10 MB of rows). */
const CHECKPOINT_ROWS = 200_000;

export const database: CampaignOutput = {
  name: "database",
  files: [DATABASE_FILE],
  stale: [`${DATABASE_FILE}.wal`],
  writer(): CampaignOutputWriter {
    let ctx: CampaignOutputContext;
    let samples: TableWriter, runs: TableWriter, points: TableWriter, bands: TableWriter;
    let checkpointed = 0;
    const to = (table: TableWriter) => (cells: Cell[]) => table.row(cells);
    return {
      async begin(context) {
        ctx = context;
        const store = await ctx.store();
        const tables = campaignTables(ctx);
        samples = await store.table(tables.samples.spec);
        runs = await store.table(tables.runs.spec);
        points = await store.table(tables.points.spec);
        bands = await store.table(tables.bands.spec);
      },
      async run(record) {
        const tables = campaignTables(ctx);
        tables.samples.rows(record, to(samples));
        tables.runs.rows(record, to(runs));
        if (samples.count - checkpointed >= CHECKPOINT_ROWS) {
          await (await ctx.store()).checkpoint([samples, runs, points, bands]);
          checkpointed = samples.count;
        }
      },
      point(record) {
        const tables = campaignTables(ctx);
        tables.bands.rows(record, to(bands));
        tables.points.rows(record, to(points));
      },
      async end(counts) {
        samples.close();
        runs.close();
        points.close();
        bands.close();
        const store = await ctx.store();
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
        ctx.facts.kpis.forEach((k, i) => kpiTable.row([i, k.name, k.label, k.unit, k.decimals, k.scale, k.group, k.doc]));
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
        const { campaign } = ctx;
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
      },
    };
  },
};
