import path from "path";
import { HardhatError, HardhatPluginError } from "hardhat/internal/core/errors";
import { isRunningOnCiServer } from "hardhat/internal/util/ci-detection";
import type { CLIArgumentType, HardhatRuntimeEnvironment } from "hardhat/types";
import { join as shellJoin } from "shlex";
import { inspect } from "util";
import {
  calibrateTask,
  checkCommand,
  compareCommand,
  consoleOutput,
  cornersCommand,
  exitCodeFor,
  mergeCommand,
  optimizeCommand,
  recordedIn,
  reportCommand,
  sensitivityCommand,
  simCommand,
  verifyCommand,
  worstCaseCommand,
  type CalibrateTaskArgs,
  type CheckArgs,
  type CliContext,
  type CompareArgs,
  type CornersArgs,
  type MergeArgs,
  type OptimizeArgs,
  type ReportArgs,
  type SensitivityArgs,
  type SimArgs,
  type VerifyArgs,
  type WorstCaseArgs,
} from "../cli";
import { searchTaskName } from "../output/search-kinds";
import { repeatedValues } from "./repeatable-flags";
import { TokenspiceError } from "../errors";
import { scrubSecrets } from "../output/secrets";
import { configFlag, hardhatPrefix } from "../runner/run-spec";
import { TokenspicePluginError, errorStack, toPluginError } from "./errors";

export { recordedIn } from "../cli";

/**
 * The Hardhat 2 side of the `sim*` tasks (tasks/*.ts): the context the commands of src/cli take,
 * built from the Hardhat runtime, and the task action that runs one with the plugin's errors and
 * exit codes. A task is its flags and one call: `(args, hre) => runCommand("sim", hre, (ctx) => simCommand(ctx, args))`.
 */

/**
 * An integer flag the command parses itself: Hardhat's `types.int` would refuse bad text with its own
 * HH301 and exit code 1 before the task runs, where bad input must exit 2 with the plugin's error.
 * Takes a number from `hre.run("sim", { seed: 7 })`, or text from the command line.
 */
export const integerArgument: CLIArgumentType<number | string> = {
  name: "int",
  parse: (_name, text) => text,
  validate: (name, value) => {
    if (typeof value !== "number" && typeof value !== "string") {
      throw new TokenspiceError("OPTION_INVALID", `--${name} must be an integer, got ${typeof value}`, { [name]: String(value) });
    }
  },
};

/**
 * `npx hardhat` with the `--config` and `--network` this process runs with, when they are not the
 * defaults: the start of every command a task advises.
 */
export function hardhatPrefixOf(hre: HardhatRuntimeEnvironment): string[] {
  const config = configFlag(hre.config.paths.root, hre.config.paths.configFile);
  return hardhatPrefix({ name: hre.network.name, ...(config === undefined ? {} : { config }) }, { defaultNetwork: hre.config.defaultNetwork });
}

/** What the commands of src/cli take from this Hardhat 2 project (see src/cli/index.ts). */
export function cliContext(hre: HardhatRuntimeEnvironment): CliContext {
  return {
    environment: hre.tokenspice.core,
    simsDir: hre.config.tokenspice.simsDir,
    compile: async () => {
      await hre.run("compile", { quiet: true });
    },
    commandPrefix: hardhatPrefixOf(hre),
    // What the user typed: this process's own arguments after `hardhat`.
    commandLine: shellJoin(["npx", "hardhat", ...process.argv.slice(2)]),
    output: consoleOutput,
    useFork: (flags) => hre.tokenspice.useForkFlags(flags),
  };
}

/**
 * Runs a task's command (src/cli) with the plugin's exit codes: 0 success; 1 a run or a baseline
 * comparison failed; 2 bad input or infrastructure. Hardhat's CLI exits 1 on any error, so when the
 * task is the command being run, this prints the error as Hardhat would and sets the exit code
 * itself. Called as `hre.run(task)` from code, it throws the plugin error (with `code`, `details`, `cause`).
 */
export function runCommand(taskName: string, hre: HardhatRuntimeEnvironment, command: (ctx: CliContext) => Promise<void>): Promise<void> {
  return asCommand(taskName, hre, () => command(cliContext(hre)));
}

/** `runCommand` for an action of its own. */
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

// The tasks' actions (tasks/*.ts declare the flags): each calls its command in src/cli with the
// arguments Hardhat 2 parsed. Repeatable flags arrive joined (./repeatable-flags.ts) and are split here.

type Joined<T, K extends keyof T> = Omit<T, K> & { [P in K]?: string };
type Action<A> = (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>;

export { searchTaskName } from "../output/search-kinds";
export { CAMPAIGN_FILE, CORNERS_FILE, KPIS_CSV_FILE, RUN_MANIFEST_FILE, SEARCH_FILE } from "../cli";

/** `npx hardhat sim`. */
export const simAction: Action<Joined<SimArgs, "sweep">> = (args, hre) =>
  runCommand("sim", hre, (ctx) => simCommand(ctx, { ...args, sweep: args.sweep === undefined ? undefined : repeatedValues(args.sweep) }));

/** `npx hardhat sim-merge`. */
export const mergeAction: Action<MergeArgs> = (args, hre) => runCommand("sim-merge", hre, (ctx) => mergeCommand(args, ctx.output));

/** `npx hardhat sim-report`. */
export const reportAction: Action<ReportArgs> = (args, hre) => runCommand("sim-report", hre, (ctx) => reportCommand(args, ctx.output));

/** `npx hardhat sim-verify`. */
export const verifyAction: Action<Joined<VerifyArgs, "spec">> = (args, hre) => runCommand(searchTaskName("verify"), hre, (ctx) => verifyCommand(ctx, { ...args, spec: repeatedValues(args.spec) }));

/** `npx hardhat sim-worst-case`. */
export const worstCaseAction: Action<WorstCaseArgs> = (args, hre) => runCommand(searchTaskName("worst-case"), hre, (ctx) => worstCaseCommand(ctx, args));

/** `npx hardhat sim-corners`. */
export const cornersAction: Action<Joined<CornersArgs, "objective">> = (args, hre) =>
  runCommand(searchTaskName("corners"), hre, (ctx) => cornersCommand(ctx, { ...args, objective: repeatedValues(args.objective) }));

/** `npx hardhat sim-check`: the netlists' checks files, with `hre.tokenspice.check`. */
export const checkAction: Action<CheckArgs> = (args, hre) => runCommand("sim-check", hre, (ctx) => checkCommand(ctx, args, (netlist, options) => hre.tokenspice.check(netlist, options)));
/** `npx hardhat sim-compare`. */
export const compareAction: Action<Joined<CompareArgs, "kpi" | "effect">> = (args, hre) =>
  runCommand(searchTaskName("compare"), hre, (ctx) => compareCommand(ctx, { ...args, kpi: repeatedValues(args.kpi), effect: repeatedValues(args.effect) }));

/** `npx hardhat sim-optimize`. */
export const optimizeAction: Action<Joined<OptimizeArgs, "constraint">> = (args, hre) =>
  runCommand(searchTaskName("optimize"), hre, (ctx) => optimizeCommand(ctx, { ...args, constraint: repeatedValues(args.constraint) }));

/** `npx hardhat sim-sensitivity`. */
export const sensitivityAction: Action<Joined<SensitivityArgs, "objective">> = (args, hre) =>
  runCommand(searchTaskName("sensitivity"), hre, (ctx) => sensitivityCommand(ctx, { ...args, objective: repeatedValues(args.objective) }));

/** `npx hardhat sim-calibrate fit|moments|backtest`: fits the world to observed data, behaviour to observed moments, or backtests a fit (src/calibrate). */
export const calibrateAction: Action<Joined<CalibrateTaskArgs, "moment">> = (args, hre) =>
  runCommand("sim-calibrate", hre, (ctx) => calibrateTask(ctx, { ...args, moment: args.moment === undefined ? undefined : repeatedValues(args.moment) }));
