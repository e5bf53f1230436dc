import { TokenspiceError } from "../../errors";
import type { RunSpec } from "../../runner/run-spec";
import { jobControls, type JobControls, type BackendEvents, type CampaignBackend, type RunJob, type RunOutcome } from "../types";
import { failedOutcome } from "./outcome";

/**
 * Runs one spec, writing its files to `out` (overwriting a run of ours there). The Hardhat adapter
 * passes `hre.tokenspice.runSpec`; the promise rejects with a plugin error (a `code` from
 * ERROR_CODES) when the run fails or cannot start.
 */
export type RunSpecFunction = (spec: RunSpec, controls: JobControls) => Promise<unknown>;

/** The worker number `onStart` reports for a run in the campaign's own process. */
export const IN_PROCESS_WORKER = 0;

/**
 * The in-process backend: runs the jobs one at a time, in order, in this process (on its
 * simulation network). No boot cost and no isolation: what `--workers 0` (or a test) wants.
 *
 * - A run that fails (its error's kind is "failure": an agent, KPI or setup threw, timed out or hung)
 *   is an outcome `{ status: "failed", error: { code, message } }`, and the next run goes on.
 * - Bad input or infrastructure (kind "input" or "infrastructure", or an error that is not the
 *   plugin's) stops the campaign: `run` rejects with that error, as it was thrown.
 */
export class InProcessBackend implements CampaignBackend {
  private closed = false;

  constructor(private readonly runSpec: RunSpecFunction) {}

  async run(jobs: RunJob[], events: BackendEvents = {}): Promise<RunOutcome[]> {
    const outcomes: RunOutcome[] = [];
    for (const job of jobs) {
      if (this.closed) {
        throw new TokenspiceError("RUN_INTERRUPTED", `The in-process backend was closed with ${jobs.length - outcomes.length} runs not started.`, {
          pending: jobs.length - outcomes.length,
        });
      }
      events.onStart?.(job.key, IN_PROCESS_WORKER);
      let outcome: RunOutcome;
      try {
        await this.runSpec(job.spec, jobControls(job));
        outcome = { key: job.key, status: "complete", error: null, attempts: 1 };
      } catch (error) {
        const failed = failedOutcome(job.key, error, 1);
        if (failed === undefined) throw error;
        outcome = failed;
      }
      outcomes.push(outcome);
      events.onOutcome?.(outcome);
    }
    return outcomes;
  }

  /** Stops after the run in progress (a run cannot be cut short in this process without ending it). */
  async close(): Promise<void> {
    this.closed = true;
  }
}
