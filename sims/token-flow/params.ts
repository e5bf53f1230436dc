import { param } from "../../src/api";

export const tokenFlowParams = {
  holders: param.int({ default: 50, min: 1, max: 500, kind: "uncontrollable", doc: "Holder agents" }),
  totalEmission: param.int({ default: 1_000_000, min: 1, max: 1_000_000_000_000, kind: "controllable", doc: "Tokens the schedule emits in all (whole tokens)" }),
  halfLifeDays: param.int({ default: 90, min: 1, max: 36_500, kind: "controllable", doc: "Days for half of what remains to be emitted" }),
  emitEveryDays: param.int({ default: 1, min: 1, max: 365, kind: "controllable", doc: "Days between the minter's emissions" }),
  transferProbability: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable", doc: "Chance a holder transfers in a tick (at neutral mood)" }),
  burnProbability: param.float({ default: 0.02, min: 0, max: 1, kind: "uncontrollable", doc: "Chance a holder burns in a tick (at neutral mood)" }),
  spendFraction: param.float({ default: 0.25, min: 0, max: 1, kind: "uncontrollable", doc: "Largest fraction of its balance a holder moves at once" }),
  misjudgeProbability: param.float({ default: 0.02, min: 0, max: 1, kind: "uncontrollable", doc: "Chance a holder tries to move more than it holds (a revert)" }),
  moodVolatility: param.float({ default: 0.1, min: 0, max: 1, kind: "uncontrollable", doc: "Daily volatility of market mood (a random walk in [0, 1])" }),
} as const;
