/** OCEAN, datatokens and pool shares all have 18 decimals. */
export const TOKEN = 10n ** 18n;

/** Wei to token units, for the double-precision reference math (exact to about 1e-15 relative). */
export function toUnits(wei: bigint): number {
  return Number(wei) / 1e18;
}

/** Token units to wei, rounded down: amounts agents send must not exceed what they decided. */
export function toWei(units: number): bigint {
  if (!Number.isFinite(units) || units <= 0) return 0n;
  const whole = Math.floor(units);
  return BigInt(whole) * TOKEN + BigInt(Math.floor((units - whole) * 1e18));
}

/** `amount × fraction`, rounded down, for a fraction in [0, 1] given as a float. */
export function fractionOf(amount: bigint, fraction: number): bigint {
  if (!(fraction > 0)) return 0n;
  if (fraction >= 1) return amount;
  return (amount * BigInt(Math.floor(fraction * 1e12))) / 1_000_000_000_000n;
}

export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
