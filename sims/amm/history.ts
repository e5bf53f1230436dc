import path from "path";
import { DAY, TokenspiceError, blockBootstrap, defineNetlist, logReturns, oneSeries, readSeries, replay, withDrift, type Netlist, type ReturnSource, type Rng, type SetupContext } from "../../src/api";
import { SECONDS_PER_YEAR } from "./gbm";
import amm from "./netlist";
import { ammParams } from "./params";
import type { AmmParams, AmmWorld, PoolState } from "./world";

/** ETH/USD daily closes, 2020-06-27 to 2021-06-26 (data/README.md: source, licence, what was changed). */
export const ETH_USD_DAILY = path.join(__dirname, "data", "eth-usd-daily.csv");

/**
 * The bootstrap's block length, in days. Ten: long enough to keep a spell of calm or stormy days
 * together (the data's squared returns are autocorrelated over about two weeks), short enough that
 * a year-long run draws about 36 blocks from 360 returns, so paths differ from seed to seed. The
 * textbook rate for variance estimation, n^(1/3) (Hall, Horowitz & Jing 1995), is 7 for n = 360.
 */
export const BLOCK_DAYS = 10;

// Neither netlist uses GBM's volatility (the data's is used); only the bootstrap uses drift.
const { drift: _drift, volatility: _volatility, ...replayParams } = ammParams;
const { volatility: _unused, ...bootstrapParams } = ammParams;

/** The data's daily log returns, checked to be a day apart as a rule (a tick). */
async function dailyReturns(): Promise<number[]> {
  const series = oneSeries(await readSeries(ETH_USD_DAILY, { time: "date", value: "close" }));
  if (series.spacingSeconds !== DAY) {
    throw new TokenspiceError("DATA_FILE_INVALID", `${ETH_USD_DAILY}: its closes are ${series.spacingSeconds} s apart as a rule, not a day (a tick)`, { file: ETH_USD_DAILY });
  }
  return logReturns(series.values);
}

/** amm's setup, with the GBM params it ignores filled in, and the world's price driven by `source`. */
async function setupWithHistory(ctx: SetupContext<Omit<AmmParams, "volatility" | "drift"> & { drift?: number }>, source: (rng: Rng) => ReturnSource) {
  const result = await amm.setup({ ...ctx, params: { drift: 0, ...ctx.params, volatility: 0 } });
  result.world.history = source(ctx.rng.fork("history"));
  return result;
}

/**
 * amm with the external price replaying ETH/USD's daily log returns in order (one a tick, from
 * `initialPrice`: the path is initialPrice × P_t/P_0 of the data, whatever the seed; 360 ticks,
 * the data's length). Over the data's gaps (3, 4 days missing) one tick carries the gap's move.
 */
export function replayNetlist() {
  // amm's KPIs and sample hook read no GBM param, so they serve these params as they are
  const base = amm as unknown as Netlist<typeof replayParams, AmmWorld, PoolState>;
  return defineNetlist({
    ...base,
    description: "The amm pool with the external price replaying ETH/USD's daily closes (2020-06-27 to 2021-06-26) from initialPrice, instead of GBM",
    params: replayParams,
    time: { steps: 360, stepSeconds: DAY },
    async setup(ctx) {
      const returns = await dailyReturns();
      return setupWithHistory(ctx, () => replay(returns));
    },
  });
}

/**
 * amm with the external price block-bootstrapped from ETH/USD's daily log returns (circular
 * blocks of BLOCK_DAYS days, src/calibrate/history.ts), each run its own path from its seed, the
 * returns moved to the run's `drift` first (withDrift, src/calibrate/history.ts): the data's volatility, fat tails and
 * clustering, with GBM's view on direction (amm's `drift` param and its dist).
 */
export function bootstrapNetlist() {
  const base = amm as unknown as Netlist<typeof bootstrapParams, AmmWorld, PoolState>;
  return defineNetlist({
    ...base,
    description: `The amm pool with the external price block-bootstrapped (${BLOCK_DAYS}-day blocks) from ETH/USD's daily log returns (2020-06-27 to 2021-06-26), moved to the drift param: each seed its own path`,
    params: bootstrapParams,
    time: { steps: 365, stepSeconds: DAY },
    async setup(ctx) {
      const returns = withDrift(await dailyReturns(), ctx.params.drift, DAY / SECONDS_PER_YEAR);
      return setupWithHistory(ctx, (rng) => blockBootstrap(returns, BLOCK_DAYS, rng));
    },
  });
}
