import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
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
  tasks: [
    // The first Hardhat 3 `sim`: one run, its files, its folder printed. The Hardhat 2 task's
    // printing, campaigns, baselines and reports move to the Hardhat-free src/cli layer; this task's
    // action then becomes a call into it (see ./tasks/sim.ts).
    task("sim", "Run a token-economy simulation (netlist) on the simulation network")
      .addPositionalArgument({ name: "netlist", description: "Netlist name (a file or folder in the sims folder)" })
      .addOption({ name: "seed", description: "Random seed (default: chosen at random, printed)", type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined })
      .addOption({ name: "steps", description: "Ticks to simulate (default: the netlist's)", type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined })
      .addOption({ name: "out", description: "Output folder (default: <outDir>/<netlist>/<time>-seed<seed>)", type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined })
      .addFlag({ name: "force", description: "Overwrite the output folder when it holds a previous run" })
      .addFlag({ name: "noCompile", description: "Don't build the contracts before running" })
      .setAction(() => import("./tasks/sim.js"))
      .build(),
  ],
};

export default tokenspicePlugin;

export type { Tokenspice3, Tokenspice3RunOptions } from "./tokenspice.js";
export type { TokenspiceConfig, TokenspiceUserConfig } from "../config.js";
export { TokenspiceHardhat3Error as TokenspicePluginError } from "./errors.js";
