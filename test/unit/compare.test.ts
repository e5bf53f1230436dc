import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { createRng } from "../../src/model/rng";
import { param, type ParamSpecs } from "../../src/model/params";
import { compare } from "../../src/search/compare";
import { fakeEvaluator } from "./fake-evaluator";

/**
 * sim-compare's loop (src/search/compare.ts) on a stand-in evaluator whose KPIs are closed-form
 * functions of the params and the seed (replicate): the pairs share their seed, the differences are
 * the design's effect alone, and the verdicts follow.
 */
const specs: ParamSpecs = {
  fee: param.float({ default: 0.003, min: 0, max: 0.1 }),
  vol: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable", dist: { type: "uniform" } }),
};

// per seed r: a common draw z_r; revenue = 1000·fee·(1 + 0.5·z) (its difference is 1000·Δfee·(1 + 0.5z), mean 1000·Δfee);
// price = 100 + 20·z, which the fee does not move; loss = vol·fee (for over)
const z = (r: number) => createRng(`compare-test/${r}`).normal();
const kpis = ({ fee, vol }: Record<string, unknown>, r: number) => ({ revenue: 1000 * (fee as number) * (1 + 0.5 * z(r)), price: 100 + 20 * z(r), loss: (vol as number) * (fee as number) });

describe("compare: design A against design B on common seeds", () => {
  it("finds the known difference, runs A and B of a pair on one seed, and calls the untouched KPI no difference", async () => {
    const { evaluator, keys } = fakeEvaluator(specs, kpis);
    const r = await compare(evaluator, specs, { a: { fee: 0.003 }, b: { fee: "0.01" }, paramsFromText: true, replicates: 20, seed: 1 });
    expect(r.b).to.deep.equal({ fee: 0.01 });
    expect(r.kpis.map((k) => k.kpi)).to.deep.equal(["revenue final", "price final", "loss final"]);
    const [revenue, price] = r.kpis;
    expect(revenue.t.lo).to.be.below(7); // the true mean difference: 1000·0.007 = 7
    expect(revenue.t.hi).to.be.above(7);
    expect(revenue.verdict).to.equal("B higher");
    expect(revenue.differences).to.have.length(20);
    expect(price.verdict).to.equal("no detectable difference at this n");
    expect(price.t).to.deep.include({ lo: 0, hi: 0, p: 1 }); // the same on every seed
    expect(r.correction).to.equal("holm");
    expect(keys.size).to.equal(40);
    expect(r.pairs.every((p) => p.a !== p.b)).to.equal(true);
  });

  it("draws the uncontrollables over pairs, the same draw for A and B", async () => {
    const { evaluator } = fakeEvaluator(specs, kpis);
    const r = await compare(evaluator, specs, { a: { fee: 0.01 }, b: { fee: 0.02 }, kpis: ["loss final"], over: ["vol"], replicates: 10, seed: 2 });
    expect(new Set(r.pairs.map((p) => p.draw.vol)).size).to.equal(10);
    // loss B − A = vol·0.01 exactly, per pair
    r.kpis[0].differences.forEach((d, i) => expect(d).to.be.closeTo((r.pairs[i].draw.vol as number) * 0.01, 1e-15));
    expect(r.kpis[0].verdict).to.equal("B higher");
  });

  it("pairs to detect: a given effect is sized at the Holm family's strictest level", async () => {
    const { evaluator } = fakeEvaluator(specs, kpis);
    const r = await compare(evaluator, specs, { a: { fee: 0.003 }, b: { fee: 0.0031 }, kpis: ["revenue final", "price final"], effects: { "revenue final": 0.05 }, replicates: 5, seed: 1 });
    const [revenue] = r.kpis;
    expect(revenue.effectFrom).to.equal("given");
    expect(revenue.effect).to.equal(0.05);
    expect(revenue.pairsToDetect).to.be.above(5);
  });

  it("drops a pair with a failed run from every KPI, and counts it", async () => {
    const { evaluator } = fakeEvaluator(specs, (p, r) => (r === 3 && p.fee === 0.01 ? "failed" : kpis(p, r)));
    const r = await compare(evaluator, specs, { a: { fee: 0.003 }, b: { fee: 0.01 }, kpis: ["revenue final", "price final"], replicates: 8, seed: 1 });
    expect(r.failed).to.equal(1);
    expect(r.kpis.map((k) => k.n)).to.deep.equal([7, 7]);
    expect(Number.isNaN(r.kpis[0].differences[3])).to.equal(true);
  });

  it("refuses, before any run: one replicate, the same design twice, an empty design, a param both drawn and set, an effect for a KPI not compared", async () => {
    const cases: [string, object, RegExp][] = [
      ["one replicate", { a: { fee: 0.003 }, b: { fee: 0.01 }, replicates: 1 }, /replicates 1 is not valid: use a whole number, 2 or more/],
      ["the same design", { a: { fee: 0.003 }, b: { fee: 0.003, vol: 0.5 } }, /designs A and B are the same/],
      ["an empty design", { a: {}, b: { fee: 0.01 } }, /design A is empty/],
      ["drawn and set", { a: { fee: 0.003, vol: 0.2 }, b: { fee: 0.01 }, over: ["vol"] }, /param "vol" is both drawn \(over\) and set by a design/],
      [
        "an effect not compared",
        { a: { fee: 0.003 }, b: { fee: 0.01 }, kpis: ["revenue final"], effects: { "price final": 1 } },
        /effect is given for "price final", which is not among the KPIs compared/,
      ],
      ["a confidence of 1", { a: { fee: 0.003 }, b: { fee: 0.01 }, confidence: 1 }, /confidence 1 is not valid/],
    ];
    for (const [what, options, message] of cases) {
      const { evaluator } = fakeEvaluator(specs, kpis);
      const error = await compare(evaluator, specs, { ...(options as any), seed: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, what).to.be.instanceOf(TokenspiceError);
      expect((error as TokenspiceError).code, what).to.equal("OPTION_INVALID");
      expect((error as Error).message, what).to.match(message);
      expect(evaluator.calls, `${what}: refused before any run`).to.equal(0);
    }
    const { evaluator } = fakeEvaluator(specs, kpis);
    const unknown = await compare(evaluator, specs, { a: { fees: 0.003 }, b: { fee: 0.01 }, seed: 1 }).catch((e: unknown) => e);
    expect((unknown as TokenspiceError).code).to.equal("PARAM_UNKNOWN");
  });
});
