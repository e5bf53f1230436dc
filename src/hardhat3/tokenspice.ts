import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TokenspiceRuntime, type TokenspiceRunOptions } from "../runtime/tokenspice.js";
import { createWorkerBackend3 } from "./campaign-backends.js";
import { Hardhat3RunEnvironment } from "./environment.js";
import { asHardhat3Errors, asHardhat3ErrorsSync } from "./errors.js";
import type { Chain3 } from "./sim-network.js";
import type { ForkRequest } from "../fork/options.js";

/** Options of `tokenspice.run` (as on Hardhat 2: params, seed, steps, out, …). */
export type Tokenspice3RunOptions = TokenspiceRunOptions;

/**
 * `connection.tokenspice` and `hre.tokenspice` on Hardhat 3: run, check, campaign, search and list
 * netlists, with the same methods and results as Hardhat 2's `hre.tokenspice`: both are the core's
 * (src/runtime/tokenspice.ts). This class gives it the Hardhat 3 project: its config, a chain
 * (./sim-network.ts, through ./environment.ts), worker processes (./campaign-backends.ts, each with a
 * chain of its own) and the plugin's Hardhat 3 errors; and `close()`.
 */
export class Tokenspice3 extends TokenspiceRuntime {
  private readonly runEnvironment: Hardhat3RunEnvironment;

  constructor(hre: HardhatRuntimeEnvironment, openChain: (fork?: ForkRequest) => Promise<Chain3>) {
    const runEnvironment = new Hardhat3RunEnvironment(hre, openChain);
    super({
      config: hre.config.tokenspice,
      runEnvironment: () => runEnvironment.get(),
      prepare: () => runEnvironment.prepare(),
      workerBackend: (request) => createWorkerBackend3(hre, request),
      asErrors: asHardhat3Errors,
      forkFlags: { use: (flags) => runEnvironment.useForkFlags(flags), given: () => runEnvironment.forkFlags.given() },
      asErrorsSync: asHardhat3ErrorsSync,
    });
    this.runEnvironment = runEnvironment;
  }

  /** Closes the chain this object opened (`hre.tokenspice`'s own simulation chain); a connection's stays open. */
  close(): Promise<void> {
    return this.runEnvironment.close();
  }
}
