/**
 * A campaign folder, read: `campaign.json` (checked), and each run's status and files. Everything
 * the outputs and the report are built from comes through here.
 */
import fs from "fs";
import path from "path";
import { TokenspiceError } from "../errors";
import { readCsv } from "../output/csv";
import { RUN_FILES } from "../output/run-writer";
import type { CampaignPoint, CampaignRun, CampaignSpec, RunOutcome } from "./types";

export const CAMPAIGN_JSON = "campaign.json";
/** The folder run folders live under: `runs/<point key>/r<replicate>`. */
export const RUNS_DIR = "runs";

/**
 * What campaign.json holds. `spec`, `points` and `runs` are required; the rest is shown in the
 * report when present.
 */
export interface CampaignDocument {
  spec: CampaignSpec;
  points: CampaignPoint[];
  runs: CampaignRun[];
  /** The command that repeats the whole campaign. */
  command?: string;
  specHash?: string;
  seed?: number;
  versions?: Record<string, unknown>;
  axes?: unknown;
}

/**
 * How a run ended, for the store: `complete`, `failed` (with the error's code, when the plugin
 * raised it, and message), or `missing` (no run in its folder: not run yet, or not merged in).
 */
export interface RunStatus {
  status: "complete" | "failed" | "missing";
  error: { code: string | null; message: string } | null;
}

/**
 * Codes a run's status can carry beyond the plugin's error codes (`ERROR_CODES`): set by the
 * worker backend, or read from a manifest that never reached an end.
 */
export const RUN_STATUS_CODES = {
  WORKER_DIED: "the worker process running it died (set by the worker backend)",
  RUN_INCOMPLETE: "its manifest still says running: the process writing it stopped before the run ended, or it is still going",
  RUN_INTERRUPTED: "a signal stopped it (its manifest says interrupted)",
} as const;

function invalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): TokenspiceError {
  return new TokenspiceError("CAMPAIGN_FOLDER_INVALID", message, details, cause);
}

/** True when `dir` holds a campaign.json (what `sim-report` looks for). */
export function isCampaignFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, CAMPAIGN_JSON));
}

/**
 * Reads and checks `<dir>/campaign.json`.
 *
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming what is missing or malformed
 */
export function readCampaign(dir: string): CampaignDocument {
  const file = path.join(dir, CAMPAIGN_JSON);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalid(`${dir} is not a folder.`, { dir });
  if (!fs.existsSync(file)) {
    throw invalid(`${dir} is not a campaign folder: it has no ${CAMPAIGN_JSON} (a campaign folder holds ${CAMPAIGN_JSON} and ${RUNS_DIR}/<point>/r<k>/ run folders).`, { dir });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw invalid(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, error);
  }
  assertCampaign(doc, file);
  return doc;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks a campaign document's shape and consistency: a spec with a netlist and steps, points with
 * unique keys, runs with unique keys and folders, each of a known point, each folder inside the
 * campaign folder.
 *
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming the field
 */
export function assertCampaign(doc: unknown, where: string): asserts doc is CampaignDocument {
  const fail = (what: string) => {
    throw invalid(`${where}: ${what}.`, { file: where });
  };
  if (!isObject(doc)) fail("is not a JSON object");
  const d = doc as Record<string, any>;
  if (!isObject(d.spec)) fail('has no "spec" object');
  if (!isObject(d.spec.netlist) || typeof d.spec.netlist.name !== "string") fail('"spec.netlist.name" is missing');
  if (!Number.isSafeInteger(d.spec.steps) || d.spec.steps < 1) fail('"spec.steps" is not a positive integer');
  if (!Array.isArray(d.spec.sweep)) fail('"spec.sweep" is not an array');
  for (const [i, axis] of (d.spec.sweep as unknown[]).entries()) {
    if (!isObject(axis) || typeof axis.param !== "string" || !Array.isArray(axis.values)) fail(`"spec.sweep[${i}]" is not { param, values }`);
  }
  if (d.spec.sample !== null && d.spec.sample !== undefined && !(isObject(d.spec.sample) && Array.isArray(d.spec.sample.over))) fail('"spec.sample" is neither null nor { method, samples, over }');
  if (!Array.isArray(d.points)) fail('"points" is not an array');
  if (!Array.isArray(d.runs)) fail('"runs" is not an array');
  const points = new Set<string>();
  for (const [i, p] of (d.points as unknown[]).entries()) {
    if (!isObject(p) || typeof p.key !== "string" || p.key === "" || !isObject(p.varying) || !isObject(p.params)) fail(`"points[${i}]" is not { key, varying, params }`);
    const point = p as CampaignPoint;
    if (points.has(point.key)) fail(`point key "${point.key}" appears twice`);
    points.add(point.key);
  }
  const keys = new Set<string>();
  const dirs = new Set<string>();
  for (const [i, r] of (d.runs as unknown[]).entries()) {
    if (!isObject(r) || typeof r.key !== "string" || typeof r.point !== "string" || !Number.isSafeInteger(r.replicate) || r.replicate < 0 || typeof r.dir !== "string" || !Number.isSafeInteger(r.seed) || !isObject(r.spec)) {
      fail(`"runs[${i}]" is not { key, point, replicate, seed, spec, command, dir }`);
    }
    const run = r as CampaignRun;
    if (!points.has(run.point)) fail(`run "${run.key}" is of point "${run.point}", which "points" does not list`);
    if (keys.has(run.key)) fail(`run key "${run.key}" appears twice`);
    keys.add(run.key);
    const rel = insideProblem(run.dir) === undefined ? run.dir.split(/[\\/]/).join("/") : undefined;
    if (rel === undefined) fail(`run "${run.key}" has folder ${JSON.stringify(run.dir)}, which is not inside the campaign folder (${insideProblem(run.dir)}; a run's folder is runs/<point>/r<k>)`);
    if (dirs.has(rel!)) fail(`folder "${run.dir}" belongs to two runs`);
    dirs.add(rel!);
  }
}

/**
 * Why `rel`, a path read from a file, would leave the folder it is relative to, or undefined when
 * it stays inside: it must be a non-empty relative path of plain names (no `..`, `.` or empty
 * segment, no drive or root, no NUL), with `/` or `\\` between them.
 */
export function insideProblem(rel: unknown): string | undefined {
  if (typeof rel !== "string" || rel === "") return "it is not a relative path";
  if (rel.includes("\0")) return "it holds a NUL character";
  if (path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return "it is absolute";
  const segments = rel.split(/[\\/]/);
  if (segments.some((s) => s === "..")) return "it climbs out with ..";
  if (segments.some((s) => s === "" || s === ".")) return "it has an empty or . segment";
  return undefined;
}

/**
 * `rel` (read from a file in `dir`) resolved inside `dir`, absolute.
 *
 * @param what names the value in the error, e.g. `run "p-…/r0"'s folder`
 * @param file the file `rel` was read from, named in the error
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID when `rel` would leave `dir` (`insideProblem`)
 */
export function confinedPath(dir: string, rel: unknown, what: string, file: string): string {
  const problem = insideProblem(rel);
  const resolved = problem === undefined ? path.resolve(dir, ...(rel as string).split(/[\\/]/)) : undefined;
  if (resolved === undefined || !isInside(dir, resolved)) {
    throw invalid(`${file}: ${what} ${JSON.stringify(rel)} is not inside the campaign folder (${problem ?? "it resolves outside"}).`, { file, path: String(rel) });
  }
  return resolved;
}

/** True when `child` is `parent` or under it (both absolute; compared as paths, not through links). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/**
 * The run's folder (absolute), inside `dir`.
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID for a `dir` field that would leave the campaign folder
 */
export function runFolder(dir: string, run: CampaignRun): string {
  return confinedPath(dir, run.dir, `run "${run.key}"'s folder`, path.join(dir, CAMPAIGN_JSON));
}

/**
 * How a run ended, from its folder alone: `manifest.json`'s status (complete; failed with its
 * error code and message; interrupted; running, i.e. it never reached an end), or `missing` when
 * the folder holds no manifest.
 */
export function runStatusFromFiles(folder: string): RunStatus {
  const file = path.join(folder, RUN_FILES.manifest);
  if (!fs.existsSync(file)) return { status: "missing", error: null };
  let manifest: Record<string, any>;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return { status: "failed", error: { code: "RUN_FOLDER_INVALID", message: `manifest.json cannot be read: ${error instanceof Error ? error.message : String(error)}` } };
  }
  switch (manifest.status) {
    case "complete":
      return { status: "complete", error: null };
    case "failed":
      return { status: "failed", error: { code: typeof manifest.errorCode === "string" ? manifest.errorCode : null, message: String(manifest.error ?? "failed") } };
    case "interrupted":
      return { status: "failed", error: { code: "RUN_INTERRUPTED", message: String(manifest.error ?? "interrupted") } };
    default:
      return { status: "failed", error: { code: "RUN_INCOMPLETE", message: `manifest.json says "${manifest.status}": ${RUN_STATUS_CODES.RUN_INCOMPLETE}` } };
  }
}

/** A backend's outcome as a run status (a failed outcome keeps its code and message). */
export function runStatusFromOutcome(outcome: RunOutcome): RunStatus {
  return outcome.status === "complete" ? { status: "complete", error: null } : { status: "failed", error: outcome.error ?? { code: null, message: "failed" } };
}

/** A run's manifest, or undefined when it has none or it cannot be read. */
export function readManifest(folder: string): Record<string, any> | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, RUN_FILES.manifest), "utf8"));
  } catch {
    return undefined;
  }
}

/** A run's kpis.csv: the KPI names of its header, and its rows (tick, timestamp, a cell per KPI). */
export interface KpiTable {
  kpis: string[];
  rows: string[][];
}

/**
 * Reads a run's kpis.csv (one file at a time: memory is bounded by one run). Undefined when the
 * folder has none.
 *
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID for a file that is not a kpis.csv
 */
export function readKpiTable(folder: string): KpiTable | undefined {
  const file = path.join(folder, RUN_FILES.kpis);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw invalid(`Cannot read ${file}: ${(error as Error).message}`, { file }, error);
  }
  let rows: string[][];
  try {
    rows = readCsv(text, { relax_column_count: false });
  } catch (error) {
    throw invalid(`${file} is not valid CSV: ${(error as Error).message}`, { file }, error);
  }
  const [header = [], ...body] = rows;
  if (header[0] !== "tick" || header[1] !== "timestamp") throw invalid(`${file} does not start with tick,timestamp`, { file });
  return { kpis: header.slice(2), rows: body };
}

const NUMBER = /^-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|Infinity)$|^NaN$/;
const INTEGER = /^-?\d+$/;

/**
 * A kpis.csv cell: its value as a double (a bigint rounded to the nearest double; NaN and
 * ±Infinity by name), and its exact decimal digits when it is an integer (every bigint KPI value,
 * and whole numbers), else null.
 *
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID for a cell that is not a number
 */
export function parseCell(cell: string, where: () => string): { value: number; exact: string | null } {
  if (!NUMBER.test(cell)) throw invalid(`${where()}: "${cell}" is not a KPI value (a number, a bigint's digits, NaN, Infinity or -Infinity).`);
  return { value: Number(cell), exact: INTEGER.test(cell) ? cell : null };
}
