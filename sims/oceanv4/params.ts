import { param, type ParamValues } from "../../src/api";
import { populationParams } from "../oceanv3/params";

/**
 * oceanv4's params: oceanv3's population (the same agents on the same timers, so the two models
 * compare), and how a V4 publisher sets up its pool. sims/oceanv4/README.md has the sources.
 */
export const oceanV4Params = {
  ...populationParams,
  ssRate: param.float({
    default: 0.1,
    min: 0.001,
    max: 1_000,
    kind: "controllable",
    doc: "Side-staking rate: datatokens the bot puts in per OCEAN the publisher stakes, so a datatoken starts at 1/rate OCEAN (TokenSPICE oceanv4util DT_OCEAN_rate: 0.1)",
  }),
  swapFeeBps: param.int({
    default: 10,
    min: 1,
    max: 1_000,
    kind: "controllable",
    doc: "Pool LP swap fee, basis points (Ocean's V4 tests and Ocean Market: 0.1%; BPool 1.0.0 allows 0.01% to 10%); Ocean's 0.1% OPC fee comes on top",
  }),
} as const;

export type OceanV4Params = ParamValues<typeof oceanV4Params>;
