import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { cliIn, fixture, readJson, useEnvironment } from "./helpers";

/**
 * sim-compare end to end through the real evaluator, on the testbed's design-fee netlist whose KPIs
 * are closed forms: volume = 1000·demand·e^(−fee/50)·(1 + noise·z), revenue = fee·volume, z drawn
 * from the run's seed; risk = (demand − 0.8)² does not depend on the fee.
 */
describe("sim-compare: design A against design B on common seeds (testbed fixture project)", function () {
  this.timeout(300_000);
  const testbed = fixture("testbed");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-compare-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe("from code", function () {
    useEnvironment(testbed);

    it("each pair's difference is the closed form's on its seed, the interval covers the true difference, and an untouched KPI has none", async function () {
      const r = await this.hre.tokenspice.compare("design-fee", {
        a: { fee: 20 },
        b: { fee: 50 },
        kpis: ["revenue final", "volume final", "risk final"],
        params: { noise: 0.4 },
        replicates: 12,
        seed: 5,
        out: path.join(tmp, "code"),
      });
      const f = (fee: number) => fee * Math.exp(-fee / 50); // revenue per 1000·(1 + 0.4z)
      const [revenue, volume, risk] = r.kpis;
      // the same z for A and B in a pair: B − A is (f(50) − f(20))/f(20) of A's revenue, on every seed
      const runs: { key: string; seed: number; replicate: number }[] = readJson(path.join(tmp, "code", "search-runs.json"));
      for (const pair of r.pairs) expect(runs.filter((x) => x.key === pair.a || x.key === pair.b).map((x) => x.seed)).to.deep.equal([pair.seed, pair.seed]);
      expect(new Set(r.pairs.map((p) => p.seed)).size).to.equal(12);
      const truth = 1000 * (f(50) - f(20));
      expect(revenue.t.lo).to.be.below(truth);
      expect(revenue.t.hi).to.be.above(truth);
      expect(revenue.meanB / revenue.meanA).to.be.closeTo(f(50) / f(20), 1e-9);
      expect(revenue.verdict).to.equal("B higher");
      expect(volume.verdict).to.equal("B lower");
      expect(risk.verdict).to.equal("no detectable difference at this n");
      expect(risk.t).to.deep.include({ mean: 0, lo: 0, hi: 0, p: 1 });
      const search = readJson(path.join(tmp, "code", "search.json"));
      expect(search.kind).to.equal("compare");
      const html = fs.readFileSync(path.join(tmp, "code", "report.html"), "utf8");
      expect(html).to.include("Which differences are real");
      expect(html).to.include("Holm-corrected over the 3 KPIs");
      expect(fs.existsSync(path.join(tmp, "code", "plots", "difference-1.svg"))).to.equal(true);
    });
  });

  it("on the command line: --a and --b as k=v, --kpi joined with ';', exit 0 whatever the verdict; a missing --b is refused", () => {
    const out = path.join(tmp, "cli");
    const r = cliIn(testbed, [
      "sim-compare",
      "design-fee",
      "--a",
      "fee=20",
      "--b",
      "fee=50",
      "--kpi",
      "revenue final;risk final",
      "--params",
      "noise=0.4",
      "--replicates",
      "6",
      "--search-seed",
      "2",
      "--out",
      out,
      "--no-compile",
    ]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout).to.match(/A \{"fee":20\} against B \{"fee":50\}: 6 pairs, each on one seed for both/);
    expect(r.stdout).to.match(/revenue final: B − A = [\d,.]+, 95% interval \[[\d,.]+, [\d,.]+\] \(t test p [\d.<]+, Holm [\d.<]+\): B HIGHER/);
    expect(r.stdout).to.match(/risk final: B − A = 0, .*NO DETECTABLE DIFFERENCE AT THIS N/);
    expect(readJson(path.join(out, "search.json")).result.kpis).to.have.length(2);
    const missing = cliIn(testbed, ["sim-compare", "design-fee", "--a", "fee=20", "--out", path.join(tmp, "missing"), "--no-compile"]);
    // Hardhat 2 requires it itself (HH306, exit 1); Hardhat 3's options cannot be required, so the command says it (exit 2)
    expect(missing.status).to.not.equal(0);
    expect(missing.stderr).to.match(/'--b' parameter of task 'sim-compare' expects a value|sim-compare needs --a and --b/);
    expect(fs.existsSync(path.join(tmp, "missing"))).to.equal(false);
  });
});
