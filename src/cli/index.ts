/**
 * The command layer: what each `sim*` command does, free of any framework. A task (Hardhat 2's in
 * tasks/, Hardhat 3's in src/hardhat3) declares its flags, parses the command line its own way, and
 * calls one function here with
 *
 *   1. a `CliContext` (./context.ts): the core `environment` (a TokenspiceEnvironment:
 *      src/campaign/environment.ts), the project's `simsDir`, `compile()`, the `commandPrefix`
 *      (`["npx", "hardhat", "--config", …]`) its messages advise, the `commandLine` the user typed,
 *      and an `output` sink (`log` → stdout, `warn` → stderr; `consoleOutput` is the console);
 *   2. the plain arguments, named as the flags in camelCase (`--max-runs-per-worker` →
 *      `maxRunsPerWorker`): numbers as numbers or as the text typed (checked here, so bad values get
 *      the plugin's error codes), booleans for flags (absent = off), repeatable flags (`--sweep`,
 *      `--spec`, `--objective`, `--constraint`) as arrays of strings, one per flag given, each of
 *      which may join several values with `;` (./flags-table.ts: the only form on Hardhat 3). Renamed
 *      flags are also accepted under their old names, with a warning on `output.warn`.
 *
 *   await simCommand(ctx, { netlist: "amm", replicates: "4", sweep: ["feeBps=5,30"] });
 *
 * A command resolves when it succeeded; it throws a TokenspiceError (src/errors.ts) otherwise, whose
 * `exitCode` (`exitCodeFor`) the adapter sets: 1 for a failed run, baseline, campaign, yield or
 * design, 2 for bad input or infrastructure. Printing the error is the adapter's (`recordedIn` says
 * which folder to name).
 */
export { consoleOutput, exitCodeFor, recordedIn, type CliContext, type CliOutput } from "./context";
export { flagOf, integerFlag, numberFlag, renamedFlag } from "./flags";
export { REPEATABLE_SEPARATOR, TASKS, missingRequired, repeatableValues, type FlagKind, type FlagSpec, type PositionalSpec, type TaskSpec } from "./flags-table";
export { simCommand, type SimArgs } from "./sim";
export { campaignOptions, isCampaign, mergeCommand, simCampaign, type CampaignArgs, type MergeArgs } from "./campaign";
export { finishBaseline, planBaseline, type BaselineArgs, type BaselinePlan } from "./baseline";
export { reportCommand, reportFailedRun, reportRun, type ReportArgs } from "./report";
export { calibrateCommand, calibrateTask, printCalibration, type CalibrateArgs, type CalibrateTaskArgs } from "./calibrate";
export { BACKTEST_CSV, BACKTEST_FILE, backtestCommand, printBacktest, type BacktestArgs, type BacktestFile } from "./backtest";
export { calibrateMomentsCommand, printMomentsCalibration, type CalibrateMomentsArgs } from "./calibrate-moments";
export { checkCommand, runChecks, type CheckArgs, type CheckRunner } from "./check";
export {
  cornersCommand,
  optimizeCommand,
  sensitivityCommand,
  verifyCommand,
  worstCaseCommand,
  type CornersArgs,
  type OptimizeArgs,
  type SearchCommonArgs,
  type SensitivityArgs,
  type VerifyArgs,
  type WorstCaseArgs,
} from "./design";
export { compareCommand, type CompareArgs } from "./design";
/** The folder files a task's help text names, from their format modules (src/output/formats). */
export { CAMPAIGN_FILE } from "../output/formats/campaign-file";
export { CORNERS_FILE } from "../output/formats/corners-file";
export { KPIS_CSV_FILE } from "../output/formats/kpis-csv";
export { RUN_MANIFEST_FILE } from "../output/formats/run-manifest";
export { SEARCH_FILE } from "../output/formats/search-file";
