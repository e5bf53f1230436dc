/**
 * The KPI series assertions for `chai.use()`: `hardhat-tokenspice/chai`. The Hardhat 2 entry
 * registers them with the project's chai by itself; on Hardhat 3 (chai 5, ES modules) the user
 * does: `import { use } from "chai"; import { tokenspiceChai } from "hardhat-tokenspice/chai";
 * use(tokenspiceChai);`. The assertions are listed in ./series-assertions.ts.
 */
import "./types";

export { tokenspiceChai } from "./series-assertions";
