import type { RunWriter } from "../output/run-writer";

/**
 * Runs that are writing files right now, so that however the process ends, no manifest is left
 * saying "running":
 * - SIGINT, SIGTERM or SIGHUP (ENDING_SIGNALS): each is marked "interrupted" with the time, the terminal's cursor is shown
 *   again (a progress bar hides it), and the signal goes on to its default action or to the other
 *   listeners, so the process still ends with 128 + the signal number (130, 143, 129);
 * - the process exiting (or its event loop running dry) with a run unfinished: marked
 *   "interrupted", and the exit code made non-zero when it was 0.
 * The listeners exist only while a run is being written.
 */
const active = new Set<RunWriter>();

/**
 * The signals that end a run, a campaign or a search cleanly (manifests and status marked
 * "interrupted", folders released): Ctrl-C (SIGINT), a kill or a CI job's cancel (SIGTERM), and a
 * closed terminal or a dropped SSH session (SIGHUP). Each still ends the process with 128 + its
 * number (130, 143, 129), as shells expect.
 */
export const ENDING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const SIGNALS = ENDING_SIGNALS;

function interruptAll(reason: string): void {
  for (const writer of active) writer.interrupt(reason);
  active.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  interruptAll(`interrupted by ${signal}`);
  if (process.stderr.isTTY) process.stderr.write("\x1b[?25h\n"); // show the cursor a progress bar hid
  uninstall();
  // Let the signal do what it would have done without us (end the process, or other listeners).
  process.kill(process.pid, signal);
}

function onExit(): void {
  if (active.size === 0) return;
  interruptAll("the process exited while the run was unfinished");
  if (!process.exitCode) process.exitCode = 1;
}

function onBeforeExit(): void {
  // The event loop ran dry with a run unfinished: user code awaits something that can never settle
  // and no step timeout is set. Without this, Node would exit with code 0.
  if (active.size === 0) return;
  interruptAll("the event loop ran dry with the run unfinished: a step awaits something that never settles (set a step timeout)");
  process.exitCode = 1;
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("exit", onExit);
  process.on("beforeExit", onBeforeExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off("exit", onExit);
  process.off("beforeExit", onBeforeExit);
}

/** Tracks a writer until the returned function is called (when its run has ended either way). */
export function trackRun(writer: RunWriter): () => void {
  active.add(writer);
  install();
  return () => {
    active.delete(writer);
    if (active.size === 0) uninstall();
  };
}
