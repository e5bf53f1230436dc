import { inGivenOut, maxSingleExitFraction } from "./balancer-math";
import { fractionOf, toUnits, toWei } from "./units";
import type { PoolListing, PoolReserves, Venue } from "./world";

/**
 * Sizes for what agents send, from the reference math. Each keeps a margin of 0.1% to Balancer's
 * trade limits so that the pool's fixed-point rounding never turns a decision into a revert.
 */
export const MARGIN = 0.999;

type Limits = Pick<Venue, "maxInRatio" | "maxOutRatio">;

const weights = (listing: PoolListing) => ({
  datatoken: toUnits(listing.datatokenWeight),
  ocean: toUnits(listing.oceanWeight),
  fee: toUnits(listing.swapFee),
});

/**
 * OCEAN (wei) that buying `datatokensOut` (wei) costs, 0.1% over the quote (Balancer V1's
 * calcInGivenOut with every fee the swap pays); undefined if one trade cannot take that many
 * (more than MAX_OUT_RATIO of the pool's datatokens) or the pool is empty.
 */
export function quoteBuy(limits: Limits, listing: PoolListing, reserves: PoolReserves, datatokensOut: bigint): bigint | undefined {
  const balanceDt = toUnits(reserves.datatoken);
  const out = toUnits(datatokensOut);
  if (reserves.supply === 0n || reserves.ocean === 0n || out > balanceDt * limits.maxOutRatio * MARGIN) return undefined;
  const w = weights(listing);
  const cost = inGivenOut(toUnits(reserves.ocean), w.ocean, balanceDt, w.datatoken, out, w.fee);
  return toWei(cost / MARGIN);
}

/** The most datatokens (wei) one sell may put in: just under MAX_IN_RATIO (½) of the pool's datatoken balance. */
export function maxSell(limits: Limits, reserves: PoolReserves): bigint {
  return fractionOf(reserves.datatoken, limits.maxInRatio * MARGIN);
}

/** The most OCEAN (wei) one single-asset stake may put in: just under MAX_IN_RATIO (½) of the pool's OCEAN. */
export function maxStake(limits: Limits, reserves: PoolReserves): bigint {
  return fractionOf(reserves.ocean, limits.maxInRatio * MARGIN);
}

/**
 * Balancer V1's single-asset exit (V3): the most shares (wei) one exit to OCEAN may redeem before
 * it takes MAX_OUT_RATIO of the pool's OCEAN, with the margin.
 */
export function maxWeightedUnstake(listing: PoolListing, reserves: PoolReserves, maxOutRatio: number): bigint {
  const w = weights(listing);
  return fractionOf(reserves.supply, maxSingleExitFraction(w.ocean, w.ocean + w.datatoken, maxOutRatio) * MARGIN);
}
