import { param, type ParamDist } from "../../src/api";

/**
 * How Monte Carlo and verify draw an environment param that TokenSPICE gives one number for and no
 * spread: lognormal with its median at that number and sigma = ln 2 (half to double it at ±1 sd). An
 * assumption: TokenSPICE's values are its authors' estimates, without error bars, so the spread says
 * only "known to within a factor of two", truncated to the param's range.
 */
const aroundDefault = (value: number): ParamDist => ({ type: "lognormal", mu: Math.log(value), sigma: Math.LN2 });

/**
 * Defaults are TokenSPICE's (netlists/wsloop/SimStrategy.py and SimState.py, util/constants.py)
 * unless the doc says otherwise; sims/wsloop/README.md has the table with sources.
 */
export const wsloopParams = {
  // --- the token designer's levers
  burnShare: param.float({
    default: 0.05,
    min: 0,
    max: 1,
    kind: "controllable",
    doc: "Share of network revenue the router sends to buy-and-burn; the rest goes to the DAO treasury (TokenSPICE _percent_burn)",
  }),
  grantShare: param.float({ default: 1, min: 0, max: 1, kind: "controllable", doc: "Share of the DAO treasury paid out as grants each month (TokenSPICE's ocean_dao passes all it gets on: 1)" }),
  halfLifeYears: param.float({ default: 4, min: 0.5, max: 50, kind: "controllable", doc: "Half-life H of the ramped exponential mint schedule, years (TokenSPICE RampedExpFunc H=4, like Bitcoin)" }),
  consumeFee: param.float({ default: 0.03, min: 0, max: 0.5, kind: "controllable", doc: "Fraction of consume sales taken as network revenue (TokenSPICE: 3% with data farming)" }),
  swapFee: param.float({ default: 0.001, min: 0, max: 0.1, kind: "controllable", doc: "Fraction of swap volume taken as network revenue (TokenSPICE: 0.1%)" }),
  foundationGrants: param.bool({
    default: true,
    kind: "controllable",
    doc: "Foundation treasuries fund R&D for the first years: OPF 100M OCEAN to the DAO and 2M USD + 100M OCEAN to workers over 36 months, BigchainDB 2M USD + 20M OCEAN over 17 (TokenSPICE, 'not the true numbers')",
  }),
  // --- the environment
  initialMarketplaces: param.int({
    default: 1,
    min: 1,
    max: 1000,
    kind: "uncontrollable",
    doc: "Marketplaces at the start (TokenSPICE init_n_marketplaces); drawn from lognormal(ln 1, ln 2): an assumption",
    dist: aroundDefault(1),
  }),
  salesPerMarketplace: param.float({
    default: 20_000,
    min: 0,
    max: 1e9,
    kind: "uncontrollable",
    doc: "Consume sales of one marketplace at the start, USD per month (TokenSPICE's 'magic number' 20e3/month); drawn from lognormal(ln 20000, ln 2): an assumption",
    dist: aroundDefault(20_000),
  }),
  swapToConsumeRatio: param.float({
    default: 100,
    min: 0,
    max: 1000,
    kind: "uncontrollable",
    doc: "Swap volume per unit of consume volume (TokenSPICE _swap_to_consume_sales_ratio); drawn from lognormal(ln 100, ln 2): an assumption",
    dist: aroundDefault(100),
  }),
  growthIfNoRnd: param.float({
    default: -0.118,
    min: -0.9,
    max: 0,
    kind: "uncontrollable",
    doc: "Annual growth of marketplaces and their sales with no R&D (TokenSPICE growth_rate_if_0_sales); drawn from normal(-0.118, 0.06): an assumption, half the value as its sd",
    dist: { type: "normal", mean: -0.118, sd: 0.06 },
  }),
  maxGrowth: param.float({
    default: 0.415,
    min: 0,
    max: 1,
    kind: "uncontrollable",
    doc: "Annual growth approached as R&D/revenue grows (TokenSPICE max_growth_rate); drawn from lognormal(ln 0.415, ln 2): an assumption",
    dist: aroundDefault(0.415),
  }),
  rndTau: param.float({
    default: 0.6,
    min: 0.01,
    max: 100,
    kind: "uncontrollable",
    doc: "R&D/revenue ratio giving half the possible growth increase (TokenSPICE tau); drawn from lognormal(ln 0.6, ln 2): an assumption",
    dist: aroundDefault(0.6),
  }),
  salesVolatility: param.float({
    default: 0.2,
    min: 0,
    max: 2,
    kind: "uncontrollable",
    doc: "Annual volatility of sales per marketplace, a mean-one lognormal shock per tick (not in TokenSPICE: 0 is its deterministic model); drawn from lognormal(ln 0.2, ln 2): an assumption",
    dist: aroundDefault(0.2),
  }),
  psRatio: param.float({
    default: 30,
    min: 0,
    max: 1000,
    kind: "uncontrollable",
    doc: "Price-to-sales ratio for the fundamentals valuation (TokenSPICE _p_s_ratio); drawn from lognormal(ln 38.7, 0.3), centred on TokenSPICE's '30x-50x' (about the middle 60% of draws)",
    dist: { type: "lognormal", mu: Math.log(Math.sqrt(30 * 50)), sigma: 0.3 },
  }),
  speculativeValuation: param.float({
    default: 150e6,
    min: 1e6,
    max: 1e12,
    kind: "uncontrollable",
    doc: "Speculative valuation of all OCEAN at the start, USD (TokenSPICE _init_speculation_valuation); drawn from lognormal(ln 150e6, ln 2): an assumption",
    dist: aroundDefault(150e6),
  }),
  speculativeGrowth: param.float({
    default: 0.1,
    min: -0.5,
    max: 1,
    kind: "uncontrollable",
    doc: "Annual drift of the speculative valuation (TokenSPICE: 10%/year); drawn from normal(0.1, 0.3): an assumption, TokenSPICE's 10%/year as the mean",
    dist: { type: "normal", mean: 0.1, sd: 0.3 },
  }),
  grantTakers: param.int({
    default: 2,
    min: 1,
    max: 20,
    kind: "uncontrollable",
    doc: "Teams taking DAO grants, paid equally (TokenSPICE: opc_workers and bdb_workers); drawn from lognormal(ln 2, ln 2): an assumption",
    dist: aroundDefault(2),
  }),
} as const;

const OCEAN = 10n ** 18n;
const USD = 10n ** 18n;

/** OCEAN supply figures (TokenSPICE util/constants.py). */
export const TOTAL_OCEAN_SUPPLY = 1_410_000_000n * OCEAN;
/** 49% existed at launch... */
export const INITIAL_OCEAN_SUPPLY = 690_900_000n * OCEAN;
/** ...and 51% is minted on the schedule to the DAO ("ocean_51"). */
export const OCEAN_TO_MINT = TOTAL_OCEAN_SUPPLY - INITIAL_OCEAN_SUPPLY;

/** TokenSPICE mints every day (s_between_mints = S_PER_DAY) and grants every month. */
export const MINT_INTERVAL_DAYS = 1;

/** The foundation grant programs (TokenSPICE GrantGivingAgents; its constants say "not the true number"). */
export const FOUNDATION_STREAMS = [
  { name: "opf-for-dao", to: "treasury", ocean: 100_000_000n * OCEAN, usd: 0n, grants: 36 },
  { name: "opf-mgmt", to: "taker-0", ocean: 100_000_000n * OCEAN, usd: 2_000_000n * USD, grants: 36 },
  { name: "bdb", to: "taker-1", ocean: 20_000_000n * OCEAN, usd: 2_000_000n * USD, grants: 17 },
] as const;
