import { expect } from "chai";
import { defineNetlist } from "../../src/api";
import oceanv4 from "../../sims/oceanv4/netlist";
import type { V4Venue } from "../../sims/oceanv4/venue-v4";
import { ROOT, quietConsoleLog, useEnvironment } from "../helpers";

describe("oceanv4 KPIs from kept reads", function () {
  useEnvironment(ROOT);
  quietConsoleLog();

  it("the side-staking bot's shares and the pools' supplies kept by world.reads equal a full lens read of every pool at every tick", async function () {
    // The shipped netlist plus one KPI that reads every pool afresh, as sideStaking_share_gap did
    // before it used world.reads, and counts the pools where the kept values differ.
    const checked = defineNetlist({
      ...oceanv4,
      kpis: {
        ...oceanv4.kpis,
        kept_mismatches: {
          async value({ world }) {
            if (world.pools.length === 0) return 0;
            const ss = (world.venue as V4Venue).contracts.sideStakingAddress;
            const addresses = world.pools.map((p) => p.address);
            const datatokens = world.pools.map((p) => p.datatokenAddress);
            const [[, , supply], [, shares], kept, keptShares] = await Promise.all([
              world.lens.reserves(addresses, datatokens, world.oceanAddress),
              world.lens.holdings([ss], addresses, datatokens),
              world.reads.reserves(),
              world.reads.sharesOf(ss),
            ]);
            return world.pools.filter((_, i) => kept[i].supply !== supply[i] || keptShares[i] !== shares[i]).length;
          },
        },
      },
    });
    // Pools every 2 days, stakers and speculators acting daily, a rug: shares change in some pools and not others.
    const r = await this.hre.tokenspice.run(checked, {
      seed: 5,
      steps: 24,
      params: { publisherCreateEveryDays: 2, stakerActionsPerDay: 2, maliciousCreateEveryDays: 3, maliciousRugAfterDays: 2 },
    });
    expect(r.kpi<number>("n_pools").at(-1), "pools created").to.be.greaterThan(3);
    expect(r.kpi<number>("n_rugged").at(-1), "a rug").to.be.greaterThan(0);
    expect(
      r.kpi<number>("kept_mismatches").values.every((n) => n === 0),
      `mismatches per tick: ${r.kpi<number>("kept_mismatches").values.join(",")}`,
    ).to.equal(true);
  });

  it("world.reads.sharesOf refuses an address it does not keep", async function () {
    const r = this.hre.tokenspice.run(
      defineNetlist({
        ...oceanv4,
        kpis: { bad: { value: ({ world }) => world.reads.sharesOf(world.oceanAddress).then((s) => s.length) } },
      }),
      { seed: 1, steps: 1 },
    );
    await r.then(
      () => expect.fail("should throw"),
      (e: Error) => expect(String(e.message) + String((e as { cause?: Error }).cause?.message)).to.match(/not a holder the reads keep/),
    );
  });
});
