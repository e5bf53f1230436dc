import type { KpiEntry, SampleContext } from "../../src/api";
import { datatokenValue, sharesValue } from "./valuation";
import { AGENT_KINDS, type AgentKind, type OceanV3Params, type OceanV3Sample, type OceanV3World } from "./world";

type Kpi = KpiEntry<OceanV3World, OceanV3Params, OceanV3Sample>;

/**
 * The netlist's `sample` hook: reads the chain once per sample (pool reserves, every holder's
 * datatokens and shares of every pool, every OCEAN balance) and values it, so the 26 KPIs of a
 * tick share a handful of lens calls.
 */
export function sampleMarket({ world }: SampleContext<OceanV3World, OceanV3Params>): Promise<OceanV3Sample> {
  return readSample(world);
}

async function readSample(world: OceanV3World): Promise<OceanV3Sample> {
  const pools = world.pools;
  const holders = world.holders;
  const [reserves, holdings, oceanBalances, totalSupply] = await Promise.all([
    world.reads.reserves(),
    world.reads.holdings(),
    world.reads.oceanBalances(), // holders, economy, deployer, then pools
    world.ocean.totalSupply(),
  ]);

  const byKind = Object.fromEntries(AGENT_KINDS.map((k) => [k, { ocean: 0n, inDatatokens: 0n, inShares: 0n }])) as OceanV3Sample["byKind"];
  world.holders.forEach((holder, h) => {
    const totals = byKind[holder.kind];
    totals.ocean += oceanBalances[h];
    pools.forEach((listing, p) => {
      totals.inDatatokens += datatokenValue(holdings.datatokens[h][p], reserves[p], listing);
      totals.inShares += sharesValue(holdings.shares[h][p], reserves[p], listing);
    });
  });
  const economyOcean = oceanBalances[holders.length];
  const deployerOcean = oceanBalances[holders.length + 1];
  const oceanInPools = oceanBalances.slice(holders.length + 2).reduce((a, b) => a + b, 0n);
  const inWallets = oceanBalances.slice(0, holders.length).reduce((a, b) => a + b, 0n) + economyOcean + deployerOcean;
  return { byKind, economyOcean, oceanInPools, oceanUnaccounted: totalSupply - inWallets - oceanInPools };
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

export const oceanV3Kpis: Record<string, Kpi> = {
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
  reverts: { value: ({ reverts }) => reverts, label: "Reverts", unit: "transactions", doc: "Reverted agent transactions so far." },
};
