import crypto from "crypto";
import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";
import type { DistFit } from "./fit-dist";
import type { GbmFit } from "./gbm";
import type { Gap } from "./gaps";

/** The default name of a calibration file. */
export const CALIBRATION_FILE = "calibration.json";

/**
 * A calibration file (`calibration.json`): what was fitted, to which data (its SHA-256, so the fit
 * is reproducible: the same file gives the same numbers), and the result.
 * - `data.file`: the data file's path relative to the calibration file's folder, with `/`; left out
 *   when the data file is outside that folder (a path read from the file never leads out of it);
 * - `params`: param name → the fitted `dist` (src/model/dist.ts) with the param range it lives on,
 *   its parameters' intervals and the KS test; `candidates` lists every family tried (by AIC);
 * - `gbm`: drift and volatility per year with intervals, and the checks of what GBM misses;
 * - `suggested`: param values to pass as `--params` (the GBM's point estimates).
 */
export interface CalibrationFile {
  tool: "hardhat-tokenspice";
  kind: "calibration";
  version: 1;
  data: {
    file?: string;
    name: string;
    sha256: string;
    format: "csv" | "parquet";
    columns: { time: string; value: string; group?: string };
    group?: string;
    rows: number;
    points: number;
    from: string;
    to: string;
    spacingSeconds: number;
    gaps: Gap[];
  };
  confidence: number;
  alpha: number;
  seed: string;
  params: Record<string, { dist: DistFit["dist"]; min?: number; max?: number; fit: DistFit; candidates: { family: string; aic: number; ksPValue?: number }[] }>;
  gbm?: GbmFit;
  suggested: Record<string, number>;
}

/**
 * Writes `calibration` (a fit's, or a moments calibration's: src/search/moments-calibration.ts) to `file` (JSON, two-space indent, a final newline), never over an existing
 * file unless `force`.
 * @throws TokenspiceError OUT_FILE_EXISTS; IO_ERROR when writing fails
 */
export function writeCalibration(file: string, calibration: CalibrationFile | { tool: "hardhat-tokenspice"; kind: string }, force = false): void {
  if (!force && fs.existsSync(file)) throw new TokenspiceError("OUT_FILE_EXISTS", `${file} exists: give --force to replace it, or another --out`, { file });
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(calibration, null, 2) + "\n");
  } catch (error) {
    throw new TokenspiceError("IO_ERROR", `Cannot write ${file}: ${messageOf(error)}`, { file }, error);
  }
}

/** `dataFile` relative to the folder of `calibrationFile`, with `/`; undefined when it is outside that folder. */
export function dataPathFrom(calibrationFile: string, dataFile: string): string | undefined {
  const rel = path.relative(path.dirname(path.resolve(calibrationFile)), path.resolve(dataFile));
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}

/**
 * A path read from a file, resolved against that file's folder and confined to it: an absolute
 * path, or one whose `..` leads out, is refused.
 * @throws TokenspiceError DATA_PATH_OUTSIDE
 */
export function confinedPath(fromFile: string, relative: string): string {
  const folder = path.dirname(path.resolve(fromFile));
  const resolved = path.resolve(folder, relative);
  const rel = path.relative(folder, resolved);
  if (path.isAbsolute(relative) || rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
    throw new TokenspiceError("DATA_PATH_OUTSIDE", `${fromFile}: the data path ${JSON.stringify(relative)} leads outside the file's folder ${folder}; give a path inside it`, {
      file: fromFile,
      path: relative,
    });
  }
  return resolved;
}

/**
 * Reads a calibration file and, when it names its data file, checks that file's SHA-256 still matches.
 * @throws TokenspiceError CALIBRATION_FILE_INVALID (unreadable, not JSON, not a calibration, the data changed), DATA_PATH_OUTSIDE
 */
export function readCalibration(file: string): CalibrationFile & { dataPath?: string } {
  const bad = (why: string) => new TokenspiceError("CALIBRATION_FILE_INVALID", `${file}: ${why}`, { file });
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw bad(`cannot be read as JSON: ${messageOf(error)}`);
  }
  const c = json as Partial<CalibrationFile>;
  if (c?.tool !== "hardhat-tokenspice" || c.kind !== "calibration") throw bad('not a hardhat-tokenspice calibration (tool, kind "calibration")');
  if (c.version !== 1) throw bad(`version ${JSON.stringify(c.version)} is not 1`);
  if (typeof c.data?.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(c.data.sha256)) throw bad("data.sha256 is not a SHA-256 in hex");
  if (typeof c.params !== "object" || c.params === null) throw bad("params is not an object");
  if (c.data.file === undefined) return c as CalibrationFile;
  if (typeof c.data.file !== "string") throw bad("data.file is not a path");
  const dataPath = confinedPath(file, c.data.file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(dataPath);
  } catch (error) {
    throw bad(`its data file ${c.data.file} cannot be read: ${messageOf(error)}`);
  }
  const sha = crypto.createHash("sha256").update(bytes).digest("hex");
  if (sha !== c.data.sha256) throw bad(`its data file ${c.data.file} changed since the fit (SHA-256 ${sha}, the fit's ${c.data.sha256}): fit again`);
  return { ...(c as CalibrationFile), dataPath };
}
