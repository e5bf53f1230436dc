import path from "path";
import { extendConfig, extendEnvironment } from "hardhat/config";
import { lazyObject } from "hardhat/plugins";
import "./type-extensions";
import { DEFAULT_CHECK_RUNS, DEFAULT_OUT_DIR, DEFAULT_SIMS_DIR, DEFAULT_STEP_TIMEOUT_MS, DEFAULT_WALLET_ETH } from "./config";
import { asPluginErrorsSync } from "./hardhat/errors";
import { assertStepTimeout } from "./runner/run-spec";
import { registerOfflineCompiler, validateSolcPackages } from "./hardhat/offline-compiler";
import { Tokenspice } from "./hardhat/tokenspice";
import { allowRepeatedFlags } from "./hardhat/repeatable-flags";
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
    solcPackages: validateSolcPackages(user.solcPackages),
    walletEth: user.walletEth ?? DEFAULT_WALLET_ETH,
    checkRuns: user.checkRuns ?? DEFAULT_CHECK_RUNS,
    checkSeed: user.checkSeed,
    stepTimeoutMs: asPluginErrorsSync(() => assertStepTimeout(user.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS)),
  };
});

registerOfflineCompiler();
registerChaiAssertions();
allowRepeatedFlags();
require("../tasks/sim");
require("../tasks/sim-campaign");
require("../tasks/sim-report");
require("../tasks/sim-design");

extendEnvironment((hre) => {
  hre.tokenspice = lazyObject(() => new Tokenspice(hre));
});

// The public model API (Hardhat-free, also importable alone as "hardhat-tokenspice/api").
export * from "./api";
export type { Tokenspice, NetlistInfo, BrokenNetlistInfo, TokenspiceRunOptions, TypedCheckOptions, ArbitraryLike } from "./hardhat/tokenspice";
export { TokenspicePluginError } from "./hardhat/errors";
export type { TokenspiceConfig, TokenspiceUserConfig, OfflineCompilerMode } from "./config";
export type { TokenspiceCampaignOptions } from "./hardhat/tokenspice";
export type { WrittenReport } from "./report/write";
