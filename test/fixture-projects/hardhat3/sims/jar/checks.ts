import { defineChecks } from "hardhat-tokenspice/api";
import jar from "./netlist";

// The jar's netlist checks: `npx hardhat test` runs them (the tokenspice runner) beside the mocha suite.
export default defineChecks(jar, {
  "the total never goes negative, whatever the greed": {
    invariant: (s) => s.kpi<bigint>("total") >= 0n,
    runs: 4,
    seed: 3,
  },
});
