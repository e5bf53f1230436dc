import { YEAR } from "./time";
import { WAD } from "./units";

/**
 * TokenSPICE's RampedExpFunc (agents/MinterAgents.py): the fraction of the mint budget released by
 * time t, a ramp at multipliers M1 <= M2 <= M3 between T0..T3, then Bitcoin's half-life curve
 * F(t) = 1 - 0.5^(t/H) for the rest. Times in years, as TokenSPICE has them. The equations are
 * those of its docstring (G1..G3 = the curve at T1..T3); contracts/wsloop/WsRampedExp.sol has them
 * in fixed point, and `fixedFraction` below is that Solidity arithmetic, wei for wei.
 */
export interface RampedExp {
  H: number;
  T0: number;
  T1: number;
  T2: number;
  T3: number;
  M1: number;
  M2: number;
  M3: number;
}

/** wsloop's schedule (netlists/wsloop/SimState.py): H=4, T0=0.5, T1=1.0, T2=1.4, T3=3.0, M1=0.10, M2=0.25, M3=0.50. */
export const TOKENSPICE_RAMP: RampedExp = { H: 4, T0: 0.5, T1: 1.0, T2: 1.4, T3: 3.0, M1: 0.1, M2: 0.25, M3: 0.5 };

/** TokenSPICE's BITCOIN_NUM_HALF_LIVES: after 34 half-lives the rest is minted at once. */
export const MAX_HALF_LIVES = 34;

const F = (H: number, t: number) => 1 - Math.pow(0.5, t / H);

/** The curve's values at T1, T2, T3 (where the multiplier steps up). */
export function breakpoints(r: RampedExp): { G1: number; G2: number; G3: number } {
  const G1 = r.M1 * F(r.H, r.T1 - r.T0);
  const G2 = G1 + r.M2 * (F(r.H, r.T2 - r.T0) - F(r.H, r.T1 - r.T0));
  const G3 = G2 + r.M3 * (F(r.H, r.T3 - r.T0) - F(r.H, r.T2 - r.T0));
  return { G1, G2, G3 };
}

/** g(t), t in years since the start: the reference the fixed-point version is tested against. */
export function rampedExpFraction(r: RampedExp, t: number): number {
  if (t < r.T0) return 0;
  if (t > MAX_HALF_LIVES * r.H) return 1;
  const { G1, G2, G3 } = breakpoints(r);
  if (t >= r.T3) return G3 + (1 - G3) * F(r.H, t - r.T3);
  const f = F(r.H, t - r.T0);
  if (t < r.T1) return r.M1 * f;
  if (t < r.T2) return G1 + r.M2 * (f - F(r.H, r.T1 - r.T0));
  return G2 + r.M3 * (f - F(r.H, r.T2 - r.T0));
}

/** The schedule as WsRampedMinter takes it: seconds, and multipliers scaled by 1e18. */
export interface FixedSchedule {
  halfLife: bigint;
  t0: bigint;
  t1: bigint;
  t2: bigint;
  t3: bigint;
  m1: bigint;
  m2: bigint;
  m3: bigint;
}

export function toFixedSchedule(r: RampedExp): FixedSchedule {
  const seconds = (y: number) => BigInt(Math.round(y * YEAR));
  const wad = (m: number) => BigInt(Math.round(m * 1e9)) * 10n ** 9n;
  return {
    halfLife: seconds(r.H),
    t0: seconds(r.T0),
    t1: seconds(r.T1),
    t2: seconds(r.T2),
    t3: seconds(r.T3),
    m1: wad(r.M1),
    m2: wad(r.M2),
    m3: wad(r.M3),
  };
}

const LN2 = 693_147_180_559_945_309n;

/** e^y for y in [0, 1), 1e18-scaled: WsRampedExp.expBelowOne. */
function expBelowOne(y: bigint): bigint {
  let term = WAD;
  let sum = WAD;
  for (let n = 1n; term > 0n; n++) {
    term = (term * y) / (WAD * n);
    sum += term;
  }
  return sum;
}

/** 0.5^(x/h), 1e18-scaled: WsRampedExp.halfPow. */
export function fixedHalfPow(x: bigint, h: bigint): bigint {
  const halvings = x / h;
  if (halvings >= 60n) return 0n;
  const frac = ((x % h) * WAD) / h;
  return ((WAD * WAD) / expBelowOne((frac * LN2) / WAD)) >> halvings;
}

const fixedBase = (x: bigint, h: bigint) => WAD - fixedHalfPow(x, h);
const above = (a: bigint, b: bigint) => (a > b ? a - b : 0n);

/** g(t) for t in seconds, 1e18-scaled, exactly as WsRampedMinter.fractionAt computes it. */
export function fixedFraction(s: FixedSchedule, t: bigint): bigint {
  const f1 = fixedBase(s.t1 - s.t0, s.halfLife);
  const f2 = fixedBase(s.t2 - s.t0, s.halfLife);
  const f3 = fixedBase(s.t3 - s.t0, s.halfLife);
  const g1 = (s.m1 * f1) / WAD;
  const g2 = g1 + (s.m2 * (f2 - f1)) / WAD;
  const g3 = g2 + (s.m3 * (f3 - f2)) / WAD;
  if (t < s.t0) return 0n;
  if (t > BigInt(MAX_HALF_LIVES) * s.halfLife) return WAD;
  if (t >= s.t3) return g3 + ((WAD - g3) * fixedBase(t - s.t3, s.halfLife)) / WAD;
  const f = fixedBase(t - s.t0, s.halfLife);
  if (t < s.t1) return (s.m1 * f) / WAD;
  if (t < s.t2) return g1 + (s.m2 * above(f, f1)) / WAD;
  return g2 + (s.m3 * above(f, f2)) / WAD;
}

/** OCEAN minted by `elapsed` seconds after the start when minting at whole `interval`s: WsRampedMinter.mintableBy. */
export function fixedMintedBy(total: bigint, s: FixedSchedule, elapsed: number, interval: number): bigint {
  if (elapsed <= 0) return 0n;
  const boundary = BigInt(elapsed - (elapsed % interval));
  return (total * fixedFraction(s, boundary)) / WAD;
}
