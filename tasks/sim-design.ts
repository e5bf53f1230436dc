import { task, types } from "hardhat/config";
import { CORNERS_FILE, cornersAction, optimizeAction, searchTaskName, verifyAction, worstCaseAction } from "../src/hardhat/cli";

/**
 * The design loop on the command line: `sim-verify`, `sim-worst-case`, `sim-corners` and
 * `sim-optimize` (the commands are src/cli/design.ts). Numeric flags arrive as text and are checked
 * by the commands.
 */

function withCommon<T extends ReturnType<typeof task>>(t: T): T {
  return t
    .addPositionalParam("netlist", "Netlist name", undefined, types.string)
    .addOptionalParam("searchSeed", "The search's own seed: every run's seed derives from it (default: random)", undefined, types.string)
    .addOptionalParam("seed", "Deprecated: use --search-seed (same meaning)", undefined, types.string)
    .addOptionalParam("params", "Params fixed for every run, k=v,k=v", undefined, types.string)
    .addOptionalParam("steps", "Ticks per run (default: the netlist's)", undefined, types.string)
    .addOptionalParam("out", "The search's folder (the same folder and --search-seed resume it)", undefined, types.string)
    .addOptionalParam("workers", "Worker processes (default 1)", undefined, types.string)
    .addFlag("noCompile", "Don't compile first");
}

withCommon(task(searchTaskName("verify"), "3-sigma verification: the yield of a spec by Monte Carlo, with an exact interval"))
  .addOptionalParam("spec", 'What every run must meet: "<kpi> <stat> <op> <number>" (repeat the flag: all must hold)', undefined, types.string)
  .addOptionalParam("target", "The yield to show (default 0.9973)", undefined, types.string)
  .addOptionalParam("confidence", "Confidence of the interval (default 0.95)", undefined, types.string)
  .addOptionalParam("maxRuns", "At most this many runs (default 2000)", undefined, types.string)
  .addOptionalParam("batch", "Runs between two looks at the interval (default 100)", undefined, types.string)
  .addOptionalParam("over", "Uncontrollables to draw, a,b (default: all)", undefined, types.string)
  .addOptionalParam("corners", `Verify at the corners of this ${CORNERS_FILE} instead of drawing`, undefined, types.string)
  .addOptionalParam("compareCorners", `After the Monte Carlo, run the corners of this ${CORNERS_FILE} and say how well they predicted it`, undefined, types.string)
  .addOptionalParam("replicates", "Replicates (runs, each with its own seed) at each corner of --compare-corners (default 10)", undefined, types.string)
  .addOptionalParam("seedsPerCorner", "Deprecated: use --replicates (same meaning)", undefined, types.string)
  .setAction(verifyAction);

withCommon(task(searchTaskName("worst-case"), "Worst-case analysis over the uncontrollables: differential evolution, then Nelder-Mead"))
  .addParam("objective", 'What to make worst: "<kpi> <stat>", e.g. "lpValueVsHold final"', undefined, types.string)
  .addOptionalParam("worst", "The worst is the minimum (min, default) or the maximum (max)", undefined, types.string)
  .addOptionalParam("over", "Uncontrollables to search, a,b (default: all)", undefined, types.string)
  .addOptionalParam("replicates", "Replicates (runs, each with its own seed) per point (default 3)", undefined, types.string)
  .addOptionalParam("seedsPerPoint", "Deprecated: use --replicates (same meaning)", undefined, types.string)
  .addOptionalParam("budget", "Runs in all (default 300)", undefined, types.string)
  .setAction(worstCaseAction);

withCommon(task(searchTaskName("corners"), `Corner extraction: each objective's worst case over the uncontrollables, plus nominal, to ${CORNERS_FILE}`))
  .addParam("objective", 'A corner per objective: "<kpi> <stat> min|max" (repeat the flag)', undefined, types.string)
  .addOptionalParam("over", "Uncontrollables to search, a,b (default: all)", undefined, types.string)
  .addOptionalParam("replicates", "Replicates (runs, each with its own seed) per point (default 3)", undefined, types.string)
  .addOptionalParam("seedsPerPoint", "Deprecated: use --replicates (same meaning)", undefined, types.string)
  .addOptionalParam("budget", "Runs per corner (default 300)", undefined, types.string)
  .setAction(cornersAction);

withCommon(task(searchTaskName("optimize"), "Variation-aware optimization of the controllables: every constraint on every corner"))
  .addParam("objective", 'What to optimize: "<kpi> <stat>"', undefined, types.string)
  .addOptionalParam("goal", "max (default) or min", undefined, types.string)
  .addOptionalParam("constraint", 'Must hold at every corner: "<kpi> <stat> <op> <number>" (repeat the flag)', undefined, types.string)
  .addOptionalParam("over", "Controllables to search, a,b (default: all)", undefined, types.string)
  .addOptionalParam("corners", `The ${CORNERS_FILE} of sim-corners (default: nominal only)`, undefined, types.string)
  .addOptionalParam("replicates", "Replicates (runs, each with its own seed) per candidate and corner (default 2)", undefined, types.string)
  .addOptionalParam("runsPerCandidate", "Deprecated: use --replicates (same meaning)", undefined, types.string)
  .addOptionalParam("budget", "Runs in all (default 400)", undefined, types.string)
  .setAction(optimizeAction);
