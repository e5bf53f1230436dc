import { DAY, RampedExp } from "../../src/api";
import { WAD, type VestingSchedule } from "./schedule";
import type { VestingParams } from "./world";

export { DAY };

const TOKEN = 10n ** 18n;
const PPM = 1_000_000n;

const ppm = (share: number) => BigInt(Math.round(share * 1e6));
const days = (n: number) => BigInt(n) * BigInt(DAY);
/** A multiplier in [0, 1] to WAD, at the 6 decimals the README promises. */
const multiplierWad = (m: number) => ppm(m) * (WAD / PPM);

/** The schedule every grant vests on, for wallets starting at `start` (unix seconds). */
export function scheduleFromParams(params: VestingParams, start: bigint): VestingSchedule {
  const unlockPeriod = days(params.unlockPeriodDays);
  switch (params.schedule) {
    case "linear-cliff":
      // OpenZeppelin's VestingWalletCliff rejects a cliff longer than the vesting: cap it.
      return { type: "linear-cliff", start, duration: days(params.durationDays), cliff: days(Math.min(params.cliffDays, params.durationDays)), unlockPeriod };
    case "exponential":
      return { type: "exp-decay", start, exp: RampedExp.exponential(days(params.halfLifeDays)), unlockPeriod };
    case "ramped-exponential": {
      // Phases as lengths, so any param values give T0 <= T1 <= T2 <= T3.
      const t0 = days(params.rampStartDays);
      const t1 = t0 + days(params.ramp1Days);
      const t2 = t1 + days(params.ramp2Days);
      const t3 = t2 + days(params.ramp3Days);
      const [m1, m2, m3] = [params.rampMult1, params.rampMult2, params.rampMult3].map(multiplierWad);
      return { type: "exp-decay", start, exp: { halfLife: days(params.halfLifeDays), t0, t1, t2, t3, m1, m2, m3 }, unlockPeriod };
    }
  }
}

/** How the fixed supply is split at launch (wei): grants into vesting, the public float, and what the treasury keeps. */
export interface Allocation {
  supply: bigint;
  grants: bigint[];
  publicFloat: bigint;
  treasuryKeeps: bigint;
}

/** Equal grants (the first takes the rounding remainder); the float is capped at what vesting leaves. */
export function allocationFromParams(params: VestingParams): Allocation {
  const supply = BigInt(params.totalSupply) * TOKEN;
  const vestingPpm = ppm(params.vestingShare);
  const publicPpm = ppm(params.publicShare) < PPM - vestingPpm ? ppm(params.publicShare) : PPM - vestingPpm;
  const pool = (supply * vestingPpm) / PPM;
  const n = BigInt(params.beneficiaries);
  const grants = Array.from({ length: params.beneficiaries }, (_, i) => pool / n + (i === 0 ? pool % n : 0n));
  const publicFloat = (supply * publicPpm) / PPM;
  return { supply, grants, publicFloat, treasuryKeeps: supply - pool - publicFloat };
}
