import path from "path";
import { expect } from "chai";
import { blockBootstrap, ljungBox, logReturns, oneSeries, readSeries, replay, returnDiagnostics, withDrift } from "../../src/calibrate";
import { createRng } from "../../src/model/rng";
import { thrownBy } from "./thrown";

const ETH = path.join(__dirname, "..", "..", "sims", "amm", "data", "eth-usd-daily.csv");

describe("calibrate: prices driven from history", function () {
  this.timeout(30_000);
  let returns: number[];
  before(async () => {
    returns = logReturns(oneSeries(await readSeries(ETH, { time: "date", value: "close" })).values);
  });

  it("reads the shipped ETH/USD file: 361 daily closes, 3 gaps reported", async () => {
    const s = oneSeries(await readSeries(ETH, { time: "date", value: "close" }));
    expect(s.values.length).to.equal(361);
    expect(s.spacingSeconds).to.equal(86_400);
    expect(s.gaps.map((g) => g.missing)).to.deep.equal([1, 2, 1]);
    expect(returns.length).to.equal(360);
  });

  it("replays the returns in order, so a path from any start is the data's scaled, and refuses to run past them", () => {
    const source = replay([0.1, -0.2, 0.05]);
    let price = 100;
    for (let i = 0; i < 3; i++) price *= Math.exp(source.next());
    expect(price).to.be.closeTo(100 * Math.exp(-0.05), 1e-9);
    expect(thrownBy(() => source.next()).message).to.match(/has 3 returns: a replay cannot run tick 4/);
  });

  it("block-bootstraps: every tick a return of the data, in blocks of consecutive ones, each seed its own path, the same seed the same", () => {
    const draw = (seed: string, ticks: number) => {
      const source = blockBootstrap(returns, 10, createRng(seed));
      return Array.from({ length: ticks }, () => source.next());
    };
    const a = draw("1", 365);
    expect(draw("1", 365)).to.deep.equal(a);
    expect(draw("2", 365)).to.not.deep.equal(a);
    for (let b = 0; b + 10 <= a.length; b += 10) {
      const start = returns.indexOf(a[b]);
      expect(start, `block at ${b}`).to.be.at.least(0);
      for (let k = 1; k < 10; k++) expect(a[b + k]).to.equal(returns[(start + k) % returns.length]);
    }
    expect(thrownBy(() => blockBootstrap(returns, 0, createRng("x"))).code).to.equal("OPTION_INVALID");
  });

  it("keeps the data's fat tails and volatility clustering, which shuffling day by day destroys", () => {
    const data = returnDiagnostics(returns, 10, 0.05);
    expect(data.ljungBoxSquared.rejected).to.equal(true);
    const long = (source: { next(): number }) => Array.from({ length: 3650 }, () => source.next());
    const boot = long(blockBootstrap(returns, 10, createRng("tails")));
    const shuffled = long(blockBootstrap(returns, 1, createRng("tails")));
    const sq = (xs: number[]) => xs.map((x) => x * x);
    expect(ljungBox(sq(boot), 10, 0.05).rejected).to.equal(true);
    expect(ljungBox(sq(shuffled), 10, 0.05).rejected).to.equal(false);
    expect(Math.max(...boot.map(Math.abs))).to.be.at.most(Math.max(...returns.map(Math.abs)));
    expect(returnDiagnostics(boot, 10, 0.05).excessKurtosis).to.be.above(2);
  });
});

describe("withDrift (amm-bootstrap's drift)", () => {
  it("moves the data's log returns to GBM's median growth for the drift, keeping their spread", () => {
    const r = [0.05, -0.03, 0.02, -0.01, 0.04];
    const moved = withDrift(r, 0.5, 1 / 365);
    const dt = 1 / 365;
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const varYear = r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1) / dt;
    moved.forEach((m, i) => expect(m - moved[0]).to.be.closeTo(r[i] - r[0], 1e-15));
    expect(moved.reduce((a, b) => a + b, 0) / moved.length).to.be.closeTo((0.5 - varYear / 2) * dt, 1e-15);
  });
});
