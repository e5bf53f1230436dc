// KPI tests in a Hardhat 3 user's node:test suite (`npx hardhat test nodejs`), run by test/hardhat3.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { network } from "hardhat";

describe("the jar, from node:test on Hardhat 3", () => {
  it("runs on a connection's chain with connection.tokenspice: the total never negative", async () => {
    const connection = await network.create();
    const result = await connection.tokenspice.run("jar", { seed: 2 });
    assert.equal(result.ticks, 10);
    assert.ok(result.kpi<bigint>("total").values.every((v) => v >= 0n));
  });

  it("checks a KPI property over greed with fast-check", async () => {
    const connection = await network.create();
    const summary = await connection.tokenspice.check("jar", {
      params: { greed: fc.double({ min: 0, max: 1, noNaN: true }) },
      property: (r) => r.kpi<bigint>("total").values.at(-1)! >= 0n,
      runs: 4,
      seed: 5,
    });
    assert.equal(summary.runs, 4);
  });
});
