import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";
import { runChecks } from "../../cli/index.js";
import { cliContext3 } from "../cli.js";
import { toHardhat3Error } from "../errors.js";

/** The arguments Hardhat 3's `test` task gives each of its runners. */
interface TestRunnerArgs {
  testFiles: string[];
  noCompile: boolean;
  /** The number of the first failure (the runners before this one counted theirs). */
  testSummaryIndex: number;
}

/**
 * `npx hardhat test tokenspice` (and the tokenspice part of `npx hardhat test`): the netlists'
 * checks files as a test runner. Prints a line per check and each failure's report (as mocha's
 * reporter does), and returns the `{ summary: { passed, failed } }` result Hardhat 3's `test` task
 * adds to its totals; a failed check makes the result an error result (exit code 1). A checks file
 * named that is not one is thrown as the plugin's error.
 */
export default async function action(args: TestRunnerArgs, hre: HardhatRuntimeEnvironment) {
  try {
    const ctx = cliContext3(hre);
    ctx.output.log("Running tokenspice netlist checks");
    const run = await runChecks(ctx, { files: args.testFiles, noCompile: args.noCompile }, (netlist, options) => hre.tokenspice.check(netlist, options), Math.max(1, args.testSummaryIndex));
    ctx.output.log("");
    ctx.output.log(`  ${run.passed} passing`);
    if (run.failed > 0) ctx.output.log(`  ${run.failed} failing\n\n${run.failureOutput}`);
    const result = { summary: { passed: run.passed, failed: run.failed, skipped: 0, todo: 0 } };
    return run.failed > 0 ? errorResult(result) : successfulResult(result);
  } catch (error) {
    throw toHardhat3Error(error);
  } finally {
    await hre.tokenspice.close();
  }
}
