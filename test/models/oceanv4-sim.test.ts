import { expect } from "chai";
import fc from "fast-check";
import type { SimResult } from "../../src/api";
import { ROOT, quietConsoleLog, useEnvironment } from "../helpers";

const bigintAt = (r: SimResult, kpi: string, i: number) => r.kpi<bigint>(kpi).at(i);

/** Small agent counts and short timers, so that a short run still publishes, trades and rugs. */
const smallWorld = {
  publishers: fc.integer({ min: 0, max: 2 }),
  consumers: fc.integer({ min: 0, max: 2 }),
  stakerSpeculators: fc.integer({ min: 0, max: 2 }),
  speculators: fc.integer({ min: 0, max: 2 }),
  maliciousPublishers: fc.integer({ min: 0, max: 2 }),
  rugPull: fc.boolean(),
  initialOcean: fc.integer({ min: 0, max: 20_000 }),
  economyOcean: fc.integer({ min: 0, max: 1_000_000 }),
  ssRate: fc.double({ min: 0.001, max: 1_000, noNaN: true }),
  swapFeeBps: fc.integer({ min: 1, max: 1_000 }),
  publisherCreateEveryDays: fc.integer({ min: 1, max: 7 }),
  publisherUnstakeEveryDays: fc.integer({ min: 1, max: 3 }),
  publisherSellEveryDays: fc.integer({ min: 1, max: 15 }),
  consumerBuyEveryDays: fc.integer({ min: 1, max: 3 }),
  consumerProfitMargin: fc.double({ min: 0, max: 10, noNaN: true }),
  stakerActionsPerDay: fc.integer({ min: 0, max: 3 }),
  speculatorActEveryDays: fc.integer({ min: 1, max: 3 }),
  maliciousCreateEveryDays: fc.integer({ min: 1, max: 5 }),
  maliciousRugAfterDays: fc.integer({ min: 1, max: 5 }),
};

describe("oceanv4 netlist (property checks)", function () {
  useEnvironment(ROOT);
  quietConsoleLog();

  it("for any params in a small world: OCEAN conserved at every tick, the side-staking bot holds half of every pool, nothing negative, no reverts", async function () {
    await this.hre.tokenspice.check("oceanv4", {
      params: smallWorld,
      invariant: (s) => {
        const amounts = Object.entries(s.values)
          .filter(([k]) => k !== "rug_OCEAN_profit") // negative when a rug returns less than was staked
          .map(([, v]) => v)
          .filter((v): v is bigint => typeof v === "bigint");
        return (
          s.kpi<bigint>("OCEAN_unaccounted") === 0n &&
          s.kpi<bigint>("sideStaking_share_gap") === 0n &&
          amounts.every((v) => v >= 0n) &&
          s.kpi<number>("n_rugged") <= s.kpi<number>("n_pools") &&
          s.kpi<number>("reverts") === 0
        );
      },
      steps: 15,
      runs: 6,
      seed: 4,
    });
  });

  it("a V4 rug costs stakers no more than what the dump of the datatokens consumers paid the malicious publisher brought it: the same run without the rug, compared at the rug", async function () {
    let runsWhereStakersHeld = 0;
    await this.hre.tokenspice.check("oceanv4", {
      params: {
        ...smallWorld,
        stakerSpeculators: fc.integer({ min: 1, max: 2 }),
        stakerActionsPerDay: fc.integer({ min: 1, max: 3 }),
        consumers: fc.integer({ min: 1, max: 2 }),
        maliciousPublishers: 1,
        rugPull: true,
        initialOcean: fc.integer({ min: 500, max: 20_000 }), // enough to publish (200 OCEAN)
        maliciousCreateEveryDays: fc.integer({ min: 1, max: 4 }),
      },
      property: async (withRug) => {
        const i = withRug.kpi<number>("n_rugged").values.findIndex((n) => n > 0);
        expect(i, "a rug within the horizon").to.equal((withRug.params.maliciousCreateEveryDays as number) + (withRug.params.maliciousRugAfterDays as number));
        // The same seed and params without the rug: the malicious publisher steps last, so at tick i the two runs differ by the rug alone.
        const without = await this.hre.tokenspice.run("oceanv4", { seed: withRug.seed, steps: i, params: { ...withRug.params, rugPull: false } });
        for (const kpi of withRug.kpiNames) expect(without.kpi(kpi).at(i - 1), `${kpi} before the rug`).to.equal(withRug.kpi(kpi).at(i - 1));
        const diff = (kpi: string) => bigintAt(withRug, kpi, i) - bigintAt(without, kpi, i);

        const gain = diff("maliciousPublisher_OCEAN");
        expect(-diff("OCEAN_staked"), "OCEAN out of the pools").to.equal(gain);
        expect(gain, "what its exits and dumps paid").to.equal(bigintAt(withRug, "rug_OCEAN_exited", i) + bigintAt(withRug, "rug_OCEAN_dumped", i));
        // Its exits are proportional (the bot takes out the matching datatokens), so they leave each share's
        // OCEAN as it was; only the dump lowers it, and stakers hold at most half the shares (the bot the
        // other half): they lose at most what the dump paid, but for Balancer's rounding of each exit.
        const stakersLoss = -diff("stakerSpeculator_OCEAN_networth");
        const dumped = bigintAt(withRug, "rug_OCEAN_dumped", i);
        expect(stakersLoss, "the stakers' loss, against what the dump paid").to.be.at.most(dumped + 10n ** 6n);
        if (bigintAt(withRug, "stakerSpeculator_OCEAN_in_BPTs", i - 1) > 0n) runsWhereStakersHeld++;
        for (const kpi of ["publisher_OCEAN_networth", "consumer_OCEAN_networth", "economy_OCEAN"]) expect(diff(kpi), kpi).to.equal(0n);
      },
      steps: 10,
      runs: 8,
      seed: 11,
    });
    expect(runsWhereStakersHeld, "runs in which stakers held shares when the rug came").to.be.greaterThan(0);
  });
});
