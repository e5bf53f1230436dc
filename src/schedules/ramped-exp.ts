/**
 * TokenSPICE's token release schedules, `ExpFunc` and `RampedExpFunc`, in 18-decimal fixed point:
 * the TypeScript reference of `contracts/schedules/RampedExp.sol`. Every function here performs the
 * Solidity library's integer operations in the same order, so the two agree to the wei (the test
 * suite checks this at thousands of points) and a netlist can compute on the TypeScript side exactly
 * what a contract will vest or mint.
 *
 * Source: TokenSPICE (github.com/tokenspice/tokenspice, commit 3bd4622a788c5b3d12f380970e8effd42007aef6),
 * `agents/MinterAgents.py`, classes `ExpFunc` and `RampedExpFunc`, whose docstring defines
 *
 *     F(H, t) = 1 - 0.5^(t/H)                 (the docstring writes "1 - (0.5*t/H)"; the code computes 0.5^(t/H))
 *     f(t)    = F(H, t)
 *     g(t) = 0                                 t < T0
 *            g1(t) = M1 f(t-T0)                T0 <= t < T1
 *            g2(t) = M2 f(t-T0) - M2 f(T1-T0) + G1      T1 <= t < T2
 *            g3(t) = M3 f(t-T0) - M3 f(T2-T0) + G2      T2 <= t < T3
 *            g4(t) = (1-G3) f(t-T3) + G3                t >= T3
 *     with G1 = g1(T1), G2 = g2(T2), G3 = g3(T3): the curve's values at the breakpoints.
 *
 * and `util/constants.py`'s `BITCOIN_NUM_HALF_LIVES = 34`, after which TokenSPICE's minter pays out
 * whatever is left. `ExpFunc(H)` is `RampedExpFunc` with T0 = T1 = T2 = T3 = 0 (`exponential(H)`).
 *
 * The choices this library makes (docs/reference/ramped-exp.md has the reasons):
 * - **The docstring's equations**, G1..G3 taken at T1..T3. TokenSPICE's code evaluates them at t,
 *   which makes the slopes M1, M1+M2, M1+M2+M3 and lets g exceed 1.
 * - **End of curve**: g = 1 exactly from `end = T3 + 34 H` on (34 half-lives after the ramp; the
 *   curve has then released all but (1 - G3)·2^-34 < 6e-11 of the total). TokenSPICE stops at
 *   t > 34 H counted from 0, which cuts a ramp short when T3 is not small against 34 H.
 * - **ln 2 and precision**: 0.5^(t/H) is worked out at 36 decimals, with ln 2 as `LN2_HP` =
 *   floor(ln 2 · 1e36) and the fraction of a half-life converted in one rounding,
 *   y = floor((t mod H) · LN2_HP / H), then rounded once to 18 decimals, up, so F = 1 - 0.5^(t/H)
 *   is the exact F rounded down (less than 1 wei below it). The curve is within (exact − 8, exact + 2]
 *   wei of 1e18 before its end (`MAX_ERROR_WEI`).
 * - **No clamping needed**: F is nondecreasing in t, so every piece's F(t-T0) - F(Ti-T0) is ≥ 0, the
 *   curve is nondecreasing second by second and each piece meets the next exactly at Ti. F is
 *   exactly 1/2, 3/4, ... at whole half-lives (up to the 18th).
 * - **Bounds**: any multipliers in [0, 1] (TokenSPICE asserts M1 ≤ M2 ≤ M3; the docstring's curve
 *   stays in [0, 1] without it); 0 ≤ T0 ≤ T1 ≤ T2 ≤ T3 < 2^64; 0 < H < 2^64.
 *
 * Units: times (H, T0..T3, t) are seconds, or any one unit used throughout; t is measured from the
 * schedule's start. Multipliers and results are WAD fractions: multiply an amount in wei by the
 * result and divide by WAD.
 */
import { TokenspiceError } from "../errors";

/** 1 in 18-decimal fixed point. */
export const WAD = 10n ** 18n;
/** 1 in the 36-decimal precision 0.5^x is computed at before it is rounded to WAD. */
export const HP = 10n ** 36n;
/** floor(ln 2 · 1e36) (ln 2 = 0.693147180559945309417232121458176568075…). */
export const LN2_HP = 693_147_180_559_945_309_417_232_121_458_176_568n;
/** TokenSPICE's `BITCOIN_NUM_HALF_LIVES`: the curve ends this many half-lives after T3, where g becomes 1. */
export const TAIL_HALF_LIVES = 34n;
/**
 * The most the curve differs from the exact definition before its end, in wei of 1e18 (the sum of its
 * roundings through the pieces, docs/reference/ramped-exp.md; tested): g is within (exact − 8, exact + 2],
 * F within [exact − 1, exact].
 */
export const MAX_ERROR_WEI = 8n;
/** Times and the half-life are at most this (the Solidity struct holds them as uint64). */
export const MAX_TIME = 2n ** 64n - 1n;

/**
 * A ramped exponential schedule (TokenSPICE's `RampedExpFunc(H, T0, T1, T2, T3, M1, M2, M3)`).
 * Times in seconds since the schedule's start (or any one unit), multipliers in WAD.
 * `RampedExp.Schedule` in Solidity (times there are uint64).
 */
export interface Schedule {
  /** H: the half-life of the base curve F, in [1, 2^64 - 1]. */
  halfLife: bigint;
  /** Nothing is released before T0. */
  t0: bigint;
  /** Multiplier M1 applies from T0 to T1. */
  t1: bigint;
  /** M2 from T1 to T2. */
  t2: bigint;
  /** M3 from T2 to T3; from T3 the rest, 1 - G3, follows F. At most 2^64 - 1. */
  t3: bigint;
  /** Multipliers in [0, 1e18] (WAD). */
  m1: bigint;
  m2: bigint;
  m3: bigint;
}

/** A checked schedule with its breakpoints worked out once (`curve(schedule)`): what `fraction` evaluates. */
export interface Curve extends Schedule {
  /** F(T1 - T0), F(T2 - T0), WAD. */
  f1: bigint;
  f2: bigint;
  /** G1, G2, G3: the curve's values at T1, T2, T3, WAD. */
  g1: bigint;
  g2: bigint;
  g3: bigint;
  /** T3 + 34 H: from here on the fraction is exactly WAD. */
  end: bigint;
}

/** TokenSPICE's `ExpFunc(H)`: a ramp of zero length, so g(t) = F(t) = 1 - 0.5^(t/H) until the end, 34 H. */
export function exponential(halfLife: bigint): Schedule {
  return { halfLife, t0: 0n, t1: 0n, t2: 0n, t3: 0n, m1: 0n, m2: 0n, m3: 0n };
}

/** From this many whole half-lives on, 0.5^(t/H) is below 1 wei and rounds up to 1 wei. */
const MAX_HALVINGS = 60n;

/** e^y for 0 ≤ y < ln 2 at 1e36: the Taylor series to its last nonzero term, every term rounded down. */
function expHp(y: bigint): bigint {
  let term = HP;
  let sum = HP;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * y) / (k * HP);
    sum += term;
  }
  return sum;
}

/**
 * 0.5^(elapsed / halfLife) in WAD, **rounded up**: ceil(1e54 / (e^y · 2^n)) with n the whole
 * half-lives and y = (elapsed mod halfLife) · ln 2 / halfLife at 1e36 (rounded down, as are e^y's
 * terms, which only makes the result larger by far less than a wei). So it is the exact value's
 * ceiling (never below it, less than 1 wei above), exact at whole half-lives up to the 18th, never 0,
 * and nonincreasing in `elapsed`. `RampedExp.halfPowWad`.
 */
export function halfPowWad(elapsed: bigint, halfLife: bigint): bigint {
  if (halfLife <= 0n || halfLife > MAX_TIME) throw new TokenspiceError("OPTION_INVALID", `RampedExp.halfPowWad: the half-life must be in [1, 2^64 - 1], got ${halfLife}`);
  if (elapsed < 0n) throw new TokenspiceError("OPTION_INVALID", `RampedExp.halfPowWad: elapsed time must be ≥ 0, got ${elapsed}`);
  const halvings = elapsed / halfLife;
  if (halvings >= MAX_HALVINGS) return 1n;
  const divisor = expHp(((elapsed % halfLife) * LN2_HP) / halfLife) << halvings;
  return (WAD * HP + divisor - 1n) / divisor;
}

/**
 * TokenSPICE's `ExpFunc`: F(elapsed) = 1 - 0.5^(elapsed / halfLife), WAD, rounded down (within
 * 1 wei below the exact value), nondecreasing, always below 1e18. `RampedExp.expFuncWad`.
 */
export function expFuncWad(elapsed: bigint, halfLife: bigint): bigint {
  return WAD - halfPowWad(elapsed, halfLife);
}

/**
 * Checks a schedule and works out its breakpoints. Throws a `TokenspiceError` for H ≤ 0, times
 * out of order or negative, or a multiplier outside [0, 1] (`RampedExp.curve` reverts on the same).
 */
export function curve(s: Schedule): Curve {
  if (s.halfLife <= 0n || s.halfLife > MAX_TIME) throw new TokenspiceError("OPTION_INVALID", `RampedExp: the half-life must be in [1, 2^64 - 1], got ${s.halfLife}`);
  if (s.t3 > MAX_TIME) throw new TokenspiceError("OPTION_INVALID", `RampedExp: T3 must be at most 2^64 - 1, got ${s.t3}`);
  if (!(0n <= s.t0 && s.t0 <= s.t1 && s.t1 <= s.t2 && s.t2 <= s.t3)) {
    throw new TokenspiceError("OPTION_INVALID", `RampedExp: need 0 <= T0 <= T1 <= T2 <= T3, got ${s.t0}, ${s.t1}, ${s.t2}, ${s.t3}`);
  }
  for (const [name, m] of [
    ["M1", s.m1],
    ["M2", s.m2],
    ["M3", s.m3],
  ] as const) {
    if (m < 0n || m > WAD) throw new TokenspiceError("OPTION_INVALID", `RampedExp: ${name} must be in [0, 1e18] (WAD), got ${m}`);
  }
  const f1 = expFuncWad(s.t1 - s.t0, s.halfLife);
  const f2 = expFuncWad(s.t2 - s.t0, s.halfLife);
  const f3 = expFuncWad(s.t3 - s.t0, s.halfLife);
  const g1 = (s.m1 * f1) / WAD;
  const g2 = g1 + (s.m2 * (f2 - f1)) / WAD;
  const g3 = g2 + (s.m3 * (f3 - f2)) / WAD;
  return { ...s, f1, f2, g1, g2, g3, end: s.t3 + TAIL_HALF_LIVES * s.halfLife };
}

/**
 * g(t): the fraction of the total released by `t` (seconds since the start), WAD, in [0, 1e18],
 * nondecreasing in t. `RampedExp.fraction`.
 */
export function fraction(c: Curve, t: bigint): bigint {
  if (t >= c.end) return WAD;
  if (t < c.t0) return 0n;
  if (t >= c.t3) return c.g3 + ((WAD - c.g3) * expFuncWad(t - c.t3, c.halfLife)) / WAD;
  const f = expFuncWad(t - c.t0, c.halfLife);
  if (t < c.t1) return (c.m1 * f) / WAD;
  if (t < c.t2) return c.g1 + (c.m2 * (f - c.f1)) / WAD;
  return c.g2 + (c.m3 * (f - c.f2)) / WAD;
}

/** Seconds in TokenSPICE's year (`S_PER_YEAR` = 365 days). */
export const SECONDS_PER_YEAR = 365n * 86_400n;

/**
 * A schedule from TokenSPICE's own units: H and T0..T3 in years (of 365 days, rounded to the
 * second), M1..M3 as numbers in [0, 1] (to 9 decimals), e.g.
 * `fromYears({ H: 4, T0: 0.5, T1: 1, T2: 1.4, T3: 3, M1: 0.1, M2: 0.25, M3: 0.5 })` (wsloop's).
 */
export function fromYears(p: { H: number; T0: number; T1: number; T2: number; T3: number; M1: number; M2: number; M3: number }): Schedule {
  for (const [name, v] of Object.entries(p)) {
    if (!Number.isFinite(v)) throw new TokenspiceError("OPTION_INVALID", `RampedExp.fromYears: ${name} must be a finite number, got ${v}`);
  }
  const seconds = (years: number) => BigInt(Math.round(years * Number(SECONDS_PER_YEAR)));
  const wad = (m: number) => BigInt(Math.round(m * 1e9)) * 10n ** 9n;
  return { halfLife: seconds(p.H), t0: seconds(p.T0), t1: seconds(p.T1), t2: seconds(p.T2), t3: seconds(p.T3), m1: wad(p.M1), m2: wad(p.M2), m3: wad(p.M3) };
}
