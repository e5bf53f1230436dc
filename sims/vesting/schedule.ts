/**
 * The TypeScript reference of the vesting wallets' schedules: the same integer arithmetic as
 * contracts/vesting (VestingExpDecayWallet, VestingUnlockPeriod, OpenZeppelin's VestingWalletCliff),
 * so it agrees with the chain to the wei. The netlist reports the difference as a KPI and the tests
 * check it.
 *
 * The half-life curves are TokenSPICE's `ExpFunc` and `RampedExpFunc` from the plugin's schedule
 * library, `RampedExp` (src/schedules/ramped-exp.ts; contracts/schedules/RampedExp.sol on chain).
 */
import { RampedExp } from "../../src/api";

export const WAD = RampedExp.WAD;

/** One vesting wallet's schedule; times in seconds. For exp-decay, `exp`'s times count from `start`. */
export type VestingSchedule =
  { type: "linear-cliff"; start: bigint; duration: bigint; cliff: bigint; unlockPeriod: bigint } | { type: "exp-decay"; start: bigint; exp: RampedExp.Schedule; unlockPeriod: bigint };

const curves = new WeakMap<RampedExp.Schedule, RampedExp.Curve>();
/** The checked curve of an exp-decay schedule, worked out once per schedule object (the netlist asks every tick). */
function curveOf(exp: RampedExp.Schedule): RampedExp.Curve {
  let c = curves.get(exp);
  if (c === undefined) curves.set(exp, (c = RampedExp.curve(exp)));
  return c;
}

/** VestingWallet's `end()`: everything has vested from then on (for exp-decay, the curve's end, T3 + 34 H). */
export function scheduleEnd(s: VestingSchedule): bigint {
  return s.type === "linear-cliff" ? s.start + s.duration : s.start + curveOf(s.exp).end;
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
  // VestingExpDecayWallet.vestedFractionWad, then Math.mulDiv
  if (t < s.start) return 0n;
  return (allocation * RampedExp.fraction(curveOf(s.exp), t - s.start)) / WAD;
}
