import { TokenspiceError } from "../errors";
import { quantileSorted } from "./interval";
import { parseTime, isoTime } from "./time";

/**
 * Backtests: a simulated ensemble (one path per run) scored against an observed series over a
 * held-out window. Pure: the CLI (src/cli/backtest.ts) runs the campaign and reads the runs; this
 * module splits the data into windows, aligns observed times to ticks and computes the losses.
 * Sources of every loss: docs/explanation/statistics.md ("Backtest losses").
 */

/** The file a backtest writes into its campaign folder (src/cli/backtest.ts); the campaign report draws its observed series over the bands. */
export const BACKTEST_FILE = "backtest.json";

/** A time window [from, to], both ends included, in unix seconds (UTC). */
export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * Parses `FROM..TO` (each an ISO date or time or unix seconds, as the data's time column:
 * src/calibrate/time.ts); both ends are included.
 * @throws TokenspiceError OPTION_INVALID naming the flag, when it is not two times with FROM < TO
 */
export function parseWindow(text: string, flag: string): TimeWindow {
  const bad = (why: string) => new TokenspiceError("OPTION_INVALID", `${flag} ${JSON.stringify(text)}: ${why} (give FROM..TO, e.g. 2020-06-27..2021-01-01)`);
  const parts = text.split("..");
  if (parts.length !== 2) throw bad("is not two times joined by ..");
  const [from, to] = parts.map((p) => parseTime(p));
  if ("why" in from) throw bad(from.why);
  if ("why" in to) throw bad(to.why);
  if (!(from.seconds < to.seconds)) throw bad("FROM is not before TO");
  return { from: from.seconds, to: to.seconds };
}

/** The points of a series inside a window (ends included). */
export function inWindow(times: readonly number[], values: readonly number[], window: TimeWindow): { times: number[]; values: number[] } {
  const out = { times: [] as number[], values: [] as number[] };
  times.forEach((t, i) => {
    if (t >= window.from && t <= window.to) {
      out.times.push(t);
      out.values.push(values[i]);
    }
  });
  return out;
}

/**
 * The fit and test windows' points. The test window must start at or after the fit window's end
 * (they may share that one point: the test's starting state is then the fit's last observation),
 * so nothing the test scores was seen by the fit.
 * @throws TokenspiceError OPTION_INVALID when the windows overlap, or either holds too few points
 *   (the fit at least `minFit`, the test at least 2: a start and one point to score)
 */
export function splitWindows(
  times: readonly number[],
  values: readonly number[],
  fit: TimeWindow,
  test: TimeWindow,
  minFit = 10,
): { fit: { times: number[]; values: number[] }; test: { times: number[]; values: number[] } } {
  if (test.from < fit.to) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `the test window starts (${isoTime(test.from)}) before the fit window ends (${isoTime(fit.to)}): a backtest scores only data the fit did not see; start the test at or after the fit's end`,
    );
  }
  const f = inWindow(times, values, fit);
  const t = inWindow(times, values, test);
  const span = times.length ? `the data run from ${isoTime(times[0])} to ${isoTime(times[times.length - 1])}` : "the data are empty";
  if (f.times.length < minFit) throw new TokenspiceError("OPTION_INVALID", `the fit window ${isoTime(fit.from)}..${isoTime(fit.to)} holds ${f.times.length} points (at least ${minFit}); ${span}`);
  if (t.times.length < 2) throw new TokenspiceError("OPTION_INVALID", `the test window ${isoTime(test.from)}..${isoTime(test.to)} holds ${t.times.length} points (at least 2); ${span}`);
  return { fit: f, test: t };
}

/**
 * The tick of each observed time, counted from the first one: (t − t₀)/stepSeconds, which must be
 * a whole number (the data's times on the simulation's tick grid; a gap is a skipped tick).
 * @throws TokenspiceError OPTION_INVALID naming the first time that is not on the grid
 */
export function ticksOf(times: readonly number[], stepSeconds: number): number[] {
  return times.map((t) => {
    const k = (t - times[0]) / stepSeconds;
    if (Math.abs(k - Math.round(k)) > 1e-9) {
      throw new TokenspiceError(
        "OPTION_INVALID",
        `the observed time ${isoTime(t)} is ${t - times[0]} s after the test window's first (${isoTime(times[0])}), not a whole number of the netlist's ${stepSeconds}-s ticks: give data spaced by whole ticks`,
      );
    }
    return Math.round(k);
  });
}

/** The losses of a simulated ensemble against observed points, each averaged over the points scored. */
export interface BacktestLosses {
  /** Points scored (the observed points after the start, at ticks every run sampled). */
  points: number;
  /** Runs in the ensemble. */
  runs: number;
  /** Root mean squared error of the ensemble's median: √(mean (median − y)²). Units of the series. */
  rmse: number;
  /** Mean absolute error of the median: mean |median − y|. */
  mae: number;
  /** Mean absolute percentage error of the median: 100 · mean |median − y| / |y| (null when some y is 0). */
  mape: number | null;
  /** The band's nominal probability (e.g. 0.9: the 5th to 95th percentile). */
  band: number;
  /** Coverage: the share of observed points inside the ensemble's central `band` (percentiles, type 7). Near `band` for a calibrated forecast. */
  coverage: number;
  /** Continuous ranked probability score, the ensemble estimator mean|X − y| − ½·mean|X − X'| (Gneiting & Raftery 2007): lower is better; units of the series; equals MAE for one run. */
  crps: number;
  /** Pinball (quantile) loss averaged over the quantiles `pinballLevels` (Koenker & Bassett 1978): ρτ(u) = u·(τ − 1[u < 0]), u = y − q̂τ. */
  pinball: number;
  pinballLevels: number[];
  /** Where the last observed point fell in the ensemble's final values: the share of runs below it (0.5 mid-ensemble; 0 or 1: outside every run). */
  finalRank: number;
}

/** One observed point scored: its tick, the observed value, the ensemble's band and median there. */
export interface ScoredPoint {
  tick: number;
  observed: number;
  lower: number;
  median: number;
  upper: number;
  inside: boolean;
  crps: number;
}

/**
 * CRPS of an ensemble `xs` for an observation `y` (Gneiting & Raftery 2007, "Strictly proper
 * scoring rules, prediction, and estimation", JASA 102(477), eq. 21): E|X − y| − ½E|X − X'|, with
 * the ensemble's empirical distribution; with the runs sorted, ΣΣ|xᵢ − xⱼ| = 2Σᵢ(2i − n − 1)x₍ᵢ₎.
 */
export function crpsEnsemble(xs: readonly number[], y: number): number {
  const n = xs.length;
  const sorted = [...xs].sort((a, b) => a - b);
  let toY = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    toY += Math.abs(sorted[i] - y);
    pairs += (2 * (i + 1) - n - 1) * sorted[i];
  }
  return toY / n - pairs / (n * n);
}

/** Pinball loss ρτ(y − q) (Koenker & Bassett 1978): τ·(y − q) when y ≥ q, (1 − τ)·(q − y) below. */
export function pinballLoss(y: number, q: number, tau: number): number {
  const u = y - q;
  return u >= 0 ? tau * u : (tau - 1) * u;
}

/**
 * Scores an ensemble against observed points.
 * @param observed the held-out points: ticks (0 is the start, where every run equals the
 *   observation by construction: not scored) and values
 * @param simulated one row per run, indexed by tick (a tick a run lacks or holds NaN is left out of that point)
 * @param band the central band's probability, in (0, 1); default 0.9
 * @throws TokenspiceError OPTION_INVALID for a band outside (0, 1), an empty ensemble or no point to score
 */
export function scoreBacktest(
  observed: { ticks: readonly number[]; values: readonly number[] },
  simulated: readonly (readonly number[])[],
  band = 0.9,
): { losses: BacktestLosses; points: ScoredPoint[] } {
  if (!(band > 0 && band < 1)) throw new TokenspiceError("OPTION_INVALID", `the band ${band} is not a probability in (0, 1)`);
  if (simulated.length === 0) throw new TokenspiceError("OPTION_INVALID", "no simulated run to score");
  const lo = (1 - band) / 2;
  const levels = [lo, 0.5, 1 - lo];
  const points: ScoredPoint[] = [];
  let pinball = 0;
  let finalRank = NaN;
  observed.ticks.forEach((tick, j) => {
    if (tick === 0) return;
    const xs = simulated.map((run) => run[tick]).filter((x) => x !== undefined && Number.isFinite(x));
    if (xs.length === 0) return;
    const y = observed.values[j];
    const sorted = [...xs].sort((a, b) => a - b);
    const [lower, median, upper] = levels.map((q) => quantileSorted(sorted, q));
    pinball += levels.reduce((a, tau, i) => a + pinballLoss(y, [lower, median, upper][i], tau), 0) / levels.length;
    points.push({ tick, observed: y, lower, median, upper, inside: lower <= y && y <= upper, crps: crpsEnsemble(sorted, y) });
    finalRank = sorted.filter((x) => x < y).length / sorted.length;
  });
  const n = points.length;
  if (n === 0) throw new TokenspiceError("OPTION_INVALID", "no observed point after the start falls on a tick the runs sampled: nothing to score");
  const mean = (f: (p: ScoredPoint) => number) => points.reduce((a, p) => a + f(p), 0) / n;
  const mape = points.some((p) => p.observed === 0) ? null : 100 * mean((p) => Math.abs(p.median - p.observed) / Math.abs(p.observed));
  return {
    losses: {
      points: n,
      runs: simulated.length,
      rmse: Math.sqrt(mean((p) => (p.median - p.observed) ** 2)),
      mae: mean((p) => Math.abs(p.median - p.observed)),
      mape,
      band,
      coverage: mean((p) => (p.inside ? 1 : 0)),
      crps: mean((p) => p.crps),
      pinball: pinball / n,
      pinballLevels: levels,
      finalRank,
    },
    points,
  };
}

const num = (x: number) => String(Number(x.toPrecision(4)));

/** The losses in words, one line each (the CLI prints them; the campaign report shows them). */
export function lossLines(l: BacktestLosses, unit: string): string[] {
  const u = unit ? ` ${unit}` : "";
  const pct = Math.round(l.band * 100);
  return [
    `coverage of the ${pct}% band: ${num(100 * l.coverage)}% of the observed points inside it (a calibrated forecast: about ${pct}%)`,
    `CRPS ${num(l.crps)}${u}; pinball (quantiles ${l.pinballLevels.map(num).join(", ")}) ${num(l.pinball)}${u}`,
    `median's errors: RMSE ${num(l.rmse)}${u}, MAE ${num(l.mae)}${u}, MAPE ${l.mape === null ? "n/a (an observed 0)" : `${num(l.mape)}%`}`,
    `last observed point: above ${num(100 * l.finalRank)}% of the runs' values there`,
  ];
}
