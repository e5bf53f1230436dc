import { expect } from "chai";
import { differentialEvolution, minimize, nelderMead, type BatchObjective } from "../../src/search/optimizers";

/** A test function on [lo, hi]^d, seen through the unit cube the optimisers search. */
const onBox = (fn: (x: number[]) => number, lo: number, hi: number): BatchObjective => async (points) =>
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
});
