/**
 * Reference implementation of the Balancer V1 weighted-pool formulas (whitepaper, Martinelli &
 * Mushegian 2019) in double precision, in token units. The pool contract implements the same
 * formulas in 18-decimal fixed point; the tests compare the two. Agents use these to decide before
 * they send (which pools a consumer can afford, how much a staker may withdraw at once).
 */

/** A trade may add at most half of a pool balance, and take at most a third (Balancer V1's limits). */
export const MAX_IN_RATIO = 1 / 2;
export const MAX_OUT_RATIO = 1 / 3;

/** Price of one tokenOut in tokenIn, grossed up by the fee. */
export function spotPrice(balanceIn: number, weightIn: number, balanceOut: number, weightOut: number, swapFee: number): number {
  return (balanceIn / weightIn / (balanceOut / weightOut)) * (1 / (1 - swapFee));
}

/** tokenOut received for exactly `amountIn` of tokenIn. */
export function outGivenIn(balanceIn: number, weightIn: number, balanceOut: number, weightOut: number, amountIn: number, swapFee: number): number {
  const base = balanceIn / (balanceIn + amountIn * (1 - swapFee));
  return balanceOut * (1 - Math.pow(base, weightIn / weightOut));
}

/** tokenIn needed for exactly `amountOut` of tokenOut. */
export function inGivenOut(balanceIn: number, weightIn: number, balanceOut: number, weightOut: number, amountOut: number, swapFee: number): number {
  const base = balanceOut / (balanceOut - amountOut);
  return (balanceIn * (Math.pow(base, weightOut / weightIn) - 1)) / (1 - swapFee);
}

/** Shares minted for a single-asset deposit; the fee applies to the (1 − normalized weight) share that is in effect swapped. */
export function poolOutGivenSingleIn(balanceIn: number, weightIn: number, poolSupply: number, totalWeight: number, amountIn: number, swapFee: number): number {
  const normalizedWeight = weightIn / totalWeight;
  const amountInAfterFee = amountIn * (1 - (1 - normalizedWeight) * swapFee);
  return poolSupply * (Math.pow(1 + amountInAfterFee / balanceIn, normalizedWeight) - 1);
}

/** One token received for redeeming `poolAmountIn` shares into it alone. */
export function singleOutGivenPoolIn(balanceOut: number, weightOut: number, poolSupply: number, totalWeight: number, poolAmountIn: number, swapFee: number): number {
  const normalizedWeight = weightOut / totalWeight;
  const before = balanceOut * (1 - Math.pow(1 - poolAmountIn / poolSupply, totalWeight / weightOut));
  return before * (1 - (1 - normalizedWeight) * swapFee);
}

/**
 * The largest fraction of the share supply one single-asset exit may redeem before the amount out
 * passes `maxOutRatio` of the balance (fee ignored, so it errs on the safe side):
 * 1 − (1 − maxOutRatio)^(W_out / W_total).
 */
export function maxSingleExitFraction(weightOut: number, totalWeight: number, maxOutRatio: number = MAX_OUT_RATIO): number {
  return 1 - Math.pow(1 - maxOutRatio, weightOut / totalWeight);
}
