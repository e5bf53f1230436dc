import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { cliIn, errorOf, fixture, readJson, useEnvironment } from "./helpers";
import { param } from "../src/api";
import designFee from "./fixture-projects/testbed/sims/design-fee";

describe("the design loop: verify, worst case, corners, optimize (testbed fixture project)", function () {
  this.timeout(300_000);
  useEnvironment(fixture("testbed"));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-design-"));
  const out = (n: string) => path.join(tmp, n);
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("verify: a yield fixed at 99% by construction passes a 95% target, and its interval covers the truth", async function () {
    const r = await this.hre.tokenspice.verify("design-yield", { spec: "ok final >= 1", target: 0.95, confidence: 0.95, maxRuns: 1000, batch: 100, seed: 4, out: out("verify") });
    expect(r.verdict).to.equal("pass");
    expect(r.yield.lo).to.be.at.least(0.95);
    expect(r.yield.lo).to.be.at.most(0.99);
    expect(r.yield.hi).to.be.at.least(0.99);
    expect(r.failures.length).to.equal(r.yield.n - r.yield.k);
    for (const f of r.failures) expect(f.command).to.match(/^npx hardhat sim design-yield --seed \d+ --steps 1 --params failure=0\.01$/);
    // stopped as soon as the interval decided: the batch before had not
    const before = r.batches.at(-2);
    if (before) expect(before.lo).to.be.below(0.95);
    // resumed from the same folder: the same runs read back, none run again; a lost run is run
    // again, and so is one whose folder holds a run of another seed (written by an older search)
    const [lost, stale] = [7, 9].map((i) => readJson(path.join(out("verify"), "search-runs.json"))[i]);
    fs.rmSync(path.join(out("verify"), lost.dir), { recursive: true });
    const staleManifest = path.join(out("verify"), stale.dir, "manifest.json");
    fs.writeFileSync(staleManifest, JSON.stringify({ ...readJson(staleManifest), seed: stale.seed + 1 }));
    const started: string[] = [];
    const again = await this.hre.tokenspice.verify("design-yield", {
      spec: "ok final >= 1",
      target: 0.95,
      maxRuns: 1000,
      batch: 100,
      seed: 4,
      out: out("verify"),
      events: { onStart: (key) => started.push(key) },
    });
    expect(again.yield).to.deep.equal(r.yield);
    expect(started).to.deep.equal([lost.key, stale.key]);
    expect(readJson(staleManifest).seed).to.equal(stale.seed);
  });

  it("verify fails a target the yield cannot reach", async function () {
    const r = await this.hre.tokenspice.verify("design-yield", { spec: "ok final >= 1", target: 0.9, params: { failure: 0.3 }, maxRuns: 500, batch: 50, seed: 5, out: out("verify-fail") });
    expect(r.verdict).to.equal("fail");
    expect(r.yield.hi).to.be.below(0.9);
    expect(r.yield.lo).to.be.below(0.7); // the truth, 0.7, inside the interval
    expect(r.yield.hi).to.be.above(0.7);
    expect(r.failures[0].reason).to.equal("does not meet ok final >= 1");
  });

  it("verify with compareCorners: says how well the corners predicted the Monte Carlo, against the analytic answer", async function () {
    // volume = 1000 · demand · e^(−30/50) ≥ 300 fails below demand 0.5466, which normal(1, 0.2) on
    // [0.5, 1.5] draws with probability 0.0056; the least demand, 0.5, misses by 25.59.
    const corners = [
      { name: "nominal", params: { demand: 1 } },
      { name: "low demand", params: { demand: 0.5 }, from: "volume final" },
      { name: "mild", params: { demand: 0.9 }, from: "a corner that bounds nothing" },
    ];
    const r = await this.hre.tokenspice.verify("design-fee", {
      spec: "volume final >= 300",
      target: 0.9,
      maxRuns: 300,
      batch: 300,
      compareCorners: corners,
      seedsPerCorner: 2,
      seed: 6,
      out: out("verify-corners"),
    });
    const check = r.cornerCheck!;
    expect(check.corners.map((c) => [c.name, c.k, c.n])).to.deep.equal([
      ["nominal", 2, 2],
      ["low demand", 0, 2],
      ["mild", 2, 2],
    ]);
    expect(check.corners[1].margins[0].worst).to.be.closeTo(1000 * 0.5 * Math.exp(-0.6) - 300, 1e-9);
    expect(check.predicted).to.equal("fail"); // the low-demand corner breaks the spec
    // no Monte Carlo run is worse than the least demand: those corners bound the worst case
    expect(check.missed).to.deep.equal([{ spec: "volume final >= 300", worstCorner: check.corners[1].margins[0].worst, runs: 0, of: r.yield.n }]);

    // Without the low-demand corner, the corners predict a pass and miss the runs below demand 0.9:
    // P(demand < 0.9) = (Φ(−0.5) − Φ(−2.5)) / (Φ(2.5) − Φ(−2.5)) = 0.306 (3 sd of 300 draws: ±0.08)
    const mild = await this.hre.tokenspice.verify("design-fee", {
      spec: "volume final >= 300",
      target: 0.9,
      maxRuns: 300,
      batch: 300,
      compareCorners: [corners[0], corners[2]],
      seedsPerCorner: 2,
      seed: 6,
      out: out("verify-corners"),
    });
    expect(mild.cornerCheck!.predicted).to.equal("pass");
    expect(mild.cornerCheck!.missed[0].runs / mild.cornerCheck!.missed[0].of).to.be.closeTo(0.306, 0.08);
    expect(mild.yield).to.deep.equal(r.yield); // the same Monte Carlo, read back from the folder
    const e = await this.hre.tokenspice.verify("design-fee", { spec: "volume final >= 300", corners, compareCorners: corners, seed: 6 }).catch((error: Error) => error);
    expect((e as Error).message).to.match(/not both/);
  });

  it("verify --method importance: a 4-sigma failure of a normal uncontrollable through the real evaluator, its interval covering the closed form", async function () {
    // At fee 0 and no noise, volume = 1000 · demand, demand the inverse CDF of normal(1, 0.2) on
    // [0.5, 1.5] at u = Φ(z). "volume final >= 1000·d4", d4 the demand at u = Φ(−4), fails exactly
    // when z < −4: P = Φ(−4) = 3.167e-5, which plain Monte Carlo would need ~10^6 runs to see well.
    const { fromUnit } = await import("../src/campaign/axes");
    const normalCdf = (await import("@stdlib/stats-base-dists-normal-cdf")).default;
    const truth = normalCdf(-4, 0, 1);
    const d4 = fromUnit({ type: "float", default: 1, min: 0.5, max: 1.5, dist: { type: "normal", mean: 1, sd: 0.2 } } as never, truth) as number;
    const r = await this.hre.tokenspice.verify("design-fee", {
      spec: `volume final >= ${1000 * d4}`,
      method: "importance",
      params: { fee: 0, noise: 0 },
      target: 0.999,
      maxRuns: 600,
      batch: 100,
      seed: 1,
      out: out("verify-importance"),
    });
    const imp = r.importance!;
    // the chain gave the limit state the pure estimator sees on z < −4: the same runs, the same estimate
    const { importanceSampling } = await import("../src/search/importance");
    const pure = await importanceSampling((zs) => zs.map((z) => ({ fail: z[0] < -4, margin: z[0] + 4 })), { dims: 1, maxRuns: 600, batch: 100, seed: 1, limit: 0.001 });
    expect(imp.runs).to.equal(pure.runs);
    expect(imp.p).to.be.closeTo(pure.p, 1e-9 * pure.p);
    expect(imp.runs).to.be.at.most(600);
    expect(imp.lo).to.be.at.most(truth);
    expect(imp.hi).to.be.at.least(truth);
    expect(imp.problems).to.deep.equal([]);
    expect(r.verdict).to.equal("pass"); // 3.2e-5 is well under 1 − 0.999
    expect(imp.samples.filter((s) => s.fail).every((s) => s.z[0] < -4)).to.equal(true);
    const search = readJson(path.join(out("verify-importance"), "search.json"));
    expect(search.result.importance.samples.length).to.equal(imp.runs);
    expect(fs.readFileSync(path.join(out("verify-importance"), "report.html"), "utf8")).to.contain("Importance sampling");
  });

  it("a search with one seed gives the same result and files with 1 worker and with 2 worker processes", async function () {
    const options = { objective: "risk final", seedsPerPoint: 2, budget: 40, seed: 9, outputs: true };
    const one = await this.hre.tokenspice.worstCase("design-fee", { ...options, workers: 1, out: out("det-1") });
    const two = await this.hre.tokenspice.worstCase("design-fee", { ...options, workers: 2, out: out("det-2") });
    expect(two).to.deep.equal(one);
    for (const file of ["search.json", "search-runs.json", "runs.csv", "bands.csv", "points.csv"]) {
      expect(fs.readFileSync(path.join(out("det-2"), file)).equals(fs.readFileSync(path.join(out("det-1"), file))), file).to.equal(true);
    }
  });

  it("worst case: finds the uncontrollable's worst value (risk least at demand 0.8)", async function () {
    const r = await this.hre.tokenspice.worstCase("design-fee", { objective: "risk final", worst: "min", seedsPerPoint: 1, budget: 60, seed: 1, out: out("worst") });
    expect(r.point.demand).to.be.closeTo(0.8, 0.01);
    expect(r.objective.mean).to.be.below(1e-4);
    expect(r.trace.at(-1)!.best).to.be.closeTo(r.objective.mean, 1e-9);
    expect(r.command).to.match(/^npx hardhat sim design-fee --seed \d+ --steps 1 --params fee=30,demand=0\.[0-9]+,noise=0$/);
    expect(readJson(path.join(out("worst"), "search.json")).kind).to.equal("worst-case");
  });

  it("corners, then optimize: the best fee on every corner, against a dense grid", async function () {
    const cs = await this.hre.tokenspice.corners("design-fee", {
      specs: [{ name: "low demand", objective: "volume final", worst: "min" }],
      seedsPerPoint: 1,
      budget: 60,
      seed: 2,
      out: out("corners"),
    });
    expect(cs.map((c) => c.name)).to.deep.equal(["nominal", "low demand"]);
    expect(cs[1].params.demand).to.be.closeTo(0.5, 0.01); // least volume at the least demand
    expect(readJson(path.join(out("corners"), "corners.json")).corners).to.have.length(2);

    const unconstrained = await this.hre.tokenspice.optimize("design-fee", { objective: "revenue final", over: ["fee"], runsPerCandidate: 1, budget: 80, seed: 3, out: out("opt") });
    expect(unconstrained.design.fee).to.equal(50); // d/dfee fee·e^(−fee/50) = 0 at 50
    const constrained = await this.hre.tokenspice.optimize("design-fee", {
      objective: "revenue final",
      constraints: ["volume final >= 300"],
      over: ["fee"],
      corners: cs,
      runsPerCandidate: 1,
      budget: 120,
      seed: 3,
      out: out("opt-constrained"),
    });
    // the dense grid: every integer fee, at both corners
    const volume = (fee: number, demand: number) => 1000 * demand * Math.exp(-fee / 50);
    const feasible = Array.from({ length: 101 }, (_, fee) => fee).filter((fee) => cs.every((c) => volume(fee, c.params.demand as number) >= 300));
    const best = feasible.reduce((a, b) => (b * (volume(b, 1) + volume(b, cs[1].params.demand as number)) > a * (volume(a, 1) + volume(a, cs[1].params.demand as number)) ? b : a));
    expect(constrained.design.fee).to.equal(best);
    expect(constrained.feasible).to.equal(true);
    const tight = constrained.margins.find((m) => m.corner === "low demand")!;
    expect(tight.met).to.equal(true);
    expect(tight.margin).to.be.below(10); // the constraint binds at the low-demand corner
    expect(constrained.runs).to.be.at.most(120);
    const last = constrained.trace.at(-1)!;
    expect([last.evaluations, last.best, last.feasible]).to.deep.equal([constrained.runs, constrained.objective, true]);
    // the same fixture with a continuous fee: the optimum is where volume meets 300 at the low-demand
    // corner, fee = 50·ln(1000·demand/300) ≈ 25.5; within 1% at 120 runs (the search's own trace ends on it)
    const continuous = { ...designFee, params: { ...designFee.params, fee: param.float({ default: 30, min: 0, max: 100, kind: "controllable" }) } };
    const c = await this.hre.tokenspice.optimize(continuous, {
      objective: "revenue final",
      constraints: ["volume final >= 300"],
      over: ["fee"],
      corners: cs,
      replicates: 1,
      budget: 120,
      seed: 3,
      out: out("opt-continuous"),
    });
    const optimum = 50 * Math.log((1000 * (cs[1].params.demand as number)) / 300);
    expect(c.feasible).to.equal(true);
    expect(Math.abs((c.design.fee as number) - optimum) / optimum).to.be.below(0.01);
    expect(c.runs).to.be.at.most(120);
    expect([c.trace.at(-1)!.evaluations, c.trace.at(-1)!.best]).to.deep.equal([c.runs, c.objective]);
  });
});

describe("worst case and optimize on common random numbers (testbed fixture project)", function () {
  this.timeout(300_000);
  useEnvironment(fixture("testbed"));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-crn-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("runs every candidate on the same seeds at a corner, so seeded noise cannot pick the design", async function () {
    // revenue = fee·e^(−fee/50)·1000·(1 + 0.4·z): with z drawn per seed, a seed per design would rank
    // the fees by their luck (±40%); with the same z for every fee the factor is common and 50 wins.
    const cs = [
      { name: "nominal", params: { demand: 1 } },
      { name: "low", params: { demand: 0.5 } },
    ];
    const r = await this.hre.tokenspice.optimize("design-fee", {
      objective: "revenue final",
      over: ["fee"],
      params: { noise: 0.4 },
      corners: cs,
      runsPerCandidate: 2,
      budget: 200,
      seed: 6,
      out: path.join(tmp, "opt"),
    });
    expect(r.design.fee).to.equal(50);
    const runs: { seed: number; replicate: number; params: Record<string, number> }[] = readJson(path.join(tmp, "opt", "search-runs.json"));
    const fees = new Set(runs.map((x) => x.params.fee));
    expect(fees.size).to.be.greaterThan(5);
    for (const demand of [1, 0.5]) {
      for (const replicate of [0, 1]) {
        const seeds = new Set(runs.filter((x) => x.params.demand === demand && x.replicate === replicate).map((x) => x.seed));
        expect(seeds.size, `demand ${demand}, replicate ${replicate}`).to.equal(1);
      }
    }
    // and the corners' seeds differ: they are different draws of the world
    expect(new Set(runs.map((x) => x.seed)).size).to.equal(4);
  });

  it("refuses a budget too small for the search before any run, in runs", async function () {
    // 2 params: a DE population of 10 and 4 for the refinement, 14 points; at 2 seeds a point, 28 runs
    const e = (await errorOf(() =>
      this.hre.tokenspice.worstCase("design-fee", { objective: "volume final", over: ["demand", "noise"], seedsPerPoint: 2, budget: 27, seed: 1, out: path.join(tmp, "small") }),
    )) as Error & { code?: string };
    expect(e.message).to.match(/budget of 27 runs at 2 runs a point \(seedsPerPoint\) is 13 points; searching 2 params takes at least 14 .* at least 28 runs/);
    expect(fs.existsSync(path.join(tmp, "small", "search-runs.json"))).to.equal(false);
    const cs = [
      { name: "a", params: { demand: 1 } },
      { name: "b", params: { demand: 0.5 } },
    ];
    const o = await errorOf(() =>
      this.hre.tokenspice.optimize("design-fee", { objective: "revenue final", over: ["fee"], corners: cs, runsPerCandidate: 2, budget: 40, seed: 1, out: path.join(tmp, "small-opt") }),
    );
    expect(o.message).to.match(/optimize: a budget of 40 runs at 4 runs a point \(runsPerCandidate × 2 corners\) is 10 points; searching 1 param takes at least 11 .* at least 44 runs/);
  });

  it("worst case: every point on the same seeds, so the least volume is found at the least demand despite ±40% noise", async function () {
    // volume = 1000·demand·e^(−fee/50)·(1 + 0.4·z): the same z at every demand leaves demand 0.5 the worst
    const r = await this.hre.tokenspice.worstCase("design-fee", {
      objective: "volume final",
      worst: "min",
      params: { noise: 0.4 },
      seedsPerPoint: 2,
      budget: 80,
      seed: 7,
      out: path.join(tmp, "worst"),
    });
    expect(r.point.demand).to.be.closeTo(0.5, 0.01);
    const runs: { seed: number; replicate: number }[] = readJson(path.join(tmp, "worst", "search-runs.json"));
    expect(new Set(runs.map((x) => x.seed)).size).to.equal(2);
  });
});

describe("the design loop on the command line: sim-verify, sim-corners, sim-optimize", function () {
  this.timeout(300_000);
  const testbed = fixture("testbed");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-design-cli-"));
  const out = (n: string) => path.join(tmp, n);
  const cli = (args: string[]) => cliIn(testbed, [...args, "--no-compile"]);
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("sim-corners takes --objective repeated and writes one corner per objective, plus nominal", () => {
    const r = cli([
      "sim-corners",
      "design-fee",
      "--objective",
      "volume final min",
      "--objective",
      "revenue final max",
      "--search-seed",
      "3",
      "--budget",
      "40",
      "--replicates",
      "1",
      "--out",
      out("corners"),
    ]);
    expect(r.status, r.output).to.equal(0);
    const corners = readJson(path.join(out("corners"), "corners.json")).corners;
    expect(corners.map((c: { name: string }) => c.name)).to.deep.equal(["nominal", "volume final min", "revenue final max"]);
    expect(corners[1].params.demand).to.be.closeTo(0.5, 0.02);
    expect(corners[2].params.demand).to.be.closeTo(1.5, 0.02);
  });

  it("sim-optimize meets --constraint at every corner of the file, and exits 1 when nothing can", () => {
    const ok = cli([
      "sim-optimize",
      "design-fee",
      "--objective",
      "revenue final",
      "--constraint",
      "volume final >= 300",
      "--corners",
      path.join(out("corners"), "corners.json"),
      "--over",
      "fee",
      "--replicates",
      "1",
      "--budget",
      "80",
      "--search-seed",
      "4",
      "--out",
      out("opt"),
    ]);
    expect(ok.status, ok.output).to.equal(0);
    // volume ≥ 300 at demand 0.5: fee ≤ 50·ln(500/300) ≈ 25.5, and revenue rises with fee below 50
    expect(ok.stdout).to.match(/Best design: \{"fee":25\}/);
    expect(ok.stdout.match(/ met$/gm)).to.have.length(3);

    const none = cli([
      "sim-optimize",
      "design-fee",
      "--objective",
      "revenue final",
      "--constraint",
      "volume final >= 5000",
      "--over",
      "fee",
      "--runs-per-candidate",
      "1",
      "--budget",
      "20",
      "--seed",
      "4",
      "--out",
      out("opt-none"),
    ]);
    expect(none.status, none.output).to.equal(1);
    expect(none.stderr).to.match(/No design found meets every constraint at every corner/);
  });

  it("sim-verify: exit 1 when the yield is not shown (the same with the specs joined by ';' in one flag), 2 without a spec", () => {
    const verify = (specs: string[], dir: string) => cli(["sim-verify", "design-fee", ...specs, "--search-seed", "5", "--max-runs", "40", "--batch", "40", "--out", out(dir)]);
    const r = verify(["--spec", "volume final >= 300", "--spec", "revenue final > 0"], "verify");
    expect(r.status, r.output).to.equal(1);
    expect(r.stdout).to.match(/of 40 runs met it; yield /);
    expect(r.stderr).to.match(/The yield was not shown to reach 0\.9973/);
    // The one-flag form Hardhat 3 also accepts: the same specs, runs and verdict.
    const one = verify(["--spec", "volume final >= 300; revenue final > 0"], "verify-one");
    expect(one.status, one.output).to.equal(1);
    expect(one.stdout.split(out("verify-one")).join("<out>")).to.equal(r.stdout.split(out("verify")).join("<out>"));
    expect(readJson(path.join(out("verify-one"), "search.json")).result).to.deep.equal(readJson(path.join(out("verify"), "search.json")).result);
    const bad = cli(["sim-verify", "design-fee", "--out", out("verify-bad")]);
    expect(bad.status, bad.output).to.equal(2);
    expect(bad.stderr).to.match(/sim-verify needs --spec/);
  });

  it("refuses zero, negative and fractional counts before anything runs, naming the flag and the range (F20)", () => {
    // the deprecated names (--seeds-per-point, --runs-per-candidate, --seeds-per-corner, --seed) still work, with a warning each
    for (const [name, args, flag] of [
      ["wc-replicates0", ["sim-worst-case", "design-fee", "--objective", "volume final", "--replicates", "0", "--budget", "30"], '--replicates "0"'],
      ["wc-seeds0", ["sim-worst-case", "design-fee", "--objective", "volume final", "--seeds-per-point", "0", "--budget", "30"], '--seeds-per-point "0"'],
      ["opt-cand-neg", ["sim-optimize", "design-fee", "--objective", "revenue final", "--runs-per-candidate", "-2", "--budget", "30"], '--runs-per-candidate "-2"'],
      ["ver-corner-frac", ["sim-verify", "design-fee", "--spec", "volume final >= 300", "--seeds-per-corner", "1.5"], '--seeds-per-corner "1.5"'],
    ] as const) {
      const r = cli([...args, "--seed", "1", "--out", out(name)]);
      expect(r.status, r.output).to.equal(2);
      expect(r.stderr).to.match(new RegExp(`Error in plugin hardhat-tokenspice: ${flag.replace(/[.]/g, "\\.")} is not valid: use a whole number, 1 or more\\.`));
      expect(r.stderr).to.contain("Warning: --seed is deprecated: use --search-seed (same meaning).");
      if (!flag.startsWith("--replicates")) expect(r.stderr).to.contain(`Warning: ${flag.split(" ")[0]} is deprecated: use --replicates (same meaning).`);
      expect(fs.existsSync(out(name)), `${name}: no folder`).to.equal(false);
    }
  });

  it("a search's folder holds its report (with the command) and its runs' store; sim-report rebuilds both from the files", () => {
    const dir = out("verify-corners");
    const r = cli([
      "sim-verify",
      "design-fee",
      "--spec",
      "volume final >= 300",
      "--target",
      "0.9",
      "--seed",
      "5",
      "--max-runs",
      "40",
      "--batch",
      "40",
      "--compare-corners",
      path.join(out("corners"), "corners.json"),
      "--seeds-per-corner",
      "2",
      "--out",
      dir,
    ]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout).to.match(/Corners \(2 seeds each\) predicted FAIL: nominal 2\/2, volume final min 0\/2, revenue final max 2\/2/);
    expect(r.stdout).to.match(/volume final >= 300: 0 of 40 Monte Carlo runs were worse than the worst corner/);
    expect(r.stdout).to.contain(`Files in ${dir}`);
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    expect(html).to.contain("Corners against the Monte Carlo");
    expect(html).to.contain("npx hardhat sim-verify design-fee --spec &#39;volume final &gt;= 300&#39;");
    expect(fs.existsSync(path.join(dir, "plots", "yield.svg"))).to.equal(true);
    // the store: one row per run (40 Monte Carlo draws, 3 corners × 2 seeds)
    const runsCsv = fs.readFileSync(path.join(dir, "runs.csv"), "utf8").trim().split("\n");
    expect(runsCsv).to.have.length(1 + 40 + 6);
    expect(fs.existsSync(path.join(dir, "campaign.duckdb"))).to.equal(true);

    const before = fs.readFileSync(path.join(dir, "runs.csv"));
    fs.rmSync(path.join(dir, "report.html"));
    fs.rmSync(path.join(dir, "runs.csv"));
    const again = cliIn(testbed, ["sim-report", dir]);
    expect(again.status, again.output).to.equal(0);
    expect(again.stdout).to.match(/Search: verify of design-fee/);
    expect(fs.readFileSync(path.join(dir, "runs.csv")).equals(before)).to.equal(true);
    expect(fs.readFileSync(path.join(dir, "report.html"), "utf8")).to.equal(html);
  });
});
