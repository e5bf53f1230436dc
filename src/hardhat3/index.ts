import "./require-hardhat3.js"; // first: the Hardhat 3 entry refuses a Hardhat 2 project with one clear error
import { TASKS } from "../cli/flags-table.js";
import { declareTask3 } from "./task-table.js";
import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { HardhatPlugin } from "hardhat/types/plugins";
import "./type-extensions.js";

/**
 * hardhat-tokenspice for Hardhat 3: `import tokenspice from "hardhat-tokenspice/hardhat3"` and
 * `plugins: [tokenspice]` in hardhat.config.ts. Hooks: config (`tokenspice` validated and resolved;
 * npm solc paths filled in for offline compilation), network (`connection.tokenspice`), hre
 * (`hre.tokenspice`), test (a netlist's checks file is the `tokenspice` runner's). Tasks load their
 * actions lazily; `test tokenspice` makes the netlists' checks part of `npx hardhat test`. The Hardhat 2 entry is the package root.
 */
const tokenspicePlugin: HardhatPlugin = {
  id: "hardhat-tokenspice",
  npmPackage: "hardhat-tokenspice",
  hookHandlers: {
    config: () => import("./hook-handlers/config.js"),
    network: () => import("./hook-handlers/network.js"),
    hre: () => import("./hook-handlers/hre.js"),
    test: () => import("./hook-handlers/test.js"),
  },
  // Every `sim*` task, with Hardhat 2's flags (src/cli/flags-table.ts); each action is a call into src/cli (./tasks/*.ts).
  tasks: [
    declareTask3(TASKS.sim, () => import("./tasks/sim.js")),
    declareTask3(TASKS.merge, () => import("./tasks/merge.js")),
    declareTask3(TASKS.report, () => import("./tasks/report.js")),
    declareTask3(TASKS.verify, () => import("./tasks/verify.js")),
    declareTask3(TASKS.worstCase, () => import("./tasks/worst-case.js")),
    declareTask3(TASKS.corners, () => import("./tasks/corners.js")),
    declareTask3(TASKS.optimize, () => import("./tasks/optimize.js")),
    declareTask3(TASKS.sensitivity, () => import("./tasks/sensitivity.js")),
    declareTask3(TASKS.check, () => import("./tasks/check.js")),
    declareTask3(TASKS.calibrate, () => import("./tasks/calibrate.js")),
    // The netlists' checks as one of `npx hardhat test`'s runners, beside mocha and node:test.
    task(["test", "tokenspice"], "Runs the netlists' checks files (sims/<netlist>.checks.ts) as a test runner")
      .addVariadicArgument({ name: "testFiles", description: "Checks files to run (default: every one in the sims folder)", defaultValue: [] })
      .addFlag({ name: "noCompile", description: "Don't compile before running" })
      .addOption({ name: "testSummaryIndex", description: "The number of the first failure", type: ArgumentType.INT, defaultValue: 0, hidden: true })
      .setAction(() => import("./tasks/test-tokenspice.js"))
      .build(),
    declareTask3(TASKS.compare, () => import("./tasks/compare.js")),
  ],
};

export default tokenspicePlugin;

export type { Tokenspice3, Tokenspice3RunOptions } from "./tokenspice.js";
export type { TokenspiceRuntime, TokenspiceHost } from "../runtime/tokenspice.js";
export type { TokenspiceConfig, TokenspiceUserConfig } from "../config.js";
export type { ForkUserConfig } from "../fork/options.js";
export { TokenspiceHardhat3Error as TokenspicePluginError } from "./errors.js";
