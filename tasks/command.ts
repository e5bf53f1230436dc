import path from "path";
import { HardhatError, HardhatPluginError } from "hardhat/internal/core/errors";
import { isRunningOnCiServer } from "hardhat/internal/util/ci-detection";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { inspect } from "util";
import { TokenspicePluginError, errorStack, exitCodeFor, toPluginError } from "../src/hardhat/errors";
import { scrubSecrets } from "../src/output/secrets";
import { configFlag, hardhatPrefix } from "../src/runner/run-spec";

/**
 * `npx hardhat` with the `--config` and `--network` this process runs with, when they are not the
 * defaults: the start of every command a task advises.
 */
export function hardhatPrefixOf(hre: HardhatRuntimeEnvironment): string[] {
  const config = configFlag(hre.config.paths.root, hre.config.paths.configFile);
  return hardhatPrefix({ name: hre.network.name, ...(config === undefined ? {} : { config }) }, { defaultNetwork: hre.config.defaultNetwork });
}

/**
 * Runs a task's action with the plugin's exit codes: 0 success; 1 a run or a baseline comparison
 * failed; 2 bad input or infrastructure. Hardhat's CLI exits 1 on any error, so when the task is
 * the command being run, this prints the error as Hardhat would and sets the exit code itself.
 * Called as `hre.run(task)` from code, it throws the plugin error (with `code`, `details`, `cause`).
 */
export async function asCommand(taskName: string, hre: HardhatRuntimeEnvironment, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    const shown = toPluginError(error);
    if (!isCommandLine(taskName)) throw shown;
    // Stack traces with --show-stack-traces. Hardhat also shows them when it takes the machine for CI
    // (any Linux without a display): not for the plugin's own errors, whose one line names what and where.
    const ci = isRunningOnCiServer() && !(shown instanceof TokenspicePluginError);
    printError(shown, hre.hardhatArguments.showStackTraces === true || ci, hre.config.paths.root);
    process.exitCode = exitCodeFor(shown);
  }
}

/** True when this process is `npx hardhat <taskName> ...` (not a script or test calling `hre.run`). */
function isCommandLine(taskName: string): boolean {
  const main = require.main?.filename ?? "";
  const cli = path.join("hardhat", "internal", "cli");
  return (main.endsWith(path.join(cli, "bootstrap.js")) || main.endsWith(path.join(cli, "cli.js"))) && process.argv.includes(taskName);
}

function printError(error: unknown, stack: boolean, root: string): void {
  if (HardhatPluginError.isHardhatPluginError(error)) console.error(`Error in plugin ${error.pluginName}: ${scrubSecrets(error.message)}`);
  else if (HardhatError.isHardhatError(error)) console.error(`Error ${scrubSecrets(error.message)}`);
  else console.error(`An unexpected error occurred: ${scrubSecrets(inspect(error))}`);
  // A campaign's error already says where its runs are; a run's error is followed by its folder.
  const outDir = error instanceof TokenspicePluginError && error.code !== "CAMPAIGN_FAILED" ? error.outDir : undefined;
  if (outDir) console.error(`Everything recorded before the failure is in ${outDir} (manifest.json says how it ended).`);
  console.error("");
  if (stack) console.error(errorStack(error, root));
  else console.error("For more info run Hardhat with --show-stack-traces");
}
