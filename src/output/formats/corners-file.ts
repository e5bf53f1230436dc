/**
 * The corners file (`corners.json`, written by `sim-corners` into its search's folder): the corners
 * it found (each spec's or objective's worst case over the uncontrollables, plus nominal), for
 * `--corners` of sim-verify and sim-optimize and `--compare-corners` of sim-verify.
 */
import fs from "fs";
import path from "path";
import { toJson } from "../json";
import type { ParamValue } from "./campaign-file";
import { formatError, isObject, readJsonOrUndefined } from "./read";

/** The corners file's name in a corners search's folder. */
export const CORNERS_FILE = "corners.json";

/** A point of the uncontrollables the design is checked against: a worst case, or nominal. */
export interface Corner {
  name: string;
  /** The uncontrollable params at this corner. */
  params: Record<string, ParamValue>;
  /** The spec or objective whose worst case it is (none for nominal). */
  from?: string;
  /** The objective's mean there, over seeds. */
  value?: number;
  /** Runs of its worst-case search whose objective was NaN or ±Infinity (never the worst). */
  nonFinite?: number;
  /** With sim-corners --stability: what a second search with another seed found there, and whether it agrees (src/search/worst-case.ts `Stability`). */
  stability?: { stable: boolean; advice: string; suggestedBudget: number; seed: number; value: number; params: Record<string, ParamValue> };
}

/** What the corners file holds: the netlist as the search named it, and the corners. */
export interface CornersDocument {
  netlist: string;
  corners: Corner[];
}

/** The corners file in the search folder `dir`. */
export function cornersFilePath(dir: string): string {
  return path.join(dir, CORNERS_FILE);
}

/**
 * Reads and checks a corners file (`file` is its path, as `--corners` gives it): a JSON object
 * whose `corners` is a list of `{ name, params }`.
 * @throws TokenspiceError CORNERS_FILE_INVALID naming the file: missing, unreadable, not JSON, or not corners
 */
export function readCornersFile(file: string): CornersDocument {
  const resolved = path.resolve(file);
  const doc = readJsonOrUndefined(resolved, "CORNERS_FILE_INVALID");
  if (doc === undefined) throw formatError("CORNERS_FILE_INVALID", resolved, `does not exist (a ${CORNERS_FILE} is written by sim-corners into its folder)`);
  const corners = isObject(doc) ? doc.corners : undefined;
  const netlist = isObject(doc) && typeof doc.netlist === "string" ? doc.netlist : "";
  if (!Array.isArray(corners) || corners.some((c) => !isObject(c) || typeof c.name !== "string" || !isObject(c.params))) {
    throw formatError("CORNERS_FILE_INVALID", resolved, `is not a ${CORNERS_FILE} written by sim-corners (it needs "corners": a list of { name, params })`);
  }
  return { netlist, corners: corners as Corner[] };
}

/** Writes the corners file into the search folder `dir` (`toJson`). Throws what the file system throws. */
export function writeCornersFile(dir: string, doc: CornersDocument): void {
  fs.writeFileSync(cornersFilePath(dir), toJson(doc));
}
