import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { defineNetlist, param } from "../src/api";
import { errorOf, fixture, useEnvironment } from "./helpers";

describe("the netlist's sample hook and KPI metadata (testbed fixture project)", function () {
  useEnvironment(fixture("testbed"));
  const typechain = () => require("./fixture-projects/testbed/typechain-types");

  it("is called once per KPI sample, before the KPIs, and every KPI receives what it returned", async function () {
    const { Testbed__factory } = typechain();
    const calls: number[] = [];
    const seen: unknown[] = [];
    const netlist = defineNetlist({
      description: "sample hook",
      time: { steps: 5, stepSeconds: 60 },
      sampleEvery: 2,
      async setup({ deploy }) {
        const testbed: any = await deploy(Testbed__factory, 7n);
        return { world: { testbed }, agents: [] };
      },
      async sample({ world, tick }) {
        calls.push(tick);
        return { tick, value: (await world.testbed.limit()) as bigint };
      },
      kpis: {
        a: ({ sample }) => {
          seen.push(sample);
          return sample.value;
        },
        b: { value: ({ sample, tick }) => (seen.push(sample), sample.tick === tick ? 1 : 0), label: "B" },
      },
    });
    const r = await this.hre.tokenspice.run(netlist, { seed: 1 });
    expect(calls).to.deep.equal([0, 2, 4, 5]); // every 2 ticks, and always the last
    expect(r.kpi("b").values).to.deep.equal([1, 1, 1, 1]);
    expect(r.kpi("a").values).to.deep.equal([7n, 7n, 7n, 7n]);
    // both KPIs of a sample got the very object the hook returned for it
    for (let i = 0; i < seen.length; i += 2) expect(seen[i]).to.equal(seen[i + 1]);
  });

  it("names the hook, tick and seed when it throws", async function () {
    const error = await errorOf(() =>
      this.hre.tokenspice.run(
        defineNetlist({
          description: "bad hook",
          time: { steps: 3, stepSeconds: 60 },
          setup: async () => ({ world: {}, agents: [] }),
          sample: ({ tick }) => {
            if (tick === 2) throw new Error("no node");
            return tick;
          },
          kpis: { t: ({ sample }) => sample },
        }),
        { seed: 4 },
      ),
    );
    expect(error.message).to.match(/sample\(ctx\) threw \(netlist "bad-hook", tick 2, seed 4\): no node/);
  });

  it("writes KPI metadata and param specs into manifest.json", async function () {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-meta-"));
    try {
      await this.hre.tokenspice.run(
        defineNetlist({
          description: "meta",
          params: { rate: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable", doc: "A rate" }) },
          time: { steps: 1, stepSeconds: 60 },
          setup: async () => ({ world: {}, agents: [] }),
          kpis: { supply: { value: () => 10n ** 18n, label: "Supply", unit: "T", decimals: 18, group: "s", doc: "All of it" }, n: () => 1 },
        }),
        { seed: 1, out, force: true },
      );
      const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
      expect(manifest.kpis).to.deep.equal([
        { name: "supply", label: "Supply", unit: "T", decimals: 18, scale: "linear", group: "s", doc: "All of it" },
        { name: "n", label: "n", unit: "", decimals: 0, scale: "linear", group: null, doc: "" },
      ]);
      expect(manifest.paramSpecs).to.deep.equal({ rate: { type: "float", kind: "uncontrollable", default: 0.5, doc: "A rate", min: 0, max: 1 } });
      // the CSV stays exact whatever the display decimals
      expect(fs.readFileSync(path.join(out, "kpis.csv"), "utf8").split("\n")[1]).to.match(/,1000000000000000000,1$/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
