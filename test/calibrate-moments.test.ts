import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { cliIn, fixture, readJson, useEnvironment } from "./helpers";
import { createRng } from "../src/model/rng";
import { meanWithSe } from "../src/search/moments";

/**
 * Calibration by simulated moments end to end (deliverable 7: "a netlist with a known behaviour
 * param is recovered by the moments fit"), on the testbed's `trades` netlist: 2 traders × 10 ticks,
 * each trading (a transaction) with probability p a tick, so `trades final` is Binomial(20, p). The
 * observed moment is the mean of 60 periods drawn from Binomial(20, 0.3), with its standard error;
 * the fit over p must cover 0.3 in its interval. Kept small: 4 seeds, at most 76 runs of 10 ticks (fewer: the search repeats points, run once).
 */
describe("sim-calibrate moments: a known trade probability recovered (testbed fixture project)", function () {
  this.timeout(300_000);
  const testbed = fixture("testbed");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-moments-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const truth = 0.3;
  const rng = createRng("observed trades");
  const periods = Array.from({ length: 60 }, () => Array.from({ length: 20 }, () => (rng.bool(truth) ? 1 : 0) as number).reduce((a, b) => a + b, 0));
  const { mean, se } = meanWithSe(periods);
  const moment = `trades final=${mean.toFixed(4)}±${se.toFixed(4)}`;

  describe("from code", function () {
    useEnvironment(testbed);

    it("recovers p within its interval, on the same seeds at every candidate, and flags nothing", async function () {
      const out = path.join(tmp, "code");
      const r = await this.hre.tokenspice.calibrateMoments("trades", { moments: [moment], over: ["tradeProbability"], replicates: 4, budget: 76, resamples: 499, searchSeed: 7, out });
      const p = r.params[0];
      expect(p.name).to.equal("tradeProbability");
      expect(p.interval.lower).to.be.at.most(truth);
      expect(p.interval.upper).to.be.at.least(truth);
      expect(p.interval.upper - p.interval.lower).to.be.lessThan(0.3);
      expect(p.identified).to.equal(true);
      expect(r.warnings).to.deep.equal([]);
      expect(r.runs).to.be.at.most(76);
      // common random numbers: every point ran the same 4 seeds
      const runs: { point: string; seed: number }[] = readJson(path.join(out, "search-runs.json"));
      const seedsByPoint = new Map<string, number[]>();
      for (const run of runs) seedsByPoint.set(run.point, [...(seedsByPoint.get(run.point) ?? []), run.seed]);
      expect(seedsByPoint.size).to.be.greaterThan(10);
      for (const seeds of seedsByPoint.values()) expect(seeds).to.deep.equal(r.seeds);
      expect(readJson(path.join(out, "search.json")).kind).to.equal("calibrate");
      expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).to.include("Moments at the fit");
    });
  });

  it("on the command line: reads a moments file, writes the calibration file with its source and the --params line, and warns of a param the moments do not identify", () => {
    const file = path.join(tmp, "calibration.json");
    const momentsFile = path.join(tmp, "moments.json");
    fs.writeFileSync(momentsFile, JSON.stringify({ moments: [{ metric: "trades final", observed: mean, se, source: "60 periods of Binomial(20, 0.3)" }] }));
    const args = ["sim-calibrate", "moments", "trades", "--no-compile", "--moments", momentsFile, "--over", "tradeProbability,tradeSize", "--replicates", "2", "--budget", "52", "--resamples", "199"];
    const r = cliIn(testbed, [...args, "--search-seed", "3", "--search-out", path.join(tmp, "cli"), "--out", file]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout).to.match(/Use it: --params tradeProbability=[0-9.]+,tradeSize=[0-9.]+/);
    expect(r.stderr).to.match(/Warning: tradeSize is not identified by the moments/);
    const c = readJson(file);
    expect(c).to.deep.include({ kind: "moments-calibration", netlist: "trades", searchSeed: 3, search: "cli" });
    expect(c.source.file).to.equal("moments.json");
    expect(c.source.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(c.moments[0]).to.deep.include({ metric: "trades final", source: "60 periods of Binomial(20, 0.3)" });
    expect(c.params.tradeSize).to.deep.include({ identified: false });
    expect(c.params.tradeSize.interval).to.deep.include({ lower: 0.5, upper: 5 });
  });
});
