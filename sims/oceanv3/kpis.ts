import type { KpiEntry, SampleContext } from "../../src/api";
import { datatokenValue, sharesValue } from "./valuation";
import { AGENT_KINDS, type AgentKind, type OceanSample, type OceanWorld, type PopulationParams } from "./world";

type Kpi = KpiEntry<OceanWorld, PopulationParams, OceanSample>;

/**
 * The netlist's `sample` hook: reads the chain once per sample (pool reserves, every holder's
 * datatokens and shares of every pool, every OCEAN balance) and values it, so the 26 KPIs of a
 * tick share a handful of lens calls.
 */
export function sampleMarket({ world }: SampleContext<OceanWorld, PopulationParams>): Promise<OceanSample> {
  return readSample(world);
}

async function readSample(world: OceanWorld): Promise<OceanSample> {
  const pools = world.pools;
  const holders = world.holders;
  const [reserves, holdings, oceanBalances, totalSupply] = await Promise.all([
    world.reads.reserves(),
    world.reads.holdings(),
    world.reads.oceanBalances(), // holders, economy, deployer, the protocol's contracts, then pools
    world.ocean.totalSupply(),
  ]);

  const byKind = Object.fromEntries(AGENT_KINDS.map((k) => [k, { ocean: 0n, inDatatokens: 0n, inShares: 0n }])) as OceanSample["byKind"];
  world.holders.forEach((holder, h) => {
    const totals = byKind[holder.kind];
    totals.ocean += oceanBalances[h];
    pools.forEach((listing, p) => {
      totals.inDatatokens += datatokenValue(holdings.datatokens[h][p], reserves[p], listing);
      totals.inShares += sharesValue(holdings.shares[h][p], reserves[p], listing);
    });
  });
  const economyOcean = oceanBalances[holders.length];
  const notPools = holders.length + 2 + world.venue.protocolAccounts.length; // holders, economy, deployer, protocol contracts
  const oceanInPools = oceanBalances.slice(notPools).reduce((a, b) => a + b, 0n);
  const elsewhere = oceanBalances.slice(0, notPools).reduce((a, b) => a + b, 0n);
  return { byKind, economyOcean, oceanInPools, oceanUnaccounted: totalSupply - elsewhere - oceanInPools };
}

/** How each agent type is named in labels. */
const KIND_LABELS: Record<AgentKind, string> = {
  publisher: "Publishers",
  consumer: "Consumers",
  stakerSpeculator: "Staker-speculators",
  speculator: "Speculators",
  maliciousPublisher: "Malicious publishers",
};

const ocean = { unit: "OCEAN", decimals: 18 } as const;

/**
 * TokenSPICE's per-agent-type KPIs (netlists/oceanv3/KPIs.py), summed over the agents of each type,
 * in OCEAN wei. Each measure's chart compares the agent types (group = the measure).
 */
function kindKpis(kind: AgentKind): Record<string, Kpi> {
  const who = KIND_LABELS[kind];
  return {
    [`${kind}_OCEAN`]: { value: ({ sample }) => sample.byKind[kind].ocean, label: `${who}: OCEAN`, ...ocean, group: "OCEAN in wallets", doc: `OCEAN in the wallets of all ${who.toLowerCase()}.` },
    [`${kind}_OCEAN_in_DTs`]: {
      value: ({ sample }) => sample.byKind[kind].inDatatokens,
      label: `${who}: datatokens`,
      ...ocean,
      group: "Datatokens, valued in OCEAN",
      doc: `The datatokens ${who.toLowerCase()} hold, valued at each pool's spot price.`,
    },
    [`${kind}_OCEAN_in_BPTs`]: {
      value: ({ sample }) => sample.byKind[kind].inShares,
      label: `${who}: pool shares`,
      ...ocean,
      group: "Pool shares, valued in OCEAN",
      doc: `The pool shares ${who.toLowerCase()} hold, valued at their fraction of each pool.`,
    },
    [`${kind}_OCEAN_networth`]: {
      value: ({ sample }) => {
        const t = sample.byKind[kind];
        return t.ocean + t.inDatatokens + t.inShares;
      },
      label: `${who}: net worth`,
      ...ocean,
      group: "Net worth",
      doc: `OCEAN, datatokens and pool shares of all ${who.toLowerCase()}, in OCEAN.`,
    },
  };
}

/** The KPIs of every Ocean market model (oceanv3, oceanv4): the same names, so runs of the two compare. */
export const oceanKpis: Record<string, Kpi> = {
  ...Object.assign({}, ...AGENT_KINDS.map(kindKpis)),
  n_pools: { value: ({ world }) => world.pools.length, label: "Pools created", unit: "pools", group: "Pools", doc: "Datatoken pools published so far." },
  n_rugged: { value: ({ world }) => world.rugged.size, label: "Pools rugged", unit: "pools", group: "Pools", doc: "Pools a malicious publisher pulled its liquidity from (delisted)." },
  OCEAN_staked: { value: ({ sample }) => sample.oceanInPools, label: "OCEAN staked", ...ocean, doc: "OCEAN held by all pools." },
  economy_OCEAN: { value: ({ sample }) => sample.economyOcean, label: "Economy's OCEAN", ...ocean, doc: "What the economy has left to pay consumers." },
  OCEAN_unaccounted: {
    value: ({ sample }) => sample.oceanUnaccounted,
    label: "OCEAN unaccounted",
    ...ocean,
    doc: "OCEAN's total supply minus every OCEAN in a wallet or a pool: 0 while OCEAN is conserved.",
  },
  rug_OCEAN_exited: {
    value: ({ world }) => world.rugs.exited,
    label: "Rugs: OCEAN from exits",
    ...ocean,
    group: "What the rugs took",
    doc: "OCEAN the malicious publishers' exits from the pools they rugged paid them, over every rug so far.",
  },
  rug_OCEAN_dumped: {
    value: ({ world }) => world.rugs.dumped,
    label: "Rugs: OCEAN from dumps",
    ...ocean,
    group: "What the rugs took",
    doc: "OCEAN the malicious publishers' dumps of datatokens into the pools they rugged paid them, over every rug so far.",
  },
  rug_OCEAN_profit: {
    value: ({ world }) => world.rugs.exited + world.rugs.dumped - world.rugs.staked,
    label: "Rugs: OCEAN profit",
    ...ocean,
    group: "What the rugs took",
    doc: "What the rugs paid the malicious publishers (exits and dumps) minus the OCEAN they had staked into those pools: the profit they took out in OCEAN.",
  },
  reverts: { value: ({ reverts }) => reverts, label: "Reverts", unit: "transactions", doc: "Reverted agent transactions so far." },
};
