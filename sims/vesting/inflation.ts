/**
 * Monthly inflation of circulating supply at `tick`: (C[tick] - C[tick - ticksPerMonth]) / C[tick - ticksPerMonth],
 * the growth over the last 30 days relative to circulating supply 30 days before. 0 when it is
 * undefined: in the first month (no value 30 days back) or when nothing circulated then.
 */
export function monthlyInflation(circulatingByTick: readonly bigint[], tick: number, ticksPerMonth: number): number {
  const past = tick - ticksPerMonth;
  if (past < 0) return 0;
  const before = circulatingByTick[past];
  const now = circulatingByTick[tick];
  if (before === undefined || now === undefined || before === 0n) return 0;
  // 12 decimals of the ratio in integers first: the amounts themselves exceed a float's precision.
  return Number(((now - before) * 10n ** 12n) / before) / 1e12;
}
