import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { param, type ParamSpecs } from "../../src/model/params";
import type { ParamValue } from "../../src/campaign/types";
import type { Evaluator } from "../../src/search/evaluator";
import { sensitivity } from "../../src/search/sensitivity";
import { morrisAnalyze, morrisDesign, saltelliDesign, sobolAnalyze, sobolIndices, type SobolIndices } from "../../src/search/sensitivity-indices";

/**
 * Sensitivity analysis's numeric cores on functions whose indices are known in closed form (no
 * chain, no runs): Ishigami's and Sobol's G for Sobol' indices, a linear function and G for Morris.
 */

// Ishigami & Homma (1990), a = 7, b = 0.1, x uniform on [−π, π]; indices from Saltelli et al. (2008), "Global Sensitivity Analysis: The Primer", §4.
const ishigami = (u: number[]) => {
  const [x1, x2, x3] = u.map((v) => -Math.PI + 2 * Math.PI * v);
  return Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);
};
const ISHIGAMI = { S1: [0.3139, 0.4424, 0], ST: [0.5576, 0.4424, 0.2437] };

// Sobol's G function, Π (|4u − 2| + a_i) / (1 + a_i), on [0, 1]^6: V_i = 1 / (3(1 + a_i)²),
// V = Π(1 + V_i) − 1, S1_i = V_i / V, ST_i = V_i Π_{j≠i}(1 + V_j) / V (Saltelli et al. 2010, §4).
const A = [0, 1, 4.5, 9, 99, 99];
const gFunction = (u: number[]) => u.reduce((p, x, i) => (p * (Math.abs(4 * x - 2) + A[i])) / (1 + A[i]), 1);
const Vi = A.map((a) => 1 / (3 * (1 + a) ** 2));
const V = Vi.reduce((p, v) => p * (1 + v), 1) - 1;
const G = { S1: Vi.map((v) => v / V), ST: Vi.map((v, i) => (v * Vi.reduce((p, w, j) => (j === i ? p : p * (1 + w)), 1)) / V) };
const names = (d: number) => Array.from({ length: d }, (_, i) => `x${i + 1}`);

/** The params whose true index an interval misses: "x1 S1" etc. */
function misses(r: SobolIndices, truth: { S1: number[]; ST: number[] }): string[] {
  return r.indices.flatMap((x, i) => (["S1", "ST"] as const).filter((k) => !(x[k].lo <= truth[k][i] && truth[k][i] <= x[k].hi)).map((k) => `${x.param} ${k}`));
}

describe("Sobol' indices (Saltelli 2010 S1, Jansen 1999 ST) on analytic functions", function () {
  this.timeout(60_000);

  it("Ishigami: S1 ≈ 0.3139, 0.4424, 0 and ST ≈ 0.5576, 0.4424, 0.2437, each inside its reported interval", () => {
    const r = sobolAnalyze(ishigami, names(3), { samples: 1024, seed: 1 });
    expect(misses(r, ISHIGAMI)).to.deep.equal([]);
    r.indices.forEach((x, i) => {
      expect(x.S1.value).to.be.closeTo(ISHIGAMI.S1[i], 0.03);
      expect(x.ST.value).to.be.closeTo(ISHIGAMI.ST[i], 0.03);
      expect(x.S1.lo).to.be.below(x.S1.hi);
    });
    expect(r.sumS1.value).to.be.closeTo(0.7563, 0.06);
    expect(r.used).to.equal(1024);
  });

  it("Sobol's G function (a = 0, 1, 4.5, 9, 99, 99): the closed-form indices inside the intervals, ranked as a_i", () => {
    const r = sobolAnalyze(gFunction, names(6), { samples: 1024, seed: 2 });
    expect(misses(r, G)).to.deep.equal([]);
    r.indices.forEach((x, i) => expect(x.ST.value).to.be.closeTo(G.ST[i], 0.02));
    expect(r.indices.slice(0, 4).map((x) => x.ST.value)).to.deep.equal([...r.indices.slice(0, 4).map((x) => x.ST.value)].sort((a, b) => b - a));
  });

  it("the intervals cover: over 20 seeds (N = 512), each index inside its interval in at least 16 (measured: 17 of 20 at worst, G's x6 ST; 356 of 360 in all)", () => {
    let all = 0;
    let inside = 0;
    for (const [f, d, truth] of [
      [ishigami, 3, ISHIGAMI],
      [gFunction, 6, G],
    ] as const) {
      const missed = new Map<string, number>();
      for (let seed = 100; seed < 120; seed++) {
        const r = sobolAnalyze(f, names(d), { samples: 512, seed, resamples: 300 });
        for (const m of misses(r, truth)) missed.set(m, (missed.get(m) ?? 0) + 1);
        all += 2 * d;
      }
      for (const [index, n] of missed) expect(20 - n, `${index} covered`).to.be.at.least(16);
      inside += 20 * 2 * d - [...missed.values()].reduce((a, n) => a + n, 0);
    }
    expect(inside / all).to.be.at.least(0.95);
  });

  it("is deterministic for its seed (design and bootstrap), and another seed draws another design", () => {
    const a = sobolAnalyze(ishigami, names(3), { samples: 64, seed: 7 });
    expect(sobolAnalyze(ishigami, names(3), { samples: 64, seed: 7 })).to.deep.equal(a);
    expect(sobolAnalyze(ishigami, names(3), { samples: 64, seed: 8 }).indices[0].S1.value).to.not.equal(a.indices[0].S1.value);
    expect(sobolAnalyze(ishigami, names(3), { samples: 64, seed: 7, resamples: 200 }).indices[0].S1.lo).to.not.equal(a.indices[0].S1.lo);
  });

  it("Saltelli's design: A, B, then A_B^(i) = A with column i of B; N·(d + 2) points in [0, 1)", () => {
    const { A: a, B: b, points } = saltelliDesign(3, 8, 1);
    expect(points.length).to.equal(8 * 5);
    expect(points.slice(0, 8)).to.deep.equal(a);
    expect(points.slice(8, 16)).to.deep.equal(b);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 8; j++) expect(points[16 + i * 8 + j]).to.deep.equal(a[j].map((x, k) => (k === i ? b[j][i] : x)));
    expect(points.flat().every((x) => x >= 0 && x < 1)).to.equal(true);
    // each column of A is stratified as a Sobol sequence's is: one point in each eighth
    for (let k = 0; k < 3; k++) expect(new Set(a.map((p) => Math.floor(p[k] * 8))).size).to.equal(8);
  });

  it("refuses too few samples, a bad confidence and values that do not fit the design, naming them", () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as TokenspiceError;
      }
      throw new Error("did not throw");
    };
    expect(err(() => sobolAnalyze(ishigami, names(3), { samples: 1, seed: 1 })).message).to.contain("samples 1 is not valid");
    expect(err(() => sobolAnalyze(ishigami, names(3), { samples: 8, seed: 1, confidence: 1 })).code).to.equal("OPTION_INVALID");
    expect(err(() => sobolIndices([1, 2, 3, 4, 5, 6, 7], names(3), { seed: 1 })).message).to.contain("7 values are not N·(d + 2) for d = 3");
    expect(err(() => sobolIndices([NaN, 1, 2, 3, 4, NaN, 1, 2, 3, 4], names(3), { seed: 1 })).message).to.contain("only 0 of 2 base samples");
  });
});

describe("Morris elementary effects (Morris 1991; μ*, Campolongo et al. 2007)", () => {
  it("a linear function: μ* = |coefficient| × range exactly, σ = 0", () => {
    // f = 3x + (−0.5)y + 0z, x on [2, 10], y on [0, 10]: μ* = 24, 5, 0
    const r = morrisAnalyze((u) => 3 * (2 + 8 * u[0]) - 0.5 * (10 * u[1]), names(3), { seed: 1, trajectories: 10 });
    [24, 5, 0].forEach((v, i) => expect(r[i].muStar.value).to.be.closeTo(v, 1e-9));
    expect(r[1].mu).to.be.closeTo(-5, 1e-9);
    r.forEach((x) => expect(x.sigma).to.be.closeTo(0, 1e-9));
  });

  it("Sobol's G function: μ* ranks the params as their a_i (the important ones first)", () => {
    const r = morrisAnalyze(gFunction, names(6), { seed: 3, trajectories: 50 });
    const mu = r.map((x) => x.muStar.value);
    expect(mu[0]).to.be.above(mu[1]);
    expect(mu[1]).to.be.above(mu[2]);
    expect(mu[2]).to.be.above(mu[3]);
    expect(mu[3]).to.be.above(Math.max(mu[4], mu[5]));
    for (const m of r) {
      expect(m.muStar.lo).to.be.at.most(m.muStar.value);
      expect(m.muStar.hi).to.be.at.least(m.muStar.value);
    }
  });

  it("trajectories move one param at a time by ±Δ on the grid, Δ = p / (2(p − 1))", () => {
    const { points, steps, delta } = morrisDesign(4, 5, 4, 9);
    expect(delta).to.equal(4 / 6);
    expect(points.length).to.equal(5 * 5);
    steps.forEach((path, t) => {
      expect(path.map((s) => s.param).sort()).to.deep.equal([0, 1, 2, 3]);
      path.forEach((s, k) => {
        const [a, b] = [points[t * 5 + k], points[t * 5 + k + 1]];
        a.forEach((x, i) => expect(b[i] - x).to.be.closeTo(i === s.param ? s.delta : 0, 1e-12));
      });
    });
    expect(points.flat().every((x) => x >= 0 && x <= 1 + 1e-12 && Math.abs(x * 3 - Math.round(x * 3)) < 1e-9)).to.equal(true);
  });
});

/** A stand-in evaluator: each run's one KPI `y` is `f` of its params (no simulation). */
function evaluatorOf(specs: ParamSpecs, f: (p: Record<string, ParamValue>) => number) {
  const pointParams = (point: Record<string, ParamValue>) => Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, Object.hasOwn(point, k) ? point[k] : s.default]));
  const seen: Record<string, ParamValue>[] = [];
  const evaluator = {
    pointParams,
    async evaluate(points: Record<string, ParamValue>[], replicates: number) {
      return points.map((point) => {
        const params = pointParams(point);
        seen.push(params);
        const y = f(params);
        return Array.from({ length: replicates }, (_, r) => ({ key: `${JSON.stringify(params)}/r${r}`, params, status: "complete", kpi: () => ({ final: () => y }) }));
      });
    },
  };
  return { evaluator: evaluator as unknown as Evaluator, seen };
}

describe("sensitivity as a search (a stand-in evaluator)", () => {
  const x = (min: number, max: number) => param.float({ default: min, min, max, kind: "uncontrollable" });
  const specs: ParamSpecs = { x1: x(-Math.PI, Math.PI), x2: x(-Math.PI, Math.PI), x3: x(-Math.PI, Math.PI), fee: param.float({ default: 1, min: 0, max: 2 }) };
  const ish = (p: Record<string, ParamValue>) => ishigami([p.x1, p.x2, p.x3].map((v) => ((v as number) + Math.PI) / (2 * Math.PI)));

  it("varies the uncontrollables by default and gives the same indices as the numeric core on the same seed; ranked by ST", async () => {
    const { evaluator, seen } = evaluatorOf(specs, ish);
    const r = await sensitivity(evaluator, specs, { objective: "y final", samples: 128, seed: 5 });
    expect(r.over.map((p) => p.param)).to.deep.equal(["x1", "x2", "x3"]);
    expect(r.runs).to.equal(128 * 5);
    expect(seen.every((p) => p.fee === 1)).to.equal(true);
    const core = sobolAnalyze(ishigami, ["x1", "x2", "x3"], { samples: 128, seed: 5 });
    const byName = Object.fromEntries(core.indices.map((c) => [c.param, c]));
    for (const row of r.outputs[0].sobol!.indices) {
      expect(row.S1.value).to.be.closeTo(byName[row.param].S1.value, 1e-9);
      expect(row.ST.hi).to.be.closeTo(byName[row.param].ST.hi, 1e-9);
    }
    const st = r.outputs[0].sobol!.indices.map((i) => i.ST.value);
    expect(st).to.deep.equal([...st].sort((a, b) => b - a));
    expect(r.bootstrap).to.deep.equal({ resamples: 1000, confidence: 0.95, seed: 5 });
  });

  it("warns when the base samples are too few (wide intervals, ΣS1 above 1 + tolerance)", async () => {
    const { evaluator } = evaluatorOf(specs, ish);
    const r = await sensitivity(evaluator, specs, { objective: "y final", samples: 8, seed: 1, tolerance: 0 });
    expect(r.outputs[0].warnings.join(" ")).to.contain("wide intervals");
    const sum = r.outputs[0].sobol!.sumS1.value;
    expect(r.outputs[0].warnings.some((w) => w.startsWith("ΣS1"))).to.equal(sum > 1);
  });

  it("Morris over named params (a controllable over its range): μ* = |coefficient| × range", async () => {
    const { evaluator } = evaluatorOf(specs, (p) => 4 * (p.fee as number) + (p.x1 as number));
    const r = await sensitivity(evaluator, specs, { objective: "y final", method: "morris", over: ["fee", "x1"], trajectories: 6, seed: 2 });
    expect(r.runs).to.equal(6 * 3);
    expect(r.outputs[0].morris!.map((m) => m.param)).to.deep.equal(["fee", "x1"]);
    expect(r.outputs[0].morris![0].muStar.value).to.be.closeTo(8, 1e-9);
    expect(r.outputs[0].morris![1].muStar.value).to.be.closeTo(2 * Math.PI, 1e-9);
  });

  it("refuses a bad method, an option of the other method, no objective and a design larger than a search holds, before any run", async () => {
    const { evaluator, seen } = evaluatorOf(specs, ish);
    const refused = async (options: any) => {
      try {
        await sensitivity(evaluator, specs, { seed: 1, ...options });
      } catch (e) {
        return e as TokenspiceError;
      }
      throw new Error("not refused");
    };
    expect((await refused({ objective: "y final", method: "fast" })).message).to.contain('use "sobol" or "morris"');
    expect((await refused({ objective: [] })).code).to.equal("OPTION_INVALID");
    expect((await refused({ objective: "y final", method: "morris", samples: 64 })).message).to.contain("samples goes with method sobol, not morris");
    expect((await refused({ objective: "y final", trajectories: 10 })).message).to.contain("trajectories goes with method morris, not sobol");
    expect((await refused({ objective: "y final", samples: 30_000 })).code).to.equal("CAMPAIGN_TOO_LARGE");
    expect((await refused({ objective: "y final", over: ["nope"] })).code).to.equal("PARAM_UNKNOWN");
    expect(seen.length).to.equal(0);
  });
});
