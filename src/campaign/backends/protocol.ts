import { messageOf } from "../../errors";
import type { RunJob, RunOutcome } from "../types";
import { pluginErrorInfo } from "./outcome";

/**
 * The messages between the worker pool and its worker processes, over Node's IPC channel (JSON).
 *
 * pool → worker: `{ type: "run", job }`, one job at a time, only to a worker that is idle.
 * worker → pool:
 * - `ready` once, after booting (Hardhat loaded, the simulation network up);
 * - `done` after each run: how it ended, and the worker's RSS then;
 * - `fatal` for an error that must stop the campaign: bad input or infrastructure during a run
 *   (`key` set), or a boot that failed (`key` null). The worker exits after a fatal boot error.
 * A worker exits when its IPC channel closes (the pool disconnected it, or the pool's process died).
 */
export type ToWorker = { type: "run"; job: RunJob };

/**
 * A worker's messages to the pool: `ready` after booting, `done` after each run, `fatal` for an error that stops the campaign (`key` null: the boot failed). Each carries the worker's RSS in bytes.
 */
export type FromWorker =
  | { type: "ready"; pid: number; bootMs: number; rssBytes: number }
  | { type: "done"; key: string; status: RunOutcome["status"]; error: RunOutcome["error"]; rssBytes: number }
  | { type: "fatal"; key: string | null; error: SerializedError; rssBytes: number };

/** An error, across the process boundary. */
export interface SerializedError {
  /** The plugin error's code, or null for an error that is not the plugin's. */
  code: string | null;
  message: string;
  details: Record<string, unknown>;
  name: string;
  stack?: string;
}

/**
 * An error as it crosses the IPC channel: the plugin's code (null for another error), message, details (through JSON, bigints as digits; left out when they do not survive it), name and stack.
 */
export function serializeError(error: unknown): SerializedError {
  const info = pluginErrorInfo(error);
  const e = error instanceof Error ? error : undefined;
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(JSON.stringify(info?.details ?? {}, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  } catch {
    // details that do not survive JSON: leave them out
  }
  return { code: info?.code ?? null, message: messageOf(error), details, name: e?.name ?? "Error", stack: e?.stack };
}

/**
 * The worker's side: serves jobs from the pool with `run` (which rejects with the run's error) until
 * the IPC channel closes. A run's own failure (kind "failure") is a `done` message with the error's
 * code and message; any other error is `fatal`. Call once the worker has booted; `bootMs` is
 * reported to the pool (ms from the process's start to ready).
 */
export function serveJobs(run: (job: RunJob) => Promise<unknown>, bootMs: number): void {
  const send = (message: FromWorker) => {
    if (process.connected) process.send!(message, undefined, undefined, () => undefined);
  };
  let busy = false;
  const onMessage = async (message: ToWorker) => {
    if (message?.type !== "run") return;
    if (busy) {
      send({ type: "fatal", key: message.job.key, error: serializeError(new Error("the worker was sent a job while running another")), rssBytes: rss() });
      return;
    }
    busy = true;
    const { job } = message;
    let reply: FromWorker;
    try {
      await run(job);
      reply = { type: "done", key: job.key, status: "complete", error: null, rssBytes: rss() };
    } catch (error) {
      const info = pluginErrorInfo(error);
      reply =
        info?.kind === "failure"
          ? { type: "done", key: job.key, status: "failed", error: { code: info.code, message: info.message }, rssBytes: rss() }
          : { type: "fatal", key: job.key, error: serializeError(error), rssBytes: rss() };
    }
    busy = false;
    send(reply);
  };
  // A rejection (none is expected: run's errors become replies) stays an unhandled rejection.
  process.on("message", (message: ToWorker) => void onMessage(message));
  exitOnDisconnect(() => busy);
  send({ type: "ready", pid: process.pid, bootMs, rssBytes: rss() });
}

/**
 * Ends the worker when its IPC channel closes: the pool let it go, or the pool's process died (a
 * worker must never outlive the campaign). With a run in progress it ends by SIGTERM, so that the
 * run's manifest is marked "interrupted" (see runner/interrupts.ts) rather than left "running".
 */
export function exitOnDisconnect(busy: () => boolean): void {
  process.once("disconnect", () => {
    if (busy()) process.kill(process.pid, "SIGTERM");
    else process.exit(0);
  });
}

/** Reports a boot that failed to the pool, then exits (code 1). */
export function reportBootFailure(error: unknown): void {
  const done = () => process.exit(1);
  if (!process.connected) return done();
  process.send!({ type: "fatal", key: null, error: serializeError(error), rssBytes: rss() } satisfies FromWorker, undefined, undefined, done);
}

function rss(): number {
  return process.memoryUsage().rss;
}
