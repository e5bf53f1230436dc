import { expect } from "chai";
import {
  gaussNewtonStep,
  identification,
  meanWithSe,
  momentWeights,
  momentsObjective,
  overidentification,
  parseMoment,
  seedBootstrap,
  symmetricEigen,
  type FittedParam,
} from "../../src/search/moments";
import { calibrateMoments } from "../../src/search/calibrate";
import { createRng } from "../../src/model/rng";
import { param } from "../../src/api";
import { TokenspiceError } from "../../src/errors";
import { fakeEvaluator } from "./fake-evaluator";
import fs from "fs";
import os from "os";
import path from "path";
import { readMomentsFile } from "../../src/search/moments-file";
import { calibrateTask } from "../../src/cli/calibrate";
import type { CliContext } from "../../src/cli/context";

// The method of simulated moments' numeric core on analytic functions (no chain): the moment
// texts, the weighting, the objective, the linear algebra, the identification check, the seed
// bootstrap's coverage, and the search on a stand-in evaluator.

const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof TokenspiceError ? error.code : "other";
  }
  return "none";
};

describe("simulated moments: the numeric core", () => {
  it("reads a moment as <kpi> <stat>=<observed>[±<se>], and refuses other forms", () => {
    expect(parseMoment("trades final=6.1±0.2")).to.deep.equal({ metric: "trades final", observed: 6.1, se: 0.2 });
    expect(parseMoment(' "LP value" mean = -3e2 +- 1.5e1 ')).to.deep.equal({ metric: '"LP value" mean', observed: -300, se: 15 });
    expect(parseMoment("volume mean=12")).to.deep.equal({ metric: "volume mean", observed: 12 });
    expect(code(() => parseMoment("trades=6"))).to.equal("OPTION_INVALID"); // no stat
    expect(code(() => parseMoment("trades final=six"))).to.equal("OPTION_INVALID");
    expect(code(() => parseMoment("trades final=6±0"))).to.equal("OPTION_INVALID");
  });

  it("weights by inverse variance (an se is needed) or relative to the observed value", () => {
    const ms = [
      { metric: "a final", observed: 10, se: 2 },
      { metric: "b final", observed: -4, se: 0.5 },
    ];
    expect(momentWeights(ms, "inverse-variance")).to.deep.equal([0.25, 4]);
    expect(momentWeights(ms, "relative")).to.deep.equal([0.01, 1 / 16]);
    expect(code(() => momentWeights([{ metric: "a final", observed: 1 }], "inverse-variance"))).to.equal("OPTION_INVALID");
    expect(code(() => momentWeights([{ metric: "a final", observed: 0 }], "relative"))).to.equal("OPTION_INVALID");
    expect(code(() => momentWeights(ms, "identity" as never))).to.equal("OPTION_INVALID");
    expect(momentsObjective([10, -4], [12, -4.5], [0.25, 4])).to.be.closeTo(0.25 * 4 + 4 * 0.25, 1e-12);
    expect(momentsObjective([10], [NaN], [1])).to.be.NaN;
  });

  it("decomposes a symmetric matrix: A = V Λ V', values in decreasing order", () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 1],
    ];
    const { values, vectors } = symmetricEigen(a);
    expect(values[0]).to.be.greaterThan(values[1]);
    expect(values[1]).to.be.greaterThan(values[2]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(values.reduce((s, l, e) => s + l * vectors[e][i] * vectors[e][j], 0)).to.be.closeTo(a[i][j], 1e-10);
    expect(values.reduce((s, x) => s + x, 0)).to.be.closeTo(8, 1e-10); // the trace
  });

  it("takes the weighted least-squares step, and none along a direction the moments do not move", () => {
    const g = [
      [2, 0.5],
      [1, -1],
      [0, 3],
    ];
    const delta = [0.3, -0.2];
    const residual = g.map((row) => row[0] * delta[0] + row[1] * delta[1]);
    const step = gaussNewtonStep(g, [1, 2, 0.5], residual);
    expect(step[0]).to.be.closeTo(0.3, 1e-10);
    expect(step[1]).to.be.closeTo(-0.2, 1e-10);
    // the second param moves no moment: its step is 0, the first's is still exact
    const flat = gaussNewtonStep(
      [
        [2, 0],
        [1, 0],
      ],
      [1, 1],
      [0.6, 0.3],
    );
    expect(flat[0]).to.be.closeTo(0.3, 1e-10);
    expect(flat[1]).to.equal(0);
  });

  it("flags a param no moment moves, and two params that only move the moments together", () => {
    const params: FittedParam[] = [
      { name: "rate", estimate: 0.5, min: 0, max: 1 },
      { name: "size", estimate: 5, min: 1, max: 10 },
    ];
    // rate moves the moment by 20 se across its range; size not at all
    const one = identification([[20, 0]], [1], params);
    expect(one.unidentified).to.deep.equal(["size"]);
    expect(one.strength[0]).to.be.closeTo(20, 1e-9);
    expect(one.warnings.join(" ")).to.match(/size is not identified/);
    // volume = rate × size: one moment, both strong alone, not apart
    const together = identification([[50, 5]], [1], params);
    expect(together.strength.every((s) => s > 2)).to.equal(true);
    expect(together.unidentified.sort()).to.deep.equal(["rate", "size"]);
    expect(together.warnings.join(" ")).to.match(/rate and size are not identified together.*1 moment cannot fix 2 params/);
    // lopsided: size moves the moment 3 times as much, and still cannot be told apart from rate
    expect(identification([[58, 195 / 9]], [1], params).unidentified.sort()).to.deep.equal(["rate", "size"]);
    // a second moment that tells them apart: identified
    const apart = identification(
      [
        [50, 5],
        [0, 9],
      ],
      [1, 0.5],
      params,
    );
    expect(apart.unidentified).to.deep.equal([]);
    expect(apart.warnings).to.deep.equal([]);
  });

  it("the seed bootstrap's intervals cover the true param at about their confidence (a linear model, 200 repeats)", () => {
    // y_r(θ) = 2 + 10 θ + e_r, e_r ~ N(0, 1) (the seeds' noise); observed m = 2 + 10 θ0 + se z
    const theta0 = 0.4;
    const se = 0.3;
    const R = 20;
    const rng = createRng("coverage");
    let covered = 0;
    const repeats = 200;
    for (let rep = 0; rep < repeats; rep++) {
      const noise = Array.from({ length: R }, () => rng.normal());
      const observed = 2 + 10 * theta0 + se * rng.normal();
      const estimate = (observed - 2 - noise.reduce((s, e) => s + e, 0) / R) / 10;
      const params = [{ name: "theta", estimate, min: -5, max: 5 }];
      const { intervals } = seedBootstrap({
        observed: [observed],
        se: [se],
        weights: [1 / (se * se)],
        atEstimate: noise.map((e) => [2 + 10 * estimate + e]),
        jacobian: noise.map(() => [[10]]),
        params,
        resamples: 399,
        confidence: 0.9,
        seed: `rep${rep}`,
      });
      if (intervals[0].lower <= theta0 && theta0 <= intervals[0].upper) covered++;
    }
    // 90% nominal; binomial sd over 200 repeats ≈ 2.1%
    expect(covered / repeats).to.be.within(0.83, 0.96);
  });

  it("the standard error of a mean allows for autocorrelation (Newey-West)", () => {
    const rng = createRng("nw");
    const iid = Array.from({ length: 2000 }, () => rng.normal(5, 2));
    const a = meanWithSe(iid);
    expect(a.mean).to.be.closeTo(5, 0.2);
    expect(a.se).to.be.closeTo(2 / Math.sqrt(2000), 0.01);
    // AR(1) with φ = 0.8: the long-run sd is (1 + φ)/(1 − φ) = 9 times the variance; the plain se understates it
    const ar: number[] = [0];
    for (let t = 1; t < 2000; t++) ar.push(0.8 * ar[t - 1] + rng.normal());
    const plain = Math.sqrt(ar.reduce((s, x) => s + x * x, 0) / ar.length / ar.length);
    expect(meanWithSe(ar).se).to.be.greaterThan(1.5 * plain);
    expect(code(() => meanWithSe([1]))).to.equal("FIT_INVALID");
  });

  it("Hansen's J: a large p-value when the moments are matched together, a small one when they are not", () => {
    const seeds = [
      [1, 2],
      [1.2, 2.1],
      [0.8, 1.9],
    ];
    expect(overidentification([1, 2], [0.1, 0.1], seeds, 1)!.pValue).to.be.greaterThan(0.5);
    expect(overidentification([1, 3], [0.1, 0.1], seeds, 1)!.pValue).to.be.lessThan(1e-6);
    expect(overidentification([1, 2], [0.1, 0.1], seeds, 2)).to.equal(undefined); // no more moments than params
  });
});

describe("simulated moments: the search (a stand-in evaluator)", () => {
  const specs = {
    rate: param.float({ default: 0.5, min: 0, max: 1 }),
    size: param.float({ default: 5, min: 1, max: 10 }),
    mode: param.choice({ default: "a", choices: ["a", "b"] }),
  };
  // the trades' mean is 20·rate, each replicate's own noise (the same replicate index at every
  // candidate: common random numbers); size moves nothing
  const kpis = (p: Record<string, unknown>, r: number) => ({ trades: 20 * Number(p.rate) + createRng(`r${r}`).normal(0, 1.5), volume: 20 * Number(p.rate) * Number(p.size) });

  it("recovers the rate from the trades' mean, within its interval, and says it is identified", async () => {
    const { evaluator } = fakeEvaluator(specs, kpis);
    const r = await calibrateMoments(evaluator, specs, { moments: ["trades final=6±0.3"], over: ["rate"], replicates: 8, budget: 200, resamples: 299, seed: 1 });
    const rate = r.params[0];
    expect(rate.interval.lower).to.be.at.most(0.3);
    expect(rate.interval.upper).to.be.at.least(0.3);
    expect(rate.interval.upper - rate.interval.lower).to.be.lessThan(0.15);
    expect(rate.identified).to.equal(true);
    expect(r.warnings).to.deep.equal([]);
    expect(r.moments[0].simulated).to.be.closeTo(6, 0.5);
    expect(r.runs).to.be.at.most(200);
    expect(r.seeds).to.have.length(8);
  });

  it("warns that size is not identified by the trades' mean, and gives it its whole range", async () => {
    const { evaluator } = fakeEvaluator(specs, kpis);
    const r = await calibrateMoments(evaluator, specs, { moments: ["trades final=6±0.3"], over: ["rate", "size"], replicates: 4, budget: 200, resamples: 199, seed: 2 });
    const size = r.params.find((x) => x.name === "size")!;
    expect(size.identified).to.equal(false);
    expect([size.interval.lower, size.interval.upper]).to.deep.equal([1, 10]);
    expect(r.warnings.join(" ")).to.match(/size is not identified by the moments/);
    expect(r.params.find((x) => x.name === "rate")!.identified).to.equal(true);
  });

  it("refuses, before any run, moments without an se, a choice param, no params, and a budget too small", async () => {
    const { evaluator } = fakeEvaluator(specs, kpis);
    const refused = (options: object) =>
      calibrateMoments(evaluator, specs, { moments: ["trades final=6±0.3"], over: ["rate"], seed: 1, ...options }).then(
        () => "none",
        (e: unknown) => (e instanceof TokenspiceError ? `${e.code}: ${e.message}` : String(e)),
      );
    expect(await refused({ moments: ["trades final=6"] })).to.match(/^OPTION_INVALID: .*no standard error/);
    expect(await refused({ over: ["mode"] })).to.match(/^OPTION_INVALID: .*mode" is a choice/);
    expect(await refused({ over: [] })).to.match(/^OPTION_INVALID: .*name the behaviour params/);
    expect(await refused({ over: ["nope"] })).to.match(/^PARAM_UNKNOWN/);
    expect(await refused({ budget: 50, replicates: 5 })).to.match(/^OPTION_INVALID: .*at least 95 runs/);
    expect(await refused({ replicates: 1 })).to.match(/^OPTION_INVALID: .*replicates 1/);
    expect(evaluator.calls).to.equal(0);
  });
});

describe("simulated moments: the moments file and the command's refusals", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-moments-unit-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => "none",
      (e: unknown) => (e instanceof TokenspiceError ? `${e.code}: ${e.message}` : String(e)),
    );

  it("reads numbers with their se, and computes a mean or a share above a threshold from a data file, with its SHA-256", async () => {
    const sizes = [5, 20, 8, 30, 2, 12, 40, 1, 9, 25];
    write("trades.csv", "day,size\n" + sizes.map((v, i) => `2024-01-${String(i + 1).padStart(2, "0")},${v}`).join("\n") + "\n");
    const file = write(
      "moments.json",
      JSON.stringify({
        moments: [
          { metric: "trades final", observed: 6.1, se: 0.2, source: "a query" },
          { metric: "size mean", data: { file: "trades.csv", time: "day", value: "size" } },
          { metric: "big mean", data: { file: "trades.csv", time: "day", value: "size" }, statistic: "share-above", threshold: 10 },
        ],
      }),
    );
    const { moments, sha256 } = await readMomentsFile(file);
    expect(sha256).to.match(/^[0-9a-f]{64}$/);
    expect(moments[0]).to.deep.equal({ metric: "trades final", observed: 6.1, se: 0.2, source: "a query" });
    expect(moments[1].observed).to.be.closeTo(15.2, 1e-12);
    expect(moments[1].se).to.be.greaterThan(0);
    expect(moments[1].source).to.deep.include({ file: "trades.csv", column: "size", statistic: "mean", n: 10 });
    expect(moments[2].observed).to.be.closeTo(0.5, 1e-12); // 20, 30, 12, 40, 25
    expect(moments[2].source).to.deep.include({ statistic: "share above 10" });
  });

  it("refuses a moments file that is not JSON, has no moments, or an entry that is not valid (index and field named), and a data path outside its folder", async () => {
    const bad = async (content: string) => failure(readMomentsFile(write("bad.json", content)));
    expect(await bad("{")).to.match(/^MOMENTS_FILE_INVALID: .*is not JSON/);
    expect(await bad("{}")).to.match(/^MOMENTS_FILE_INVALID: .*has no "moments"/);
    expect(await bad(JSON.stringify({ moments: [{ metric: "trades" }] }))).to.match(/^MOMENTS_FILE_INVALID: .*moments\[0\]: .*is not "<kpi> <stat>"/);
    expect(
      await bad(
        JSON.stringify({
          moments: [
            { metric: "trades final", observed: 1, se: 1 },
            { metric: "trades final", observed: "6" },
          ],
        }),
      ),
    ).to.match(/moments\[1\]: needs "observed"/);
    expect(await bad(JSON.stringify({ moments: [{ metric: "trades final", observed: 1, se: -1 }] }))).to.match(/moments\[0\]: "se" is not a number > 0/);
    expect(await bad(JSON.stringify({ moments: [{ metric: "a final", data: { file: "trades.csv", time: "day", value: "size" }, statistic: "median" }] }))).to.match(/"statistic" "median"/);
    expect(await bad(JSON.stringify({ moments: [{ metric: "a final", data: { file: "../x.csv", time: "day", value: "size" } }] }))).to.match(/^DATA_PATH_OUTSIDE/);
  });

  it("sim-calibrate moments refuses missing or bad flags, and an existing --out, before the environment is touched", async () => {
    let touched = 0;
    const ctx = {
      environment: new Proxy({}, { get: () => void touched++ }),
      output: { log: () => undefined, warn: () => undefined },
      compile: async () => void touched++,
      commandLine: "",
    } as unknown as CliContext;
    const base = { mode: "moments", netlist: "trades", moment: ["trades final=6±0.3"], over: "tradeProbability", out: path.join(tmp, "new.json") };
    const refused = (args: object) => failure(calibrateTask(ctx, { ...base, ...args }));
    expect(await refused({ netlist: undefined })).to.match(/^OPTION_INVALID: .*name the netlist/);
    expect(await refused({ moment: undefined })).to.match(/^OPTION_INVALID: .*give the observed moments/);
    expect(await refused({ over: undefined })).to.match(/^OPTION_INVALID: .*--over/);
    expect(await refused({ weighting: "identity" })).to.match(/^OPTION_INVALID: --weighting "identity"/);
    expect(await refused({ moment: ["trades final=six"] })).to.match(/^OPTION_INVALID: Moment "trades final=six"/);
    expect(await refused({ out: write("exists.json", "{}") })).to.match(/^OUT_FILE_EXISTS/);
    expect(await refused({ moments: path.join(tmp, "none.json") })).to.match(/^MOMENTS_FILE_INVALID: .*cannot be read/);
    // fit's own flags are no longer required by the framework (moments has none of them): the command asks for them
    expect(await failure(calibrateTask(ctx, { mode: "fit", time: "t", value: "v" }))).to.match(/^OPTION_INVALID: sim-calibrate fit needs --data/);
    expect(touched).to.equal(0);
  });
});
