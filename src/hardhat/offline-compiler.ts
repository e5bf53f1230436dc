import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { SolcBuild } from "hardhat/types";
import * as npmSolc from "../compiler/npm-solc";
import { asPluginErrorsSync } from "./errors";

export type { InstalledSolc } from "../compiler/npm-solc";
export { describeSolcs, longVersionOf } from "../compiler/npm-solc";
export type { OfflineCompilerMode } from "../config";

/** src/compiler/npm-solc.ts's `validateSolcPackages`, its errors as Hardhat plugin errors. */
export function validateSolcPackages(value: unknown): Record<string, string> {
  return asPluginErrorsSync(() => npmSolc.validateSolcPackages(value));
}

/** src/compiler/npm-solc.ts's `findInstalledSolcs`, its errors as Hardhat plugin errors. */
export function findInstalledSolcs(projectRoot: string, solcPackages: Record<string, string> = {}): npmSolc.InstalledSolc[] {
  return asPluginErrorsSync(() => npmSolc.findInstalledSolcs(projectRoot, solcPackages));
}

/** src/compiler/npm-solc.ts's `chooseSolc`, its errors as Hardhat plugin errors. */
export function chooseSolc(version: string, solcs: npmSolc.InstalledSolc[], downloadError?: unknown): npmSolc.InstalledSolc {
  return asPluginErrorsSync(() => npmSolc.chooseSolc(version, solcs, downloadError));
}

/**
 * Falls back to installed npm `solc` packages' solcjs when Hardhat cannot download the compiler
 * (no internet: the download fails at once with ENOTFOUND), or always when config asks for it.
 * Hardhat runs solcjs builds through its own solc wrapper, which loads soljson files back to 0.4.
 */
export function registerOfflineCompiler(): void {
  subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async (args: { solcVersion: string; quiet: boolean }, hre, runSuper): Promise<SolcBuild> => {
    const mode = hre.config.tokenspice.offlineCompiler;
    if (mode === "never") return runSuper(args);
    let downloadError: unknown;
    if (mode === "auto") {
      try {
        return await runSuper(args);
      } catch (error) {
        downloadError = error;
      }
    }
    const installed = chooseSolc(args.solcVersion, findInstalledSolcs(hre.config.paths.root, hre.config.tokenspice.solcPackages), downloadError);
    if (!args.quiet && downloadError) {
      console.log(`Compiler download failed (offline?): compiling with solcjs ${installed.version} from ${installed.dir}`);
    }
    return {
      version: installed.version,
      longVersion: npmSolc.longVersionOf(installed),
      compilerPath: installed.soljsonPath,
      isSolcJs: true,
    };
  });
}
