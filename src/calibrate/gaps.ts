import { isoTime } from "./time";

/** A stretch with missing observations: the two times around it (ISO, UTC) and how many points the usual spacing would put in it. */
export interface Gap {
  after: string;
  before: string;
  seconds: number;
  missing: number;
}

/** How much wider than the usual spacing a step must be to count as a gap. */
export const GAP_FACTOR = 1.5;

/**
 * The usual spacing of strictly increasing times (the median of consecutive differences, in
 * seconds) and the gaps: steps wider than GAP_FACTOR × that spacing, each with the number of
 * points missing (step / spacing − 1, rounded). Nothing is filled: a fit that needs equal steps
 * uses each step's own length (src/calibrate/gbm.ts).
 */
export function findGaps(times: readonly number[]): { spacingSeconds: number; gaps: Gap[] } {
  if (times.length < 2) return { spacingSeconds: NaN, gaps: [] };
  const steps = times.slice(1).map((t, i) => t - times[i]);
  const sorted = [...steps].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const spacingSeconds = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const gaps: Gap[] = [];
  steps.forEach((s, i) => {
    if (s > GAP_FACTOR * spacingSeconds) gaps.push({ after: isoTime(times[i]), before: isoTime(times[i + 1]), seconds: s, missing: Math.round(s / spacingSeconds) - 1 });
  });
  return { spacingSeconds, gaps };
}
