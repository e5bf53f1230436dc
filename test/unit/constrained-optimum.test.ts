import { expect } from "chai";
import { param, type ParamSpecs } from "../../src/model/params";
import { optimize } from "../../src/search/optimize";
import { refineToBoundary, type Assessed } from "../../src/search/optimizers";
import { fakeEvaluator } from "./fake-evaluator";

/**
 * optimize near a binding constraint, on closed forms (a stand-in evaluator, no chain): the known
 * constrained optimum within 1% in at most 120 runs, and the trace ending on the reported answer.
 */
describe("optimize: a known constrained optimum within 1% in at most 120 runs", () => {
  it("the design-fee fixture with a continuous fee: revenue fee·e^(−fee/50)·1000·demand, volume ≥ 300 at demand 1 and 0.5", async () => {
    // revenue rises up to fee 50; volume ≥ 300 at demand 0.5 holds up to fee = 50·ln(500/300) ≈ 25.54: the optimum
    const specs: ParamSpecs = { fee: param.float({ default: 30, min: 0, max: 100 }), demand: param.float({ default: 1, min: 0.5, max: 1.5, kind: "uncontrollable" }) };
    const kpis = ({ fee, demand }: Record<string, unknown>) => {
      const volume = 1000 * (demand as number) * Math.exp(-(fee as number) / 50);
      return { volume, revenue: (fee as number) * volume };
    };
    const corners = [
      { name: "nominal", params: { demand: 1 } },
      { name: "low demand", params: { demand: 0.5 } },
    ];
    const best = 50 * Math.log(500 / 300);
    for (let seed = 1; seed <= 20; seed++) {
      const { evaluator } = fakeEvaluator(specs, kpis);
      const r = await optimize(evaluator, specs, { objective: "revenue final", constraints: ["volume final >= 300"], over: ["fee"], corners, replicates: 1, budget: 120, seed });
      expect(r.feasible, `seed ${seed}`).to.equal(true);
      expect(Math.abs((r.design.fee as number) - best) / best, `seed ${seed}: fee ${r.design.fee}`).to.be.below(0.01); // measured: at most 0.01% over seeds 1–40
      expect(r.runs).to.be.at.most(120);
      const last = r.trace[r.trace.length - 1];
      expect([last.evaluations, last.best, last.feasible], `seed ${seed}`).to.deep.equal([r.runs, r.objective, true]);
    }
  });

  it("a second problem, in two params: maximise x + y with x² + y² ≤ 0.5 (the optimum 1 at x = y = 0.5)", async () => {
    const specs: ParamSpecs = { x: param.float({ default: 0.1, min: 0, max: 1 }), y: param.float({ default: 0.1, min: 0, max: 1 }) };
    const kpis = ({ x, y }: Record<string, unknown>) => ({ sum: (x as number) + (y as number), r2: (x as number) ** 2 + (y as number) ** 2 });
    for (let seed = 1; seed <= 20; seed++) {
      const { evaluator } = fakeEvaluator(specs, kpis);
      const r = await optimize(evaluator, specs, { objective: "sum final", constraints: ["r2 final <= 0.5"], replicates: 1, budget: 120, seed });
      expect(r.feasible, `seed ${seed}`).to.equal(true);
      expect(r.objective, `seed ${seed}`).to.be.within(0.99, 1); // measured: at most 0.3% below over seeds 1–40
      const last = r.trace[r.trace.length - 1];
      expect([last.evaluations, last.best], `seed ${seed}`).to.deep.equal([r.runs, r.objective]);
    }
  });

  it("refineToBoundary bisects between the best feasible point and the nearest better infeasible one", async () => {
    // minimise −x subject to x ≤ 0.3: the bracket [0.1, 0.9] halves onto 0.3
    const assess = (x: number[]): Assessed => ({ x, score: x[0] <= 0.3 ? -x[0] : 1000 + (x[0] - 0.3), value: -x[0], feasible: x[0] <= 0.3 });
    const r = await refineToBoundary(async (xs) => xs.map(assess), [assess([0.1]), assess([0.9])], { budget: 20 });
    expect(r.x[0]).to.be.within(0.3 - 0.8 / 2 ** 19, 0.3);
    expect(r.evaluations).to.equal(20);
    expect(r.trace.at(-1)).to.deep.equal({ evaluations: 20, best: r.fx, phase: "local" });
    // no feasible point: nothing to refine; a midpoint that is no new design ends it
    expect((await refineToBoundary(async (xs) => xs.map(assess), [assess([0.9])], { budget: 5 })).evaluations).to.equal(0);
    expect((await refineToBoundary(async (xs) => xs.map(assess), [assess([0.1]), assess([0.9])], { budget: 5, distinct: () => false })).evaluations).to.equal(0);
  });
});
