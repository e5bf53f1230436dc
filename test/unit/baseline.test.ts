import { expect } from "chai";
import { compareBaseline, makeBaseline } from "../../src/runner/baseline";
import { SimResult } from "../../src/runner/result";

const spec = (steps: number) => ({
  netlist: { name: "demo", file: "sims/demo.ts" },
  params: { fee: 30 },
  seed: 7,
  steps,
  stepTimeoutMs: null,
  network: { name: "hardhat", chainId: 31337 },
});
const result = (supply: bigint[], price: number[]) =>
  new SimResult(spec(supply.length - 1), "npx hardhat sim demo", {
    ticks: supply.length - 1,
    kpiNames: ["supply", "price"],
    samples: supply.map((s, i) => ({ tick: i, time: 1000 + i, values: { supply: s, price: price[i] } })),
    reverts: [],
    gasUsed: {},
    transactions: {},
    blockTime: "tick",
    deployments: [],
  });

describe("KPI baselines", () => {
  const base = makeBaseline(result([10n ** 24n, 2n * 10n ** 24n], [1, 1.5]));

  it("records the run and each KPI's final, min, max and mean, bigints exact", () => {
    expect(base.run).to.deep.equal({ seed: 7, steps: 1, params: { fee: 30 } });
    expect(base.kpis.supply).to.deep.equal({ final: "2000000000000000000000000", min: "1000000000000000000000000", max: "2000000000000000000000000", mean: 1.5e24 });
    expect(base.tolerance).to.deep.equal({ relative: 0.01 });
  });

  it("passes within tolerance and names what moved outside it", () => {
    expect(compareBaseline(result([10n ** 24n, 2n * 10n ** 24n + 10n ** 21n], [1, 1.5]), base).every((r) => r.ok)).to.equal(true); // +0.05%
    const rows = compareBaseline(result([10n ** 24n, 3n * 10n ** 24n], [1, 1.5]), base).filter((r) => !r.ok);
    expect(rows.map((r) => `${r.kpi}.${r.stat}`)).to.deep.equal(["supply.final", "supply.max", "supply.mean"]);
  });

  it("uses per-KPI tolerances, exact when zero", () => {
    const strict = { ...base, kpiTolerances: { price: { absolute: 0 } } };
    const rows = compareBaseline(result([10n ** 24n, 2n * 10n ** 24n], [1, 1.5000001]), strict).filter((r) => !r.ok);
    expect(rows.map((r) => `${r.kpi}.${r.stat} ${r.allowed}`)).to.deep.equal(["price.final exact", "price.max exact", "price.mean exact"]);
  });

  it("fails on a KPI missing from the run or missing from the baseline", () => {
    const renamed = { ...base, kpis: { supply: base.kpis.supply, oldPrice: base.kpis.price } };
    const rows = compareBaseline(result([1n, 2n], [1, 2]), renamed).filter((r) => !r.ok && r.stat === "—");
    expect(rows.map((r) => `${r.kpi}: ${r.actual}`)).to.deep.equal(["oldPrice: missing from the run", "price: new KPI"]);
  });
});
