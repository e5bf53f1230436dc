import { expect } from "chai";
import { SIM_EDR_ENV, chooseSimEdr } from "../../src/hardhat/sim-network";
import { loadEdrNext } from "../../src/hardhat/edr-provider";
import { thrownBy } from "./thrown";

/** Which EDR the Hardhat 2 simulation network runs on (src/hardhat/sim-network.ts, `chooseSimEdr`). */
describe("simulation network: the choice of EDR", function () {
  const available = loadEdrNext() !== null;

  it("takes Hardhat's EDR when TOKENSPICE_EDR=hardhat, and for every fork", function () {
    expect(chooseSimEdr("osaka", false, { [SIM_EDR_ENV]: "hardhat" })).to.equal("hardhat");
    expect(chooseSimEdr("osaka", true, {})).to.equal("hardhat");
    expect(chooseSimEdr("osaka", true, { [SIM_EDR_ENV]: "auto" })).to.equal("hardhat");
  });

  it("takes EDR 0.22 by default where it is installed and knows the hardfork, Hardhat's EDR for older hardforks", function () {
    for (const env of [{}, { [SIM_EDR_ENV]: "" }, { [SIM_EDR_ENV]: "auto" }]) {
      expect(chooseSimEdr("osaka", false, env)).to.equal(available ? "0.22" : "hardhat");
      expect(chooseSimEdr("byzantium", false, env)).to.equal(available ? "0.22" : "hardhat");
      expect(chooseSimEdr("spuriousDragon", false, env)).to.equal("hardhat");
    }
  });

  it("refuses another value, naming the valid ones", function () {
    const error = thrownBy(() => chooseSimEdr("osaka", false, { [SIM_EDR_ENV]: "0.12" }));
    expect(error.code).to.equal("OPTION_INVALID");
    expect(error.message).to.equal(`TOKENSPICE_EDR="0.12" is not a choice of EDR: use "auto" (the default), "hardhat" or "0.22".`);
  });

  it("refuses TOKENSPICE_EDR=0.22 where EDR 0.22 cannot run the network, saying why", function () {
    const fork = thrownBy(() => chooseSimEdr("osaka", true, { [SIM_EDR_ENV]: "0.22" }));
    expect(fork.code).to.equal("OPTION_INVALID");
    expect(fork.message).to.match(available ? /^TOKENSPICE_EDR=0\.22 cannot be used: the network forks a chain/ : /^TOKENSPICE_EDR=0\.22 cannot be used: EDR 0\.22 .* is not installed/);
    if (!available) return;
    const old = thrownBy(() => chooseSimEdr("homestead", false, { [SIM_EDR_ENV]: "0.22" }));
    expect(old.message).to.equal(`TOKENSPICE_EDR=0.22 cannot be used: EDR 0.22 does not simulate hardfork "homestead" (it knows byzantium and later). Unset TOKENSPICE_EDR to let the plugin choose.`);
  });
});
