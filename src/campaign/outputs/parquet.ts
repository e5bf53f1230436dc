/**
 * The campaign's Parquet files: samples.parquet, runs.parquet and points.parquet, exported from the
 * database's tables of the same names when they are complete (so this output needs "database"
 * before it). Same rows, same order: byte-identical for the same campaign.
 */
import path from "path";
import type { CampaignOutput, CampaignOutputContext, CampaignOutputWriter } from "./writer";

/** The Parquet files, relative to the campaign folder, by the table each holds. */
export const PARQUET_FILES = { samples: "samples.parquet", runs: "runs.parquet", points: "points.parquet" } as const;

export const parquet: CampaignOutput = {
  name: "parquet",
  files: Object.values(PARQUET_FILES),
  requires: ["database"],
  writer(): CampaignOutputWriter {
    let ctx: CampaignOutputContext;
    return {
      begin(context) {
        ctx = context;
      },
      async end() {
        const store = await ctx.store();
        for (const [table, file] of Object.entries(PARQUET_FILES)) await store.toParquet(table, path.join(ctx.scratch, file));
      },
    };
  },
};
