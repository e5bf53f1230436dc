import { RampedExp } from "../../src/api";

/**
 * wsloop's mint schedule: TokenSPICE's RampedExpFunc (agents/MinterAgents.py) with the settings of
 * netlists/wsloop/SimState.py, in TokenSPICE's units (years, multipliers as fractions):
 * H = 4, T0 = 0.5, T1 = 1.0, T2 = 1.4, T3 = 3.0, M1 = 0.10, M2 = 0.25, M3 = 0.50.
 * The curve itself is the plugin's RampedExp library (src/schedules/ramped-exp.ts, and
 * contracts/schedules/RampedExp.sol in WsRampedMinter), equal to the wei.
 */
export const TOKENSPICE_RAMP = { H: 4, T0: 0.5, T1: 1.0, T2: 1.4, T3: 3.0, M1: 0.1, M2: 0.25, M3: 0.5 };

/** The minter's schedule for a half-life in years (the `halfLifeYears` param): seconds, multipliers in 1e18. */
export function mintSchedule(halfLifeYears: number): RampedExp.Schedule {
  return RampedExp.fromYears({ ...TOKENSPICE_RAMP, H: halfLifeYears });
}

/** OCEAN minted by `elapsed` seconds after the start when minting at whole `interval`s: WsRampedMinter.mintableBy. */
export function mintedBy(total: bigint, curve: RampedExp.Curve, elapsed: number, interval: number): bigint {
  if (elapsed <= 0) return 0n;
  const boundary = BigInt(elapsed - (elapsed % interval));
  return (total * RampedExp.fraction(curve, boundary)) / RampedExp.WAD;
}
