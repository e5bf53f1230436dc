import fs from "fs";
import path from "path";
import Table from "cli-table3";
import { join as shellJoin } from "shlex";
import { TokenspiceError } from "../errors";
import { assertBaselineWritable, compareBaseline, makeBaseline, readBaseline, writeBaseline, type BaselineFile } from "../runner/baseline";
import type { SimResult } from "../runner/result";
import type { CliOutput } from "./context";

/** The baseline flags of `sim` (numbers already parsed). */
export interface BaselineArgs {
  baseline?: string;
  updateBaseline?: boolean;
  seed?: number;
  steps?: number;
  params?: string;
}

/** What `--baseline` asks of a run: which file, and the run it must repeat (the baseline's own). */
export interface BaselinePlan {
  file: string;
  /** The path as the user gave it, for messages. */
  given: string;
  existing: BaselineFile | undefined;
  update: boolean;
  /** Set when the run must be the baseline's: its seed, steps and (typed) params. */
  run?: BaselineFile["run"];
  /** `npx hardhat` and its `--config` / `--network` flags, for the commands the messages advise. */
  prefix: string[];
}

/**
 * Reads and checks the baseline flags and file, before anything is compiled or run: conflicting
 * flags, a missing or malformed file, a folder `--update-baseline` cannot write to.
 *
 * @throws TokenspiceError BASELINE_CONFLICT, BASELINE_NOT_FOUND, BASELINE_INVALID, BASELINE_UNWRITABLE
 */
export function planBaseline(name: string, args: BaselineArgs, prefix: string[] = ["npx", "hardhat"]): BaselinePlan | undefined {
  if (args.baseline === undefined) {
    if (args.updateBaseline) throw new TokenspiceError("BASELINE_CONFLICT", "--update-baseline needs --baseline <file>: the file to write.");
    return undefined;
  }
  const file = path.resolve(args.baseline);
  const existing = fs.existsSync(file) ? readBaseline(file) : undefined;
  if (existing === undefined && !args.updateBaseline) {
    throw new TokenspiceError("BASELINE_NOT_FOUND", `Baseline ${file} does not exist. Write it with: ${shellJoin([...prefix, "sim", name, "--baseline", args.baseline, "--update-baseline"])}`, {
      file,
    });
  }
  if (args.updateBaseline) assertBaselineWritable(file);
  if (existing !== undefined && existing.netlist !== name) {
    throw new TokenspiceError("BASELINE_CONFLICT", `Baseline ${file} is for netlist "${existing.netlist}", not "${name}".`, { file, netlist: existing.netlist });
  }
  const plan: BaselinePlan = { file, given: args.baseline, existing, update: args.updateBaseline === true, prefix };
  const overridden = args.seed !== undefined || args.steps !== undefined || args.params !== undefined;
  if (existing !== undefined && !args.updateBaseline) {
    if (overridden) {
      throw new TokenspiceError(
        "BASELINE_CONFLICT",
        `A baseline check repeats the baseline's own run (seed ${existing.run.seed}, steps ${existing.run.steps}, its params): ` +
          `drop --seed, --steps and --params, or change the run with --update-baseline.`,
        { file },
      );
    }
    plan.run = existing.run;
  } else if (existing !== undefined && !overridden) {
    plan.run = existing.run; // an update re-runs the baseline's run unless told otherwise
  }
  return plan;
}

/**
 * Compares the finished run with the baseline (printing the differences), or writes the baseline.
 * @throws TokenspiceError BASELINE_MISMATCH naming the values outside tolerance and the command that updates it
 */
export function finishBaseline(plan: BaselinePlan, result: SimResult, output: CliOutput): void {
  if (plan.update) {
    writeBaseline(plan.file, makeBaseline(result, plan.existing));
    output.log(`Baseline written: ${plan.file} (seed ${result.seed}, ${result.steps} steps, ${result.kpiNames.length} KPIs)`);
    return;
  }
  const rows = compareBaseline(result, plan.existing!);
  const failing = rows.filter((r) => !r.ok);
  if (failing.length === 0) {
    output.log(`Baseline ${plan.file}: all ${rows.length} KPI values within tolerance`);
    return;
  }
  const table = new Table({ head: ["KPI", "stat", "baseline", "this run", "allowed"], style: { head: [], border: [] } });
  for (const r of failing) table.push([r.kpi, r.stat, r.baseline, r.actual, r.allowed]);
  output.log(`Baseline ${plan.file}: ${failing.length} of ${rows.length} KPI values outside tolerance:`);
  output.log(table.toString());
  throw new TokenspiceError(
    "BASELINE_MISMATCH",
    `KPI summary differs from baseline ${plan.file} in ${failing.length} of ${rows.length} values (table above). ` +
      `If the change is intended, update it: ${shellJoin([...plan.prefix, "sim", result.netlist, "--baseline", plan.given, "--update-baseline"])}`,
    { file: plan.file, failing: failing.map((r) => ({ kpi: r.kpi, stat: r.stat, baseline: r.baseline, actual: r.actual })) },
  );
}
