import { param } from "../../src/api";

// Defaults mirror TokenSPICE's oceanv3 netlist (netlists/oceanv3/SimStrategy.py, agents/PublisherAgent.py,
// DataconsumerAgent.py, SpeculatorAgent.py, maliciousPublisherAgent.py) unless the doc says otherwise;
// sims/oceanv3/README.md has the table with sources. TokenSPICE steps hourly; here a tick is a day, so its
// "every N hours" become "N per day" or whole days.
export const populationParams = {
  publishers: param.int({ default: 2, min: 0, max: 10, kind: "uncontrollable", doc: "Honest publisher agents (TokenSPICE: 1)" }),
  consumers: param.int({ default: 3, min: 0, max: 20, kind: "uncontrollable", doc: "Data consumer agents (TokenSPICE: 1)" }),
  stakerSpeculators: param.int({ default: 2, min: 0, max: 10, kind: "uncontrollable", doc: "Staker-speculator agents (TokenSPICE: 1)" }),
  speculators: param.int({ default: 2, min: 0, max: 10, kind: "uncontrollable", doc: "Speculator agents (TokenSPICE: 1)" }),
  maliciousPublishers: param.int({ default: 1, min: 0, max: 3, kind: "uncontrollable", doc: "Malicious publisher agents (TokenSPICE: 1)" }),
  rugPull: param.bool({ default: true, kind: "uncontrollable", doc: "Malicious publishers rug-pull; false: they publish the same pools and never exit (the counterfactual)" }),

  initialOcean: param.int({ default: 5_000, min: 0, max: 1_000_000_000, kind: "uncontrollable", doc: "OCEAN each agent starts with (TokenSPICE: 5000 for every agent)" }),
  economyOcean: param.int({ default: 1_000_000, min: 0, max: 1_000_000_000, kind: "uncontrollable", doc: "OCEAN the outside economy holds to pay consumers the value of the data they use" }),

  publisherCreateEveryDays: param.int({ default: 7, min: 1, max: 365, kind: "uncontrollable", doc: "Days between an honest publisher's new datasets (TokenSPICE: 7)" }),
  publisherUnstakeEveryDays: param.int({ default: 3, min: 1, max: 365, kind: "uncontrollable", doc: "Days between a publisher unstaking 10% of a pool (TokenSPICE: 3)" }),
  publisherSellEveryDays: param.int({ default: 15, min: 1, max: 365, kind: "uncontrollable", doc: "Days between a publisher selling 1% of a datatoken (TokenSPICE: 15)" }),
  consumerBuyEveryDays: param.int({ default: 3, min: 1, max: 365, kind: "uncontrollable", doc: "Days between a consumer's purchases (TokenSPICE: 3)" }),
  consumerProfitMargin: param.float({ default: 0.2, min: 0, max: 10, kind: "uncontrollable", doc: "Value a consumer gets from data, over what it paid (TokenSPICE: 0.2)" }),
  stakerActionsPerDay: param.int({ default: 3, min: 0, max: 24, kind: "uncontrollable", doc: "Stake/unstake actions per staker-speculator a day (TokenSPICE: every 8 hours)" }),
  speculatorActEveryDays: param.int({ default: 1, min: 1, max: 365, kind: "uncontrollable", doc: "Days between a speculator's trades (TokenSPICE: 1)" }),
  maliciousCreateEveryDays: param.int({ default: 10, min: 1, max: 365, kind: "uncontrollable", doc: "Days between a malicious publisher's new datasets (TokenSPICE: 10)" }),
  maliciousRugAfterDays: param.int({ default: 5, min: 1, max: 365, kind: "uncontrollable", doc: "Days a malicious publisher waits after creating a pool before rugging it (TokenSPICE: 5)" }),
} as const;

/** oceanv3's params: the population, and how a V3 publisher sets up its datatoken and pool. */
export const oceanV3Params = {
  ...populationParams,
  datatokensMinted: param.int({ default: 100, min: 1, max: 1_000_000, kind: "controllable", doc: "Datatokens a publisher mints per dataset (TokenSPICE DT_init: 100)" }),
  datatokensStaked: param.int({ default: 50, min: 1, max: 1_000_000, kind: "controllable", doc: "Of those, datatokens bound into the new pool (TokenSPICE DT_stake: 50)" }),
  poolWeightDT: param.int({
    default: 3,
    min: 1,
    max: 9,
    kind: "controllable",
    doc: "Datatoken's pool weight out of 10, OCEAN gets the rest (TokenSPICE and Ocean Market from Nov 2020: 3/7; at beta: 9/1)",
  }),
  swapFeeBps: param.int({
    default: 10,
    min: 0,
    max: 1_000,
    kind: "controllable",
    doc: "Pool swap fee, basis points (Ocean Market V3 default: 0.1%); 0 is sent as BPool's minimum, 0.0001% (what TokenSPICE's pools kept)",
  }),
} as const;
