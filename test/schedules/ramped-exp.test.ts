import { expect } from "chai";
import { RampedExp, TokenspiceError, createRng } from "../../src/api";
import { RampedExpHarness__factory, type RampedExpHarness } from "../../typechain-types";
import { ROOT, useEnvironment } from "../helpers";
import * as Def from "./tokenspice-definition";

const { WAD } = RampedExp;
const DAY = 86_400n;
const YEAR = 365n * DAY;
const wad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;

/** Named schedules: TokenSPICE's own examples, the models', and edges. */
const SCHEDULES: Record<string, RampedExp.Schedule> = {
  // RampedExpFunc's docstring example (and test_MinterAgents.py): H=4, T0..T3 = 0, 0.5, 1, 2 years, M = 0.10, 0.25, 0.50
  "docstring example": RampedExp.fromYears({ H: 4, T0: 0, T1: 0.5, T2: 1, T3: 2, M1: 0.1, M2: 0.25, M3: 0.5 }),
  // netlists/wsloop/SimState.py: T0..T3 = 0.5, 1, 1.4, 3 years
  wsloop: RampedExp.fromYears({ H: 4, T0: 0.5, T1: 1, T2: 1.4, T3: 3, M1: 0.1, M2: 0.25, M3: 0.5 }),
  // sims/vesting's default ramp, in days, H = 1 year
  "vesting ramp": { halfLife: 365n * DAY, t0: 182n * DAY, t1: 365n * DAY, t2: 511n * DAY, t3: 1095n * DAY, m1: wad(0.1), m2: wad(0.25), m3: wad(0.5) },
  "ExpFunc, H = 1 year": RampedExp.exponential(YEAR),
  "ExpFunc, H = 1 second": RampedExp.exponential(1n),
  "multipliers all 1": { halfLife: 30n * DAY, t0: DAY, t1: 10n * DAY, t2: 40n * DAY, t3: 100n * DAY, m1: WAD, m2: WAD, m3: WAD },
  "multipliers all 0": { halfLife: 30n * DAY, t0: DAY, t1: 10n * DAY, t2: 40n * DAY, t3: 100n * DAY, m1: 0n, m2: 0n, m3: 0n },
  "multipliers descending": { halfLife: 7n * DAY, t0: 0n, t1: 20n * DAY, t2: 20n * DAY, t3: 50n * DAY, m1: WAD, m2: wad(0.5), m3: 1n },
  "odd seconds": { halfLife: 7n, t0: 3n, t1: 5n, t2: 11n, t3: 13n, m1: 333_333_333_333_333_333n, m2: 777_777_777_777_777_777n, m3: 999_999_999_999_999_999n },
  "longest half-life": { halfLife: 2n ** 64n - 1n, t0: 0n, t1: 2n ** 60n, t2: 2n ** 62n, t3: 2n ** 63n, m1: wad(0.2), m2: wad(0.4), m3: wad(0.6) },
};

/** Random valid schedules (a fixed seed), half-lives from a second to centuries. */
function randomSchedules(n: number, label: string): RampedExp.Schedule[] {
  const rng = createRng(label);
  return Array.from({ length: n }, () => {
    const halfLife = BigInt(Math.floor(1 + 10 ** rng.float(0, 10)));
    const phase = () => (rng() < 0.2 ? 0n : BigInt(Math.floor(rng() * 3 * Number(halfLife))));
    const t0 = phase();
    const t1 = t0 + phase();
    const t2 = t1 + phase();
    const t3 = t2 + phase();
    const m = () => (rng() < 0.2 ? rng.choice([0n, WAD]) : BigInt(Math.floor(rng() * 1e18)));
    return { halfLife, t0, t1, t2, t3, m1: m(), m2: m(), m3: m() };
  });
}

/**
 * A check for hot loops: chai's expect costs about 0.4 ms once hardhat-chai-matchers is loaded (as it
 * is when the whole suite runs), too slow for tens of thousands of points. Fails with chai's error.
 */
function check(ok: boolean, message: () => string): void {
  if (!ok) expect.fail(message());
}

const toDef = (s: RampedExp.Schedule): Def.Def => ({ H: s.halfLife, T0: s.t0, T1: s.t1, T2: s.t2, T3: s.t3, M1: s.m1, M2: s.m2, M3: s.m3 });
/** The library's value minus the exact one, in wei of 1e18. */
const signedError = (value: bigint, exact: bigint) => Number(value * (Def.ONE / WAD) - exact) / Number(Def.ONE / WAD);

/** Times worth checking on a schedule: every breakpoint and whole half-life ±1 s, the end, and random times. */
function timesFor(s: RampedExp.Schedule, random: number, label: string): bigint[] {
  const c = RampedExp.curve(s);
  const times = new Set<bigint>([0n]);
  const around = (t: bigint) => [t - 1n, t, t + 1n].filter((x) => x >= 0n).forEach((x) => times.add(x));
  [s.t0, s.t1, s.t2, s.t3, c.end].forEach(around);
  for (let k = 1n; k <= 3n; k++) [s.t0 + k * s.halfLife, s.t3 + k * s.halfLife].forEach(around);
  const rng = createRng(label);
  const span = Number(c.end + s.halfLife);
  for (let i = 0; i < random; i++) times.add(BigInt(Math.floor(rng() * span)));
  for (let i = 0; i < random / 4; i++) times.add(BigInt(Math.floor(rng() * Number(s.t3 + 2n * s.halfLife)))); // denser over the ramp
  return [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe("RampedExp: TokenSPICE's release schedules (src/schedules, contracts/schedules)", function () {
  describe("the independent high-precision definition the library is tested against", () => {
    it("has ln 2 to 75 digits and 0.5^x exact at whole half-lives", () => {
      expect(Def.LN2.toString()).to.equal("693147180559945309417232121458176568075500134360255254120680009493393621969"); // OEIS A002162
      expect(RampedExp.LN2_HP).to.equal(Def.LN2 / 10n ** 39n); // the library's constant is ln 2 rounded down at 36 digits
      expect(Def.halfPow(7n, 7n)).to.equal(Def.ONE / 2n);
      expect(Def.halfPow(21n, 7n)).to.equal(Def.ONE / 8n);
      expect(Number(Def.halfPow(1n, 2n)) / Number(Def.ONE)).to.be.closeTo(Math.SQRT1_2, 1e-16);
    });
  });

  describe("TypeScript reference (pure)", () => {
    it("ExpFunc: 0 at 0, exactly 1/2, 3/4, ... at whole half-lives (up to the 18th), below 1 always", () => {
      for (const H of [1n, 7n, DAY, YEAR, 2n ** 64n - 1n]) {
        expect(RampedExp.expFuncWad(0n, H)).to.equal(0n);
        for (let n = 1n; n <= 18n; n++) check(RampedExp.expFuncWad(n * H, H) === WAD - WAD / 2n ** n, () => `H=${H}: F(${n} H) is not exactly 1 - 2^-${n}`);
        expect(RampedExp.halfPowWad(60n * H, H)).to.equal(1n); // below a wei: rounded up
        expect(RampedExp.expFuncWad(10n ** 6n * H, H)).to.equal(WAD - 1n);
      }
    });

    it("ExpFunc is the exact 1 - 0.5^(t/H) rounded down: within 1 wei below it, never above, at thousands of points", () => {
      const rng = createRng("expfunc-vs-definition");
      let lowest = 0;
      for (let i = 0; i < 4000; i++) {
        const H = BigInt(Math.floor(1 + 10 ** rng.float(0, 12)));
        const x = rng() < 0.3 ? BigInt(rng.int(0, 70)) * H + BigInt(rng.int(-2, 2)) : BigInt(Math.floor(rng() * 70 * Number(H)));
        if (x < 0n) continue;
        const error = signedError(RampedExp.expFuncWad(x, H), Def.F(x, H));
        check(error >= -1 && error <= 0, () => `H=${H} x=${x}: ExpFunc is ${error} wei from the exact value`);
        lowest = Math.min(lowest, error);
      }
      expect(lowest).to.be.below(-0.5); // the bound is reached, not vacuous
    });

    it("RampedExpFunc is the docstring's g within (exact - 8, exact + 2] wei before its end, on every schedule", () => {
      const schedules = [...Object.entries(SCHEDULES), ...randomSchedules(150, "random-schedules").map((s, i) => [`random ${i}`, s] as const)];
      let [low, high, points] = [0, 0, 0];
      for (const [name, s] of schedules) {
        const c = RampedExp.curve(s);
        const d = toDef(s);
        for (const t of timesFor(s, 40, name)) {
          if (t >= c.end) continue;
          const error = signedError(RampedExp.fraction(c, t), Def.g(d, t));
          check(error > -Number(RampedExp.MAX_ERROR_WEI) && error <= 2, () => `${name} t=${t}: g is ${error} wei from the exact value`);
          [low, high, points] = [Math.min(low, error), Math.max(high, error), points + 1];
        }
      }
      expect(points).to.be.above(10_000);
      console.log(`      (${points} points: error from ${low.toFixed(3)} to ${high.toFixed(3)} wei)`);
    });

    it("ends at T3 + 34 H: exactly 1 from there on, the rest released then below 6e-11 of the total", () => {
      for (const [name, s] of Object.entries(SCHEDULES)) {
        const c = RampedExp.curve(s);
        expect(c.end, name).to.equal(s.t3 + 34n * s.halfLife);
        expect(RampedExp.fraction(c, c.end)).to.equal(WAD);
        expect(RampedExp.fraction(c, c.end + 10n ** 30n)).to.equal(WAD);
        const before = RampedExp.fraction(c, c.end - 1n);
        expect(before < WAD, name).to.equal(true);
        // what is left of the exact curve at the end, released there at once: (1 - G3) 2^-34 < 6e-11
        const left = Number(Def.ONE - Def.g(toDef(s), c.end)) / Number(Def.ONE);
        expect(left, name).to.be.closeTo((1 - Number(c.g3) / 1e18) * 2 ** -34, 1e-20);
        expect(left, name).to.be.below(6e-11);
      }
      // TokenSPICE's minter instead pays the rest once t > 34 H counted from 0: at wsloop's ramp 136 years, here 139
      expect(RampedExp.curve(SCHEDULES.wsloop).end).to.equal(139n * YEAR);
    });

    it("is nondecreasing second by second around every breakpoint and half-life, and never above 1", () => {
      for (const [name, s] of Object.entries(SCHEDULES)) {
        const c = RampedExp.curve(s);
        const marks = [s.t0, s.t1, s.t2, s.t3, s.t0 + s.halfLife, s.t3 + s.halfLife, s.t3 + 2n * s.halfLife, c.end];
        for (const mark of marks) {
          let previous = -1n;
          for (let t = mark > 300n ? mark - 300n : 0n; t <= mark + 300n; t++) {
            const g = RampedExp.fraction(c, t);
            check(g >= previous && g <= WAD, () => `${name} t=${t}: g = ${g} after ${previous}`);
            previous = g;
          }
        }
      }
    });

    it("is nondecreasing and in [0, 1] at every second of short schedules, and over random walks of long ones", () => {
      for (const s of randomSchedules(40, "short").map((r) => ({ ...r, halfLife: (r.halfLife % 20n) + 1n, t0: r.t0 % 5n, t1: r.t0 % 5n, t2: (r.t0 % 5n) + 3n, t3: (r.t0 % 5n) + 9n }))) {
        const c = RampedExp.curve(s);
        let previous = 0n;
        for (let t = 0n; t <= c.end + 2n; t++) {
          const g = RampedExp.fraction(c, t);
          check(g >= previous && g <= WAD, () => `${JSON.stringify(s, (_, v) => (typeof v === "bigint" ? `${v}` : v))} t=${t}: g = ${g} after ${previous}`);
          previous = g;
        }
      }
      const rng = createRng("walks");
      for (const s of randomSchedules(30, "long")) {
        const c = RampedExp.curve(s);
        let previous = 0n;
        for (let t = 0n; t < c.end + s.halfLife; t += BigInt(Math.floor(1 + rng() * Number(c.end / 400n)))) {
          const g = RampedExp.fraction(c, t);
          check(g >= previous && g <= WAD, () => `t=${t}: g = ${g} after ${previous}`);
          previous = g;
        }
      }
    });

    it("follows the docstring, not TokenSPICE's code: the code's g exceeds 1 when the multipliers sum past 1", () => {
      const p = { H: 1, T0: 0, T1: 1, T2: 2, T3: 3, M1: 1, M2: 1, M3: 1 };
      // The code evaluates G1..G3 at t: at T3 = 3 (H = 1) it gives 3 F(3) - F(2) - F(1) = 3 (7/8) - 3/4 - 1/2
      expect(Def.tokenspiceCode(p, 3)).to.be.closeTo(1.375, 1e-12);
      const c = RampedExp.curve(RampedExp.fromYears(p));
      expect(RampedExp.fraction(c, 3n * YEAR)).to.equal(RampedExp.expFuncWad(3n * YEAR, YEAR)); // M = 1 throughout: g = F
      // wsloop's ramp: the same until T1, then apart (G3 0.127 by the docstring, 0.206 by the code)
      const w = { H: 4, T0: 0.5, T1: 1, T2: 1.4, T3: 3, M1: 0.1, M2: 0.25, M3: 0.5 };
      const cw = RampedExp.curve(SCHEDULES.wsloop);
      expect(Number(RampedExp.fraction(cw, YEAR - DAY)) / 1e18).to.be.closeTo(Def.tokenspiceCode(w, 1 - 1 / 365), 1e-15);
      expect(Number(cw.g3) / 1e18).to.be.closeTo(0.12724, 1e-5);
      expect(Def.tokenspiceCode(w, 3)).to.be.closeTo(0.206, 1e-3);
    });

    it("rejects a schedule TokenSPICE's definition does not cover, saying what is wrong", () => {
      const ok = SCHEDULES.wsloop;
      const cases: [Partial<RampedExp.Schedule>, RegExp][] = [
        [{ halfLife: 0n }, /half-life must be in \[1, 2\^64 - 1\], got 0/],
        [{ halfLife: 2n ** 64n }, /half-life must be in/],
        [{ t1: ok.t2 + 1n }, /need 0 <= T0 <= T1 <= T2 <= T3/],
        [{ t0: -1n }, /need 0 <= T0/],
        [{ t3: 2n ** 64n }, /T3 must be at most 2\^64 - 1/],
        [{ m2: WAD + 1n }, /M2 must be in \[0, 1e18\] \(WAD\), got 1000000000000000001/],
        [{ m3: -1n }, /M3 must be in \[0, 1e18\]/],
      ];
      for (const [change, message] of cases) expect(() => RampedExp.curve({ ...ok, ...change })).to.throw(TokenspiceError, message);
      expect(() => RampedExp.halfPowWad(-1n, 5n)).to.throw(TokenspiceError, /elapsed time must be ≥ 0/);
      expect(() => RampedExp.fromYears({ H: NaN, T0: 0, T1: 0, T2: 0, T3: 0, M1: 0, M2: 0, M3: 0 })).to.throw(TokenspiceError, /H must be a finite number/);
    });

    it("fromYears takes TokenSPICE's units: years of 365 days, multipliers to 9 decimals", () => {
      expect(SCHEDULES.wsloop).to.deep.equal({ halfLife: 4n * YEAR, t0: YEAR / 2n, t1: YEAR, t2: 44_150_400n, t3: 3n * YEAR, m1: 10n ** 17n, m2: 25n * 10n ** 16n, m3: 5n * 10n ** 17n });
      expect(RampedExp.fromYears({ H: 1, T0: 0, T1: 0, T2: 0, T3: 0, M1: 0.1234567891, M2: 0, M3: 0 }).m1).to.equal(123_456_789n * 10n ** 9n);
    });
  });

  describe("Solidity library (contracts/schedules/RampedExp.sol) against the TypeScript reference", function () {
    useEnvironment(ROOT);
    let harness: RampedExpHarness;
    before(async function () {
      const [signer] = await this.hre.ethers.getSigners();
      harness = await new RampedExpHarness__factory(signer).deploy();
    });
    const asStruct = (s: RampedExp.Schedule) => ({ ...s });

    it("works out the same breakpoints and end", async () => {
      for (const s of [...Object.values(SCHEDULES), ...randomSchedules(20, "sol-curves")]) {
        const c = RampedExp.curve(s);
        const [sol, f1, f2, g1, g2, g3, end] = await harness.curve(asStruct(s));
        expect([f1, f2, g1, g2, g3, end]).to.deep.equal([c.f1, c.f2, c.g1, c.g2, c.g3, c.end]);
        const fields = (x: RampedExp.Schedule) => [x.halfLife, x.t0, x.t1, x.t2, x.t3, x.m1, x.m2, x.m3];
        expect([...sol]).to.deep.equal(fields(s));
      }
      expect([...(await harness.exponential(YEAR))]).to.deep.equal([YEAR, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    });

    it("computes the same fraction to the wei (max error 0) at thousands of points", async () => {
      let points = 0;
      for (const [name, s] of [...Object.entries(SCHEDULES), ...randomSchedules(40, "sol-random").map((s, i) => [`random ${i}`, s] as const)]) {
        const c = RampedExp.curve(s);
        const times = timesFor(s, 60, `sol ${name}`);
        const onChain = await harness.fractions(asStruct(s), times);
        times.forEach((t, i) => check(onChain[i] === RampedExp.fraction(c, t), () => `${name} t=${t}: chain ${onChain[i]}, reference ${RampedExp.fraction(c, t)}`));
        points += times.length;
      }
      expect(points).to.be.above(3000);
    });

    it("computes the same ExpFunc and 0.5^(t/H), including huge times and half-lives", async () => {
      const rng = createRng("sol-expfunc");
      for (const H of [1n, 7n, DAY, YEAR, 10n ** 12n, 2n ** 64n - 1n]) {
        const xs = [0n, 1n, H - 1n, H, H + 1n, 18n * H, 59n * H + H / 2n, 60n * H, 2n ** 200n, 2n ** 256n - 1n];
        for (let i = 0; i < 100; i++) xs.push(BigInt(Math.floor(rng() * 70 * Number(H))));
        const F = await harness.expFuncs(xs, H);
        const P = await harness.halfPows(xs, H);
        xs.forEach((x, i) => {
          check(F[i] === RampedExp.expFuncWad(x, H), () => `F H=${H} x=${x}: chain ${F[i]}, reference ${RampedExp.expFuncWad(x, H)}`);
          check(P[i] === RampedExp.halfPowWad(x, H), () => `0.5^ H=${H} x=${x}: chain ${P[i]}, reference ${RampedExp.halfPowWad(x, H)}`);
        });
      }
    });

    it("reverts on the schedules the TypeScript reference rejects, with the library's errors", async () => {
      const ok = SCHEDULES.wsloop;
      await expect(harness.curve({ ...ok, halfLife: 0n })).to.be.revertedWithCustomError(harness, "ZeroHalfLife");
      await expect(harness.curve({ ...ok, t1: ok.t2 + 1n }))
        .to.be.revertedWithCustomError(harness, "RampOutOfOrder")
        .withArgs(ok.t0, ok.t2 + 1n, ok.t2, ok.t3);
      await expect(harness.curve({ ...ok, m1: WAD + 1n }))
        .to.be.revertedWithCustomError(harness, "MultiplierAboveOne")
        .withArgs(WAD + 1n);
    });

    it("costs under 6,000 gas for one evaluation on a curve in memory", async () => {
      let most = 0n;
      for (const [name, s] of Object.entries(SCHEDULES)) {
        for (const t of [s.t1 - 1n > 0n ? s.t1 - 1n : 0n, s.t2 + 1n, s.t3 + s.halfLife / 2n]) {
          const [value, gas] = await harness.fractionGas(asStruct(s), t);
          expect(value, name).to.equal(RampedExp.fraction(RampedExp.curve(s), t));
          most = gas > most ? gas : most;
        }
      }
      expect(most < 6_000n, `most gas ${most}`).to.equal(true);
      console.log(`      (at most ${most} gas per fraction)`);
    });
  });
});
