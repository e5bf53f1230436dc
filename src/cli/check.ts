import { TokenspiceError } from "../errors";
import { failureReport, runChecksFiles, selectChecksFiles, type ChecksRunSummary } from "../check/check-files";
import type { CheckOptions, CheckSummary } from "../check";
import { plural } from "../report/format";
import type { CliContext } from "./context";

/** The arguments of `sim-check` (and of Hardhat 3's `test tokenspice`). */
export interface CheckArgs {
  /** Checks files to run (paths); none: every checks file in the sims folder. */
  files?: string[];
  /** Skip compiling first. */
  noCompile?: boolean;
}

/** How a check runs: the runtime's `tokenspice.check` (config defaults, TOKENSPICE_SEED, the chain). */
export type CheckRunner = (netlist: string, options: CheckOptions) => Promise<CheckSummary>;

/**
 * Runs the netlists' checks files (src/check/check-files.ts) as a test suite: a line per check,
 * then the failures' reports (how to reproduce and replay each), numbered from `firstIndex`.
 * Resolves with the counts; the caller decides what a failure means (`sim-check` throws
 * CHECKS_FAILED, Hardhat 3's `test` runner reports it in its summary).
 * @throws TokenspiceError CHECKS_FILE_INVALID for a named file that is not a checks file in the sims folder
 */
export async function runChecks(ctx: CliContext, args: CheckArgs, check: CheckRunner, firstIndex = 1): Promise<ChecksRunSummary & { failureOutput: string }> {
  const files = selectChecksFiles(ctx.simsDir, args.files ?? [], process.cwd());
  if (!args.noCompile) await ctx.compile();
  const log = (line: string) => ctx.output.log(line);
  if (files.length === 0) {
    log(`No netlist checks in ${ctx.simsDir} (write sims/<netlist>.checks.ts or sims/<netlist>/checks.ts: export default defineChecks({ … })).`);
  }
  const summary = await runChecksFiles(files, check, { log, cwd: process.cwd(), firstIndex });
  return { ...summary, failureOutput: failureReport(summary, firstIndex) };
}

/**
 * `sim-check [files…]`: every netlist check (or those of the files named), mocha-style: a line per
 * check, the counts, then each failure's report.
 * @throws TokenspiceError CHECKS_FAILED (exit 1) when a check failed; CHECKS_FILE_INVALID (exit 2) for a named file that is not a checks file
 */
export async function checkCommand(ctx: CliContext, args: CheckArgs, check: CheckRunner): Promise<void> {
  const summary = await runChecks(ctx, args, check);
  const log = (line: string) => ctx.output.log(line);
  log("");
  log(`  ${summary.passed} passing`);
  if (summary.failed > 0) {
    log(`  ${summary.failed} failing`);
    log("");
    log(summary.failureOutput);
    const names = summary.outcomes.filter((o) => !o.passed).map((o) => `${o.netlist}: ${o.name}`);
    throw new TokenspiceError("CHECKS_FAILED", `${summary.failed} of ${plural(summary.outcomes.length, "netlist check")} failed: ${names.join("; ")}.`, { failed: names });
  }
}
