import { Presets, SingleBar } from "cli-progress";
import type { BackendEvents, RunOutcome } from "./types";
import { ENDING_SIGNALS } from "../runner/interrupts";

/**
 * What `campaignProgress` draws: the label, the run counts (including those a resume found ended), where to draw, and the clock (ms) the ETA is measured with.
 */
export interface ProgressOptions {
  /** Names the campaign on each line, e.g. the netlist. */
  label: string;
  /** Runs of this process's share, including those already done. */
  total: number;
  /** Runs that had ended before this process started them (a resumed campaign). */
  done?: number;
  /** How many of those failed. */
  failed?: number;
  /** Where the bar is drawn, when it is a terminal (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where plain lines go off a terminal (default console.log, like `sim`'s). */
  log?: (line: string) => void;
  /** The clock, in ms (default Date.now). */
  now?: () => number;
}

/** A campaign's progress display: the events to give the backend, and `stop()`. */
export interface CampaignProgress {
  /** Pass these to the backend (merge with others as needed). */
  events: BackendEvents;
  /** Ends the bar and shows the cursor again. Safe to call more than once. */
  stop(): void;
}

const SHOW_CURSOR = "\x1b[?25h";
const SIGNALS = ENDING_SIGNALS;

/**
 * Progress of a campaign, as an observer of the backend's events: on a terminal, a bar of runs done
 * and total, failures and ETA (cli-progress, as `sim`'s bar); otherwise a plain line every 10% (CI
 * logs), and one for each worker that died. The bar hides the cursor; it is shown again by `stop()`,
 * and also when the process exits or is ended by an ending signal (SIGINT, SIGTERM, SIGHUP) with the bar still up (the
 * signal then still ends the process as it would have).
 */
export function campaignProgress(options: ProgressOptions): CampaignProgress {
  const stream = options.stream ?? process.stderr;
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const { label, total } = options;
  const startedWith = options.done ?? 0;
  let done = startedWith;
  let failed = options.failed ?? 0;
  const started = now();
  let lastTenth = Math.floor((done / Math.max(1, total)) * 10);
  let bar: SingleBar | undefined;
  let stopped = false;

  const showCursor = () => {
    try {
      stream.write(SHOW_CURSOR);
    } catch {
      // the terminal is gone
    }
  };
  const onExit = () => showCursor();
  const onSignal = (signal: NodeJS.Signals) => {
    showCursor();
    uninstall();
    // Ours was the only listener: let the signal do what it would have done without us.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const uninstall = () => {
    process.off("exit", onExit);
    for (const s of SIGNALS) process.off(s, onSignal);
  };

  if (stream.isTTY === true && total > 0) {
    bar = new SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} runs | {failed} failed | ETA {eta_formatted} | {duration_formatted}`,
        hideCursor: true,
        stream: stream,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(total, done, { failed });
    process.on("exit", onExit);
    for (const s of SIGNALS) process.on(s, onSignal);
  }

  const onOutcome = (outcome: RunOutcome) => {
    if (stopped) return;
    done++;
    if (outcome.status === "failed") failed++;
    if (bar) return void bar.update(done, { failed });
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      const elapsed = now() - started;
      const eta = done < total && done > startedWith ? ` ETA ${formatDuration((elapsed / (done - startedWith)) * (total - done))},` : "";
      log(`${label}: ${done}/${total} runs (${Math.floor((done / total) * 100)}%), ${failed} failed,${eta} ${formatDuration(elapsed)} elapsed`);
    }
  };

  return {
    events: {
      onOutcome,
      onWorker: (event) => {
        if (!bar && !stopped && event.reason === "died") {
          log(`${label}: worker ${event.worker} died${event.rssBytes !== undefined ? ` (last RSS ${(event.rssBytes / 2 ** 20).toFixed(0)} MB)` : ""}; a fresh one replaces it`);
        }
      },
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar?.stop();
      uninstall();
    },
  };
}

/** "1h 02m", "6m 10s", "42.1 s". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  return `${m}m ${String(whole % 60).padStart(2, "0")}s`;
}
