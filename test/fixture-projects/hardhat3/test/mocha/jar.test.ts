// KPI tests in a Hardhat 3 user's mocha suite (`npx hardhat test mocha`), run by test/hardhat3.test.ts.
import { expect, use } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { tokenspiceChai } from "hardhat-tokenspice/chai";
import { TokenspicePluginError } from "hardhat-tokenspice/hardhat3";

use(tokenspiceChai); // chai 5: the KPI series assertions are registered by the user, not by the plugin

describe("the jar, from hardhat test on Hardhat 3", () => {
  it("runs with hre.tokenspice: 10 ticks, the total never negative", async () => {
    const result = await hre.tokenspice.run("jar", { seed: 1 });
    expect(result.ticks).to.equal(10);
    expect(result.kpi<bigint>("total").values.every((v) => v >= 0n)).to.equal(true);
    expect(result.kpi("total")).to.never.dropBelow(0n);
    expect(result.kpi("total")).to.stay.within(0n, 100n);
    expect(() => expect(result.kpi("total")).to.be.nonDecreasing).to.throw(/total/);
  });

  it("checks a KPI property over greed with fast-check", async () => {
    const summary = await hre.tokenspice.check("jar", {
      params: { greed: fc.double({ min: 0, max: 1, noNaN: true }) },
      invariant: (s) => s.kpi<bigint>("total") >= 0n,
      runs: 5,
      seed: 1,
    });
    expect(summary.runs).to.equal(5);
  });

  it("refuses an unknown netlist with a plugin error that keeps its code", async () => {
    const error = await hre.tokenspice.run("no-such-netlist").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TokenspicePluginError);
    expect((error as TokenspicePluginError).code).to.equal("NETLIST_NOT_FOUND");
    expect((error as TokenspicePluginError).exitCode).to.equal(2);
  });
});
