/**
 * The TypeScript reference of the vesting wallets' schedules: the same integer arithmetic as
 * contracts/vesting (VestingDecayMath, VestingUnlockPeriod, OpenZeppelin's VestingWalletCliff), so it
 * agrees with the chain to the wei. The netlist reports the difference as a KPI and the tests check it.
 *
 * The exponential curves mirror TokenSPICE's `ExpFunc` and `RampedExpFunc`
 * (tokenspice/tokenspice, agents/MinterAgents.py), in fixed point (1e18 = 1).
 */

export const WAD = 10n ** 18n;
/** floor(ln 2 * 1e18) */
export const LN2_WAD = 693_147_180_559_945_309n;
/** WAD >> 60 is 0: past this many half-lives nothing remains. */
export const MAX_HALVINGS = 60n;
/** TokenSPICE's minters stop the curve after 34 half-lives (Bitcoin's count) and pay out the rest. */
export const TAIL_HALF_LIVES = 34n;

/** e^y for 0 <= y < 1 (WAD): the Taylor series to its last nonzero term, every term rounded down. */
export function expWad(y: bigint): bigint {
  let term = WAD;
  let sum = WAD;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * y) / (k * WAD);
    sum += term;
  }
  return sum;
}

/** 0.5^(elapsed / halfLife) in WAD: whole halvings as a shift, the rest as e^-(fraction * ln 2). */
export function decayFactorWad(elapsed: bigint, halfLife: bigint): bigint {
  const halvings = elapsed / halfLife;
  if (halvings >= MAX_HALVINGS) return 0n;
  const y = ((elapsed % halfLife) * LN2_WAD) / halfLife;
  return ((WAD * WAD) / expWad(y)) >> halvings;
}

/** TokenSPICE's ExpFunc, F(t) = 1 - 0.5^(t/H), in WAD. */
export function expFuncWad(elapsed: bigint, halfLife: bigint): bigint {
  return WAD - decayFactorWad(elapsed, halfLife);
}

/** RampedExpFunc's breakpoints T0..T3 (seconds after the start, ascending) and multipliers M1..M3 (WAD). */
export interface Ramp {
  t0: bigint;
  t1: bigint;
  t2: bigint;
  t3: bigint;
  m1: bigint;
  m2: bigint;
  m3: bigint;
}

/** A ramp of zero length: RampedExpFunc is then ExpFunc. */
export const NO_RAMP: Ramp = { t0: 0n, t1: 0n, t2: 0n, t3: 0n, m1: 0n, m2: 0n, m3: 0n };

interface RampPoints {
  f1: bigint;
  f2: bigint;
  g1: bigint;
  g2: bigint;
  g3: bigint;
}

/** F at T1-T0 and T2-T0, and the fractions G1, G2, G3 vested by T1, T2, T3. */
export function rampPoints(r: Ramp, halfLife: bigint): RampPoints {
  const f1 = expFuncWad(r.t1 - r.t0, halfLife);
  const f2 = expFuncWad(r.t2 - r.t0, halfLife);
  const f3 = expFuncWad(r.t3 - r.t0, halfLife);
  const g1 = (r.m1 * f1) / WAD;
  const g2 = g1 + (r.m2 * (f2 - f1)) / WAD;
  const g3 = g2 + (r.m3 * (f3 - f2)) / WAD;
  return { f1, f2, g1, g2, g3 };
}

/**
 * TokenSPICE's RampedExpFunc g(t), in WAD, t in seconds after the start. Follows the docstring's
 * equations, with G1..G3 the curve's values at T1..T3 (see the README on how TokenSPICE's code differs).
 */
export function rampedExpFuncWad(t: bigint, halfLife: bigint, r: Ramp, p: RampPoints = rampPoints(r, halfLife)): bigint {
  if (t < r.t0) return 0n;
  if (t >= r.t3) return p.g3 + ((WAD - p.g3) * expFuncWad(t - r.t3, halfLife)) / WAD;
  const f = expFuncWad(t - r.t0, halfLife);
  if (t < r.t1) return (r.m1 * f) / WAD;
  if (t < r.t2) return p.g1 + (r.m2 * (f - p.f1)) / WAD;
  return p.g2 + (r.m3 * (f - p.f2)) / WAD;
}

/** One vesting wallet's schedule; times in seconds. */
export type VestingSchedule =
  | { type: "linear-cliff"; start: bigint; duration: bigint; cliff: bigint; unlockPeriod: bigint }
  | { type: "exp-decay"; start: bigint; halfLife: bigint; ramp: Ramp; unlockPeriod: bigint };

/** VestingWallet's `end()`: everything has vested from then on. */
export function scheduleEnd(s: VestingSchedule): bigint {
  return s.type === "linear-cliff" ? s.start + s.duration : s.start + s.ramp.t3 + TAIL_HALF_LIVES * s.halfLife;
}

/** VestingUnlockPeriod._lastUnlock: the last unlock at or before `timestamp`. */
export function lastUnlock(s: VestingSchedule, timestamp: bigint): bigint {
  if (timestamp <= s.start) return timestamp;
  return timestamp - ((timestamp - s.start) % s.unlockPeriod);
}

/** What `vestedAmount(token, timestamp)` returns for a wallet holding (and having released) `allocation` in all. */
export function vestedAmount(s: VestingSchedule, allocation: bigint, timestamp: bigint): bigint {
  const t = lastUnlock(s, timestamp);
  if (s.type === "linear-cliff") {
    // VestingWalletCliff, then VestingWallet's linear schedule
    if (t < s.start + s.cliff || t < s.start) return 0n;
    if (t >= scheduleEnd(s)) return allocation;
    return (allocation * (t - s.start)) / s.duration;
  }
  return (allocation * vestedFractionWad(s, t)) / WAD;
}

/** VestingExpDecayWallet.vestedFractionWad at an unlock time. */
function vestedFractionWad(s: Extract<VestingSchedule, { type: "exp-decay" }>, t: bigint): bigint {
  if (t < s.start) return 0n;
  if (t >= scheduleEnd(s)) return WAD;
  return rampedExpFuncWad(t - s.start, s.halfLife, s.ramp);
}
