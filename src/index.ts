import "./hardhat/require-hardhat2"; // first: the Hardhat 2 entry refuses a Hardhat 3 project with one clear error
import { extendConfig, extendEnvironment } from "hardhat/config";
import { lazyObject } from "hardhat/plugins";
import "./type-extensions";
import { resolveTokenspiceConfig } from "./config";
import { asPluginErrorsSync } from "./hardhat/errors";
import { registerOfflineCompiler } from "./hardhat/offline-compiler";
import { Tokenspice } from "./hardhat/tokenspice";
import { allowRepeatedFlags } from "./hardhat/repeatable-flags";
import "./chai/types";
import { tokenspiceChai } from "./chai/series-assertions";

/** Marks a chai that has the KPI series assertions: shared by every copy of this module. */
const CHAI_REGISTERED = Symbol.for("hardhat-tokenspice.chai-registered");

/**
 * KPI series assertions for the project's chai, when it has one (see src/chai), once per chai.
 * Hardhat 2 reloads a plugin's modules on every `resetHardhatContext()`, and chai's own `use()`
 * dedupes by function identity, which a reloaded module does not keep: without the mark every
 * reload wrapped `within` and `closeTo` once more, and a test process that made a few hundred
 * environments ran each assertion through a few hundred wrappers (4× slower after 100).
 */
function registerChaiAssertions(): void {
  let chai: Chai.ChaiStatic & { [CHAI_REGISTERED]?: true };
  try {
    chai = require("chai");
  } catch {
    return; // no chai in this project: nothing to register
  }
  if (chai[CHAI_REGISTERED]) return;
  chai.use(tokenspiceChai);
  chai[CHAI_REGISTERED] = true;
}

extendConfig((config, userConfig) => {
  config.tokenspice = asPluginErrorsSync(() => resolveTokenspiceConfig(userConfig.tokenspice ?? {}, config.paths.root));
});

registerOfflineCompiler();
registerChaiAssertions();
allowRepeatedFlags();
require("../tasks/sim");
require("../tasks/sim-campaign");
require("../tasks/sim-report");
require("../tasks/sim-design");
require("../tasks/sim-check");
require("../tasks/sim-calibrate");

extendEnvironment((hre) => {
  hre.tokenspice = lazyObject(() => new Tokenspice(hre));
});

// The public model API (Hardhat-free, also importable alone as "hardhat-tokenspice/api").
export * from "./api";
export type { Tokenspice, NetlistInfo, BrokenNetlistInfo, TokenspiceRunOptions, TypedCheckOptions, ArbitraryLike } from "./hardhat/tokenspice";
export { TokenspicePluginError } from "./hardhat/errors";
export type { TokenspiceConfig, TokenspiceUserConfig, OfflineCompilerMode } from "./config";
export type { ForkUserConfig, ForkFlags } from "./fork/options";
export type { TokenspiceCampaignOptions } from "./hardhat/tokenspice";
export type { TokenspiceRuntime, TokenspiceHost } from "./runtime/tokenspice";
export type { WrittenReport } from "./report/write";
