/**
 * A campaign folder, read: the campaign file (checked), and each run's status and files. Everything
 * the outputs and the report are built from comes through here; each file's format is its module's
 * (src/output/formats/).
 */
import path from "path";
import { TokenspiceError } from "../errors";
import { CAMPAIGN_FILE, hasCampaignFile, insideProblem } from "../output/formats/campaign-file";
import { RUN_MANIFEST_FILE, hasRunManifest, readRunManifest } from "../output/formats/run-manifest";
import { problemOf } from "../output/formats/read";
import type { CampaignRun, RunOutcome } from "./types";

export { RUNS_DIR, assertCampaign, insideProblem, type CampaignDocument } from "../output/formats/campaign-file";

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

/** True when `dir` holds a campaign file (what `sim-report` looks for). */
export function isCampaignFolder(dir: string): boolean {
  return hasCampaignFile(dir);
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
  return confinedPath(dir, run.dir, `run "${run.key}"'s folder`, path.join(dir, CAMPAIGN_FILE));
}

/**
 * How a run ended, from its folder alone: its run manifest's status (complete; failed with its
 * error code and message; interrupted; running, i.e. it never reached an end), `missing` when the
 * folder holds no manifest, or failed with RUN_MANIFEST_INVALID when the manifest is not valid.
 */
export function runStatusFromFiles(folder: string): RunStatus {
  if (!hasRunManifest(folder)) return { status: "missing", error: null };
  let manifest;
  try {
    manifest = readRunManifest(folder);
  } catch (error) {
    return { status: "failed", error: { code: "RUN_MANIFEST_INVALID", message: `${RUN_MANIFEST_FILE} ${problemOf(error)}` } };
  }
  switch (manifest.status) {
    case "complete":
      return { status: "complete", error: null };
    case "failed":
      return { status: "failed", error: { code: typeof manifest.errorCode === "string" ? manifest.errorCode : null, message: String(manifest.error ?? "failed") } };
    case "interrupted":
      return { status: "failed", error: { code: "RUN_INTERRUPTED", message: String(manifest.error ?? "interrupted") } };
    default:
      return { status: "failed", error: { code: "RUN_INCOMPLETE", message: `${RUN_MANIFEST_FILE} says "${manifest.status}": ${RUN_STATUS_CODES.RUN_INCOMPLETE}` } };
  }
}

/** A backend's outcome as a run status (a failed outcome keeps its code and message). */
export function runStatusFromOutcome(outcome: RunOutcome): RunStatus {
  return outcome.status === "complete" ? { status: "complete", error: null } : { status: "failed", error: outcome.error ?? { code: null, message: "failed" } };
}
