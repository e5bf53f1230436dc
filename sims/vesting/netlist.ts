import { defineNetlist, prepareCall, type Agent } from "../../src/api";
import { VestingLens__factory, VestingToken__factory } from "../../typechain-types";
import { Beneficiary, Funder } from "./agents";
import { DAY, allocationFromParams } from "./design";
import { monthlyInflation } from "./inflation";
import { vestingParams } from "./params";
import { vestedAmount } from "./schedule";
import type { VestingParams, VestingStats, VestingWorld } from "./world";

const TICKS_PER_MONTH = 30; // ticks are days; a month is 30 days, as TokenSPICE's S_PER_MONTH

// All KPIs of a tick share one lens call; it also records circulating supply for monthly inflation.
function sampled(world: VestingWorld, tick: number): Promise<VestingStats> {
  if (world.sampled?.tick !== tick) {
    const stats = world.readStats().then((s) => {
      world.circulatingByTick[tick] = circulating(s);
      return s;
    });
    world.sampled = { tick, stats };
  }
  return world.sampled.stats;
}

/** Tokens outside the vesting wallets and the treasury: held by beneficiaries and the market. */
const circulating = (s: VestingStats) => s.totalSupply - s.locked - s.treasury;

export default defineNetlist({
  description: "Token grants on linear-cliff or half-life vesting wallets, beneficiaries who release and sell or hold",
  params: vestingParams,
  // Four years of daily ticks: vesting starts at tick 1, so the default 4-year grant ends at the last tick.
  time: { steps: 1461, stepSeconds: DAY },
  // The funder funds at tick 1 before the beneficiaries first step.
  agentOrder: "declared",

  async setup({ deploy, wallet, params, rng }) {
    const funder = new Funder(await wallet("funder"));
    const market = await wallet("market");
    const allocation = allocationFromParams(params);
    const token = await deploy(VestingToken__factory, funder.wallet.address, allocation.supply);
    const lens = await deploy(VestingLens__factory);
    const tokenAddress = await token.getAddress();
    const beneficiaries: Beneficiary[] = [];
    for (let i = 0; i < params.beneficiaries; i++) {
      beneficiaries.push(new Beneficiary(await wallet(`beneficiary-${i}`), i, rng.int(0, params.releaseEveryDays - 1)));
    }
    const world: VestingWorld = {
      token,
      tokenAddress,
      lens,
      treasury: funder.wallet.address,
      market: market.address,
      beneficiaries: beneficiaries.map((b) => b.wallet.address),
      allocation,
      schedule: undefined,
      vestingWallets: [],
      readStats: prepareCall(lens, "stats", tokenAddress, [], funder.wallet.address, market.address),
      circulatingByTick: [],
      sampled: undefined,
    };
    const agents: Agent<VestingWorld, VestingParams>[] = [funder, ...beneficiaries];
    return { world, agents };
  },

  kpis: {
    /** Tokens in vesting wallets plus released from them: the grants, once funded. */
    granted: async ({ world, tick }) => {
      const s = await sampled(world, tick);
      return s.locked + s.released;
    },
    vested: async ({ world, tick }) => (await sampled(world, tick)).vested,
    released: async ({ world, tick }) => (await sampled(world, tick)).released,
    /** Still in vesting wallets (granted - released). */
    locked: async ({ world, tick }) => (await sampled(world, tick)).locked,
    treasury: async ({ world, tick }) => (await sampled(world, tick)).treasury,
    circulating: async ({ world, tick }) => circulating(await sampled(world, tick)),
    /** Tokens beneficiaries sold into the market (its balance beyond the launch float). */
    sold: async ({ world, tick }) => {
      const s = await sampled(world, tick);
      return world.schedule === undefined ? 0n : s.market - world.allocation.publicFloat;
    },
    monthlyInflation: async ({ world, tick }) => {
      await sampled(world, tick);
      return monthlyInflation(world.circulatingByTick, tick, TICKS_PER_MONTH);
    },
    /** vested / granted: the schedule's progress. */
    vestedFraction: async ({ world, tick }) => {
      const s = await sampled(world, tick);
      const granted = s.locked + s.released;
      return granted === 0n ? 0 : Number((s.vested * 10n ** 12n) / granted) / 1e12;
    },
    /** On-chain vested minus the TypeScript reference of the same schedule (schedule.ts): 0 when they agree. */
    scheduleError: async ({ world, tick, time }) => {
      const s = await sampled(world, tick);
      const schedule = world.schedule;
      if (schedule === undefined) return s.vested;
      const reference = world.allocation.grants.reduce((sum, grant) => sum + vestedAmount(schedule, grant, BigInt(time)), 0n);
      return s.vested - reference;
    },
    reverts: ({ reverts }) => reverts,
  },
});
