import path from "path";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { SolcBuild } from "hardhat/types";
import { pluginError } from "./errors";

export interface InstalledSolc {
  version: string; // "0.8.28"
  longVersion: string; // "0.8.28+commit.7893614a"
  soljsonPath: string;
}

/**
 * The npm `solc` package that compiles offline: the project's own when it has one (so a user can
 * pick the version their pragmas need), else the one this plugin depends on.
 */
export function findInstalledSolc(projectRoot: string): InstalledSolc | undefined {
  for (const base of [projectRoot, __dirname]) {
    try {
      const pkgPath = require.resolve("solc/package.json", { paths: [base] });
      const dir = path.dirname(pkgPath);
      const soljsonPath = path.join(dir, "soljson.js");
      const solc = require(path.join(dir, "index.js")) as { version(): string };
      const longVersion = solc.version().replace(/\.Emscripten.*$/, "");
      return { version: longVersion.split("+")[0], longVersion, soljsonPath };
    } catch {
      // not resolvable from this base: try the next
    }
  }
  return undefined;
}

export type OfflineCompilerMode = "auto" | "always" | "never";

/**
 * Falls back to the npm `solc` package's solcjs when Hardhat cannot download the compiler
 * (no internet: the download fails at once with ENOTFOUND), or always when config asks for it.
 */
export function registerOfflineCompiler(): void {
  subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(
    async (args: { solcVersion: string; quiet: boolean }, hre, runSuper): Promise<SolcBuild> => {
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
      const installed = findInstalledSolc(hre.config.paths.root);
      if (installed === undefined) {
        throw pluginError(
          `Cannot get solc ${args.solcVersion}: the download failed and no npm "solc" package is installed. ` +
            `Run \`npm install --save-dev solc@${args.solcVersion}\` to compile offline.`,
          downloadError,
        );
      }
      if (installed.version !== args.solcVersion) {
        throw pluginError(
          `Cannot get solc ${args.solcVersion}: ` +
            (downloadError ? "the compiler download failed, and " : "") +
            `the installed npm "solc" package is ${installed.version}. Either run ` +
            `\`npm install --save-dev solc@${args.solcVersion}\`, or set \`solidity.version\` to "${installed.version}" ` +
            `in hardhat.config and use a pragma that accepts it (e.g. \`pragma solidity ^${installed.version};\`).`,
          downloadError,
        );
      }
      return {
        version: installed.version,
        longVersion: installed.longVersion,
        compilerPath: installed.soljsonPath,
        isSolcJs: true,
      };
    },
  );
}
