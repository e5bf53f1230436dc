/**
 * The campaign status (`status.json` in a campaign's folder): how this process ran the campaign
 * (its state, shard, runs, skipped runs, timings, host and pid, and the command that continues an
 * interrupted one); a merge's says which folders it merged. The one file of a campaign folder that
 * is not the same on every machine.
 */
import fs from "fs";
import path from "path";
import { toJson } from "../json";
import { formatError, isObject, readJsonOrUndefined } from "./read";

/** The campaign status's file name in a campaign's folder. */
export const CAMPAIGN_STATUS_FILE = "status.json";

/** The states a status is written with; "stopped" is never written, it is what a reader makes of "running" whose process is gone. */
export const CAMPAIGN_STATES = ["running", "complete", "failed", "interrupted", "merged", "stopped"] as const;

/** What the campaign status holds (times as ISO 8601 text). */
export interface CampaignStatus {
  state: (typeof CAMPAIGN_STATES)[number];
  /** The shard this folder was written for (null: the whole campaign; absent: not recorded). */
  shard?: { index: number; count: number } | null;
  host?: string;
  pid?: number;
  /** The command that continues the campaign (interrupted, stopped). */
  resume?: string;
  [field: string]: unknown;
}

/** The campaign status of the campaign in `dir`. */
export function campaignStatusPath(dir: string): string {
  return path.join(dir, CAMPAIGN_STATUS_FILE);
}

/**
 * Reads and checks the campaign status in `dir`: a JSON object with a known state, and a shard
 * (when recorded) of `{ index, count }` with 1 ≤ index ≤ count, or null. Undefined when the folder
 * has none.
 * @throws TokenspiceError CAMPAIGN_STATUS_INVALID naming the file and what is wrong
 */
export function readCampaignStatusFile(dir: string): CampaignStatus | undefined {
  const file = campaignStatusPath(dir);
  const value = readJsonOrUndefined(file, "CAMPAIGN_STATUS_INVALID");
  if (value === undefined) return undefined;
  const fail = (problem: string) => {
    throw formatError("CAMPAIGN_STATUS_INVALID", file, problem);
  };
  if (!isObject(value)) fail("is not a JSON object (a campaign status is one)");
  const s = value as Record<string, unknown>;
  if (!(CAMPAIGN_STATES as readonly unknown[]).includes(s.state)) fail(`"state" is ${JSON.stringify(s.state) ?? "missing"}, not one of ${CAMPAIGN_STATES.join(", ")}`);
  if (s.shard !== undefined && s.shard !== null) {
    const { index, count } = isObject(s.shard) ? s.shard : ({} as Record<string, unknown>);
    if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && (count as number) >= 1 && (index as number) >= 1 && (index as number) <= (count as number))) {
      fail('"shard" is neither null nor { index, count } with 1 ≤ index ≤ count');
    }
  }
  return value as CampaignStatus;
}

/** Writes the campaign status into `dir` (`toJson`). Throws what the file system throws. */
export function writeCampaignStatusFile(dir: string, status: CampaignStatus): void {
  fs.writeFileSync(campaignStatusPath(dir), toJson(status));
}
