import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { cliIn, fixture, readJson, useEnvironment } from "./helpers";

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
    // resumed from the same folder: the same runs read back, none run again; a lost run is run again
    const lost = readJson(path.join(out("verify"), "search-runs.json"))[7];
    fs.rmSync(path.join(out("verify"), lost.dir), { recursive: true });
    const started: string[] = [];
    const again = await this.hre.tokenspice.verify("design-yield", { spec: "ok final >= 1", target: 0.95, maxRuns: 1000, batch: 100, seed: 4, out: out("verify"), events: { onStart: (key) => started.push(key) } });
    expect(again.yield).to.deep.equal(r.yield);
    expect(started).to.deep.equal([lost.key]);
  });

  it("verify fails a target the yield cannot reach", async function () {
    const r = await this.hre.tokenspice.verify("design-yield", { spec: "ok final >= 1", target: 0.9, params: { failure: 0.3 }, maxRuns: 500, batch: 50, seed: 5, out: out("verify-fail") });
    expect(r.verdict).to.equal("fail");
    expect(r.yield.hi).to.be.below(0.9);
    expect(r.yield.lo).to.be.below(0.7); // the truth, 0.7, inside the interval
    expect(r.yield.hi).to.be.above(0.7);
    expect(r.failures[0].reason).to.equal("does not meet ok final >= 1");
  });

  it("worst case: finds the uncontrollable's worst value (risk least at demand 0.8)", async function () {
    const r = await this.hre.tokenspice.worstCase("design-fee", { objective: "risk final", worst: "min", seedsPerPoint: 1, budget: 60, seed: 1, out: out("worst") });
    expect(r.point.demand as number).to.be.closeTo(0.8, 0.01);
    expect(r.objective.mean).to.be.below(1e-4);
    expect(r.trace.at(-1)!.best).to.be.closeTo(r.objective.mean, 1e-9);
    expect(r.command).to.match(/^npx hardhat sim design-fee --seed \d+ --steps 1 --params fee=30,demand=0\.[0-9]+,noise=0$/);
    expect(readJson(path.join(out("worst"), "search.json")).kind).to.equal("worst-case");
  });

  it("corners, then optimize: the best fee on every corner, against a dense grid", async function () {
    const cs = await this.hre.tokenspice.corners("design-fee", { specs: [{ name: "low demand", objective: "volume final", worst: "min" }], seedsPerPoint: 1, budget: 60, seed: 2, out: out("corners") });
    expect(cs.map((c) => c.name)).to.deep.equal(["nominal", "low demand"]);
    expect(cs[1].params.demand as number).to.be.closeTo(0.5, 0.01); // least volume at the least demand
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
    const r = cli(["sim-corners", "design-fee", "--objective", "volume final min", "--objective", "revenue final max", "--seed", "3", "--budget", "40", "--seeds-per-point", "1", "--out", out("corners")]);
    expect(r.status, r.output).to.equal(0);
    const corners = readJson(path.join(out("corners"), "corners.json")).corners;
    expect(corners.map((c: { name: string }) => c.name)).to.deep.equal(["nominal", "volume final min", "revenue final max"]);
    expect(corners[1].params.demand).to.be.closeTo(0.5, 0.02);
    expect(corners[2].params.demand).to.be.closeTo(1.5, 0.02);
  });

  it("sim-optimize meets --constraint at every corner of the file, and exits 1 when nothing can", () => {
    const ok = cli(["sim-optimize", "design-fee", "--objective", "revenue final", "--constraint", "volume final >= 300", "--corners", path.join(out("corners"), "corners.json"), "--over", "fee", "--runs-per-candidate", "1", "--budget", "80", "--seed", "4", "--out", out("opt")]);
    expect(ok.status, ok.output).to.equal(0);
    // volume ≥ 300 at demand 0.5: fee ≤ 50·ln(500/300) ≈ 25.5, and revenue rises with fee below 50
    expect(ok.stdout).to.match(/Best design: \{"fee":25\}/);
    expect(ok.stdout.match(/ met$/gm)).to.have.length(3);

    const none = cli(["sim-optimize", "design-fee", "--objective", "revenue final", "--constraint", "volume final >= 5000", "--over", "fee", "--runs-per-candidate", "1", "--budget", "20", "--seed", "4", "--out", out("opt-none")]);
    expect(none.status, none.output).to.equal(1);
    expect(none.stderr).to.match(/No design found meets every constraint at every corner/);
  });

  it("sim-verify: exit 1 when the yield is not shown, 2 without a spec", () => {
    const r = cli(["sim-verify", "design-fee", "--spec", "volume final >= 300", "--spec", "revenue final > 0", "--seed", "5", "--max-runs", "40", "--batch", "40", "--out", out("verify")]);
    expect(r.status, r.output).to.equal(1);
    expect(r.stdout).to.match(/of 40 runs met it; yield /);
    expect(r.stderr).to.match(/The yield was not shown to reach 0\.9973/);
    const bad = cli(["sim-verify", "design-fee", "--out", out("verify-bad")]);
    expect(bad.status, bad.output).to.equal(2);
    expect(bad.stderr).to.match(/sim-verify needs --spec/);
  });
});
