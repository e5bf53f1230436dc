import path from "path";
import { extendConfig, extendEnvironment } from "hardhat/config";
import { lazyObject } from "hardhat/plugins";
import "./type-extensions";
import { DEFAULT_OUT_DIR, DEFAULT_SIMS_DIR, DEFAULT_WALLET_ETH } from "./config";
import { registerOfflineCompiler } from "./hardhat/offline-compiler";
import { Tokenspice } from "./hardhat/tokenspice";

extendConfig((config, userConfig) => {
  const user = userConfig.tokenspice ?? {};
  const root = config.paths.root;
  config.tokenspice = {
    simsDir: path.resolve(root, user.simsDir ?? DEFAULT_SIMS_DIR),
    outDir: path.resolve(root, user.outDir ?? DEFAULT_OUT_DIR),
    offlineCompiler: user.offlineCompiler ?? "auto",
    walletEth: user.walletEth ?? DEFAULT_WALLET_ETH,
  };
});

registerOfflineCompiler();
require("../tasks/sim");

extendEnvironment((hre) => {
  hre.tokenspice = lazyObject(() => new Tokenspice(hre));
});

// The public model API: what netlists import.
export { defineNetlist, isNetlist, DEFAULT_START_TIME } from "./model/netlist";
export type { AnyNetlist, Netlist, NetlistSpec, NetlistTime, SetupContext, SetupResult, KpiContext, KpiFunction } from "./model/netlist";
export { param } from "./model/params";
export type { ParamSpec, ParamSpecs, ParamValues, ParamKind } from "./model/params";
export { Agent } from "./model/agent";
export type { StepContext } from "./model/agent";
export type { AgentWallet } from "./model/wallet";
export type { Rng } from "./model/rng";
export { createRng } from "./model/rng";
export { Series } from "./model/series";
export { prepareCall } from "./model/prepared-call";
export type { PreparedCall } from "./model/prepared-call";
export type { KpiValue } from "./model/series";
export { SimResult } from "./runner/result";
export { TransactionRevertedError } from "./engine/reverts";
export type { RevertRecord } from "./engine/reverts";
export { TokenspiceError, SimulationAbortedError } from "./errors";
export type { Tokenspice, NetlistInfo, TokenspiceRunOptions } from "./hardhat/tokenspice";
export type { TokenspiceConfig, TokenspiceUserConfig } from "./config";
