import { YEAR } from "./time";

/**
 * OCEAN's valuation (TokenSPICE wsloop SimState and util/valuation.py): the larger of a
 * fundamentals valuation, price-to-sales times the network revenue of the last year, and a
 * speculative valuation that drifts at a fixed annual rate. The price is that valuation over the
 * current supply.
 */

export function fundamentalValuation(annualNetworkRevenue: number, psRatio: number): number {
  return annualNetworkRevenue * psRatio;
}

/** max(), not sum: "fundamental valuation acts as a lower bound; sum() is too optimistic" (TokenSPICE). */
export function overallValuation(fundamental: number, speculative: number): number {
  return Math.max(fundamental, speculative);
}

/** One tick of speculative drift: TokenSPICE's per-second rate times the time step, compounded per tick. */
export function growSpeculation(valuation: number, annualRate: number, tickSeconds: number): number {
  return valuation * (1 + (annualRate * tickSeconds) / YEAR);
}

/** USD per OCEAN; 0 with no supply (documented rather than infinite). */
export function oceanPrice(valuation: number, supplyTokens: number): number {
  return supplyTokens > 0 ? valuation / supplyTokens : 0;
}
