import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { param, parseParamAssignments, resolveParams, formatParamAssignments } from "../../src/model/params";

const specs = {
  feeBps: param.int({ default: 30, min: 0, max: 1000 }),
  volatility: param.float({ default: 0.05, min: 0, max: 0.5, kind: "uncontrollable" }),
  arbitrage: param.bool({ default: true }),
  curve: param.choice({ choices: ["linear", "exp"], default: "exp" }),
};

describe("params", () => {
  it("fills defaults and marks kind", () => {
    expect(resolveParams("amm", specs)).to.deep.equal({ feeBps: 30, volatility: 0.05, arbitrage: true, curve: "exp" });
    expect(specs.feeBps.kind).to.equal("controllable");
    expect(specs.volatility.kind).to.equal("uncontrollable");
  });

  it("parses typed values from text", () => {
    const p = resolveParams("amm", specs, { feeBps: "100", volatility: "0.25", arbitrage: "false", curve: "linear" }, true);
    expect(p).to.deep.equal({ feeBps: 100, volatility: 0.25, arbitrage: false, curve: "linear" });
  });

  it("names an unknown param and lists the known ones", () => {
    expect(() => resolveParams("amm", specs, { fee: 1 })).to.throw(TokenspiceError, /Unknown param "fee" for netlist "amm".*feeBps \(int in \[0, 1000\]\)/);
  });

  it("rejects wrong types with what would be valid", () => {
    expect(() => resolveParams("amm", specs, { feeBps: "abc" }, true)).to.throw(/Param "feeBps" of netlist "amm": "abc" is not a decimal integer\. Valid: int in \[0, 1000\]/);
    expect(() => resolveParams("amm", specs, { feeBps: 1.5 })).to.throw(/1\.5 is not an integer/);
    expect(() => resolveParams("amm", specs, { volatility: "x" }, true)).to.throw(/"x" is not a decimal number/);
    expect(() => resolveParams("amm", specs, { arbitrage: "yes" }, true)).to.throw(/"yes" is not a boolean\. Valid: bool/);
    expect(() => resolveParams("amm", specs, { curve: "cubic" }, true)).to.throw(/"cubic" is not a choice\. Valid: one of "linear", "exp"/);
  });

  it("rejects out-of-range values", () => {
    expect(() => resolveParams("amm", specs, { feeBps: "1001" }, true)).to.throw(/1001 is out of range\. Valid: int in \[0, 1000\]/);
    expect(() => resolveParams("amm", specs, { volatility: -0.1 })).to.throw(/-0\.1 is out of range/);
  });

  it("parses k=v,k=v and rejects malformed text", () => {
    expect(parseParamAssignments("feeBps=30, volatility=0.1")).to.deep.equal({ feeBps: "30", volatility: "0.1" });
    for (const bad of ["", "feeBps", "=3", "feeBps=", "a=1,a=2", "fee-bps=3", "feeBps=1,,x=2"]) {
      expect(() => parseParamAssignments(bad), bad).to.throw(TokenspiceError, /Malformed --params/);
    }
  });

  it("round-trips through the --params format", () => {
    const p = resolveParams("amm", specs, { feeBps: 5 });
    expect(resolveParams("amm", specs, parseParamAssignments(formatParamAssignments(p)), true)).to.deep.equal(p);
  });

  it("escapes commas and backslashes in values, so every choice can be given on the command line", () => {
    const awkward = { label: param.choice({ choices: ["a,b", "x y", "k=v", "back\\slash", "tail\\", "plain"], default: "plain" }) };
    for (const label of awkward.label.choices) {
      const text = formatParamAssignments({ label });
      expect(resolveParams("n", awkward, parseParamAssignments(text), true), text).to.deep.equal({ label });
    }
    expect(formatParamAssignments({ label: "a,b", n: 2 })).to.equal("label=a\\,b,n=2");
    expect(parseParamAssignments("label=k=v,x=1")).to.deep.equal({ label: "k=v", x: "1" });
    expect(() => parseParamAssignments("label=a\\b")).to.throw(TokenspiceError, /a backslash must be followed by , or \\/);
  });

  it("does not mistake Object.prototype's keys for params", () => {
    expect(() => resolveParams("amm", specs, { toString: 1 })).to.throw(TokenspiceError, /Unknown param "toString"/);
    expect(parseParamAssignments("constructor=1")).to.deep.equal({ constructor: "1" });
  });

  it("checks the specs themselves", () => {
    expect(() => param.int({ default: 5, min: 10 })).to.throw(/outside/);
    expect(() => param.int({ default: 1.5 })).to.throw(/not a safe integer/);
    expect(() => param.float({ default: 0, min: 1, max: 0 })).to.throw(/min 1 > max 0/);
    expect(() => param.choice({ choices: ["a"], default: "b" as "a" })).to.throw(/not one of the choices/);
  });
});
