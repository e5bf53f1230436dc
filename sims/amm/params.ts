import { param, type ParamValues } from "../../src/api";

/**
 * The params of the market around the pool: the external price process and the agents. Shared with
 * `uniswap-v2`, which runs the same agents on Uniswap V2's pair (whose fee is fixed at 0.30%).
 * Where the defaults come from is in README.md ("Params"). Float params that describe the price
 * process are annualised: the Market agent scales them to the tick length.
 */
export const marketParams = {
  initialLiquidity: param.int({ default: 1_000_000, min: 1_000, max: 1_000_000_000, kind: "controllable", doc: "Value of the founding deposit, in stable tokens (half each side)" }),
  initialPrice: param.float({ default: 2_000, min: 0.01, max: 1_000_000, kind: "uncontrollable", doc: "External price of the volatile token at the start, in stable tokens" }),
  /**
   * Drawn (Monte Carlo, verify) from normal(0, 0.5), an assumption: no view on the direction (mean 0),
   * and a spread that makes a drift of ±100%/year a 2-sd year; the range's ends (±2) are 4 sd out.
   */
  drift: param.float({
    default: 0,
    min: -2,
    max: 2,
    kind: "uncontrollable",
    doc: "Annualised drift of the external price (GBM mu); drawn from normal(0, 0.5): an assumption, no view on direction",
    dist: { type: "normal", mean: 0, sd: 0.5 },
  }),
  /**
   * Drawn (Monte Carlo, verify) from lognormal(mu = ln 0.7, sigma = 0.27): median 70%/year, 80% of
   * draws in 50–99%, 95% in 41–119%. Sources: ETH's annualised realized volatility is "typically
   * 50–100%" (trdesk.com/volatility: daily log returns × √365; its 90-day ETH figure read 64%), and
   * Glassnode's one-month figure of 39.8% in December 2022 was a low seen only three times before
   * (coinweeklymag.com, "Ethereum 1-Month Realized Volatility Drops To Rare Level Seen Only Thrice In
   * History"). Those are 1–3-month windows; sigma here is held for a whole run, so the spread of a
   * run-long average is if anything narrower. The default (0.8) stays the model's reference run.
   */
  volatility: param.float({
    default: 0.8,
    min: 0,
    max: 3,
    kind: "uncontrollable",
    doc: "Annualised volatility of the external price (GBM sigma); drawn from lognormal(ln 0.7, 0.27): ETH's realized volatility, typically 50-100%/year, rare lows near 40%",
    dist: { type: "lognormal", mu: Math.log(0.7), sigma: 0.27 },
  }),
  numArbitrageurs: param.int({ default: 1, min: 0, max: 3, kind: "uncontrollable", doc: "Arbitrageurs: each trades the pool to the external price when the gap beats the fee" }),
  numNoiseTraders: param.int({ default: 10, min: 0, max: 50, kind: "uncontrollable", doc: "Noise traders: random swaps" }),
  noiseTradeProbability: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable", doc: "Chance a noise trader swaps in a tick" }),
  noiseTradeFraction: param.float({ default: 0.005, min: 0, max: 0.5, kind: "uncontrollable", doc: "Largest noise trade, as a fraction of the pool's reserve of the token sold (uniform below it)" }),
  slippageBps: param.int({ default: 100, min: 0, max: 10_000, kind: "uncontrollable", doc: "Noise traders' slippage tolerance against their quote, basis points" }),
  numLPs: param.int({ default: 2, min: 0, max: 20, kind: "uncontrollable", doc: "Liquidity providers that add and remove liquidity (the founding deposit stays)" }),
  lpActionProbability: param.float({ default: 0.1, min: 0, max: 1, kind: "uncontrollable", doc: "Chance an LP adds or removes liquidity in a tick" }),
  lpActionFraction: param.float({ default: 0.1, min: 0, max: 1, kind: "uncontrollable", doc: "Fraction of its tokens an LP adds, or of its shares it removes, at once" }),
} as const;

export const ammParams = {
  feeBps: param.int({ default: 30, min: 0, max: 1_000, kind: "controllable", doc: "Swap fee in basis points, taken from the input (30 = Uniswap V2's 0.3%)" }),
  ...marketParams,
} as const;

/** The market params' values: what the shared agents and the population read. */
export type MarketParams = ParamValues<typeof marketParams>;

/** What the shared agents read of them: all but the founding deposit's (a forked pool has its own: sims/uniswap-v2-fork). */
export type AgentParams = Omit<MarketParams, "initialLiquidity" | "initialPrice">;

/**
 * What each agent's wallet starts with, as a multiple of the founding deposit (both tokens). Not
 * params: they set how long agents can keep trading, not what the model is about.
 */
export const FUNDING = {
  /**
   * Ten founding deposits' worth. It never rebalances elsewhere, so it runs dry of one token once the
   * pool holds about ten times its founding reserve of it: after a move of about 100x (√100 = 10).
   */
  arbitrageur: 10,
  noiseTrader: 0.2,
  liquidityProvider: 0.2,
} as const;

const WEI = 10n ** 18n;

/**
 * The founding deposit, in wei: half of `initialLiquidity` (whole stable tokens) in stable tokens,
 * and the same value in volatile tokens at `initialPrice`, so the pool starts at the external price.
 */
export function foundingDeposit(params: Pick<MarketParams, "initialLiquidity" | "initialPrice">): { volatile: bigint; stable: bigint } {
  const stable = (BigInt(params.initialLiquidity) * WEI) / 2n;
  const volatile = (stable * WEI) / BigInt(Math.round(params.initialPrice * 1e18));
  return { volatile, stable };
}
