import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { param, type ParamSpecs } from "../../src/model/params";
import { corners, optimize, verify, worstCase } from "../../src/search/design-loop";
import type { Evaluator } from "../../src/search/evaluator";
import { fakeEvaluator, type Kpis } from "./fake-evaluator";

const feeSpecs: ParamSpecs = { fee: param.float({ default: 0.5, min: 0, max: 1 }) };

describe("the design loop with non-finite KPIs", () => {
  it("optimize: a candidate whose constraint is NaN (0/0) is never feasible and never best; the runs are counted (F19)", async () => {
    // gain = fee; coverage = 1 − fee up to fee 0.7, then 0/0: the best feasible design is the largest fee ≤ 0.7 tried
    const { evaluator, values } = fakeEvaluator(feeSpecs, ({ fee }) => ({ gain: fee as number, coverage: (fee as number) <= 0.7 ? 1 - (fee as number) : 0 / 0 }));
    const r = await optimize(evaluator, feeSpecs, { objective: "gain final", over: ["fee"], constraints: ["coverage final >= 0.2"], budget: 40, runsPerCandidate: 1, seed: 1 });
    const tried = [...values.entries()].map(([key, v]) => ({ fee: JSON.parse(key.split("/r")[0]).fee as number, v }));
    const bestFeasible = Math.max(...tried.filter((t) => t.fee <= 0.7).map((t) => t.fee));
    expect(r.feasible).to.equal(true);
    expect(r.design.fee).to.equal(bestFeasible);
    expect(r.objective).to.equal(bestFeasible);
    expect(r.margins.every((m) => m.met && Number.isFinite(m.margin))).to.equal(true);
    expect(r.nonFinite)
      .to.equal(tried.filter((t) => t.fee > 0.7).length)
      .and.be.greaterThan(0);
  });

  it("optimize: an infinite objective is not the best, and a NaN margin is reported as not met", async () => {
    const { evaluator } = fakeEvaluator(feeSpecs, ({ fee }) => ({ gain: (fee as number) > 0.9 ? Infinity : (fee as number), coverage: 1 }));
    const r = await optimize(evaluator, feeSpecs, { objective: "gain final", over: ["fee"], constraints: ["coverage final >= 0.2"], budget: 40, runsPerCandidate: 1, seed: 2 });
    expect(r.design.fee).to.be.at.most(0.9);
    expect(r.feasible).to.equal(true);
    expect(r.nonFinite).to.be.greaterThan(0);
    // every candidate NaN: none is feasible, and the margin says so
    const nan = fakeEvaluator(feeSpecs, ({ fee }) => ({ gain: fee as number, coverage: NaN }));
    const n = await optimize(nan.evaluator, feeSpecs, { objective: "gain final", over: ["fee"], constraints: ["coverage final >= 0.2"], budget: 40, runsPerCandidate: 1, seed: 1 });
    expect(n.feasible).to.equal(false);
    expect(n.margins[0].met).to.equal(false);
    expect(n.nonFinite).to.equal(nan.keys.size);
    // none feasible, but with numbers: the trace follows the least violation, and ends on the answer
    const far = fakeEvaluator(feeSpecs, ({ fee }) => ({ gain: fee as number, coverage: (fee as number) / 10 }));
    const f = await optimize(far.evaluator, feeSpecs, { objective: "gain final", over: ["fee"], constraints: ["coverage final >= 0.2"], budget: 40, runsPerCandidate: 1, seed: 1 });
    expect(f.feasible).to.equal(false);
    expect(f.trace.at(-1)).to.deep.include({ evaluations: f.runs, best: f.objective, feasible: false });
  });

  it("worstCase: a point whose objective is NaN is never the worst (the search goes on and counts it); a failed run is the worst either way", async () => {
    const specs: ParamSpecs = { x: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }) };
    const { evaluator, values } = fakeEvaluator(specs, ({ x }) => ({ level: (x as number) < 0.3 ? NaN : (x as number) }));
    const r = await worstCase(evaluator, specs, { objective: "level final", seedsPerPoint: 1, budget: 40, seed: 1 });
    const finite = [...values.values()].filter((v) => v !== "failed" && Number.isFinite(v.level)).map((v) => (v as Record<string, number>).level);
    expect(r.point.x).to.be.at.least(0.3);
    expect(r.objective.mean).to.equal(Math.min(...finite));
    expect(r.nonFinite)
      .to.equal(values.size - finite.length)
      .and.be.greaterThan(0);
    // worst "max": a run that fails (x < 0.1) is still the worst, not the best
    const failing = fakeEvaluator(specs, ({ x }) => ((x as number) < 0.1 ? "failed" : { level: x as number }));
    const w = await worstCase(failing.evaluator, specs, { objective: "level final", worst: "max", seedsPerPoint: 1, budget: 40, seed: 1 });
    expect(w.point.x).to.be.below(0.1);
  });

  it("verify: a run whose spec value is NaN or Infinity does not meet it, says why, and is counted", async () => {
    const specs: ParamSpecs = { d: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }) };
    // Infinity would meet ">= 0.2" by IEEE rules; a non-finite value is not a measurement
    const { evaluator } = fakeEvaluator(specs, ({ d }) => ({ coverage: (d as number) < 0.25 ? Infinity : (d as number) > 0.75 ? NaN : 1 }));
    const r = await verify(evaluator, specs, { spec: "coverage final >= 0.2", target: 0.4, maxRuns: 40, batch: 40, seed: 3 });
    expect(r.nonFinite)
      .to.equal(r.yield.n - r.yield.k)
      .and.be.greaterThan(0);
    expect(r.failures.every((f) => /coverage final >= 0\.2: the value is (NaN|Infinity), not a finite number/.test(f.reason))).to.equal(true);
  });
});

describe("the design loop's counts at their edges (F20)", () => {
  const specs: ParamSpecs = { fee: param.float({ default: 0.5, min: 0, max: 1 }), x: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }) };
  const refused = async (run: (e: Evaluator) => Promise<unknown>, pattern: RegExp) => {
    const { evaluator } = fakeEvaluator(specs, () => ({ level: 1, gain: 1 }));
    let error: unknown;
    try {
      await run(evaluator);
    } catch (e) {
      error = e;
    }
    expect(error, String(pattern)).to.be.instanceOf(TokenspiceError);
    expect((error as TokenspiceError).code).to.equal("OPTION_INVALID");
    expect((error as Error).message).to.match(pattern);
    expect(evaluator.calls, "refused before any run").to.equal(0);
  };

  for (const bad of [0, -2, 1.5, NaN, Infinity]) {
    it(`refuses ${bad} seeds, runs or budget before any run, naming the option and the range`, async () => {
      const range = /is not valid: use a whole number, 1 or more\./;
      const named = (name: string) => new RegExp(`${name} ${String(bad).replace(/[.+]/g, "\\$&")} ${range.source}`);
      await refused((e) => worstCase(e, specs, { objective: "level final", seedsPerPoint: bad, budget: 60, seed: 1 }), named("worstCase: seedsPerPoint"));
      await refused((e) => worstCase(e, specs, { objective: "level final", budget: bad, seed: 1 }), named("worstCase: budget"));
      await refused((e) => corners(e, specs, { specs: [{ name: "low", objective: "level final" }], seedsPerPoint: bad, seed: 1 }), named("corners: seedsPerPoint"));
      await refused((e) => optimize(e, specs, { objective: "gain final", runsPerCandidate: bad, budget: 60, seed: 1 }), named("optimize: runsPerCandidate"));
      await refused((e) => optimize(e, specs, { objective: "gain final", budget: bad, seed: 1 }), named("optimize: budget"));
      await refused((e) => verify(e, specs, { spec: "level final >= 1", maxRuns: bad, seed: 1 }), named("verify: maxRuns"));
      await refused((e) => verify(e, specs, { spec: "level final >= 1", batch: bad, seed: 1 }), named("verify: batch"));
      await refused((e) => verify(e, specs, { spec: "level final >= 1", seedsPerCorner: bad, seed: 1 }), named("verify: seedsPerCorner"));
    });
  }

  it("refuses an empty corners list and a target or confidence outside (0, 1), and takes 1 as the smallest count", async () => {
    await refused((e) => optimize(e, specs, { objective: "gain final", corners: [], seed: 1 }), /optimize: corners is empty: give at least one corner/);
    await refused((e) => verify(e, specs, { spec: "level final >= 1", corners: [], seed: 1 }), /verify: corners is empty/);
    await refused((e) => verify(e, specs, { spec: "level final >= 1", compareCorners: [], seed: 1 }), /verify: compareCorners is empty/);
    for (const target of [0, 1, -0.5, NaN]) await refused((e) => verify(e, specs, { spec: "level final >= 1", target, seed: 1 }), /verify: target .* is not valid: use a number between 0 and 1/);
    // the smallest counts run: one seed a point, a batch of one, one run
    const { evaluator } = fakeEvaluator(specs, () => ({ level: 1, gain: 1 }));
    expect((await verify(evaluator, specs, { spec: "level final >= 1", target: 0.01, maxRuns: 1, batch: 1, seed: 1 })).yield.n).to.equal(1);
    expect((await worstCase(evaluator, specs, { objective: "level final", seedsPerPoint: 1, budget: 11, seed: 1 })).runs).to.be.at.most(11);
  });
});

describe("the design loop's over list", () => {
  const specs: ParamSpecs = { fee: param.float({ default: 0.5, min: 0, max: 1 }), x: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }) };
  it("refuses a param named twice (--over x,x) before any run, in every search", async () => {
    const searches: [string, (e: Evaluator) => Promise<unknown>][] = [
      ["worstCase", (e) => worstCase(e, specs, { objective: "level final", over: ["x", "x"], budget: 60, seed: 1 })],
      ["corners", (e) => corners(e, specs, { specs: [{ name: "low", objective: "level final" }], over: ["x", "x"], seed: 1 })],
      ["optimize", (e) => optimize(e, specs, { objective: "gain final", over: ["fee", "fee"], budget: 60, seed: 1 })],
      ["verify", (e) => verify(e, specs, { spec: "level final >= 1", over: ["x", "x"], seed: 1 })],
    ];
    for (const [what, run] of searches) {
      const { evaluator } = fakeEvaluator(specs, () => ({ level: 1, gain: 1 }));
      const error = await run(evaluator).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, what).to.be.instanceOf(TokenspiceError);
      expect((error as TokenspiceError).code).to.equal("OPTION_INVALID");
      expect((error as Error).message).to.match(new RegExp(`^${what}: param "(x|fee)" is named twice in over; name each param once`));
      expect(evaluator.calls, `${what} refused before any run`).to.equal(0);
    }
  });
});

describe("the search trace ends on the answer (N4)", () => {
  const specs: ParamSpecs = {
    a: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }),
    b: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }),
    fee: param.float({ default: 0.5, min: 0, max: 1 }),
  };
  const kpis: Kpis = ({ a, b, fee }, r) => ({ level: ((a as number) - 0.3) ** 2 + ((b as number) - 0.6) ** 2 + 0.01 * r, gain: -(((fee as number) - 0.4) ** 2) + 0.01 * r });

  it("at every budget from the smallest, the last trace entry is the reported answer at the runs spent", async () => {
    // (a point the search asks for twice is read back, not run again: the runs spent bound the runs made)
    for (let budget = 14; budget <= 60; budget += 3) {
      const w = fakeEvaluator(specs, kpis);
      const r = await worstCase(w.evaluator, specs, { objective: "level final", seedsPerPoint: 1, budget, seed: budget });
      const last = r.trace[r.trace.length - 1];
      expect([last.evaluations, last.best], `worst case, budget ${budget}`).to.deep.equal([r.runs, r.objective.mean]);
      expect(w.keys.size).to.be.at.most(r.runs);
      expect(r.runs).to.be.at.most(budget);
    }
    for (let budget = 22; budget <= 80; budget += 2) {
      const o = fakeEvaluator(specs, kpis);
      const r = await optimize(o.evaluator, specs, { objective: "gain final", over: ["fee"], runsPerCandidate: 2, budget, seed: budget });
      const last = r.trace[r.trace.length - 1];
      expect([last.evaluations, last.best], `optimize, budget ${budget}`).to.deep.equal([r.runs, r.objective]);
      expect(o.keys.size).to.be.at.most(r.runs);
      expect(r.runs).to.be.at.most(budget);
    }
  });
});

describe("optimize at extreme magnitudes", () => {
  it("keeps an infeasible design below every feasible one whatever the objective's size (an objective in wei, minimised)", async () => {
    // cost = 1e21·(1 + fee) wei, minimised; feasible only for fee ≥ 0.6: the best is the least fee ≥ 0.6 tried
    for (const scale of [1e21, 1e-12, 1e300]) {
      const { evaluator, values } = fakeEvaluator(feeSpecs, ({ fee }) => ({ cost: scale * (1 + (fee as number)), ok: fee as number }));
      const r = await optimize(evaluator, feeSpecs, { objective: "cost final", goal: "min", over: ["fee"], constraints: ["ok final >= 0.6"], budget: 40, runsPerCandidate: 1, seed: 5 });
      const tried = [...values.keys()].map((key) => JSON.parse(key.split("/r")[0]).fee as number);
      expect(r.feasible, `scale ${scale}`).to.equal(true);
      expect(r.design.fee, `scale ${scale}`).to.equal(Math.min(...tried.filter((f) => f >= 0.6)));
      expect(r.trace.at(-1)!.best).to.equal(r.objective);
    }
  });

  it("counts a strict bound met with equality as broken", async () => {
    const { evaluator } = fakeEvaluator(feeSpecs, () => ({ gain: 1, level: 5 }));
    const r = await optimize(evaluator, feeSpecs, { objective: "gain final", over: ["fee"], constraints: ["level final > 5"], budget: 20, runsPerCandidate: 1, seed: 1 });
    expect(r.feasible).to.equal(false);
    expect(r.margins[0]).to.include({ margin: 0, met: false });
  });
});

describe("the searches' replicates (issue 16's naming pass)", () => {
  const specs: ParamSpecs = { x: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }), fee: param.float({ default: 0.5, min: 0, max: 1 }) };
  const kpis: Kpis = ({ x, fee }, r) => ({ level: (x as number) + r / 10, gain: (fee as number) * (1 + r) });

  it("replicates and each old name (seedsPerPoint, runsPerCandidate, seedsPerCorner) give the same search", async () => {
    const same = async <T>(run: (o: Record<string, number>, e: Evaluator) => Promise<T>, old: string, perPoint = true) => {
      const a = fakeEvaluator(specs, kpis);
      const b = fakeEvaluator(specs, kpis);
      const now = await run({ replicates: 2 }, a.evaluator);
      const before = await run({ [old]: 2 }, b.evaluator);
      expect(now, old).to.deep.equal(before);
      if (perPoint) expect([...a.keys].filter((k) => k.endsWith("/r1")).length, `${old}: 2 replicates per point`).to.equal(a.keys.size / 2);
    };
    await same((o, e) => worstCase(e, specs, { objective: "level final", over: ["x"], budget: 40, seed: 1, ...o }), "seedsPerPoint");
    await same((o, e) => corners(e, specs, { specs: [{ name: "low", objective: "level final" }], over: ["x"], budget: 40, seed: 1, ...o }), "seedsPerPoint");
    await same((o, e) => optimize(e, specs, { objective: "gain final", over: ["fee"], budget: 40, seed: 1, ...o }), "runsPerCandidate");
    await same(
      (o, e) => verify(e, specs, { spec: "level final >= 0", over: ["x"], maxRuns: 10, batch: 10, compareCorners: [{ name: "c", params: { x: 0.2 } }], seed: 1, ...o }),
      "seedsPerCorner",
      false,
    );
    const v = await verify(fakeEvaluator(specs, kpis).evaluator, specs, {
      spec: "level final >= 0",
      over: ["x"],
      maxRuns: 10,
      batch: 10,
      compareCorners: [{ name: "c", params: { x: 0.2 } }],
      replicates: 3,
      seed: 1,
    });
    expect(v.cornerCheck?.corners[0]).to.include({ k: 3, n: 3 });
  });

  it("refuses replicates given with its old name, and names replicates in its own messages", async () => {
    const e = fakeEvaluator(specs, kpis).evaluator;
    const both = await worstCase(e, specs, { objective: "level final", over: ["x"], replicates: 2, seedsPerPoint: 2, seed: 1 }).catch((error: TokenspiceError) => error);
    expect(both).to.include({ code: "OPTION_INVALID", message: "worstCase: seedsPerPoint is the old name of replicates: give replicates only." });
    const zero = await optimize(e, specs, { objective: "gain final", over: ["fee"], replicates: 0, seed: 1 }).catch((error: TokenspiceError) => error);
    expect(zero).to.include({ code: "OPTION_INVALID", message: "optimize: replicates 0 is not valid: use a whole number, 1 or more." });
  });
});
