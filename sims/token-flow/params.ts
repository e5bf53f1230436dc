import { param, type ParamDist } from "../../src/api";

/**
 * How Monte Carlo and verify draw token-flow's uncontrollables: lognormal with its median at the
 * default and sigma = ln 2, so half to double the default is ±1 sd. An assumption for every one of
 * them: this is a synthetic example whose behaviour params were chosen, not measured, so the only
 * honest spread is a broad one around the choice (a factor of two either way at 1 sd, of four at 2 sd),
 * truncated to each param's range.
 */
const aroundDefault = (value: number): ParamDist => ({ type: "lognormal", mu: Math.log(value), sigma: Math.LN2 });

export const tokenFlowParams = {
  holders: param.int({ default: 50, min: 1, max: 500, kind: "uncontrollable", doc: "Holder agents; drawn from lognormal(ln 50, ln 2): an assumption", dist: aroundDefault(50) }),
  totalEmission: param.int({ default: 1_000_000, min: 1, max: 1_000_000_000_000, kind: "controllable", doc: "Tokens the schedule emits in all (whole tokens)" }),
  halfLifeDays: param.int({ default: 90, min: 1, max: 36_500, kind: "controllable", doc: "Days for half of what remains to be emitted" }),
  emitEveryDays: param.int({ default: 1, min: 1, max: 365, kind: "controllable", doc: "Days between the minter's emissions" }),
  transferProbability: param.float({
    default: 0.5,
    min: 0,
    max: 1,
    kind: "uncontrollable",
    doc: "Chance a holder transfers in a tick (at neutral mood); drawn from lognormal(ln 0.5, ln 2): an assumption",
    dist: aroundDefault(0.5),
  }),
  burnProbability: param.float({
    default: 0.02,
    min: 0,
    max: 1,
    kind: "uncontrollable",
    doc: "Chance a holder burns in a tick (at neutral mood); drawn from lognormal(ln 0.02, ln 2): an assumption",
    dist: aroundDefault(0.02),
  }),
  spendFraction: param.float({
    default: 0.25,
    min: 0,
    max: 1,
    kind: "uncontrollable",
    doc: "Largest fraction of its balance a holder moves at once; drawn from lognormal(ln 0.25, ln 2): an assumption",
    dist: aroundDefault(0.25),
  }),
  misjudgeProbability: param.float({
    default: 0.02,
    min: 0,
    max: 1,
    kind: "uncontrollable",
    doc: "Chance a holder tries to move more than it holds (a revert); drawn from lognormal(ln 0.02, ln 2): an assumption",
    dist: aroundDefault(0.02),
  }),
  moodVolatility: param.float({
    default: 0.1,
    min: 0,
    max: 1,
    kind: "uncontrollable",
    doc: "Daily volatility of market mood (a random walk in [0, 1]); drawn from lognormal(ln 0.1, ln 2): an assumption",
    dist: aroundDefault(0.1),
  }),
} as const;
