import fs from "fs";
import os from "os";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import { folderLockHeld, processIsAlive } from "../output/folder-lock";
import { CAMPAIGN_FILE, readOwnCampaignFile, writeCampaignFile, type CampaignFile, type CampaignForkBundle } from "../output/formats/campaign-file";
import { CAMPAIGN_STATUS_FILE, readCampaignStatusFile, writeCampaignStatusFile, type CampaignStatus } from "../output/formats/campaign-status";
import { MANIFEST_TOOL, findRunManifest } from "../output/formats/run-manifest";
import { takeFolder } from "../output/take-folder";
import { ENDING_SIGNALS } from "../runner/interrupts";
import { runFolder } from "./folder";
import { canonicalJson, shardRuns, type CampaignPlan } from "./plan";
import { campaignResumeCommand } from "./spec";
import type { BackendEvents, CampaignBackend, CampaignRun, CampaignSpec, RunJob, RunOutcome } from "./types";

export type { CampaignFile } from "../output/formats/campaign-file";
export type { CampaignStatus } from "../output/formats/campaign-status";

/**
 * Writes a campaign's aggregate outputs (bands, points, the store, the report) from its run folders.
 * `campaign` is the document written to the campaign file (its command, versions and spec hash show in
 * the report and the store), so the outputs equal what `sim-report` rebuilds from the folder.
 */
export type OutputWriter = (dir: string, campaign: CampaignFile, outcomes: Map<string, RunOutcome>) => Promise<unknown>;

/**
 * What `runCampaign` takes: the folder, the spec and its plan (points and runs, seeds derived from
 * the campaign seed), the backend that runs them (in-process or worker processes), and how to treat
 * a folder that exists (`resume`, `force`) and a shard.
 */
export interface CampaignOptions {
  /** The campaign's folder (absolute). */
  dir: string;
  spec: CampaignSpec;
  plan: CampaignPlan;
  versions: Record<string, string | string[]>;
  command: string;
  backend: CampaignBackend;
  events?: BackendEvents;
  /** Run only this slice of the runs (1-based index of count); the aggregates are left to `sim-merge`. */
  shard?: { index: number; count: number };
  /** The folder holds this campaign already: run only the runs that have not ended. */
  resume?: boolean;
  /** Overwrite a campaign of ours already in `dir` (not with `resume`). */
  force?: boolean;
  writeOutputs?: OutputWriter;
  /**
   * Called once the runs have been handed to the backend, when this process waits for them (worker
   * processes run them): loads what writing the outputs needs (`warmCampaignOutputs`). Not for a
   * shard (it writes no outputs).
   */
  warmOutputs?: () => void;
  /**
   * A campaign on a fork: its bundle's hash and entries as they are now (src/fork, every worker's
   * reads counted), asked once the runs ended and written into the campaign file as `forkBundle`.
   */
  forkBundle?: () => CampaignForkBundle;
  /** Called once the runs to start are known (after skipping those a resume finds ended). */
  onJobs?: (jobs: number, skipped: number) => void;
  /**
   * Called, synchronously, when SIGINT, SIGTERM or SIGHUP stops the campaign, after the campaign status says
   * `interrupted` and the folder's lock is released; the signal then ends the process (130, 143, 129).
   * `resume` is the command that continues it.
   */
  onInterrupt?: (interruption: { signal: NodeJS.Signals; resume: string }) => void;
}

/**
 * What a campaign (or this shard of it) did: its runs, how many completed, the failed ones (each with its error), those a resume skipped, and every outcome by run key.
 */
export interface CampaignSummary {
  dir: string;
  /** Runs of this process's share (the shard's, or all). */
  runs: number;
  complete: number;
  failed: RunOutcome[];
  /** Runs that had ended before (resume) and were not run again. */
  skipped: number;
  outcomes: Map<string, RunOutcome>;
}

/**
 * The shard a campaign folder was written for, as its campaign status records it: `{ index, count }`,
 * null for the whole campaign, undefined when the status is missing, unreadable or says neither (a
 * folder written before it recorded this, or a merge's).
 */
export function readShardOf(dir: string): { index: number; count: number } | null | undefined {
  let status: CampaignStatus | undefined;
  try {
    status = readCampaignStatusFile(dir);
  } catch {
    return undefined;
  }
  const shard = status?.shard;
  if (shard === null) return null;
  return shard ? { index: shard.index, count: shard.count } : undefined;
}

/**
 * The shard a resume runs: the one the folder was written for (its campaign status), so resuming a shard's
 * folder resumes that shard, not the whole campaign. A `--shard` given with `--resume` must agree.
 * @throws TokenspiceError OPTION_INVALID when it does not, with the command that resumes the folder
 */
export function resumedShard(dir: string, spec: CampaignSpec, given: { index: number; count: number } | undefined): { index: number; count: number } | undefined {
  const recorded = readShardOf(dir);
  if (recorded === undefined) return given; // nothing recorded: as asked (the whole campaign without --shard)
  const same = (recorded?.index ?? 1) === (given?.index ?? 1) && (recorded?.count ?? 1) === (given?.count ?? 1);
  if (given !== undefined && !same) {
    const what = recorded ? `shard ${recorded.index}/${recorded.count}` : "the whole campaign";
    throw new TokenspiceError(
      "OPTION_INVALID",
      `${dir} holds ${what}, not shard ${given.index}/${given.count}: resume it as it was run (${campaignResumeCommand(spec, dir, recorded)}), or run shard ${given.index}/${given.count} into a folder of its own.`,
      { dir, shard: recorded, given },
    );
  }
  return recorded ?? undefined;
}

/**
 * How a run ended, from its manifest: complete, failed (with the error's code and message), or
 * undefined when it has not ended (never started, still running, or stopped by a signal or a kill)
 * or the folder holds a run of another seed.
 */
export function runOutcomeOnDisk(dir: string, run: CampaignRun): RunOutcome | undefined {
  const m = findRunManifest(runFolder(dir, run));
  if (m === undefined) return undefined;
  // A run of another seed in this run's folder (a search written before its seeds were derived the
  // way they are now) is not this run's end: it is run again.
  if (typeof m.seed === "number" && m.seed !== run.seed) return undefined;
  // Nor is a run of the same seed made with other steps or on another chain (a search interrupted,
  // then run again into its folder with another --steps or --config): it is run again, not mixed in.
  if (!sameChainAndSteps(m.spec, run.spec)) return undefined;
  if (m.status === "complete") return { key: run.key, status: "complete", error: null, attempts: 1 };
  if (m.status === "failed") return { key: run.key, status: "failed", error: { code: m.errorCode ?? "RUN_FAILED", message: m.error ?? "" }, attempts: 1 };
  return undefined;
}

/**
 * False when a run's manifest records a spec whose steps or chain (chain id, hardfork, block time,
 * gas limit, base fee, fork) differ from `spec`'s; a field the manifest does not record is not
 * compared.
 */
function sameChainAndSteps(recorded: Partial<CampaignRun["spec"]> | undefined, spec: CampaignRun["spec"]): boolean {
  if (recorded === null || typeof recorded !== "object") return true;
  if (recorded.steps !== undefined && recorded.steps !== spec.steps) return false;
  const a = recorded.network as Record<string, unknown> | undefined;
  const b = spec.network as unknown as Record<string, unknown>;
  if (a === null || typeof a !== "object") return true;
  return ["chainId", "hardfork", "blockTime", "blockGasLimit", "initialBaseFeePerGas", "fork"].every((k) => !Object.hasOwn(a, k) || JSON.stringify(a[k]) === JSON.stringify(b?.[k]));
}

/**
 * Runs a campaign: takes its folder (`takeFolder`: a lock against a second process), writes the campaign file,
 * hands the runs that have not ended to the backend, then writes the aggregate outputs from the run
 * folders. A failed run is data: recorded, and the campaign goes on.
 *
 * @throws TokenspiceError OUT_HOLDS_RUN, OUT_NOT_A_RUN, OUT_LOCKED, OUT_UNUSABLE for the folder;
 *   OPTION_INVALID when `resume` meets a folder of another campaign
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const { dir, spec, plan } = options;
  // A resumed shard's folder resumes that shard (its campaign status says which), not the whole campaign.
  const shard = options.resume && fs.existsSync(dir) ? resumedShard(dir, spec, options.shard) : options.shard;
  const share = shard ? shardRuns(plan.runs, shard.index, shard.count) : plan.runs; // a bad shard is refused before the folder is touched
  let lockWarning: string | undefined;
  const release = takeCampaignFolder(dir, options, (error) => {
    lockWarning = `the folder's lock was lost during the campaign (${error.message})`;
  });
  const started = Date.now();
  const resume = campaignResumeCommand(spec, dir, shard);
  let skipped = 0;
  const ended = (state: "complete" | "failed" | "interrupted", extra: Record<string, unknown>) =>
    writeStatus(dir, { state, started, finished: Date.now(), shard: shard ?? null, runs: share.length, skipped, ...extra, ...(lockWarning ? { lockWarning } : {}) });
  const unwatch = watchInterruptions((signal, reason) => {
    try {
      ended("interrupted", { signal, error: reason, resume });
    } catch {
      // the disk is gone: nothing more to save
    }
    release();
    if (signal) options.onInterrupt?.({ signal, resume });
  });
  try {
    const file: CampaignFile = {
      tool: MANIFEST_TOOL,
      kind: "campaign",
      spec,
      specHash: plan.specHash,
      points: plan.points,
      runs: plan.runs,
      versions: options.versions,
      command: options.command,
    };
    guardWrite(dir, CAMPAIGN_FILE, () => writeCampaignFile(dir, file));
    const outcomes = new Map<string, RunOutcome>();
    const jobs: RunJob[] = [];
    for (const run of share) {
      const onDisk = options.resume ? runOutcomeOnDisk(dir, run) : undefined;
      if (onDisk) outcomes.set(run.key, onDisk);
      else jobs.push({ key: run.key, spec: run.spec, out: runFolder(dir, run) });
    }
    skipped = outcomes.size;
    options.onJobs?.(jobs.length, skipped);
    writeStatus(dir, { state: "running", started, shard: shard ?? null, runs: share.length, skipped });
    const running = options.backend.run(jobs, options.events ?? {});
    if (!shard && options.writeOutputs && options.warmOutputs && jobs.length > 0) setImmediate(options.warmOutputs);
    const reported = new Map((await running).map((o) => [o.key, o]));
    const byKey = new Map(share.map((r) => [r.key, r]));
    for (const job of jobs) {
      const run = byKey.get(job.key)!;
      // The run's own manifest is the record (it survives a resume); the backend's word only where
      // the run never got to write one (its worker died).
      outcomes.set(job.key, runOutcomeOnDisk(dir, run) ?? reported.get(job.key) ?? lostRun(job.key));
    }
    if (options.forkBundle) {
      // Every run has read what it needed of the fork by now: the bundle that reruns them offline.
      file.forkBundle = options.forkBundle();
      guardWrite(dir, CAMPAIGN_FILE, () => writeCampaignFile(dir, file));
    }
    if (!shard && options.writeOutputs) await options.writeOutputs(dir, file, outcomes);
    const failed = [...outcomes.values()].filter((o) => o.status === "failed");
    ended("complete", { failed: failed.length });
    return { dir, runs: share.length, complete: outcomes.size - failed.length, failed, skipped, outcomes };
  } catch (error) {
    // A worker ended by a signal the campaign did not send (Ctrl-C reaches the whole process group).
    const interrupted = isTokenspiceError(error) && error.code === "RUN_INTERRUPTED";
    ended(interrupted ? "interrupted" : "failed", { error: messageOf(error), ...(interrupted ? { resume } : {}) });
    throw error;
  } finally {
    unwatch();
    release();
  }
}

/** The command that resumes the campaign (or shard) in `dir`, from its own campaign file and status; `--resume <dir>` when they cannot be read. */
function resumeCommandOf(dir: string): string {
  try {
    return campaignResumeCommand(readOwnCampaignFile(dir).spec, dir, readShardOf(dir));
  } catch {
    return `npx hardhat sim --resume ${dir}`;
  }
}

/**
 * Calls `onEnd` once if an ending signal (SIGINT, SIGTERM, SIGHUP) arrives, or the process exits, before the returned
 * function is called. After a signal the listener removes itself and sends the signal again, so it
 * does what it would have done without us (ends the process with 130, 143 or 129, once no other
 * listener keeps it).
 */
export function watchInterruptions(onEnd: (signal: NodeJS.Signals | null, reason: string) => void): () => void {
  const signals = ENDING_SIGNALS;
  let done = false;
  const uninstall = () => {
    for (const s of signals) process.off(s, onSignal);
    process.off("exit", onExit);
  };
  function onSignal(signal: NodeJS.Signals) {
    uninstall();
    if (!done) {
      done = true;
      onEnd(signal, `interrupted by ${signal}`);
    }
    process.kill(process.pid, signal);
  }
  function onExit() {
    uninstall();
    if (done) return;
    done = true;
    onEnd(null, "the process exited with the campaign unfinished");
  }
  for (const s of signals) process.on(s, onSignal);
  process.on("exit", onExit);
  return () => {
    done = true;
    uninstall();
  };
}

/**
 * A campaign folder's status as things are now, or undefined when it has none (or it cannot be
 * read). A status saying "running" is believed only while a live process holds the folder's lock,
 * and its own process is alive when it ran on this host; otherwise (SIGKILL, the OOM killer, a lost
 * machine) it reads "stopped", with the command that resumes it.
 */
export function readCampaignStatus(dir: string): CampaignStatus | undefined {
  let status: CampaignStatus | undefined;
  try {
    status = readCampaignStatusFile(dir);
  } catch {
    return undefined;
  }
  if (status?.state !== "running") return status;
  const ownDead = status.host === os.hostname() && typeof status.pid === "number" && !processIsAlive(status.pid);
  if (!ownDead && folderLockHeld(dir)) return status;
  let command = `npx hardhat sim --resume ${dir}`;
  try {
    command = campaignResumeCommand(readOwnCampaignFile(dir).spec, dir, status.shard ?? undefined);
  } catch {
    // no campaign file to read the command from
  }
  return { ...status, state: "stopped", resume: command };
}

/** What the campaign status says, in words for a refusal's message (" (its … says interrupted)"); "" without a status. */
function held(dir: string): string {
  const state = readCampaignStatus(dir)?.state;
  return state ? ` (its ${CAMPAIGN_STATUS_FILE} says ${state === "stopped" ? "running, but its process is gone" : state})` : "";
}

function lostRun(key: string): RunOutcome {
  return { key, status: "failed", error: { code: "WORKER_DIED", message: "the run ended without a result" }, attempts: 1 };
}

/** Runs `write` (of the file `name` in `dir`), turning a file system's failure into IO_ERROR. */
function guardWrite(dir: string, name: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw new TokenspiceError("IO_ERROR", `Writing ${name} in ${dir} failed: ${messageOf(error)}`, { outDir: dir }, error);
  }
}

function writeStatus(dir: string, status: CampaignStatus): void {
  const at = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString() : ms);
  const written: CampaignStatus = { ...status, started: at(status.started), finished: at(status.finished), host: os.hostname(), pid: process.pid };
  guardWrite(dir, CAMPAIGN_STATUS_FILE, () => writeCampaignStatusFile(dir, written));
}

/**
 * Takes the campaign folder (`takeFolder`: made, checked and locked). A new campaign needs an empty
 * (or new) folder, or `force` over a campaign of ours; a resumed one needs the same campaign (the
 * same spec hash), checked first. Every refusal comes before anything is written, and names the
 * folder as `details.dir`.
 * @throws TokenspiceError OPTION_INVALID (a resume of another spec), CAMPAIGN_FOLDER_INVALID (a
 *   resume of a folder without a campaign file of ours), OUT_* (`takeFolder`)
 */
function takeCampaignFolder(dir: string, options: CampaignOptions, onLockLost: (error: Error) => void): () => void {
  if (options.resume) {
    const existing = readOwnCampaignFile(dir);
    if (existing.specHash !== options.plan.specHash) {
      // A resume re-reads the spec from the campaign file, so what differs is where it runs: the
      // config, the network or the netlist's file (or the plugin's defaults). Say which.
      const differ = Object.keys({ ...existing.spec, ...options.spec }).filter(
        (k) => canonicalJson((existing.spec as unknown as Record<string, unknown>)[k] ?? null) !== canonicalJson((options.spec as unknown as Record<string, unknown>)[k] ?? null),
      );
      const was = existing.spec.network;
      const where = `network "${was?.name}" (chain ${was?.chainId}${was?.hardfork ? `, ${was.hardfork}` : ""})${was?.config ? ` from config ${was.config}` : ""}`;
      throw new TokenspiceError(
        "OPTION_INVALID",
        `${dir} holds a campaign whose spec differs from the one this project resolves now (spec hash ${existing.specHash.slice(0, 12)}, not ${options.plan.specHash.slice(0, 12)}; ` +
          `differing: ${differ.join(", ") || "none at the top level"}). It ran on ${where}: resume it there with ${campaignResumeCommand(existing.spec, dir, readShardOf(dir))}` +
          `${differ.some((k) => k !== "network") ? `, with the netlist and plugin version it ran with (${existing.spec.netlist?.file ?? "?"})` : ""}.`,
        { dir, differ },
      );
    }
  }
  return takeFolder(dir, "campaign", {
    force: options.force,
    resume: options.resume,
    onLockLost,
    describeHeld: () => ({ held: held(dir), advice: `Continue it with ${resumeCommandOf(dir)}, overwrite it with --force, or choose another --out.` }),
  }).release;
}
