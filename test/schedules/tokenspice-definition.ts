/**
 * TokenSPICE's documented ramped exponential schedule, computed independently of the library with
 * 75-digit integer arithmetic: the "exact" values the fixed-point library is tested against.
 *
 * From TokenSPICE (github.com/tokenspice/tokenspice @ 3bd4622a788c5b3d12f380970e8effd42007aef6),
 * agents/MinterAgents.py, the docstring of RampedExpFunc:
 *   F(H,t) = 1 - 0.5^(t/H);  f(t) = F(H,t)
 *   g(t) = 0 (t < T0); g1 = M1 f(t-T0) (T0 <= t < T1); g2 = M2 f(t-T0) - M2 f(T1-T0) + G1 (T1 <= t < T2);
 *          g3 = M3 f(t-T0) - M3 f(T2-T0) + G2 (T2 <= t < T3); g4 = (1-G3) f(t-T3) + G3 (t >= T3)
 *   G1 = g1(T1), G2 = g2(T2), G3 = g3(T3).
 * Nothing here is shared with src/schedules: not the constants, not the algorithm (ln 2 from a
 * series, e^-z from its own series at 75 digits, no shifts).
 */
export const DIGITS = 75;
/** 1 at this precision. */
export const ONE = 10n ** BigInt(DIGITS);
const GUARD = 10n ** 10n;
const P = ONE * GUARD; // work with 10 guard digits, round at the end

/** ln 2 = 2 atanh(1/3) = 2 Σ 1/((2k+1) 3^(2k+1)), at P. */
function ln2AtP(): bigint {
  let sum = 0n;
  let power = 3n; // 3^(2k+1)
  for (let k = 0n; ; k++) {
    const term = P / ((2n * k + 1n) * power);
    if (term === 0n) break;
    sum += term;
    power *= 9n;
  }
  return 2n * sum;
}
const LN2_P = ln2AtP();
/** ln 2 to DIGITS digits (rounded down). */
export const LN2 = LN2_P / GUARD;

/** e^-z for 0 <= z < 1 (z at P), at P: 1 / e^z, e^z by its series. */
function expNegAtP(z: bigint): bigint {
  let term = P;
  let sum = P;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * z) / (k * P);
    sum += term;
  }
  return (P * P) / sum;
}

/** 0.5^(x/h) for integers x >= 0, h > 0, at ONE. */
export function halfPow(x: bigint, h: bigint): bigint {
  const n = x / h;
  const z = ((x % h) * LN2_P) / h;
  return expNegAtP(z) / 2n ** n / GUARD;
}

/** F(H, x) = 1 - 0.5^(x/H), at ONE. */
export const F = (x: bigint, h: bigint) => ONE - halfPow(x, h);

export interface Def {
  H: bigint;
  T0: bigint;
  T1: bigint;
  T2: bigint;
  T3: bigint;
  /** Multipliers as fractions of 1e18. */
  M1: bigint;
  M2: bigint;
  M3: bigint;
}

const WAD = 10n ** 18n;
/** M (a fraction of 1e18) times a value at ONE. */
const times = (m: bigint, v: bigint) => (m * v) / WAD;

/** The docstring's g(t), at ONE (t >= 0). */
export function g(d: Def, t: bigint): bigint {
  const f = (x: bigint) => F(x, d.H);
  const g1 = (x: bigint) => times(d.M1, f(x - d.T0));
  const G1 = g1(d.T1);
  const g2 = (x: bigint) => times(d.M2, f(x - d.T0)) - times(d.M2, f(d.T1 - d.T0)) + G1;
  const G2 = g2(d.T2);
  const g3 = (x: bigint) => times(d.M3, f(x - d.T0)) - times(d.M3, f(d.T2 - d.T0)) + G2;
  const G3 = g3(d.T3);
  const g4 = (x: bigint) => ((ONE - G3) * f(x - d.T3)) / ONE + G3;
  if (t < d.T0) return 0n;
  if (t < d.T1) return g1(t);
  if (t < d.T2) return g2(t);
  if (t < d.T3) return g3(t);
  return g4(t);
}

/** A WAD value's distance from an exact one (at ONE), in wei of 1e18, as a float. */
export function errorWei(wad: bigint, exact: bigint): number {
  const scale = ONE / WAD;
  return Math.abs(Number(wad * scale - exact)) / Number(scale);
}

/**
 * TokenSPICE's code as it is (RampedExpFunc._MYG, floats): G1 = MYG1(t), G2 = MYG2(t, G1),
 * G3 = MYG3(t, G1, G2) all at the current t. Times in any unit, H in the same.
 */
export function tokenspiceCode(p: { H: number; T0: number; T1: number; T2: number; T3: number; M1: number; M2: number; M3: number }, t: number): number {
  const MYF = (x: number) => 1.0 - Math.pow(0.5, x / p.H);
  const MYG1 = (x: number) => p.M1 * MYF(x - p.T0);
  const MYG2 = (x: number, G1: number) => p.M2 * MYF(x - p.T0) - p.M2 * MYF(p.T1 - p.T0) + G1;
  const MYG3 = (x: number, _G1: number, G2: number) => p.M3 * MYF(x - p.T0) - p.M3 * MYF(p.T2 - p.T0) + G2;
  const MYG4 = (x: number, G3: number) => (1.0 - G3) * MYF(x - p.T3) + G3;
  const G1 = MYG1(t);
  const G2 = MYG2(t, G1);
  const G3 = MYG3(t, G1, G2);
  if (t < p.T0) return 0.0;
  if (t < p.T1) return MYG1(t);
  if (t < p.T2) return MYG2(t, G1);
  if (t < p.T3) return MYG3(t, G1, G2);
  return MYG4(t, G3);
}
