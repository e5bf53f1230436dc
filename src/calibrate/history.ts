import { TokenspiceError } from "../errors";
import type { Rng } from "../model/rng";

/**
 * A source of per-tick log returns taken from observed prices, to drive a price from history
 * instead of a random walk: `next()` is the next tick's log return ln(P_t/P_{t−1}); a price moves
 * as P_t = P_{t−1}·e^r, so a path started anywhere keeps the data's relative moves.
 */
export interface ReturnSource {
  next(): number;
  /** "replay" (the data in order) or "block bootstrap (b-tick blocks)". */
  readonly description: string;
}

/**
 * The log returns ln(P_{i+1}/P_i) of a price series (one fewer than the prices). Over a gap the
 * return spans the gap (it is not split or filled): a replay applies it in one tick.
 * @throws TokenspiceError FIT_INVALID when a price is not > 0 or there are fewer than 2
 */
export function logReturns(prices: readonly number[]): number[] {
  if (prices.length < 2) throw new TokenspiceError("FIT_INVALID", `a price history needs at least 2 prices (it has ${prices.length})`);
  const bad = prices.findIndex((p) => !(p > 0));
  if (bad >= 0) throw new TokenspiceError("FIT_INVALID", `price ${prices[bad]} (the ${bad + 1}th) is not > 0: no log return`);
  return prices.slice(1).map((p, i) => Math.log(p / prices[i]));
}

/**
 * The returns in their order, one a tick: the history replayed. Past the last one it throws (a
 * run longer than the data cannot be a replay of it).
 * @throws TokenspiceError OPTION_INVALID from `next()` past the end
 */
export function replay(returns: readonly number[]): ReturnSource {
  let i = 0;
  return {
    description: "replay",
    next() {
      if (i >= returns.length) {
        throw new TokenspiceError(
          "OPTION_INVALID",
          `the price history has ${returns.length} returns: a replay cannot run tick ${i + 1} (run at most ${returns.length} ticks, or use the block bootstrap)`,
        );
      }
      return returns[i++];
    },
  };
}

/**
 * The circular block bootstrap (Politis & Romano 1992, "A circular block-resampling procedure for
 * stationary data"): blocks of `blockLength` consecutive returns, each starting at a uniformly
 * drawn position of the history (wrapping from its end to its start), laid end to end for as many
 * ticks as the run needs. Every return is one the data had (its tails are kept exactly) and within a
 * block the data's order is kept (so its volatility clustering and autocorrelation at lags shorter
 * than a block); each seed gives its own path. `rng` is the caller's seeded stream.
 * @throws TokenspiceError OPTION_INVALID when blockLength is not an integer in [1, returns]
 */
export function blockBootstrap(returns: readonly number[], blockLength: number, rng: Rng): ReturnSource {
  const n = returns.length;
  if (!Number.isSafeInteger(blockLength) || blockLength < 1 || blockLength > n) {
    throw new TokenspiceError("OPTION_INVALID", `a bootstrap block of ${blockLength} returns is not a whole number from 1 to the history's ${n}`);
  }
  let start = 0;
  let used = blockLength; // draw a block on the first call
  return {
    description: `circular block bootstrap (${blockLength}-tick blocks)`,
    next() {
      if (used === blockLength) {
        start = rng.int(0, n - 1);
        used = 0;
      }
      return returns[(start + used++) % n];
    },
  };
}

/**
 * Log returns moved to a chosen GBM drift, their spread kept: r_i − r̄ + (μ − σ̂²/2)·Δt, with σ̂²
 * the returns' sample variance per year (over Δt, the years one return spans). The result has the
 * data's volatility, tails and clustering, and the median growth of GBM with drift μ (μ = 0: no view
 * on direction) rather than the sample period's.
 * @throws TokenspiceError OPTION_INVALID for fewer than 2 returns or a Δt that is not > 0
 */
export function withDrift(returns: readonly number[], driftPerYear: number, dtYears: number): number[] {
  if (returns.length < 2 || !(dtYears > 0)) throw new TokenspiceError("OPTION_INVALID", `withDrift needs 2 or more returns and a step > 0 years (got ${returns.length}, ${dtYears})`);
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variancePerYear = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1) / dtYears;
  return returns.map((r) => r - mean + (driftPerYear - variancePerYear / 2) * dtYears);
}
