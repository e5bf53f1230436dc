import path from "path";
import { DAY, TokenspiceError, blockBootstrap, defineNetlist, logReturns, oneSeries, readSeries, replay, withDrift, type AnyNetlist, type Netlist, type ParamSpecs } from "../../src/api";
import { SECONDS_PER_YEAR } from "./gbm";
import type { PoolAgentsWorld } from "./world";

/** ETH/USD daily closes, 2020-06-27 to 2021-06-26 (data/README.md: source, licence, what was changed). */
export const ETH_USD_DAILY = path.join(__dirname, "data", "eth-usd-daily.csv");

/**
 * The bootstrap's block length, in days. Ten: long enough to keep a spell of calm or stormy days
 * together (the data's squared returns are autocorrelated over about two weeks), short enough that
 * a year-long run draws about 36 blocks from 360 returns, so paths differ from seed to seed. The
 * textbook rate for variance estimation, n^(1/3) (Hall, Horowitz & Jing 1995), is 7 for n = 360.
 */
export const BLOCK_DAYS = 10;

/** The data's daily log returns, checked to be a day apart as a rule (a tick). */
async function dailyReturns(): Promise<number[]> {
  const series = oneSeries(await readSeries(ETH_USD_DAILY, { time: "date", value: "close" }));
  if (series.spacingSeconds !== DAY) {
    throw new TokenspiceError("DATA_FILE_INVALID", `${ETH_USD_DAILY}: its closes are ${series.spacingSeconds} s apart as a rule, not a day (a tick)`, { file: ETH_USD_DAILY });
  }
  return logReturns(series.values);
}

/** One KPI of the base netlist, with its metadata (amm and uniswap-v2 declare theirs so). */
type KpiSpec = Extract<MarketNetlist["kpis"][string], { value: unknown }>;

/** A netlist whose world is the pool agents' (sims/amm/agents.ts: its Market follows `world.history`) and whose params include the market's. */
type MarketNetlist = Netlist<ParamSpecs, PoolAgentsWorld, unknown>;

/**
 * `base` (amm or uniswap-v2: the same Market agent) with the external price driven by ETH/USD's
 * daily history instead of GBM; contracts, agents and KPIs are the base's. GBM's `volatility` is
 * left out of the params (the data's is used), and `drift` too for a replay.
 * - `replay`: the data's log returns in order, one a tick, from `initialPrice` (the path is
 *   initialPrice × P_t/P_0 of the data, whatever the seed); 360 ticks, the data's length; over the
 *   data's gaps (3, 4 days missing) one tick carries the gap's move;
 * - `bootstrap`: each run its own path by the circular block bootstrap (BLOCK_DAYS-day blocks,
 *   src/calibrate/history.ts) from the run's seed, the returns first moved to the run's `drift`
 *   (withDrift): the data's volatility, fat tails and clustering, with GBM's view on direction.
 * No new params: nothing a search would vary is a method setting.
 */
export function historyNetlist(baseNetlist: AnyNetlist, mode: "replay" | "bootstrap", what: string) {
  const base = baseNetlist as unknown as MarketNetlist;
  const { drift, volatility: _volatility, ...rest } = base.params;
  const params: ParamSpecs = mode === "replay" ? rest : { ...rest, drift };
  return defineNetlist({
    ...base,
    description:
      mode === "replay"
        ? `${what} with the external price replaying ETH/USD's daily closes (2020-06-27 to 2021-06-26) from initialPrice, instead of GBM`
        : `${what} with the external price block-bootstrapped (${BLOCK_DAYS}-day blocks) from ETH/USD's daily log returns (2020-06-27 to 2021-06-26), moved to the drift param: each seed its own path`,
    params,
    // the KPIs are the base's; the external price's says where it comes from now
    kpis: {
      ...base.kpis,
      externalPrice: {
        ...(base.kpis.externalPrice as KpiSpec),
        doc: `USD per VOL on the external market: ETH/USD's daily history, ${mode === "replay" ? "replayed" : "block-bootstrapped"} from initialPrice.`,
      },
    },
    time: { ...base.time, steps: mode === "replay" ? 360 : 365 },
    async setup(ctx) {
      const returns = await dailyReturns();
      const result = await base.setup({ ...ctx, params: { drift: 0, ...ctx.params, volatility: 0 } });
      const rng = ctx.rng.fork("history");
      result.world.history = mode === "replay" ? replay(returns) : blockBootstrap(withDrift(returns, ctx.params.drift, DAY / SECONDS_PER_YEAR), BLOCK_DAYS, rng);
      return result;
    },
  });
}
