import { expect } from "chai";
import { defineNetlist, param } from "../../src/api";
import { kpiInfo } from "../../src/model/netlist";
import { paramSpecInfo } from "../../src/model/params";
import { TokenspiceError } from "../../src/errors";

const base = { description: "meta", time: { steps: 1, stepSeconds: 1 }, setup: async () => ({ world: {}, agents: [] }) };

describe("KPI metadata in defineNetlist", () => {
  it("resolves functions and records alike, in declared order, with defaults filled in", () => {
    const n = defineNetlist({
      ...base,
      kpis: {
        plain: () => 1,
        price: { value: () => 2, label: "Pool price", unit: "USD", scale: "log", group: "prices", doc: "USD per token" },
        supply: { value: () => 3n, unit: "OCEAN", decimals: 18 },
      },
    });
    expect(kpiInfo(n)).to.deep.equal([
      { name: "plain", label: "plain", unit: "", decimals: 0, scale: "linear", group: null, doc: "" },
      { name: "price", label: "Pool price", unit: "USD", decimals: 0, scale: "log", group: "prices", doc: "USD per token" },
      { name: "supply", label: "supply", unit: "OCEAN", decimals: 18, scale: "linear", group: null, doc: "" },
    ]);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["a value that is neither function nor record", { x: 5 }, /KPI "x" must be a function, or a record \{ value: \(ctx\) => \.\.\./],
    ["a record without value", { x: { label: "X" } }, /KPI "x" has no value function/],
    ["an unknown key (a typo)", { x: { value: () => 1, unti: "USD" } }, /KPI "x" has an unknown key "unti" \(known: value, label, unit, decimals, scale, group, doc\)/],
    ["negative decimals", { x: { value: () => 1, decimals: -1 } }, /KPI "x" decimals must be an integer in \[0, 77\], got -1/],
    ["fractional decimals", { x: { value: () => 1, decimals: 1.5 } }, /decimals must be an integer/],
    ["an unknown scale", { x: { value: () => 1, scale: "exp" } }, /KPI "x" scale must be "linear" or "log", got "exp"/],
    ["a label that is not a string", { x: { value: () => 1, label: 3 } }, /KPI "x" label must be a string, got number/],
    ["an empty group", { x: { value: () => 1, group: " " } }, /KPI "x" group must not be empty/],
    ["a reserved name", { timestamp: { value: () => 1 } }, /"timestamp": kpis\.csv already has a "timestamp" column/],
    [
      "a group whose KPIs disagree on unit",
      { a: { value: () => 1, unit: "USD", group: "g" }, b: { value: () => 1, unit: "OCEAN", group: "g" } },
      /KPIs "a" and "b" share group "g" \(one chart, one axis\) but differ in unit: "USD" vs "OCEAN"/,
    ],
    ["a group whose KPIs disagree on scale", { a: { value: () => 1, scale: "log", group: "g" }, b: { value: () => 1, group: "g" } }, /share group "g" .* differ in scale: "log" vs "linear"/],
  ];
  for (const [what, kpis, message] of cases) {
    it(`refuses ${what} with a TokenspiceError naming the netlist and KPI`, () => {
      expect(() => defineNetlist({ ...base, kpis: kpis as any }))
        .to.throw(TokenspiceError, /^defineNetlist\("meta"\): /)
        .and.to.match(message);
    });
  }

  it("refuses a sample hook that is not a function", () => {
    expect(() => defineNetlist({ ...base, sample: 3 as any, kpis: {} })).to.throw(TokenspiceError, /sample must be a function/);
  });

  it("lets group members differ in decimals (the same unit, scaled differently)", () => {
    const n = defineNetlist({ ...base, kpis: { a: { value: () => 1n, unit: "T", decimals: 18, group: "g" }, b: { value: () => 1, unit: "T", group: "g" } } });
    expect(kpiInfo(n).map((k) => k.decimals)).to.deep.equal([18, 0]);
  });
});

describe("paramSpecInfo", () => {
  it("gives each param's type, kind, default, doc and range as plain JSON", () => {
    const specs = {
      fee: param.int({ default: 30, min: 0, max: 1000, doc: "bps" }),
      vol: param.float({ default: 0.5, kind: "uncontrollable" }),
      on: param.bool({ default: true }),
      curve: param.choice({ choices: ["a", "b"], default: "b" }),
    };
    expect(JSON.parse(JSON.stringify(paramSpecInfo(specs)))).to.deep.equal({
      fee: { type: "int", kind: "controllable", default: 30, doc: "bps", min: 0, max: 1000 },
      vol: { type: "float", kind: "uncontrollable", default: 0.5 },
      on: { type: "bool", kind: "controllable", default: true },
      curve: { type: "choice", kind: "controllable", default: "b", choices: ["a", "b"] },
    });
  });
});
