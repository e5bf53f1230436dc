import type { KpiEntry } from "../../src/api";
import type { OceanSample, OceanWorld, PopulationParams } from "../oceanv3/world";
import type { V4Venue } from "./venue-v4";

type Kpi = KpiEntry<OceanWorld, PopulationParams, OceanSample>;

/**
 * V4's own KPI: how far the side-staking bot's pool shares are from exactly half of every pool's
 * shares. SideStaking keeps half of the 100 initial shares, and every join or exit through the pool
 * mints or burns as many shares for the bot as for the staker, so this is 0 while everyone's shares
 * are matched by the bot's datatokens.
 */
export const sideStakingKpis: Record<string, Kpi> = {
  sideStaking_share_gap: {
    async value({ world }) {
      if (world.pools.length === 0) return 0n;
      const venue = world.venue as V4Venue;
      // The sample's kept reads: only pools touched since the last sample are read again, so this
      // KPI's cost no longer grows with the number of pools (it read all of them every tick).
      const [reserves, shares] = await Promise.all([world.reads.reserves(), world.reads.sharesOf(venue.contracts.sideStakingAddress)]);
      return reserves.reduce((gap, r, i) => {
        const d = 2n * shares[i] - r.supply;
        return gap + (d < 0n ? -d : d);
      }, 0n);
    },
    label: "Side staking: share gap",
    unit: "shares",
    decimals: 18,
    doc: "Σ over pools of |2 × the side-staking bot's shares − the pool's share supply|: 0 while the bot holds exactly half of every pool.",
  },
};
