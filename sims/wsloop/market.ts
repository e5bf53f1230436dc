import { MONTH, YEAR } from "./time";

/**
 * The marketplaces model, pure TypeScript (TokenSPICE's MarketplacesAgent and wsloop SimStrategy):
 * a number of marketplaces, each with consume sales, both growing at an annual rate that rises with
 * R&D funding relative to network revenue.
 */

export interface MarketRules {
  /** Fraction of consume sales that is network revenue (TokenSPICE _percent_consume_sales_for_network). */
  consumeFee: number;
  /** Fraction of swap sales that is network revenue (_percent_swap_sales_for_network). */
  swapFee: number;
  /** Swap volume per unit of consume volume (_swap_to_consume_sales_ratio). */
  swapToConsumeRatio: number;
  /** Annual growth with no R&D at all (growth_rate_if_0_sales). */
  growthIfNoRnd: number;
  /** Annual growth approached as R&D grows without bound (max_growth_rate). */
  maxGrowth: number;
  /** R&D/revenue ratio at which growth has gone half the way from its floor to its ceiling (tau). */
  rndTau: number;
}

export interface MarketState {
  /** A float, as in TokenSPICE: the marketplaces grow smoothly, not one at a time. */
  marketplaces: number;
  /** Consume sales of one marketplace, USD per month. */
  salesPerMarketplace: number;
}

/** Network revenue from consume sales: the consume fee plus the swap fee on the swap volume they bring. */
export function networkRevenue(consumeSales: number, rules: MarketRules): number {
  return rules.consumeFee * consumeSales + rules.swapFee * rules.swapToConsumeRatio * consumeSales;
}

/**
 * R&D spent over the last month relative to network revenue over it (TokenSPICE's
 * KPIs.mktsRNDToSalesRatio). 0 without R&D; without revenue but with R&D it is unbounded, which
 * the growth rule turns into its ceiling (TokenSPICE would divide by zero there).
 */
export function rndToRevenueRatio(rndPerMonth: number, revenuePerMonth: number): number {
  if (!(rndPerMonth > 0)) return 0;
  return revenuePerMonth > 0 ? rndPerMonth / revenuePerMonth : Infinity;
}

/**
 * Annual growth rate of marketplaces and of sales per marketplace (SimStrategy.annualMktsGrowthRate):
 * from `growthIfNoRnd` at ratio 0 towards `maxGrowth`, half the way there at ratio = tau, three
 * quarters at 2 tau: diminishing returns on R&D.
 */
export function annualGrowthRate(ratio: number, rules: MarketRules): number {
  const span = rules.maxGrowth - rules.growthIfNoRnd;
  return rules.growthIfNoRnd + span * (1 - Math.pow(0.5, ratio / rules.rndTau));
}

/** The per-tick rate that compounds to `annualRate` over a year (MarketplacesAgent._growthRatePerTick). */
export function growthPerTick(annualRate: number, ticksPerYear: number): number {
  return Math.pow(1 + annualRate, 1 / ticksPerYear) - 1;
}

/**
 * A mean-one lognormal shock to sales for one tick: exp(sigma sqrt(dt) z - sigma^2 dt / 2) with z a
 * standard normal draw. Not in TokenSPICE (its wsloop is deterministic); volatility 0 gives 1.
 */
export function salesShock(z: number, annualVolatility: number, years: number): number {
  return Math.exp(annualVolatility * Math.sqrt(years) * z - (annualVolatility * annualVolatility * years) / 2);
}

/** One tick: both the count and the sales per marketplace grow at the tick's rate, as in TokenSPICE. */
export function growMarket(state: MarketState, annualRate: number, ticksPerYear: number, shock = 1): MarketState {
  const g = growthPerTick(annualRate, ticksPerYear);
  return { marketplaces: state.marketplaces * (1 + g), salesPerMarketplace: state.salesPerMarketplace * (1 + g) * shock };
}

/** Consume sales of all marketplaces over one tick of `tickSeconds`, USD. */
export function consumeSalesInTick(state: MarketState, tickSeconds: number): number {
  return (state.marketplaces * state.salesPerMarketplace * tickSeconds) / MONTH;
}

/** Sum of the last `n` entries (all of them when there are fewer). */
export function sumLast(values: readonly number[], n: number): number {
  let sum = 0;
  for (let i = Math.max(0, values.length - n); i < values.length; i++) sum += values[i];
  return sum;
}

/**
 * Growth of the last `n` entries' sum over the `n` before them (TokenSPICE's monthly/annual network
 * revenue growth). 0 until there are 2n entries, or when the earlier sum is 0 (TokenSPICE: infinity).
 */
export function periodGrowth(values: readonly number[], n: number): number {
  if (values.length < 2 * n) return 0;
  const now = sumLast(values, n);
  const before = sumLast(values.slice(0, values.length - n), n);
  return before > 0 ? now / before - 1 : 0;
}

/** Years in `seconds`, TokenSPICE's 365-day years. */
export const years = (seconds: number) => seconds / YEAR;
