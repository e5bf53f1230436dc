import path from "path";
import { extendConfig, extendEnvironment } from "hardhat/config";
import { lazyObject } from "hardhat/plugins";
import "./type-extensions";
import { DEFAULT_CHECK_RUNS, DEFAULT_OUT_DIR, DEFAULT_SIMS_DIR, DEFAULT_WALLET_ETH } from "./config";
import { registerOfflineCompiler } from "./hardhat/offline-compiler";
import { Tokenspice } from "./hardhat/tokenspice";
import "./chai/types";
import { tokenspiceChai } from "./chai/series-assertions";

/** KPI series assertions for the project's chai, when it has one (see src/chai). */
function registerChaiAssertions(): void {
  let chai: Chai.ChaiStatic;
  try {
    chai = require("chai");
  } catch {
    return; // no chai in this project: nothing to register
  }
  chai.use(tokenspiceChai);
}

extendConfig((config, userConfig) => {
  const user = userConfig.tokenspice ?? {};
  const root = config.paths.root;
  config.tokenspice = {
    simsDir: path.resolve(root, user.simsDir ?? DEFAULT_SIMS_DIR),
    outDir: path.resolve(root, user.outDir ?? DEFAULT_OUT_DIR),
    offlineCompiler: user.offlineCompiler ?? "auto",
    walletEth: user.walletEth ?? DEFAULT_WALLET_ETH,
    checkRuns: user.checkRuns ?? DEFAULT_CHECK_RUNS,
    checkSeed: user.checkSeed,
  };
});

registerOfflineCompiler();
registerChaiAssertions();
require("../tasks/sim");
require("../tasks/sim-report");

extendEnvironment((hre) => {
  hre.tokenspice = lazyObject(() => new Tokenspice(hre));
});

// The public model API (Hardhat-free, also importable as "hardhat-tokenspice/dist/src/api").
export * from "./api";
export type { Tokenspice, NetlistInfo, TokenspiceRunOptions, TypedCheckOptions, ArbitraryLike } from "./hardhat/tokenspice";
export type { TokenspiceConfig, TokenspiceUserConfig } from "./config";
export type { WrittenReport } from "./report/write";
