import { expect } from "chai";
import { differentialEvolution, minimize, nelderMead, type BatchObjective } from "../../src/search/optimizers";

/** A test function on [lo, hi]^d, seen through the unit cube the optimisers search. */
const onBox =
  (fn: (x: number[]) => number, lo: number, hi: number): BatchObjective =>
  async (points) =>
    points.map((u) => fn(u.map((v) => lo + v * (hi - lo))));
const toBox = (u: number[], lo: number, hi: number) => u.map((v) => lo + v * (hi - lo));

const sphere = (x: number[]) => x.reduce((s, v) => s + (v - 1) ** 2, 0); // minimum 0 at (1, …, 1)
const rosenbrock = (x: number[]) => x.slice(0, -1).reduce((s, v, i) => s + 100 * (x[i + 1] - v * v) ** 2 + (1 - v) ** 2, 0); // 0 at (1, …, 1)
const rastrigin = (x: number[]) => 10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0); // 0 at 0, many local minima

describe("derivative-free optimisers", () => {
  it("differential evolution finds the sphere's and Rastrigin's global minimum", async () => {
    const s = await differentialEvolution(onBox(sphere, -5, 5), 4, { budget: 4000, seed: 1 });
    for (const v of toBox(s.x, -5, 5)) expect(v).to.be.closeTo(1, 0.05);
    const r = await differentialEvolution(onBox(rastrigin, -5.12, 5.12), 2, { budget: 3000, seed: 2 });
    expect(r.fx).to.be.below(0.05); // the global minimum, not one of the ~100 local ones
    for (const v of toBox(r.x, -5.12, 5.12)) expect(Math.abs(v)).to.be.below(0.02);
    expect(r.evaluations).to.be.at.most(3000);
    expect(r.trace.at(-1)!.best).to.equal(r.fx);
    expect(r.trace.every((t, i) => i === 0 || t.best <= r.trace[i - 1].best)).to.equal(true);
  });

  it("is deterministic for a seed", async () => {
    const a = await differentialEvolution(onBox(rastrigin, -5.12, 5.12), 3, { budget: 600, seed: 7 });
    const b = await differentialEvolution(onBox(rastrigin, -5.12, 5.12), 3, { budget: 600, seed: 7 });
    const c = await differentialEvolution(onBox(rastrigin, -5.12, 5.12), 3, { budget: 600, seed: 8 });
    expect(a.x).to.deep.equal(b.x);
    expect(c.x).to.not.deep.equal(a.x);
  });

  it("Nelder-Mead walks Rosenbrock's valley to its minimum", async () => {
    const r = await nelderMead(onBox(rosenbrock, -2, 2), [0.3, 0.3], { budget: 2000, step: 0.1 });
    for (const v of toBox(r.x, -2, 2)) expect(v).to.be.closeTo(1, 0.01);
    expect(r.fx).to.be.below(1e-4);
  });

  it("global then local: DE narrows Rosenbrock's valley, Nelder-Mead finishes it within one budget", async () => {
    const f = onBox(rosenbrock, -2, 2);
    let calls = 0;
    const counted: BatchObjective = async (pts) => {
      calls += pts.length;
      return f(pts);
    };
    const r = await minimize(counted, 2, { budget: 1500, seed: 3 });
    for (const v of toBox(r.x, -2, 2)) expect(v).to.be.closeTo(1, 0.02);
    expect(r.evaluations).to.equal(calls);
    expect(calls).to.be.at.most(1500);
    expect(r.trace.some((t) => t.phase === "local")).to.equal(true);
  });

  it("ranks NaN below every number (NaN <= x is false, so it once slipped through), and never returns it", async () => {
    // NaN on the half of the box where the sphere is least: the minimum is the best point of the other half
    const f: BatchObjective = async (pts) => pts.map(([u, v]) => (u > 0.5 ? NaN : (u - 0.7) ** 2 + (v - 0.5) ** 2));
    const r = await minimize(f, 2, { budget: 200, seed: 4 });
    expect(r.x[0]).to.be.at.most(0.5);
    expect(r.fx).to.be.closeTo(0.04, 0.01); // (0.5 − 0.7)²
    expect(r.trace.every((t) => !Number.isNaN(t.best))).to.equal(true);
    const all = await differentialEvolution(async (pts) => pts.map(() => NaN), 1, { budget: 16, seed: 1 });
    expect(all.fx).to.equal(Infinity);
    expect(all.x).to.have.length(1);
  });

  it("ends its trace at the last evaluation, also when the budget cuts a step short", async () => {
    for (let budget = 3; budget <= 40; budget++) {
      let calls = 0;
      const f: BatchObjective = async (pts) => {
        calls += pts.length;
        return pts.map(([u, v]) => (u - 0.9) ** 2 + (v - 0.2) ** 2);
      };
      const r = await nelderMead(f, [0.3, 0.3], { budget });
      expect(r.trace.at(-1), `budget ${budget}`).to.deep.equal({ evaluations: calls, best: r.fx, phase: "local" });
      expect(r.evaluations).to.equal(calls);
    }
  });
});
