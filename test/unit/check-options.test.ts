import { expect } from "chai";
import * as fc from "fast-check";
import { defineNetlist, param } from "../../src/api";
import { checkInput } from "../../src/check/arbitraries";
import { resolveCheck, type CheckDefaults } from "../../src/check/options";
import { TokenspiceError } from "../../src/errors";
import type { LoadedNetlist } from "../../src/runner/netlists";

/** A property check's options, resolved once (src/check/options.ts): no simulation, no Hardhat. */
const netlist = defineNetlist({
  description: "options",
  time: { steps: 12, stepSeconds: 60 },
  params: { fee: param.int({ default: 30, min: 0, max: 100 }), mode: param.choice({ default: "a", choices: ["a", "b"] }), on: param.bool({ default: true }) },
  setup: async () => ({ world: {}, agents: [] }),
  kpis: { x: () => 1 },
});
const loaded: LoadedNetlist = { name: "opts", file: "opts.ts", netlist };
const property = () => true;

function defaults(over: Partial<CheckDefaults> = {}): CheckDefaults & { lines: string[] } {
  const lines: string[] = [];
  return { runs: 7, seed: undefined, outDir: "/nowhere", log: (line) => lines.push(line), lines, ...over };
}
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(TokenspiceError);
    return (error as TokenspiceError).code;
  }
  throw new Error("did not throw");
};

describe("check options, resolved once", () => {
  it("decides each param's draw (spec, the caller's arbitrary, or a fixed value checked against its spec) and the defaults", () => {
    const arbitrary = fc.constantFrom("a", "b");
    const check = resolveCheck(loaded, { property, params: { mode: arbitrary, on: false } }, defaults({ seed: 5 }));
    expect(Object.keys(check.params)).to.deep.equal(["fee", "mode", "on"]);
    expect(check.params.fee).to.deep.include({ from: "spec" });
    expect(check.params.mode).to.deep.equal({ from: "arbitrary", arbitrary });
    expect(check.params.on).to.deep.equal({ from: "fixed", value: false });
    expect(check).to.include({ netlist: "opts", steps: 12, runs: 7, seed: 5, shrinkSteps: false, timeLimitMs: undefined, replay: undefined });
  });

  it("the seed: a replay's, else the option's, else config's, else random and logged", () => {
    expect(resolveCheck(loaded, { property, seed: 3, replay: { seed: 9, path: "0:1" } }, defaults({ seed: 5 })).seed).to.equal(9);
    expect(resolveCheck(loaded, { property, seed: 3 }, defaults({ seed: 5 })).seed).to.equal(3);
    const d = defaults();
    const random = resolveCheck(loaded, { property }, d).seed;
    expect(d.lines).to.deep.equal([`check("opts"): fast-check seed ${random} (TOKENSPICE_SEED=${random} repeats this search)`]);
  });

  it("refuses bad options before logging a seed, each with its code", () => {
    const d = defaults();
    expect(codeOf(() => resolveCheck(loaded, {}, d))).to.equal("CHECK_INVALID");
    expect(codeOf(() => resolveCheck(loaded, { property, timeLimitMs: 0 }, d))).to.equal("CHECK_INVALID");
    expect(codeOf(() => resolveCheck(loaded, { property, runs: 0 }, d))).to.equal("CHECK_INVALID");
    expect(codeOf(() => resolveCheck(loaded, { property, params: { nope: 1 } }, d))).to.equal("PARAM_UNKNOWN");
    expect(codeOf(() => resolveCheck(loaded, { property, params: { fee: 101 } }, d))).to.equal("PARAM_INVALID");
    expect(d.lines).to.deep.equal([]);
  });

  it("the input draws the fixed value as given, the horizon at its most (shrinkable only with shrinkSteps)", () => {
    const check = resolveCheck(loaded, { property, params: { fee: 40 }, shrinkSteps: true }, defaults({ seed: 1 }));
    const [[params, simSeed, steps]] = fc.sample(checkInput(fc, check), { seed: 1, numRuns: 1 });
    expect(params.fee).to.equal(40);
    expect(["a", "b"]).to.include(params.mode);
    expect(Number.isInteger(simSeed) && simSeed >= 0).to.equal(true);
    expect(steps).to.equal(12);
  });
});
