import { TASKS } from "../cli/flags-table.js";
import { declareTask3 } from "./task-table.js";
import type { HardhatPlugin } from "hardhat/types/plugins";
import "./type-extensions.js";

/**
 * hardhat-tokenspice for Hardhat 3: `import tokenspice from "hardhat-tokenspice/hardhat3"` and
 * `plugins: [tokenspice]` in hardhat.config.ts. Hooks: config (`tokenspice` validated and resolved;
 * npm solc paths filled in for offline compilation), network (`connection.tokenspice`), hre
 * (`hre.tokenspice`). Tasks load their actions lazily. The Hardhat 2 entry is the package root.
 */
const tokenspicePlugin: HardhatPlugin = {
  id: "hardhat-tokenspice",
  npmPackage: "hardhat-tokenspice",
  hookHandlers: {
    config: () => import("./hook-handlers/config.js"),
    network: () => import("./hook-handlers/network.js"),
    hre: () => import("./hook-handlers/hre.js"),
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
    declareTask3(TASKS.compare, () => import("./tasks/compare.js")),
  ],
};

export default tokenspicePlugin;

export type { Tokenspice3, Tokenspice3RunOptions } from "./tokenspice.js";
export type { TokenspiceRuntime, TokenspiceHost } from "../runtime/tokenspice.js";
export type { TokenspiceConfig, TokenspiceUserConfig } from "../config.js";
export { TokenspiceHardhat3Error as TokenspicePluginError } from "./errors.js";
