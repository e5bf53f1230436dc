import { expect } from "chai";
import fc from "fast-check";
import { defineNetlist, type SimResult } from "../../src/api";
import { readHoldings } from "../../sims/oceanv3/market";
import oceanv3 from "../../sims/oceanv3/netlist";
import { AGENT_KINDS } from "../../sims/oceanv3/world";
import { ROOT, quietConsoleLog, useEnvironment } from "../helpers";

const TOKEN = 10n ** 18n;
const bigintAt = (r: SimResult, kpi: string, i: number) => r.kpi<bigint>(kpi).at(i);
/** Every OCEAN a run tracks at sample i: agents' wallets, the economy's, and the pools'. */
const oceanTracked = (r: SimResult, i: number) => AGENT_KINDS.reduce((sum, kind) => sum + bigintAt(r, `${kind}_OCEAN`, i), 0n) + bigintAt(r, "economy_OCEAN", i) + bigintAt(r, "OCEAN_staked", i);

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
  datatokensMinted: fc.integer({ min: 1, max: 200 }),
  datatokensStaked: fc.integer({ min: 1, max: 200 }),
  poolWeightDT: fc.integer({ min: 1, max: 9 }),
  swapFeeBps: fc.integer({ min: 0, max: 1_000 }),
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

/**
 * The netlist with one more KPI: how many pools' cached reads (what the KPIs value) differ from a
 * fresh read of the chain. 0 as long as every agent move touches the pool it changes.
 */
const withCacheCheck = defineNetlist({
  ...oceanv3,
  description: "oceanv3, checking its cached reads against the chain",
  kpis: {
    ...oceanv3.kpis,
    stalePools: async ({ world }) => {
      const [cachedReserves, cachedHoldings] = await Promise.all([world.reads.reserves(), world.reads.holdings()]);
      const addresses = world.pools.map((p) => p.address);
      const [dt, ocean, supply] = addresses.length
        ? await world.lens.reserves(
            addresses,
            world.pools.map((p) => p.datatokenAddress),
            world.oceanAddress,
          )
        : [[], [], []];
      const fresh = await readHoldings(
        world,
        world.holders.map((h) => h.address),
        world.pools,
      );
      return world.pools.filter((_, p) => {
        const r = cachedReserves[p];
        const sameReserves = r.datatoken === dt[p] && r.ocean === ocean[p] && r.supply === supply[p];
        const sameHoldings = world.holders.every((_, h) => cachedHoldings.datatokens[h][p] === fresh.datatokens[h][p] && cachedHoldings.shares[h][p] === fresh.shares[h][p]);
        return !(sameReserves && sameHoldings);
      }).length;
    },
  },
});

describe("oceanv3 netlist (simulations)", function () {
  useEnvironment(ROOT);
  quietConsoleLog();

  describe("a default run of 40 days", () => {
    let r: SimResult;
    before(async function () {
      r = await this.hre.tokenspice.run("oceanv3", { seed: 1, steps: 40 });
    });

    it("conserves OCEAN: every OCEAN minted at setup is in a wallet or a pool at every tick", () => {
      expect(r.kpi("OCEAN_unaccounted")).to.stay.within(0n, 0n);
      // 10 agents with 5000 OCEAN each and an economy with 1 000 000
      const minted = (10n * 5_000n + 1_000_000n) * TOKEN;
      for (let i = 0; i < r.kpi("n_pools").values.length; i++) expect(oceanTracked(r, i), `tick ${i}`).to.equal(minted);
    });

    it("publishes and rugs on TokenSPICE's timers", () => {
      const pools = r.kpi<number>("n_pools");
      const rugged = r.kpi<number>("n_rugged");
      // honest publishers' first datasets on day 7, the malicious publisher's on day 10, 20, 30
      expect([pools.at(6), pools.at(7), pools.at(9)]).to.deep.equal([0, 2, 2]);
      expect(pools.at(10) - pools.at(9)).to.equal(1);
      // it rugs each 5 days after creating it
      expect([14, 15, 24, 25, 34, 35].map((t) => rugged.at(t))).to.deep.equal([0, 1, 1, 2, 2, 3]);
      expect(pools).to.be.nonDecreasing;
      expect(rugged).to.be.nonDecreasing;
    });

    it("the malicious publisher binds all its OCEAN, then leaves its first rug with more", () => {
      const mal = r.kpi<bigint>("maliciousPublisher_OCEAN");
      expect([mal.at(9), mal.at(10), mal.at(14)]).to.deep.equal([5_000n * TOKEN, 0n, 0n]);
      expect(mal.at(15)).to.be.greaterThan(5_000n * TOKEN);
    });

    it("the rug shows in the stakers' net worth and the OCEAN staked", () => {
      const stakers = r.kpi<bigint>("stakerSpeculator_OCEAN_networth");
      const staked = r.kpi<bigint>("OCEAN_staked");
      expect(stakers.at(15)).to.be.lessThan(stakers.at(14));
      expect(staked.at(15)).to.be.lessThan(staked.at(14));
    });

    it("consumers only gain (the economy pays back what data was worth), the economy only pays", () => {
      expect(r.kpi("consumer_OCEAN")).to.be.nonDecreasing;
      expect(r.kpi("consumer_OCEAN")).to.riseAbove(15_000n * TOKEN);
      expect(r.kpi("economy_OCEAN")).to.be.nonIncreasing;
      expect(r.kpi("consumer_OCEAN_in_DTs")).to.stay.within(0n, 0n); // they hand every datatoken to its publisher
    });

    it("values are non-negative and net worth adds up, with no reverts at the defaults", () => {
      for (const kind of AGENT_KINDS) {
        const parts = ["OCEAN", "OCEAN_in_DTs", "OCEAN_in_BPTs"].map((p) => r.kpi<bigint>(`${kind}_${p}`));
        parts.forEach((s) => expect(s).to.never.dropBelow(0n));
        const networth = r.kpi<bigint>(`${kind}_OCEAN_networth`).values;
        networth.forEach((v, i) => expect(v).to.equal(parts[0].values[i] + parts[1].values[i] + parts[2].values[i]));
      }
      expect(r.kpi("publisher_OCEAN_networth").at(0)).to.equal(10_000n * TOKEN);
      expect(r.kpi("reverts")).to.end.closeTo(0, 0);
    });
  });

  it("one publisher and nothing else: its OCEAN is all in its wallet or its pools", async function () {
    const r = await this.hre.tokenspice.run("oceanv3", {
      seed: 2,
      steps: 30,
      params: { publishers: 1, consumers: 0, stakerSpeculators: 0, speculators: 0, maliciousPublishers: 0 },
    });
    const values = (k: string) => r.kpi<bigint>(k).values;
    values("publisher_OCEAN").forEach((v, i) => expect(v + values("OCEAN_staked")[i], `tick ${i}`).to.equal(5_000n * TOKEN));
    expect(r.kpi<number>("n_pools").at(7)).to.equal(1);
    expect(r.kpi("n_rugged")).to.stay.within(0, 0);
    expect(r.kpi("economy_OCEAN")).to.stay.within(1_000_000n * TOKEN, 1_000_000n * TOKEN);
    for (const kind of AGENT_KINDS.filter((k) => k !== "publisher")) expect(r.kpi(`${kind}_OCEAN_networth`)).to.stay.within(0n, 0n);
    expect(r.reverts).to.have.length(0);
  });

  it("for any params in a small world: OCEAN conserved at every tick, nothing negative, no more rugged pools than pools, KPIs read what is on chain", async function () {
    await this.hre.tokenspice.check(withCacheCheck, {
      params: smallWorld,
      invariant: (s) => {
        // every amount is non-negative, but the rugs' profit, which is negative when a rug returns less than was staked
        const bigints = Object.entries(s.values)
          .filter(([k]) => k !== "rug_OCEAN_profit")
          .map(([, v]) => v)
          .filter((v): v is bigint => typeof v === "bigint");
        return s.kpi<bigint>("OCEAN_unaccounted") === 0n && bigints.every((v) => v >= 0n) && s.kpi<number>("n_rugged") <= s.kpi<number>("n_pools") && s.kpi<number>("stalePools") === 0;
      },
      steps: 15,
      runs: 6,
      seed: 4,
    });
  });

  it("a rug pull is the malicious publisher's gain and the stakers' loss: the same run without it, compared at the rug", async function () {
    let runsWhereStakersLost = 0;
    await this.hre.tokenspice.check("oceanv3", {
      params: {
        ...smallWorld,
        stakerSpeculators: fc.integer({ min: 1, max: 2 }),
        stakerActionsPerDay: fc.integer({ min: 1, max: 3 }),
        maliciousPublishers: 1,
        rugPull: true,
        initialOcean: fc.integer({ min: 500, max: 20_000 }), // enough to publish (200 OCEAN)
        maliciousCreateEveryDays: fc.integer({ min: 1, max: 4 }),
      },
      property: async (withRug) => {
        // the first rug: the malicious publisher's first pool, maliciousRugAfterDays after it
        const i = withRug.kpi<number>("n_rugged").values.findIndex((n) => n > 0);
        expect(i, "a rug within the horizon").to.equal((withRug.params.maliciousCreateEveryDays as number) + (withRug.params.maliciousRugAfterDays as number));
        // The same seed and params without the rug. The malicious publisher steps last, so up to its
        // move in tick i the two runs are the same, and at tick i they differ by the rug alone.
        // (a run from inside a check's property goes ahead at once: the checked run has finished)
        const without = await this.hre.tokenspice.run("oceanv3", { seed: withRug.seed, steps: i, params: { ...withRug.params, rugPull: false } });
        for (const kpi of withRug.kpiNames) expect(without.kpi(kpi).at(i - 1), `${kpi} before the rug`).to.equal(withRug.kpi(kpi).at(i - 1));
        const diff = (kpi: string) => bigintAt(withRug, kpi, i) - bigintAt(without, kpi, i);

        const gain = diff("maliciousPublisher_OCEAN");
        expect(gain, "the malicious publisher's OCEAN").to.be.greaterThan(0n);
        expect(-diff("OCEAN_staked"), "OCEAN out of the pools").to.equal(gain); // it came out of the pools, all of it
        // Stakers lose when they hold shares of the rugged pool, and never gain (but for the wei
        // that the proportional exit's rounding down leaves in the pool for them).
        const stakersLoss = -diff("stakerSpeculator_OCEAN_networth");
        expect(stakersLoss, "the stakers' loss").to.be.at.least(-10n);
        if (stakersLoss > 0n) {
          runsWhereStakersLost++;
          // and when there were stakers to take from, the rug pays: it leaves with more OCEAN than it staked
          const staked = BigInt(withRug.params.initialOcean as number) * TOKEN;
          expect(bigintAt(withRug, "maliciousPublisher_OCEAN", i), "OCEAN after the rug, against the OCEAN it staked").to.be.greaterThan(staked);
        }
        expect(diff("speculator_OCEAN_networth"), "speculators holding that datatoken").to.be.at.most(10n);
        for (const kpi of ["publisher_OCEAN_networth", "consumer_OCEAN_networth", "economy_OCEAN"]) expect(diff(kpi), kpi).to.equal(0n);
      },
      steps: 10,
      runs: 8,
      seed: 11,
    });
    expect(runsWhereStakersLost, "runs in which stakers held shares of the rugged pool and lost").to.be.greaterThan(0);
  });
});
