/**
 * A counterexample replayed: its simulation run once more, this time writing its files (KPI table,
 * manifest, report.html), and the command that repeats it alone. What `PropertyFailedError`
 * reports.
 */
import { messageOf } from "../errors";
import type { LoadedNetlist } from "../runner/netlists";
import { freshRunDir } from "../runner/out-dir";
import type { RunEnvironment } from "../runner/run";
import { commandDefaultsOf, reproduceCommand, resolveRunSpec } from "../runner/run-spec";
import { writeRunReport } from "../report/write";
import type { Counterexample } from "./arbitraries";
import type { CheckDefaults, ResolvedCheck } from "./options";
import type { CheckFailure, CheckReport } from "./report";
import { simulateOnce } from "./simulate";

/** What the search found: the shrunk draw, its failure, and how fast-check got there. */
export interface Found {
  counterexample: Counterexample;
  failure: CheckFailure;
  /** Simulations the search ran before the failure. */
  runs: number;
  shrinks: number;
  /** fast-check's path to the shrunk counterexample. */
  path: string;
  searchInterrupted: boolean;
}

/**
 * Runs the counterexample again into a fresh folder under `defaults.outDir`, writes its report
 * (a report that fails is logged, never thrown over the check's failure), and returns the report.
 */
export async function replayFailure(env: RunEnvironment, loaded: LoadedNetlist, check: ResolvedCheck, found: Found, defaults: Pick<CheckDefaults, "outDir" | "log">): Promise<CheckReport> {
  const [params, simSeed, horizon] = found.counterexample;
  const folder = freshRunDir(defaults.outDir, check.netlist, `check-seed${simSeed}`);
  await simulateOnce(env, loaded, check, params, simSeed, horizon, folder); // writes the failing run's files
  const reportHtml = reportFolder(folder, defaults.log);
  const spec = resolveRunSpec(loaded, { seed: simSeed, steps: horizon, params }, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
  return {
    netlist: check.netlist,
    params,
    simSeed,
    steps: horizon,
    failure: found.failure,
    runs: found.runs,
    shrinks: found.shrinks,
    replay: { seed: check.seed, path: found.path },
    command: reproduceCommand(spec, commandDefaultsOf(env)),
    folder,
    searchInterrupted: found.searchInterrupted,
    reportHtml,
  };
}

/** The failing run's report (plots/ and report.html) in its folder; a report that fails is logged, never thrown over the check's failure. */
function reportFolder(folder: string, log: (line: string) => void): boolean {
  try {
    writeRunReport(folder);
    return true;
  } catch (error) {
    log(`No report in ${folder}: ${messageOf(error)}`);
    return false;
  }
}
