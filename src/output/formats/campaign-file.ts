/**
 * The campaign file (`campaign.json` in a campaign's folder): what a campaign is (its spec), the
 * points and runs it plans (each run's seed, spec, reproduce command and folder), and for a
 * campaign that ran, its spec hash, versions and command. The same on every machine and shard:
 * shards, resumes and merges read it back, and the outputs and report are built from it.
 *
 * The campaign layer's plan types live here, with the file that holds them, so that every layer
 * reading a campaign folder (the report, the searches) takes them from one place.
 */
import fs from "fs";
import path from "path";
import type { RunSpec } from "./run-manifest";
import { MANIFEST_TOOL } from "./run-manifest";
import { TokenspiceError } from "../../errors";
import { toJson } from "../json";
import { isObject, readJsonOrUndefined } from "./read";

/** The campaign file's name in a campaign's folder. */
export const CAMPAIGN_FILE = "campaign.json";

/** The folder run folders live under: `runs/<point key>/r<replicate>`. */
export const RUNS_DIR = "runs";

/** A value a param takes at a point (typed: never the command-line text). */
export type ParamValue = number | string | boolean;

/** One axis of a sweep: a param and the values it takes, in the order given. */
export interface SweepAxis {
  param: string;
  values: ParamValue[];
}

/** Quasi-random or random sampling of params over their declared ranges. */
export interface SampleSpec {
  method: "random" | "lhs" | "sobol";
  /** Points to draw. */
  samples: number;
  /** Params to sample (each needs a finite min and max, or choices); default every uncontrollable param. */
  over: string[];
}

/** What a campaign is: everything that decides its runs, as JSON. The campaign file holds it. */
export interface CampaignSpec {
  netlist: RunSpec["netlist"];
  /** Ticks per run. */
  steps: number;
  /** Params fixed for every run (typed), on top of the netlist's defaults. */
  params: Record<string, ParamValue>;
  /** Replicates (runs, each with its own seed) at each point. */
  runs: number;
  sweep: SweepAxis[];
  /** Pair the sweep axes element by element instead of crossing them (a grid). */
  zip: boolean;
  sample: SampleSpec | null;
  /**
   * Common random numbers: replicate r has the same seed at every point (derived from the campaign
   * seed and r alone), so points are compared on the same random draws. Present only when true, so
   * campaigns without it keep their spec hash.
   */
  commonSeeds?: true;
  /** The campaign seed every run's seed is derived from. */
  seed: number;
  stepTimeoutMs: number | null;
  network: RunSpec["network"];
}

/** A point of the campaign: every param of the netlist, typed, and a key that names it. */
export interface CampaignPoint {
  /** Short stable id of the point's params (a hash), e.g. "p-3f9a1c0e2b7d". */
  key: string;
  /** The params that vary across the campaign, as they are at this point (sweep and sample axes). */
  varying: Record<string, ParamValue>;
  /** Every param of the netlist at this point. */
  params: Record<string, ParamValue>;
}

/** One run of the campaign: a point, a replicate, and the run spec that reproduces it alone. */
export interface CampaignRun {
  /** `<point key>/r<replicate>`, e.g. "p-3f9a1c0e2b7d/r0": unique in the campaign, stable across shards. */
  key: string;
  point: string;
  /** 0-based. */
  replicate: number;
  /** Derived from (campaign seed, point params, replicate); see src/campaign/plan.ts. */
  seed: number;
  spec: RunSpec;
  /** The `npx hardhat sim` command that repeats this one run. */
  command: string;
  /** The run's folder, relative to the campaign's folder: `runs/<point key>/r<replicate>`. */
  dir: string;
}

/**
 * What the campaign file holds, as the outputs and the report need it. `spec`, `points` and `runs`
 * are required; the rest is shown in the report when present.
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
  forkBundle?: CampaignForkBundle;
}

/**
 * The fork bundle a campaign on a fork (`--fork`, `tokenspice.fork`) ran from, as it was once its
 * runs ended: its hash (`sha256:…`, src/fork/bundle.ts) and entries. Every worker's reads are in it,
 * so the campaign reruns `--offline` from a bundle of this hash. The folder is left out: it is where
 * the bundle is on one machine.
 */
export interface CampaignForkBundle {
  hash: string;
  entries: number;
}

/** What the campaign file of a campaign that ran holds: ours (`tool`, `kind`), with its spec hash, versions and command. */
export interface CampaignFile {
  tool: typeof MANIFEST_TOOL;
  kind: "campaign";
  spec: CampaignSpec;
  specHash: string;
  points: CampaignPoint[];
  runs: CampaignRun[];
  versions: Record<string, string | string[]>;
  /** The command that runs the whole campaign again (with --out). */
  command: string;
  /** A campaign on a fork: its bundle once the runs ended (written then; absent before, and on a chain not forked). */
  forkBundle?: CampaignForkBundle;
}

function invalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): TokenspiceError {
  return new TokenspiceError("CAMPAIGN_FOLDER_INVALID", message, details, cause);
}

/** The campaign file of the campaign in `dir`. */
export function campaignFilePath(dir: string): string {
  return path.join(dir, CAMPAIGN_FILE);
}

/** True when `dir` holds a campaign file (what `sim-report` looks for). */
export function hasCampaignFile(dir: string): boolean {
  return fs.existsSync(campaignFilePath(dir));
}

/**
 * Reads and checks the campaign file in `dir` (`assertCampaign`).
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming the folder or file and what is missing or malformed
 */
export function readCampaignFile(dir: string): CampaignDocument {
  const file = campaignFilePath(dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalid(`${dir} is not a folder.`, { dir });
  if (!fs.existsSync(file)) {
    throw invalid(`${dir} is not a campaign folder: it has no ${CAMPAIGN_FILE} (a campaign folder holds ${CAMPAIGN_FILE} and ${RUNS_DIR}/<point>/r<k>/ run folders).`, { dir });
  }
  const doc = readJsonOrUndefined(file, "CAMPAIGN_FOLDER_INVALID");
  assertCampaign(doc, file);
  return doc;
}

/**
 * Reads and checks the campaign file of a campaign that ran in `dir`: ours (tool, kind, runs, spec
 * hash), and whole (`assertCampaign`: every run's folder inside `dir`, keys unique, points known).
 * Everything read from it afterwards can be trusted to stay in `dir`.
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming the file and what is wrong
 */
export function readOwnCampaignFile(dir: string): CampaignFile {
  const file = campaignFilePath(dir);
  const parsed = readJsonOrUndefined(file, "CAMPAIGN_FOLDER_INVALID") as Partial<CampaignFile> | undefined;
  if (parsed === undefined) throw invalid(`${dir} is not a campaign folder: it has no ${CAMPAIGN_FILE}.`, { dir });
  if (parsed?.tool !== MANIFEST_TOOL || parsed.kind !== "campaign" || !Array.isArray(parsed.runs) || typeof parsed.specHash !== "string") {
    throw invalid(`${file} is not a hardhat-tokenspice campaign (no tool, kind "campaign", runs and specHash).`, { dir, file });
  }
  assertCampaign(parsed, file);
  return parsed as CampaignFile;
}

/** True when `dir` holds a campaign file of a campaign of ours that reads (a folder --force or a merge may replace). */
export function holdsOwnCampaign(dir: string): boolean {
  try {
    return readOwnCampaignFile(dir) !== undefined;
  } catch {
    return false;
  }
}

/** Writes the campaign file into `dir` (`toJson`). Throws what the file system throws. */
export function writeCampaignFile(dir: string, file: CampaignFile | CampaignDocument): void {
  fs.writeFileSync(campaignFilePath(dir), toJson(file));
}

/**
 * Checks a campaign document's shape and consistency: a spec with a netlist and steps, points with
 * unique keys, runs with unique keys and folders, each of a known point, each folder inside the
 * campaign folder.
 *
 * @param where the file it was read from (or is named as), in the error
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming the field
 */
export function assertCampaign(doc: unknown, where: string): asserts doc is CampaignDocument {
  const fail = (what: string) => {
    throw invalid(`${where}: ${what}.`, { file: where, problem: what });
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
  if (d.forkBundle !== undefined && !(isObject(d.forkBundle) && typeof d.forkBundle.hash === "string" && Number.isSafeInteger(d.forkBundle.entries))) fail('"forkBundle" is not { hash, entries }');
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
    if (
      !isObject(r) ||
      typeof r.key !== "string" ||
      typeof r.point !== "string" ||
      !Number.isSafeInteger(r.replicate) ||
      r.replicate < 0 ||
      typeof r.dir !== "string" ||
      !Number.isSafeInteger(r.seed) ||
      !isObject(r.spec)
    ) {
      fail(`"runs[${i}]" is not { key, point, replicate, seed, spec, command, dir }`);
    }
    const run = r as CampaignRun;
    if (!points.has(run.point)) fail(`run "${run.key}" is of point "${run.point}", which "points" does not list`);
    if (keys.has(run.key)) fail(`run key "${run.key}" appears twice`);
    keys.add(run.key);
    const rel = insideProblem(run.dir) === undefined ? run.dir.split(/[\\/]/).join("/") : undefined;
    if (rel === undefined)
      fail(`run "${run.key}" has folder ${JSON.stringify(run.dir)}, which is not inside the campaign folder (${insideProblem(run.dir)}; a run's folder is ${RUNS_DIR}/<point>/r<k>)`);
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
