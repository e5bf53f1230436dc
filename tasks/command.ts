import fs from "fs";
import path from "path";
import { HardhatError, HardhatPluginError } from "hardhat/internal/core/errors";
import { isRunningOnCiServer } from "hardhat/internal/util/ci-detection";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { inspect } from "util";
import { TokenspicePluginError, errorStack, exitCodeFor, toPluginError } from "../src/hardhat/errors";
import { isLockEntry } from "../src/output/folder-lock";
import { scrubSecrets } from "../src/output/secrets";
import { configFlag, hardhatPrefix } from "../src/runner/run-spec";
import { RUN_MANIFEST_FILE } from "../src/output/formats/run-manifest";
import { CAMPAIGN_STATUS_FILE } from "../src/output/formats/campaign-status";

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
  const recorded = recordedIn(error);
  if (recorded) console.error(`Everything recorded before the failure is in ${recorded.dir}${recorded.file ? ` (${recorded.file} says how it ended)` : ""}.`);
  console.error("");
  if (stack) console.error(errorStack(error, root));
  else console.error("For more info run Hardhat with --show-stack-traces");
}

/**
 * Where a failed command left what it recorded: the error's `details.outDir` (set only by code that
 * wrote there; a refused `--out` names its folder as `details.dir`), and only when something in it
 * was written since this process started (never the files of an earlier run a refusal protects);
 * with the file that says how it ended (a run's manifest, a campaign's status).
 */
export function recordedIn(error: unknown): { dir: string; file?: string } | undefined {
  if (!(error instanceof TokenspicePluginError) || error.code === "CAMPAIGN_FAILED") return undefined;
  const dir = error.outDir;
  if (dir === undefined) return undefined;
  const since = performance.timeOrigin - 50; // the process's start, less a file system's timestamp granularity
  const written = (name: string) => {
    try {
      return fs.statSync(path.join(dir, name)).mtimeMs >= since;
    } catch {
      return false;
    }
  };
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).filter((f) => !isLockEntry(f));
  } catch {
    return undefined;
  }
  if (!entries.some(written)) return undefined;
  return { dir, file: [RUN_MANIFEST_FILE, CAMPAIGN_STATUS_FILE].find((f) => entries.includes(f)) };
}
