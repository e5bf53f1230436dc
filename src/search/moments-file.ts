import crypto from "crypto";
import fs from "fs";
import { TokenspiceError, messageOf } from "../errors";
import { parseMetric } from "./metrics";
import { confinedPath } from "../calibrate/calibration-file";
import { meanWithSe, type ObservedMoment } from "./moments";
import { oneSeries, readSeries } from "../calibrate/read-series";
import type { TimeFormat } from "../calibrate/time";

/**
 * A moments file (e.g. `moments.json`, committed beside the netlist): the observed moments a
 * behaviour calibration matches, each a number with its standard error or the data to compute
 * both from.
 *
 * ```json
 * { "moments": [
 *   { "metric": "trades final", "observed": 6.1, "se": 0.2, "source": "Dune query 1234, Jan–Mar 2024" },
 *   { "metric": "volume mean", "data": { "file": "volume.csv", "time": "day", "value": "usd" }, "statistic": "mean" },
 *   { "metric": "bigShare mean", "data": { "file": "trades.csv", "time": "ts", "value": "size" }, "statistic": "share-above", "threshold": 10000 }
 * ] }
 * ```
 * - `metric`: `"<kpi> <stat>"`, read off each run (stat final, min, max, mean);
 * - `observed` and `se` (> 0; optional with the relative weighting), or `data`: a CSV or Parquet file
 *   (src/calibrate/read-series.ts: `file` relative to the moments file's folder and confined to it,
 *   `time`, `value`, optional `group` and `select`, `timeFormat`) and `statistic`: `mean` of the
 *   values, or `share-above` (the share of values above `threshold`); its se is Newey–West's
 *   (src/search/moments.ts, meanWithSe); the data file's SHA-256 is recorded as the moment's source;
 * - `source`: free text saying where the number comes from (kept in the calibration file).
 */
export interface MomentsFile {
  moments: MomentEntry[];
}

/** One entry of a moments file. */
export interface MomentEntry {
  metric: string;
  observed?: number;
  se?: number;
  data?: { file: string; time: string; value: string; group?: string; select?: string; timeFormat?: TimeFormat };
  statistic?: "mean" | "share-above";
  threshold?: number;
  source?: string;
}

/**
 * Reads a moments file: each entry checked (the entry's index and field named), data entries
 * computed from their files. Returns the moments and the file's SHA-256.
 * @throws TokenspiceError MOMENTS_FILE_INVALID (unreadable, not JSON, an entry that is not valid);
 *   DATA_PATH_OUTSIDE, DATA_FILE_NOT_FOUND, DATA_FILE_INVALID, FIT_INVALID from a data entry
 */
export async function readMomentsFile(file: string): Promise<{ moments: ObservedMoment[]; sha256: string }> {
  const bad = (why: string, details: Record<string, unknown> = {}) => new TokenspiceError("MOMENTS_FILE_INVALID", `${file}: ${why}`, { file, ...details });
  let bytes: Buffer;
  let json: unknown;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw bad(`cannot be read: ${messageOf(error)}`);
  }
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw bad(`is not JSON: ${messageOf(error)}`);
  }
  const entries = (json as Partial<MomentsFile> | null)?.moments;
  if (!Array.isArray(entries) || entries.length === 0) throw bad('has no "moments": give a list of { "metric", "observed", "se" } or { "metric", "data", "statistic" }');
  const out: ObservedMoment[] = [];
  for (const [index, raw] of entries.entries()) {
    const e = raw as Partial<MomentEntry>;
    const at = (why: string) => bad(`moments[${index}]: ${why}`, { index });
    if (typeof e !== "object" || e === null) throw at("is not an object");
    if (typeof e.metric !== "string") throw at('needs "metric": "<kpi> <stat>", e.g. "trades final"');
    try {
      parseMetric(e.metric);
    } catch (error) {
      throw at(messageOf(error));
    }
    if (e.source !== undefined && typeof e.source !== "string") throw at('"source" is not text');
    if (e.data === undefined) {
      if (typeof e.observed !== "number" || !Number.isFinite(e.observed)) throw at('needs "observed": a finite number (or "data" to compute it from)');
      if (e.se !== undefined && !(typeof e.se === "number" && e.se > 0 && Number.isFinite(e.se))) throw at('"se" is not a number > 0');
      out.push({ metric: e.metric.trim(), observed: e.observed, ...(e.se !== undefined ? { se: e.se } : {}), ...(e.source !== undefined ? { source: e.source } : {}) });
      continue;
    }
    if (e.observed !== undefined || e.se !== undefined) throw at('give "observed" and "se", or "data", not both');
    const d = e.data;
    if (typeof d !== "object" || d === null || typeof d.file !== "string" || typeof d.time !== "string" || typeof d.value !== "string")
      throw at('"data" needs "file", "time" and "value" (column names)');
    const statistic = e.statistic ?? "mean";
    if (statistic !== "mean" && statistic !== "share-above") throw at(`"statistic" ${JSON.stringify(statistic)} is not "mean" or "share-above"`);
    if (statistic === "share-above" && !(typeof e.threshold === "number" && Number.isFinite(e.threshold))) throw at('"share-above" needs "threshold": a number');
    const dataPath = confinedPath(file, d.file);
    const data = await readSeries(dataPath, { time: d.time, value: d.value, group: d.group, timeFormat: d.timeFormat });
    const series = oneSeries(data, d.select);
    const values = statistic === "mean" ? series.values : series.values.map((v) => (v > e.threshold! ? 1 : 0));
    const { mean, se } = meanWithSe(values);
    if (!(se > 0)) throw at(`the ${statistic} of ${d.file}'s ${JSON.stringify(d.value)} has a standard error of 0 (every value alike): give "observed" and "se" instead`);
    out.push({
      metric: e.metric.trim(),
      observed: mean,
      se,
      source: { file: d.file, sha256: data.sha256, column: d.value, statistic: statistic === "mean" ? "mean" : `share above ${e.threshold}`, n: values.length },
    });
  }
  return { moments: out, sha256: crypto.createHash("sha256").update(bytes).digest("hex") };
}
