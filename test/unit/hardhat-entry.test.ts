import { expect } from "chai";
import { assertHardhatEntry } from "../../src/runtime/hardhat-entry";
import { thrownBy } from "./thrown";

describe("assertHardhatEntry: each entry refuses the other Hardhat with one clear error", () => {
  it("passes the entry's own version, a version it cannot read, and majors it does not know", () => {
    expect(() => assertHardhatEntry(2, "2.29.1")).to.not.throw();
    expect(() => assertHardhatEntry(3, "3.18.0")).to.not.throw();
    expect(() => assertHardhatEntry(2, undefined)).to.not.throw();
    expect(() => assertHardhatEntry(3, "4.0.0")).to.not.throw();
  });

  it("the package root in a Hardhat 3 project names the Hardhat 3 entry and hardhat-tokenspice/api", () => {
    const e = thrownBy(() => assertHardhatEntry(2, "3.18.0"));
    expect(e.code).to.equal("HARDHAT_VERSION_MISMATCH");
    expect(e.exitCode).to.equal(2);
    expect(e.message).to.include("This project has Hardhat 3.18.0, and this is hardhat-tokenspice's Hardhat 2 entry.");
    expect(e.message).to.include('import tokenspice from "hardhat-tokenspice/hardhat3"');
    expect(e.message).to.include('"hardhat-tokenspice/api"');
  });

  it("the Hardhat 3 entry in a Hardhat 2 project names the package root", () => {
    const e = thrownBy(() => assertHardhatEntry(3, "2.28.0"));
    expect(e.message).to.include('On Hardhat 2, add the plugin with `import "hardhat-tokenspice"`');
  });
});
