import { expect } from "chai";
import fs from "fs";
import { defineNetlist, param } from "../../src/api";
import { thrownBy } from "./thrown";

/** The 1-based line of this file holding `marker` (so the test does not hard-code a line number). */
function lineOf(marker: string): number {
  const lines = fs.readFileSync(__filename, "utf8").split("\n");
  const index = lines.findIndex((line) => line.includes(marker) && !line.includes("lineOf("));
  expect(index, `marker ${marker}`).to.be.greaterThan(-1);
  return index + 1;
}

const base = { description: "site", setup: async () => ({ world: {}, agents: [] }), kpis: { one: () => 1 }, time: { steps: 2, stepSeconds: 60 } };

describe("an invalid netlist names the line that declared it", () => {
  it("ends NETLIST_INVALID's message with the file and line of the defineNetlist call", () => {
    const error = thrownBy(() => defineNetlist({ ...base, time: { steps: 0, stepSeconds: 60 } })); // MARK-steps
    expect(error).to.include({ code: "NETLIST_INVALID" });
    const site = error.details.at as string;
    expect(site).to.match(new RegExp(`^test/unit/call-site\\.test\\.ts:${lineOf("MARK-steps")}:\\d+$`));
    expect(error.message).to.equal(`defineNetlist("site"): time.steps must be a positive integer (at ${site})`);
  });

  it("names the line for an invalid KPI and an invalid param name too", () => {
    const kpi = thrownBy(() => defineNetlist({ ...base, kpis: { one: { value: () => 1, unit: 3 as any } } })); // MARK-kpi
    expect(kpi.message).to.match(new RegExp(`^defineNetlist\\("site"\\): KPI "one" .*\\(at test/unit/call-site\\.test\\.ts:${lineOf("MARK-kpi")}:\\d+\\)$`));
    const name = thrownBy(() => defineNetlist({ ...base, params: { "bad name": param.int({ default: 1 }) } as any })); // MARK-param
    expect(name.details.at, name.message).to.match(new RegExp(`^test/unit/call-site\\.test\\.ts:${lineOf("MARK-param")}:\\d+$`));
  });

  it("leaves a valid netlist as it was", () => {
    const netlist = defineNetlist(base);
    expect(netlist.description).to.equal("site");
  });
});
