import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { CampaignStartOptions } from "../campaign/start";
import { TokenspiceRuntime } from "../runtime/tokenspice";
import { createWorkerBackend } from "./campaign-backends";
import { HardhatRunEnvironment } from "./environment";
import { asPluginErrors, asPluginErrorsSync } from "./errors";

export type { SearchOptions } from "../search/run-search";
export type { NetlistInfo, BrokenNetlistInfo } from "../runner/catalog";
export type { ArbitraryLike, TokenspiceRunOptions, TypedCheckOptions } from "../runtime/tokenspice";

/** Options of `hre.tokenspice.campaign`: what to run (the spec) and how (folder, workers, shard). Workers default to 1 (`defaultWorkerCount("api")`). */
export type TokenspiceCampaignOptions = CampaignStartOptions;

/**
 * `hre.tokenspice` on Hardhat 2: run, check, campaign, search and list netlists from scripts and
 * tests. The methods are the core's (src/runtime/tokenspice.ts, shared with Hardhat 3); this class
 * gives it the Hardhat 2 project: its config, its network (src/hardhat/environment.ts), worker
 * processes (src/hardhat/campaign-backends.ts) and the plugin's errors (TokenspicePluginError).
 */
export class Tokenspice extends TokenspiceRuntime {
  constructor(hre: HardhatRuntimeEnvironment) {
    const runEnvironment = new HardhatRunEnvironment(hre);
    super({
      config: hre.config.tokenspice,
      runEnvironment: () => runEnvironment.get(),
      prepare: () => runEnvironment.prepare(),
      workerBackend: (request) => createWorkerBackend(hre, request),
      asErrors: asPluginErrors,
      forkFlags: { use: (flags) => runEnvironment.useForkFlags(flags), given: () => runEnvironment.forkFlags.given() },
      asErrorsSync: asPluginErrorsSync,
    });
  }
}
