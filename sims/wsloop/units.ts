/** 10^18: one token (OCEAN or USD) in wei, and 1 (100%) in the contracts' fixed-point fractions. */
export const WAD = 10n ** 18n;

/** USD amounts from the TypeScript market model to 18-decimal wei, at micro-dollar precision. */
export function usdToWei(usd: number): bigint {
  if (!(usd > 0)) return 0n; // 0, negative or NaN: nothing to pay
  return BigInt(Math.round(usd * 1e6)) * 10n ** 12n;
}

/** A share in [0, 1] as the contracts' 1e18-scaled fraction (9 significant decimals). */
export function shareToWad(share: number): bigint {
  return BigInt(Math.round(Math.min(1, Math.max(0, share)) * 1e9)) * 10n ** 9n;
}

/** Wei to whole tokens, as a float (for prices and ratios, not for balances). */
export function tokens(wei: bigint): number {
  return Number(wei) / 1e18;
}
