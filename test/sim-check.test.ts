import { expect } from "chai";
import { cliIn, fixture } from "./helpers";

// `npx hardhat sim-check`: the netlists' checks files run as a test suite (sims/treasury.checks.ts in the
// testbed holds one check that passes and one that FlawedTreasury's flawed floor check breaks).
describe("sim-check (testbed fixture project)", function () {
  this.timeout(300_000);
  const testbed = fixture("testbed");

  it("runs every checks file: a line per check, the failure's shrunk report, exit code 1", () => {
    const r = cliIn(testbed, ["sim-check", "--no-compile"]);
    expect(r.status, r.output).to.equal(1);
    expect(r.stdout).to.include("treasury (sims/treasury.checks.ts)");
    expect(r.stdout).to.match(/✔ keeps its floor at 100 a tick \(2 runs, fast-check seed 1\)/);
    expect(r.stdout).to.include("1) keeps its floor at any withdrawal");
    expect(r.stdout).to.match(/1 passing\n\s+1 failing/);
    // The failure's report: shrunk to the flaw's threshold, with the command that reproduces it.
    expect(r.stdout).to.include("1) treasury: keeps its floor at any withdrawal");
    expect(r.stdout).to.match(/shrunk to\s+params withdrawPerTick=501/);
    expect(r.stdout).to.match(/reproduce\s+npx hardhat sim treasury --seed 0 --steps 10 --params withdrawPerTick=501/);
    expect(r.stderr).to.include("1 of 2 netlist checks failed: treasury: keeps its floor at any withdrawal.");
  });

  it("refuses a file that is not a checks file, naming the forms that are (exit code 2)", () => {
    const r = cliIn(testbed, ["sim-check", "sims/treasury.ts", "--no-compile"]);
    expect(r.status, r.output).to.equal(2);
    expect(r.stderr).to.include("sims/treasury.ts is not a netlist's checks file: name it sims/<netlist>.checks.ts or sims/<netlist>/checks.ts");
  });
});
