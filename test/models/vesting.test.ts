import { expect } from "chai";
import fc from "fast-check";
import type { Signer } from "ethers";
import { DEFAULT_START_TIME, RampedExp, createRng, type SimResult } from "../../src/api";
import { VestingExpDecayWallet__factory, VestingLinearCliffWallet__factory, VestingToken__factory, type VestingToken } from "../../typechain-types";
import { DAY, allocationFromParams, scheduleFromParams } from "../../sims/vesting/design";
import { monthlyInflation } from "../../sims/vesting/inflation";
import { vestingParams } from "../../sims/vesting/params";
import { vestedAmount, type VestingSchedule } from "../../sims/vesting/schedule";
import type { VestingParams } from "../../sims/vesting/world";
import { ROOT, useEnvironment } from "../helpers";

const TOKEN = 10n ** 18n;
const D = BigInt(DAY);
const defaults = Object.fromEntries(Object.entries(vestingParams).map(([k, spec]) => [k, spec.default])) as unknown as VestingParams;
const { WAD, TAIL_HALF_LIVES } = RampedExp;
// TokenSPICE's wsloop ramp (T0..T3 = 0.5, 1, 1.4, 3 years; M = 0.10, 0.25, 0.50) in days: the vesting defaults
const TOKENSPICE_RAMP = { t0: 182n * D, t1: 365n * D, t2: 511n * D, t3: 1095n * D, m1: WAD / 10n, m2: WAD / 4n, m3: WAD / 2n };
const ramped = (halfLife: bigint, ramp = TOKENSPICE_RAMP): RampedExp.Schedule => ({ halfLife, ...ramp });
/** Vesting starts at the launch, tick 1. */
const LAUNCH = BigInt(DEFAULT_START_TIME + DAY);
const tickTime = (tick: number) => BigInt(DEFAULT_START_TIME + tick * DAY);
const percent = (min: number, max: number) => fc.integer({ min, max }).map((p) => p / 100);

describe("vesting model", function () {
  describe("TypeScript reference of the schedules (pure)", () => {
    // The curves themselves (ExpFunc, RampedExpFunc) are the plugin's RampedExp library, tested against
    // TokenSPICE's definition in test/schedules/ramped-exp.test.ts. Here: how vesting uses them.
    it("exp-decay vests the library's fraction of the grant at the last unlock, nothing before the start, everything from the end", () => {
      const s: VestingSchedule = { type: "exp-decay", start: 1000n, exp: ramped(365n * D), unlockPeriod: 30n * D };
      const grant = 1_000_000n * TOKEN;
      const c = RampedExp.curve(s.exp);
      expect(vestedAmount(s, grant, 999n)).to.equal(0n);
      expect(vestedAmount(s, grant, 1000n + 400n * D)).to.equal((grant * RampedExp.fraction(c, 390n * D)) / WAD); // unlocks every 30 days
      expect(vestedAmount(s, grant, 1000n + c.end - 1n) < grant).to.equal(true);
      expect(vestedAmount(s, grant, 1000n + c.end + 29n * D)).to.equal(grant); // the end falls between unlocks: the next unlock after it
      const exp: VestingSchedule = { type: "exp-decay", start: 0n, exp: RampedExp.exponential(100n * D), unlockPeriod: 1n };
      expect(vestedAmount(exp, grant, 100n * D)).to.equal(grant / 2n); // ExpFunc: half after one half-life
    });

    it("linear-cliff: nothing before the cliff, the linear share at it, everything at the end, whole unlock periods", () => {
      const s: VestingSchedule = { type: "linear-cliff", start: 1000n, duration: 400n * D, cliff: 100n * D, unlockPeriod: D };
      const grant = 400n * TOKEN;
      expect(vestedAmount(s, grant, 999n)).to.equal(0n);
      expect(vestedAmount(s, grant, 1000n + 100n * D - 1n)).to.equal(0n);
      expect(vestedAmount(s, grant, 1000n + 100n * D)).to.equal(100n * TOKEN);
      expect(vestedAmount(s, grant, 1000n + 100n * D + D - 1n)).to.equal(100n * TOKEN); // same unlock day
      expect(vestedAmount(s, grant, 1000n + 101n * D)).to.equal(101n * TOKEN);
      expect(vestedAmount(s, grant, 1000n + 400n * D)).to.equal(grant);
      const monthly = { ...s, unlockPeriod: 30n * D };
      expect(vestedAmount(monthly, grant, 1000n + 119n * D)).to.equal(0n); // the cliff falls between unlocks (90, 120)
      expect(vestedAmount(monthly, grant, 1000n + 149n * D)).to.equal(120n * TOKEN);
    });

    it("params map to schedules and allocations by hand", () => {
      const linear = scheduleFromParams({ ...defaults, cliffDays: 500, durationDays: 400 }, 7n);
      expect(linear).to.deep.equal({ type: "linear-cliff", start: 7n, duration: 400n * D, cliff: 400n * D, unlockPeriod: D }); // cliff capped
      const fromParams = scheduleFromParams({ ...defaults, schedule: "ramped-exponential", rampMult1: 0.1234567 }, 0n);
      expect(fromParams.type === "exp-decay" && fromParams.exp).to.deep.equal({ ...ramped(365n * D), m1: 123_457n * 10n ** 12n });
      const exponential = scheduleFromParams({ ...defaults, schedule: "exponential", halfLifeDays: 90 }, 0n);
      expect(exponential.type === "exp-decay" && exponential.exp).to.deep.equal(RampedExp.exponential(90n * D));
      const a = allocationFromParams({ ...defaults, totalSupply: 1000, beneficiaries: 3, vestingShare: 0.7, publicShare: 0.5 });
      expect(a.grants).to.deep.equal([233_333_333_333_333_333_334n, 233_333_333_333_333_333_333n, 233_333_333_333_333_333_333n]);
      expect(a.publicFloat).to.equal(300n * TOKEN); // capped at 1 - vestingShare
      expect(a.treasuryKeeps).to.equal(0n);
    });

    it("monthly inflation: growth over 30 ticks relative to 30 ticks before, 0 when undefined", () => {
      const c = Array.from({ length: 61 }, (_, t) => BigInt(100 + t) * TOKEN);
      expect(monthlyInflation(c, 29, 30)).to.equal(0); // no value a month back
      expect(monthlyInflation(c, 30, 30)).to.equal(0.3); // (130 - 100) / 100
      expect(monthlyInflation(c, 60, 30)).to.equal(0.230769230769); // 30 / 130, 12 decimals
      expect(monthlyInflation([0n, ...c], 30, 30)).to.equal(0); // nothing circulated a month back
    });
  });

  describe("on chain", function () {
    useEnvironment(ROOT);
    let snapshot: string;
    let funder: Signer;
    let beneficiary: Signer;
    let token: VestingToken;
    let start: bigint;
    const grant = 1_000_000n * TOKEN;

    beforeEach(async function () {
      snapshot = await this.hre.network.provider.send("evm_snapshot");
      [funder, beneficiary] = await this.hre.ethers.getSigners();
      token = await new VestingToken__factory(funder).deploy(await funder.getAddress(), 10n * grant);
      start = BigInt((await this.hre.ethers.provider.getBlock("latest"))!.timestamp) + 1000n;
    });
    afterEach(async function () {
      await this.hre.network.provider.send("evm_revert", [snapshot]);
    });

    async function linearWallet(duration: bigint, cliff: bigint, unlockPeriod = D) {
      const w = await new VestingLinearCliffWallet__factory(funder).deploy(await beneficiary.getAddress(), start, duration, cliff, unlockPeriod);
      await token.transfer(await w.getAddress(), grant);
      return w;
    }
    async function expWallet(exp: RampedExp.Schedule, unlockPeriod = D) {
      const w = await new VestingExpDecayWallet__factory(funder).deploy(await beneficiary.getAddress(), start, exp, unlockPeriod);
      await token.transfer(await w.getAddress(), grant);
      return w;
    }
    const vested = (w: { "vestedAmount(address,uint64)"(t: string, ts: bigint): Promise<bigint> }, ts: bigint) => w["vestedAmount(address,uint64)"](token.target as string, ts);

    it("VestingToken mints its whole fixed supply to the treasury", async () => {
      expect(await token.totalSupply()).to.equal(10n * grant);
      expect(await token.balanceOf(await funder.getAddress())).to.equal(10n * grant);
    });

    it("linear-cliff: 0 before the cliff, duration share at the cliff boundary, all at the end", async () => {
      const w = await linearWallet(1460n * D, 365n * D);
      expect(await vested(w, start - 1n)).to.equal(0n);
      expect(await vested(w, start + 365n * D - 1n)).to.equal(0n);
      expect(await vested(w, start + 365n * D)).to.equal(grant / 4n);
      expect(await vested(w, start + 730n * D + D / 2n)).to.equal(grant / 2n); // mid-day: the day's unlock
      expect(await vested(w, start + 1460n * D - D)).to.equal((grant * 1459n) / 1460n);
      expect(await vested(w, start + 1460n * D)).to.equal(grant);
      expect(await vested(w, start + 5000n * D)).to.equal(grant);
    });

    it("linear-cliff: a zero-length cliff vests from the start; a cliff past the duration is rejected", async () => {
      const w = await linearWallet(100n * D, 0n);
      expect(await vested(w, start)).to.equal(0n);
      expect(await vested(w, start + D)).to.equal(grant / 100n);
      const factory = new VestingLinearCliffWallet__factory(funder);
      await expect(factory.deploy(await beneficiary.getAddress(), start, D, 2n * D, D)).to.be.revertedWithCustomError(factory, "InvalidCliffDuration");
      await expect(factory.deploy(await beneficiary.getAddress(), start, D, 0n, 0n)).to.be.revertedWithCustomError(factory, "ZeroUnlockPeriod");
    });

    it("exponential: exactly half after one half-life, three quarters after two, all after 34", async () => {
      const H = 365n * D;
      const w = await expWallet(RampedExp.exponential(H));
      expect(await w.end()).to.equal(start + TAIL_HALF_LIVES * H);
      expect(await vested(w, start)).to.equal(0n);
      expect(await vested(w, start + H)).to.equal(grant / 2n);
      expect(await vested(w, start + 2n * H)).to.equal((grant * 3n) / 4n);
      expect((await vested(w, start + TAIL_HALF_LIVES * H - D)) < grant).to.equal(true);
      expect(await vested(w, start + TAIL_HALF_LIVES * H)).to.equal(grant);
    });

    it("exponential and ramped wallets agree with the TypeScript reference to the wei", async () => {
      const rng = createRng("chain-vs-reference");
      for (const [exp, unlock] of [
        [RampedExp.exponential(365n * D), D],
        [RampedExp.exponential(7n * D), 1n],
        [ramped(365n * D), D],
        [{ halfLife: 90n * D, t0: 0n, t1: 10n * D, t2: 10n * D, t3: 200n * D, m1: WAD, m2: 0n, m3: 333_333n * 10n ** 12n }, 30n * D],
      ] as [RampedExp.Schedule, bigint][]) {
        const w = await expWallet(exp, unlock);
        const schedule: VestingSchedule = { type: "exp-decay", start, exp, unlockPeriod: unlock };
        expect(await w.end()).to.equal(start + exp.t3 + TAIL_HALF_LIVES * exp.halfLife);
        const end = start + exp.t3 + 36n * exp.halfLife;
        const times = [start, start + exp.t0, start + exp.t1, start + exp.t2, start + exp.t3, start + exp.t3 + exp.halfLife];
        for (let i = 0; i < 60; i++) times.push(start + BigInt(Math.floor(rng() * Number(end - start))));
        for (const t of times) expect(await vested(w, t), `H=${exp.halfLife} t=start+${t - start}`).to.equal(vestedAmount(schedule, grant, t));
      }
    });

    it("the ramped wallet rejects what the schedule library rejects: multipliers above one, a zero half-life, a ramp out of order", async () => {
      const factory = new VestingExpDecayWallet__factory(funder);
      const who = await beneficiary.getAddress();
      await expect(factory.deploy(who, start, { ...ramped(D), m2: WAD + 1n }, D)).to.be.revertedWithCustomError(factory, "MultiplierAboveOne");
      await expect(factory.deploy(who, start, RampedExp.exponential(0n), D)).to.be.revertedWithCustomError(factory, "ZeroHalfLife");
      await expect(factory.deploy(who, start, { ...ramped(D), t1: 0n }, D)).to.be.revertedWithCustomError(factory, "RampOutOfOrder");
    });

    it("release pays the beneficiary what has vested, once, whoever calls it", async function () {
      const H = 30n * D;
      const w = await expWallet(RampedExp.exponential(H));
      const tokenAddress = token.target as string;
      const who = await beneficiary.getAddress();
      await this.hre.network.provider.send("evm_setNextBlockTimestamp", [Number(start + H + 5n)]);
      await w.connect(funder)["release(address)"](tokenAddress); // a third party triggers it; the owner is paid
      expect(await token.balanceOf(who)).to.equal(grant / 2n);
      expect(await w["released(address)"](tokenAddress)).to.equal(grant / 2n);
      await w.connect(beneficiary)["release(address)"](tokenAddress); // same day: nothing more has unlocked
      expect(await token.balanceOf(who)).to.equal(grant / 2n);
      await this.hre.network.provider.send("evm_setNextBlockTimestamp", [Number(start + 2n * H)]);
      await w.connect(beneficiary)["release(address)"](tokenAddress);
      expect(await token.balanceOf(who)).to.equal((grant * 3n) / 4n);
      expect(await token.balanceOf(await w.getAddress())).to.equal(grant / 4n);
    });

    describe("the netlist", () => {
      const stepsOf = (r: SimResult) => r.kpi("vested").length - 1;

      /** Checks that hold for any params: conservation, order, the schedule computed by hand in TS. */
      function expectSound(r: SimResult) {
        const p = r.params as unknown as VestingParams;
        const a = allocationFromParams(p);
        const schedule = scheduleFromParams(p, LAUNCH);
        const grantedTotal = a.grants.reduce((x, y) => x + y, 0n);
        expect(r.kpi("scheduleError")).to.stay.within(0n, 0n);
        expect(r.kpi("granted").at(0)).to.equal(0n);
        expect(r.kpi("granted")).to.end.closeTo(grantedTotal, 0n);
        expect(r.kpi("treasury")).to.end.closeTo(a.treasuryKeeps, 0n);
        expect(r.kpi("released")).to.be.nonDecreasing;
        expect(r.kpi("vested")).to.be.nonDecreasing;
        expect(r.kpi("sold")).to.be.nonDecreasing;
        expect(r.kpi("monthlyInflation")).to.never.dropBelow(0);
        for (let tick = 1; tick <= stepsOf(r); tick++) {
          // every released token went to a beneficiary: circulating = launch float + released
          expect(r.kpi<bigint>("circulating").at(tick), `tick ${tick}`).to.equal(a.publicFloat + r.kpi<bigint>("released").at(tick));
          expect(r.kpi<bigint>("sold").at(tick) <= r.kpi<bigint>("released").at(tick)).to.equal(true);
        }
        for (const tick of [1, Math.ceil(stepsOf(r) / 2), stepsOf(r)]) {
          const byHand = a.grants.reduce((sum, g) => sum + vestedAmount(schedule, g, tickTime(tick)), 0n);
          expect(r.kpi<bigint>("vested").at(tick), `vested at tick ${tick}`).to.equal(byHand);
        }
      }

      it("linear-cliff, released daily: vested by hand at the cliff and end, monthly inflation by hand", async function () {
        // 900 tokens, 450 vest linearly over 90 days with a 30-day cliff, 90 float; beneficiaries release daily
        const params = { totalSupply: 900, vestingShare: 0.5, publicShare: 0.1, beneficiaries: 3, cliffDays: 30, durationDays: 90, releaseEveryDays: 1 };
        const r = await this.hre.tokenspice.run("vesting", { seed: 3, steps: 100, params });
        expectSound(r);
        const vestedAt = (tick: number) => r.kpi<bigint>("vested").at(tick);
        expect(vestedAt(30)).to.equal(0n); // day 29
        expect(vestedAt(31)).to.equal(150n * TOKEN); // the cliff: 30 of 90 days
        expect(vestedAt(61)).to.equal(300n * TOKEN);
        expect(vestedAt(91)).to.equal(450n * TOKEN);
        expect(r.kpi<bigint>("released").at(61)).to.equal(300n * TOKEN); // daily releases keep up
        // tick 61: circulating 90 + 300, a month before (tick 31) 90 + 150: (390 - 240) / 240
        expect(r.kpi<number>("monthlyInflation").at(61)).to.equal(0.625);
        expect(r.kpi<number>("monthlyInflation").at(29)).to.equal(0); // undefined in the first month
        expect(r.kpi("vestedFraction")).to.end.closeTo(1, 0);
        expect(r.kpi("reverts")).to.end.closeTo(0, 0);
      });

      it("exponential with one beneficiary and nobody selling: half after one half-life, none sold", async function () {
        const params = { schedule: "exponential", beneficiaries: 1, halfLifeDays: 20, sellProbability: 0, totalSupply: 1000, vestingShare: 1, publicShare: 0 };
        const r = await this.hre.tokenspice.run("vesting", { seed: 5, steps: 41, params });
        expectSound(r);
        expect(r.kpi<bigint>("vested").at(21)).to.equal(500n * TOKEN);
        expect(r.kpi<bigint>("vested").at(41)).to.equal(750n * TOKEN);
        expect(r.kpi("sold")).to.stay.within(0n, 0n);
        expect(r.kpi<number>("vestedFraction").at(21)).to.equal(0.5);
      });

      it("property: never releases more than vested nor vests more than granted, on schedule (check over schedule types and params)", async function () {
        this.timeout(120_000);
        await this.hre.tokenspice.check("vesting", {
          params: {
            schedule: fc.constantFrom("linear-cliff", "exponential", "ramped-exponential"),
            beneficiaries: fc.integer({ min: 1, max: 4 }),
            cliffDays: fc.integer({ min: 0, max: 40 }),
            durationDays: fc.integer({ min: 0, max: 60 }),
            halfLifeDays: fc.integer({ min: 1, max: 30 }),
            rampStartDays: fc.integer({ min: 0, max: 10 }),
            ramp1Days: fc.integer({ min: 0, max: 10 }),
            ramp2Days: fc.integer({ min: 0, max: 10 }),
            ramp3Days: fc.integer({ min: 0, max: 10 }),
            unlockPeriodDays: fc.integer({ min: 1, max: 10 }),
            releaseEveryDays: fc.integer({ min: 1, max: 10 }),
            // fast-check's doubles favour extremes (1e-300 rounds to no grant at all): draw percents
            vestingShare: percent(1, 100),
            publicShare: percent(0, 100),
            sellProbability: percent(0, 100),
            rampMult1: percent(0, 100),
            rampMult2: percent(0, 100),
            rampMult3: percent(0, 100),
            totalSupply: fc.integer({ min: 1, max: 1_000_000_000 }),
          },
          invariant: (s) => {
            const [released, vested, granted] = ["released", "vested", "granted"].map((k) => s.kpi<bigint>(k));
            return released <= vested && vested <= granted;
          },
          property: expectSound,
          steps: 60,
          runs: 25,
          seed: 4,
        });
      });
    });
  });
});
