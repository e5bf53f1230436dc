import type { PoolListing, PoolReserves } from "./world";

/**
 * OCEAN value of datatokens at the pool's spot price without the fee (its mid price), as TokenSPICE's
 * KPIs value them: amount × (B_ocean / W_ocean) / (B_dt / W_dt). Exact in wei. A pool emptied by
 * its last liquidity provider has no price: its datatokens are worth 0.
 */
export function datatokenValue(amount: bigint, reserves: PoolReserves, listing: PoolListing): bigint {
  if (amount === 0n || reserves.datatoken === 0n || reserves.ocean === 0n) return 0n;
  return (amount * reserves.ocean * listing.datatokenWeight) / (listing.oceanWeight * reserves.datatoken);
}

/**
 * OCEAN value of pool shares: the holder's fraction of the pool's OCEAN plus its datatokens at spot
 * price, which for a weighted pool is B_ocean · W_total / W_ocean. Exact in wei.
 */
export function sharesValue(shares: bigint, reserves: PoolReserves, listing: PoolListing): bigint {
  if (shares === 0n || reserves.supply === 0n) return 0n;
  return (shares * reserves.ocean * (listing.datatokenWeight + listing.oceanWeight)) / (listing.oceanWeight * reserves.supply);
}
