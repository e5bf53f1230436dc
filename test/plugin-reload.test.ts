import { expect } from "chai";
import chai from "chai";
import { resetHardhatContext } from "hardhat/plugins-testing";
import { fixture } from "./helpers";

/**
 * Hardhat 2's `resetHardhatContext()` unloads every module loaded with the config, the plugin's own
 * included, and the next `require("hardhat")` loads them afresh. What the plugin installs into
 * objects that outlive a reload (the test's chai, the process's signal handlers) must not pile up
 * with every environment a test process makes.
 */
describe("the plugin loaded again after resetHardhatContext()", function () {
  let previousCwd: string;
  before(() => {
    previousCwd = process.cwd();
    process.chdir(fixture("testbed"));
  });
  after(() => {
    resetHardhatContext();
    process.chdir(previousCwd);
  });

  const load = () => {
    resetHardhatContext();
    require("hardhat");
  };
  const installed = () => ({
    never: Object.getOwnPropertyDescriptor(chai.Assertion.prototype, "never")?.get,
    within: Object.getOwnPropertyDescriptor(chai.Assertion.prototype, "within")?.value,
    sigint: process.listenerCount("SIGINT"),
    sigterm: process.listenerCount("SIGTERM"),
  });

  it("registers the KPI assertions on chai once, and adds no signal handlers", () => {
    load();
    const first = installed();
    expect(first.never, "the KPI assertions are registered").to.be.a("function");
    load();
    load();
    const third = installed();
    expect(third.never, "the same `never`: not wrapped again").to.equal(first.never);
    expect(third.within, "the same `within`: not wrapped again").to.equal(first.within);
    expect(third.sigint).to.equal(first.sigint);
    expect(third.sigterm).to.equal(first.sigterm);
  });
});
