import { MAX_IN_RATIO, inGivenOut, maxSingleExitFraction } from "./balancer-math";
import { fractionOf, toUnits, toWei } from "./units";
import type { PoolListing, PoolReserves } from "./world";

/**
 * Sizes for what agents send, from the reference math. Each keeps a margin of 0.1% to Balancer's
 * trade limits so that the pool's fixed-point rounding never turns a decision into a revert.
 */
const MARGIN = 0.999;

const weights = (listing: PoolListing) => ({
  datatoken: toUnits(listing.datatokenWeight),
  ocean: toUnits(listing.oceanWeight),
  fee: toUnits(listing.swapFee),
});

/** OCEAN (wei) that buying `datatokensOut` costs, 0.1% over the quote; undefined if one trade cannot take that many. */
export function quoteBuy(listing: PoolListing, reserves: PoolReserves, datatokensOut: bigint): bigint | undefined {
  const balanceDt = toUnits(reserves.datatoken);
  const out = toUnits(datatokensOut);
  if (reserves.supply === 0n || out > (balanceDt / 3) * MARGIN) return undefined;
  const w = weights(listing);
  const cost = inGivenOut(toUnits(reserves.ocean), w.ocean, balanceDt, w.datatoken, out, w.fee);
  return toWei(cost / MARGIN);
}

/** The most datatokens one sell may put in: just under half the pool's datatoken balance. */
export function maxSell(reserves: PoolReserves): bigint {
  return fractionOf(reserves.datatoken, MAX_IN_RATIO * MARGIN);
}

/** The most OCEAN one single-asset stake may put in: just under half the pool's OCEAN. */
export function maxStake(reserves: PoolReserves): bigint {
  return fractionOf(reserves.ocean, MAX_IN_RATIO * MARGIN);
}

/** The most shares one single-asset exit to OCEAN may redeem before it takes a third of the pool's OCEAN. */
export function maxUnstake(listing: PoolListing, reserves: PoolReserves): bigint {
  const w = weights(listing);
  return fractionOf(reserves.supply, maxSingleExitFraction(w.ocean, w.ocean + w.datatoken) * MARGIN);
}
