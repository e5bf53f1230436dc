import fs from "fs";
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
 * The npm `solc` packages that can compile offline: the project's own (so a user can install the
 * version their pragmas need) and the one this plugin depends on, which npm may have nested below
 * another copy (Hardhat depends on a `solc` of its own).
 */
export function findInstalledSolcs(projectRoot: string): InstalledSolc[] {
  const found = new Map<string, InstalledSolc>();
  for (const base of [projectRoot, __dirname]) {
    try {
      const dir = path.dirname(require.resolve("solc/package.json", { paths: [base] }));
      if (found.has(dir)) continue;
      const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
      found.set(dir, { version, longVersion: "", soljsonPath: path.join(dir, "soljson.js") });
    } catch {
      // not resolvable from this base
    }
  }
  return [...found.values()];
}

/** The long version (with commit) of a solcjs build: loading soljson is slow, so only for the one used. */
function longVersionOf(soljsonPath: string): string {
  const solc = require(path.join(path.dirname(soljsonPath), "index.js")) as { version(): string };
  return solc.version().replace(/\.Emscripten.*$/, "");
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
      const candidates = findInstalledSolcs(hre.config.paths.root);
      const installed = candidates.find((c) => c.version === args.solcVersion);
      if (candidates.length === 0) {
        throw pluginError(
          "COMPILER_UNAVAILABLE",
          `Cannot get solc ${args.solcVersion}: the download failed and no npm "solc" package is installed. ` +
            `Run \`npm install --save-dev solc@${args.solcVersion}\` to compile offline.`,
          { version: args.solcVersion },
          downloadError,
        );
      }
      if (installed === undefined) {
        const versions = candidates.map((c) => c.version).join(" and ");
        throw pluginError(
          "COMPILER_UNAVAILABLE",
          `Cannot get solc ${args.solcVersion}: ` +
            (downloadError ? "the compiler download failed, and " : "") +
            `the installed npm "solc" package is ${versions}. Either run ` +
            `\`npm install --save-dev solc@${args.solcVersion}\`, or set \`solidity.version\` to "${candidates[0].version}" ` +
            `in hardhat.config and use a pragma that accepts it (e.g. \`pragma solidity ^${candidates[0].version};\`).`,
          { version: args.solcVersion, installed: candidates.map((c) => c.version) },
          downloadError,
        );
      }
      if (!args.quiet && downloadError) {
        console.log(`Compiler download failed (offline?): compiling with the npm "solc" package's solcjs ${installed.version}`);
      }
      return {
        version: installed.version,
        longVersion: longVersionOf(installed.soljsonPath),
        compilerPath: installed.soljsonPath,
        isSolcJs: true,
      };
    },
  );
}
