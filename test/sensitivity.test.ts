import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { cliIn, fixture, readJson } from "./helpers";
import { sobolAnalyze } from "../src/search/sensitivity-indices";

/**
 * sim-sensitivity end to end on Hardhat 2: the testbed's `ishigami` netlist computes Ishigami's
 * function of its three uncontrollables as its KPI, so the real evaluator's runs must give the
 * indices the numeric core gives on the function itself (same search seed: same design, same
 * bootstrap), and the known indices must lie inside the intervals.
 */
describe("sim-sensitivity on the command line (testbed fixture project, Ishigami's function as a KPI)", function () {
  this.timeout(300_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-sensitivity-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("ranks x1, x2, x3 by ST with intervals around the known indices, the numbers the core gives on the function, and a report with the bar chart", () => {
    const out = path.join(tmp, "ishigami");
    const r = cliIn(fixture("testbed"), ["sim-sensitivity", "ishigami", "--objective", "y final", "--samples", "128", "--search-seed", "11", "--out", out, "--no-compile"]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout).to.contain("Sensitivity (sobol, N = 128 base samples, 640 runs; 95% bootstrap intervals, 1000 resamples):");

    const search = readJson(path.join(out, "search.json"));
    expect(search.kind).to.equal("sensitivity");
    expect(search.seed).to.equal(11);
    expect(search.command).to.contain("sim-sensitivity ishigami");
    const result = search.result;
    expect(result).to.include({ method: "sobol", samples: 128, replicates: 1, runs: 640 });
    expect(result.bootstrap).to.deep.equal({ resamples: 1000, confidence: 0.95, seed: 11 });
    expect(result.over.map((p: { param: string }) => p.param)).to.deep.equal(["x1", "x2", "x3"]);
    expect(readJson(path.join(out, "search-runs.json")).length).to.equal(640);

    const ishigami = (u: number[]) => {
      const [x1, x2, x3] = u.map((v) => -Math.PI + v * (2 * Math.PI));
      return Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);
    };
    const core = sobolAnalyze(ishigami, ["x1", "x2", "x3"], { samples: 128, seed: 11 });
    const truth: Record<string, { S1: number; ST: number }> = { x1: { S1: 0.3139, ST: 0.5576 }, x2: { S1: 0.4424, ST: 0.4424 }, x3: { S1: 0, ST: 0.2437 } };
    const rows = result.outputs[0].sobol.indices as { param: string; S1: { value: number; lo: number; hi: number }; ST: { value: number; lo: number; hi: number } }[];
    expect(rows.map((x) => x.ST.value)).to.deep.equal([...rows.map((x) => x.ST.value)].sort((a, b) => b - a));
    for (const row of rows) {
      const c = core.indices.find((x) => x.param === row.param)!;
      for (const k of ["S1", "ST"] as const) {
        expect(row[k].value, `${row.param} ${k}`).to.be.closeTo(c[k].value, 1e-9);
        expect(row[k].lo, `${row.param} ${k} lo`).to.be.closeTo(c[k].lo, 1e-9);
        expect(truth[row.param][k], `${row.param} ${k} in its interval`).to.be.within(row[k].lo, row[k].hi);
      }
      expect(r.stdout).to.match(new RegExp(`\\n  ${row.param}\\s+${row.S1.value.toFixed(3)} \\[`));
    }

    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).to.contain('id="chart-sensitivity-1"');
    expect(html).to.contain("y final: ranked by ST");
    expect(fs.existsSync(path.join(out, "plots", "sensitivity-1.svg"))).to.equal(true);
  });
});
