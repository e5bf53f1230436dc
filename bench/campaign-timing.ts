/** What a run manifest says of when a run ran and how it ended (ISO 8601 times). */
export interface RunTimes {
  startedAt?: string;
  finishedAt?: string;
  status?: string;
}

/** How long a campaign took as a user sees it: the `sim` command from its start (ms; from the run manifests' ISO times and the command's exit). */
export interface CampaignTiming {
  args: string[];
  runs: number;
  failed: number;
  /** Command start → the first run's start (Hardhat load, compile check, plan, worker boot). */
  toFirstRunStartMs: number;
  /** Command start → the first run done. */
  toFirstRunDoneMs: number;
  /** First run's start → last run's end. */
  runsSpanMs: number;
  /** Last run's end → the command's exit (the campaign's outputs, shutting down). */
  afterRunsMs: number;
  totalMs: number;
  /** Runs a minute over the whole command. */
  runsPerMinute: number;
  /** Runs a minute between the first run's start and the last run's end. */
  runsPerMinuteSteady: number;
}

/** Timings of a campaign from its command's start and end (epoch ms) and its runs' manifests ({startedAt, finishedAt, status}). @throws Error for a campaign without a finished run */
export function campaignTiming(args: string[], startedMs: number, endedMs: number, runs: readonly RunTimes[]): CampaignTiming {
  const starts = runs.map((m) => Date.parse(m.startedAt ?? "")).filter(Number.isFinite);
  const ends = runs.map((m) => Date.parse(m.finishedAt ?? "")).filter(Number.isFinite);
  if (starts.length === 0 || ends.length === 0) throw new Error(`sim ${args.join(" ")}: no run finished`);
  const [firstStart, firstEnd, lastEnd] = [Math.min(...starts), Math.min(...ends), Math.max(...ends)];
  const totalMs = endedMs - startedMs;
  return {
    args,
    runs: runs.length,
    failed: runs.filter((m) => m.status !== undefined && m.status !== "complete").length,
    toFirstRunStartMs: firstStart - startedMs,
    toFirstRunDoneMs: firstEnd - startedMs,
    runsSpanMs: lastEnd - firstStart,
    afterRunsMs: endedMs - lastEnd,
    totalMs,
    runsPerMinute: (runs.length / totalMs) * 60_000,
    runsPerMinuteSteady: (runs.length / (lastEnd - firstStart)) * 60_000,
  };
}
