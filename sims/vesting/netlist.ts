import { defineNetlist, prepareCall, type Agent } from "../../src/api";
import { VestingLens__factory, VestingToken__factory } from "../../typechain-types";
import { Beneficiary, Funder } from "./agents";
import { DAY, allocationFromParams } from "./design";
import { monthlyInflation } from "./inflation";
import { vestingParams } from "./params";
import { vestedAmount } from "./schedule";
import type { VestingParams, VestingStats, VestingWorld } from "./world";

const TICKS_PER_MONTH = 30; // ticks are days; a month is 30 days, as TokenSPICE's S_PER_MONTH

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
    };
    const agents: Agent<VestingWorld, VestingParams>[] = [funder, ...beneficiaries];
    return { world, agents };
  },

  // All KPIs of a sample share one lens call; it also records circulating supply for monthly inflation.
  async sample({ world, tick }) {
    const stats = await world.readStats();
    world.circulatingByTick[tick] = circulating(stats);
    return stats;
  },

  kpis: {
    granted: {
      value: ({ sample: s }) => s.locked + s.released,
      label: "Granted",
      unit: "VEST",
      decimals: 18,
      group: "Grants",
      doc: "Tokens in vesting wallets plus released from them: the grants, once funded.",
    },
    vested: { value: ({ sample }) => sample.vested, label: "Vested", unit: "VEST", decimals: 18, group: "Grants", doc: "Σ vestedAmount(token, now) over the vesting wallets." },
    released: { value: ({ sample }) => sample.released, label: "Released", unit: "VEST", decimals: 18, group: "Grants", doc: "Paid out of the vesting wallets to beneficiaries." },
    locked: { value: ({ sample }) => sample.locked, label: "Locked", unit: "VEST", decimals: 18, group: "Grants", doc: "Still in vesting wallets (granted − released)." },
    treasury: { value: ({ sample }) => sample.treasury, label: "Treasury", unit: "VEST", decimals: 18, group: "Where the supply is", doc: "The funder's balance." },
    circulating: {
      value: ({ sample }) => circulating(sample),
      label: "Circulating",
      unit: "VEST",
      decimals: 18,
      group: "Where the supply is",
      doc: "Total supply − locked − treasury: held by beneficiaries and the market.",
    },
    sold: {
      value: ({ sample, world }) => (world.schedule === undefined ? 0n : sample.market - world.allocation.publicFloat),
      label: "Sold",
      unit: "VEST",
      decimals: 18,
      group: "Where the supply is",
      doc: "Tokens beneficiaries sold into the market (its balance beyond the launch float).",
    },
    monthlyInflation: {
      value: ({ world, tick }) => monthlyInflation(world.circulatingByTick, tick, TICKS_PER_MONTH),
      label: "Monthly inflation",
      doc: "Growth of circulating supply over the last 30 days relative to 30 days before; 0 when undefined.",
    },
    vestedFraction: {
      value: ({ sample: s }) => {
        const granted = s.locked + s.released;
        return granted === 0n ? 0 : Number((s.vested * 10n ** 12n) / granted) / 1e12;
      },
      label: "Vested fraction",
      doc: "vested / granted: the schedule's progress.",
    },
    scheduleError: {
      value: ({ sample: s, world, time }) => {
        const schedule = world.schedule;
        if (schedule === undefined) return s.vested;
        const reference = world.allocation.grants.reduce((sum, grant) => sum + vestedAmount(schedule, grant, BigInt(time)), 0n);
        return s.vested - reference;
      },
      label: "Schedule error",
      unit: "wei",
      doc: "On-chain vested minus the TypeScript reference of the same schedule (schedule.ts): 0 when they agree.",
    },
    reverts: { value: ({ reverts }) => reverts, label: "Reverts", unit: "transactions", doc: "Reverted agent transactions (none expected)." },
  },
});
