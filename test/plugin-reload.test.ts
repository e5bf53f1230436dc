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
    expect(typeof first.never, "the KPI assertions are registered").to.equal("function");
    load();
    load();
    const third = installed();
    // compared with ===: chai's methods are proxies that refuse unknown properties, and
    // hardhat-chai-matchers' `equal` (loaded by other tests' projects) probes its operands for getAddress
    expect(third.never === first.never, "the same `never`: not wrapped again").to.equal(true);
    expect(third.within === first.within, "the same `within`: not wrapped again").to.equal(true);
    expect(third.sigint).to.equal(first.sigint);
    expect(third.sigterm).to.equal(first.sigterm);
  });
});
