/**
 * Constant-product (x·y = k) math with a fee taken from the input, as AmmPool implements it.
 * Pure: no chain, so agents plan trades with it and tests check it by hand.
 */

const BPS = 10_000n;

/** AmmPool.getAmountOut, exactly (same integer rounding): what selling `amountIn` returns. */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, feeBps: number): bigint {
  const amountInAfterFee = amountIn * (BPS - BigInt(feeBps));
  const denominator = reserveIn * BPS + amountInAfterFee;
  return denominator === 0n ? 0n : (amountInAfterFee * reserveOut) / denominator;
}

/** The trade an arbitrageur makes: which token it sells to the pool, and how much of it. */
export interface ArbitrageTrade {
  sell: "volatile" | "stable";
  amountIn: number;
}

/**
 * The profit-maximising trade against a pool holding `reserveVolatile` and `reserveStable` when the
 * volatile token trades elsewhere at `externalPrice` (stable per volatile, the same units as the
 * reserves' ratio), or undefined when the gap does not beat the fee.
 *
 * With γ = 1 − fee, x = volatile reserve, y = stable reserve, P = external price:
 * - buying volatile with dy stable earns P·γ·dy·x/(y + γ·dy) − dy, maximal at
 *   dy = (√(P·γ·x·y) − y)/γ, positive only when P·γ > y/x (the pool is cheap by more than the fee);
 * - selling dx volatile earns γ·dx·y/(x + γ·dx) − P·dx, maximal at dx = (√(γ·x·y/P) − x)/γ,
 *   positive only when y/x·γ > P.
 * At that size, extending the swap would earn nothing (its marginal rate equals P), and the pool's
 * price ends inside the no-arbitrage band: in (P·γ, P] after buying, in [P, P/γ) after selling.
 */
export function optimalArbitrage(reserveVolatile: number, reserveStable: number, externalPrice: number, feeBps: number): ArbitrageTrade | undefined {
  const gamma = 1 - feeBps / 10_000;
  const x = reserveVolatile;
  const y = reserveStable;
  const p = externalPrice;
  if (!(gamma > 0 && x > 0 && y > 0 && p > 0 && Number.isFinite(p))) return undefined;
  if (p * gamma * x > y) {
    const amountIn = (Math.sqrt(p * gamma * x * y) - y) / gamma;
    return amountIn > 0 ? { sell: "stable", amountIn } : undefined;
  }
  if (gamma * y > p * x) {
    const amountIn = (Math.sqrt((gamma * x * y) / p) - x) / gamma;
    return amountIn > 0 ? { sell: "volatile", amountIn } : undefined;
  }
  return undefined;
}
