import type { KpiFunction } from "../../src/api";
import { datatokenValue, sharesValue } from "./valuation";
import { AGENT_KINDS, type AgentKind, type OceanV3Params, type OceanV3Sample, type OceanV3World } from "./world";

type Kpi = KpiFunction<OceanV3World, OceanV3Params>;

/**
 * Reads the chain once per sample (pool reserves, every holder's datatokens and shares of every
 * pool, every OCEAN balance) and values it, so the 26 KPIs of a tick share a handful of lens calls.
 */
export function sampled(world: OceanV3World, tick: number): Promise<OceanV3Sample> {
  if (world.sampled?.tick !== tick) world.sampled = { tick, values: readSample(world) };
  return world.sampled.values;
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

/** TokenSPICE's per-agent-type KPIs (netlists/oceanv3/KPIs.py), summed over the agents of each type, in OCEAN wei. */
function kindKpis(kind: AgentKind): Record<string, Kpi> {
  const of = async (world: OceanV3World, tick: number) => (await sampled(world, tick)).byKind[kind];
  return {
    [`${kind}_OCEAN`]: async ({ world, tick }) => (await of(world, tick)).ocean,
    [`${kind}_OCEAN_in_DTs`]: async ({ world, tick }) => (await of(world, tick)).inDatatokens,
    [`${kind}_OCEAN_in_BPTs`]: async ({ world, tick }) => (await of(world, tick)).inShares,
    [`${kind}_OCEAN_networth`]: async ({ world, tick }) => {
      const t = await of(world, tick);
      return t.ocean + t.inDatatokens + t.inShares;
    },
  };
}

export const oceanV3Kpis: Record<string, Kpi> = {
  ...Object.assign({}, ...AGENT_KINDS.map(kindKpis)),
  n_pools: ({ world }) => world.pools.length,
  n_rugged: ({ world }) => world.rugged.size,
  OCEAN_staked: async ({ world, tick }) => (await sampled(world, tick)).oceanInPools,
  economy_OCEAN: async ({ world, tick }) => (await sampled(world, tick)).economyOcean,
  OCEAN_unaccounted: async ({ world, tick }) => (await sampled(world, tick)).oceanUnaccounted,
  reverts: ({ reverts }) => reverts,
};
