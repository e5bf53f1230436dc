import { param } from "../../src/api";

export const SCHEDULE_TYPES = ["linear-cliff", "exponential", "ramped-exponential"] as const;

/**
 * Defaults: a 4-year distribution of a fixed supply, shaped like UNI's launch allocation (1 billion
 * tokens, 40% to team, investors and advisors on 4-year vesting, 15% to the public at launch, about
 * 15% of the vested UNI sold in four years); the common 4-year, 1-year-cliff team grant; TokenSPICE's
 * RampedExpFunc ramp (netlists/wsloop: T0..T3 = 0.5, 1, 1.4, 3 years; M1..M3 = 0.10, 0.25, 0.50) and
 * its scheduler netlist's monthly releases. README.md has the sources.
 */
export const vestingParams = {
  schedule: param.choice({
    choices: SCHEDULE_TYPES,
    default: "linear-cliff",
    kind: "controllable",
    doc: "Vesting curve of every grant: OpenZeppelin linear with cliff, TokenSPICE's ExpFunc, or its RampedExpFunc",
  }),
  beneficiaries: param.int({ default: 5, min: 1, max: 100, kind: "controllable", doc: "Grants (one vesting wallet and one beneficiary each)" }),
  totalSupply: param.int({ default: 1_000_000_000, min: 1, max: 1_000_000_000_000, kind: "controllable", doc: "Fixed token supply, whole tokens, all minted to the treasury" }),
  vestingShare: param.float({ default: 0.4, min: 0, max: 1, kind: "controllable", doc: "Share of the supply granted into vesting wallets, split equally" }),
  publicShare: param.float({ default: 0.15, min: 0, max: 1, kind: "controllable", doc: "Share of the supply sold to the market at launch (capped at 1 - vestingShare)" }),
  cliffDays: param.int({ default: 365, min: 0, max: 3650, kind: "controllable", doc: "linear-cliff: nothing vests before this (capped at durationDays)" }),
  durationDays: param.int({ default: 1460, min: 0, max: 3650, kind: "controllable", doc: "linear-cliff: days until everything has vested" }),
  halfLifeDays: param.int({ default: 365, min: 1, max: 3650, kind: "controllable", doc: "exponential, ramped-exponential: days for half of what remains to vest (H)" }),
  rampStartDays: param.int({ default: 182, min: 0, max: 3650, kind: "controllable", doc: "ramped-exponential: T0, nothing vests before it" }),
  ramp1Days: param.int({ default: 183, min: 0, max: 3650, kind: "controllable", doc: "ramped-exponential: T1 - T0, days at multiplier M1" }),
  ramp2Days: param.int({ default: 146, min: 0, max: 3650, kind: "controllable", doc: "ramped-exponential: T2 - T1, days at multiplier M2" }),
  ramp3Days: param.int({ default: 584, min: 0, max: 3650, kind: "controllable", doc: "ramped-exponential: T3 - T2, days at multiplier M3; from T3 the rest vests on the curve" }),
  rampMult1: param.float({ default: 0.1, min: 0, max: 1, kind: "controllable", doc: "ramped-exponential: M1 (6 decimals)" }),
  rampMult2: param.float({ default: 0.25, min: 0, max: 1, kind: "controllable", doc: "ramped-exponential: M2 (6 decimals)" }),
  rampMult3: param.float({ default: 0.5, min: 0, max: 1, kind: "controllable", doc: "ramped-exponential: M3 (6 decimals)" }),
  unlockPeriodDays: param.int({ default: 1, min: 1, max: 365, kind: "controllable", doc: "Wallets vest in whole periods of this many days (30: monthly unlocks)" }),
  /**
   * Drawn (Monte Carlo, verify) from lognormal(mu = ln 30, sigma = 0.7): an assumption, no data on
   * how often grantees claim. Median monthly (TokenSPICE's scheduler releases every monthly tick);
   * 95% of draws between weekly (7.4 days) and quarterly-plus (122 days).
   */
  releaseEveryDays: param.int({
    default: 30,
    min: 1,
    max: 3650,
    kind: "uncontrollable",
    doc: "Days between a beneficiary's releases (each starts at a random day); drawn from lognormal(ln 30, 0.7): an assumption, median monthly",
    dist: { type: "lognormal", mu: Math.log(30), sigma: 0.7 },
  }),
  /**
   * Drawn (Monte Carlo, verify) from normal(0.15, 0.1), truncated to [0, 1]. The mean is the one data
   * point: about 58 M of UNI's 400 M team/investor/advisor tokens reached the market within its
   * 4-year unlock (ChainCatcher, 2024-09-17; README [2]). The spread is an assumption: one token's
   * history says nothing of how sellers differ, so ±0.1 lets 0–35% be plausible.
   */
  sellProbability: param.float({
    default: 0.15,
    min: 0,
    max: 1,
    kind: "uncontrollable",
    doc: "Chance a beneficiary sells what it just released (else it holds); drawn from normal(0.15, 0.1): mean from UNI's unlock, spread an assumption",
    dist: { type: "normal", mean: 0.15, sd: 0.1 },
  }),
} as const;
