import { join as shellJoin } from "shlex";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TokenspiceError } from "../src/errors";
import { repeatedValues } from "../src/hardhat/repeatable-flags";
import { parseParamAssignments } from "../src/model/params";
import type { SearchOptions } from "../src/hardhat/tokenspice";
import type { Corner } from "../src/search/design-loop";
import { searchTaskName } from "../src/search/kinds";
import { formatNumber, plural } from "../src/report/format";
import { asCommand } from "./command";
import { CORNERS_FILE, readCornersFile } from "../src/output/formats/corners-file";
import { SEARCH_FILE } from "../src/output/formats/search-file";

/**
 * The design loop on the command line: `sim-verify`, `sim-worst-case`, `sim-corners` and
 * `sim-optimize`. Each writes its runs and its search file to its folder (`--out`; the same folder and
 * `--seed` resume it) and prints its result. A verification that does not pass, or an optimization
 * with no feasible design, exits 1.
 */

interface CommonArgs {
  netlist: string;
  seed?: string;
  params?: string;
  steps?: string;
  out?: string;
  workers?: string;
  noCompile: boolean;
}

/** A count flag: a whole number from 1 (runs, seeds, budgets, workers). */
const COUNT = { integer: true, min: 1 } as const;
/** A probability flag: a number strictly between 0 and 1 (--target, --confidence). */
const SHARE = { integer: false, min: 0, max: 1, open: true } as const;

/**
 * A numeric flag's value, checked before anything runs or any folder is made: `integer` a whole
 * number from `min` (up to the largest safe integer), else a number in [min, max] ((min, max) when
 * `open`). --seed and --steps are only read as integers here (the plugin checks their ranges, SEED_INVALID
 * and STEPS_INVALID as for sim).
 * @throws TokenspiceError OPTION_INVALID naming the flag, what was given and what is valid
 */
function number(flag: string, text: string | undefined, range: { integer: boolean; min?: number; max?: number; open?: boolean }): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const v = Number(t);
  const form = range.integer ? /^[-+]?\d+$/.test(t) && Number.isSafeInteger(v) : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) && Number.isFinite(v);
  const { min = -Infinity, max = range.integer ? Number.MAX_SAFE_INTEGER : Infinity, open = false } = range;
  if (form && (open ? v > min && v < max : v >= min && v <= max)) return v;
  const valid = range.integer
    ? Number.isFinite(min) ? `a whole number, ${min} or more` : "a whole number"
    : open ? `a number between ${min} and ${max} (both excluded)` : `a number from ${min} to ${max}`;
  throw new TokenspiceError("OPTION_INVALID", `${flag} ${JSON.stringify(text)} is not valid: use ${valid}.`, { [flag]: text });
}

function common(args: CommonArgs): SearchOptions {
  return {
    seed: number("--seed", args.seed, { integer: true }),
    params: args.params === undefined ? undefined : parseParamAssignments(args.params),
    paramsFromText: true,
    steps: number("--steps", args.steps, { integer: true }), // its range: STEPS_INVALID, as for sim
    out: args.out,
    workers: number("--workers", args.workers, COUNT),
    // What the user typed, for the report: this process's own arguments after `hardhat`.
    command: shellJoin(["npx", "hardhat", ...process.argv.slice(2)]),
    onFolder: (dir) => void (searchFolder = dir),
  };
}

/**
 * A point's params as JSON for a person: numbers to 6 significant digits (`{"fee":0.657143}`); the
 * exact values are in the search file and in the reproduce command.
 */
function pointText(point: Record<string, unknown>): string {
  return JSON.stringify(point, (_key, v) => (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v));
}

/** "N runs had …" when some of a search's runs had a NaN or ±Infinity where a number was needed. */
function printNonFinite(n: number | undefined, what: string, meaning: string): void {
  if (n) console.log(`  ${plural(n, "run")} had ${what} that is NaN or ±Infinity (see runs.csv): ${meaning}`);
}

/** The folder of the search this process runs (set when it starts), printed once it ends. */
let searchFolder: string | undefined;
function printFolder(): void {
  if (searchFolder) console.log(`Files in ${searchFolder}: report.html, ${SEARCH_FILE}, runs/ and their store (campaign.duckdb, Parquet, CSV)`);
}

/** The corners of a `--corners` file (src/output/formats/corners-file.ts). @throws TokenspiceError CORNERS_FILE_INVALID */
function readCorners(file: string | undefined): Corner[] | undefined {
  return file === undefined ? undefined : readCornersFile(file).corners;
}

const over = (text: string | undefined) => text?.split(",").map((s) => s.trim());

function withCommon<T extends ReturnType<typeof task>>(t: T): T {
  return t
    .addPositionalParam("netlist", "Netlist name", undefined, types.string)
    .addOptionalParam("seed", "The search's seed: every run's seed derives from it (default: random)", undefined, types.string)
    .addOptionalParam("params", "Params fixed for every run, k=v,k=v", undefined, types.string)
    .addOptionalParam("steps", "Ticks per run (default: the netlist's)", undefined, types.string)
    .addOptionalParam("out", "The search's folder (the same folder and --seed resume it)", undefined, types.string)
    .addOptionalParam("workers", "Worker processes (default 1)", undefined, types.string)
    .addFlag("noCompile", "Don't compile first") as T;
}

async function compileFirst(hre: HardhatRuntimeEnvironment, args: { noCompile: boolean }): Promise<void> {
  if (!args.noCompile) await hre.run("compile", { quiet: true });
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
  .addOptionalParam("seedsPerCorner", "Seeds at each corner of --compare-corners (default 10)", undefined, types.string)
  .setAction((args: CommonArgs & Record<string, string | undefined>, hre) =>
    asCommand(searchTaskName("verify"), hre, async () => {
      const specs = repeatedValues(args.spec);
      if (specs.length === 0) throw new TokenspiceError("OPTION_INVALID", 'sim-verify needs --spec "<kpi> <stat> <op> <number>", e.g. --spec "treasury min >= 1000".');
      const options = {
        ...common(args),
        spec: specs,
        target: number("--target", args.target, SHARE),
        confidence: number("--confidence", args.confidence, SHARE),
        maxRuns: number("--max-runs", args.maxRuns, COUNT),
        batch: number("--batch", args.batch, COUNT),
        over: over(args.over),
        corners: readCorners(args.corners),
        compareCorners: readCorners(args.compareCorners),
        seedsPerCorner: number("--seeds-per-corner", args.seedsPerCorner, COUNT),
      };
      await compileFirst(hre, args as unknown as CommonArgs);
      const r = await hre.tokenspice.verify(args.netlist, options);
      printFolder();
      console.log(`${r.spec}: ${r.yield.k} of ${r.yield.n} runs met it; yield ${r.yield.p.toFixed(4)}, ${Math.round(r.confidence * 100)}% interval [${r.yield.lo.toFixed(4)}, ${r.yield.hi.toFixed(4)}] against ${r.target}: ${r.verdict.toUpperCase()}`);
      printNonFinite(r.nonFinite, "a spec value", "none of them met the spec");
      for (const f of r.failures.slice(0, 10)) console.log(`  ${f.reason}: ${f.command}`);
      if (r.failures.length > 10) console.log(`  … and ${r.failures.length - 10} more (${SEARCH_FILE})`);
      if (r.cornerCheck) {
        const c = r.cornerCheck;
        console.log(`Corners (${c.seedsPerCorner} seeds each) predicted ${c.predicted.toUpperCase()}: ${c.corners.map((x) => `${x.name} ${x.k}/${x.n}`).join(", ")}`);
        for (const m of c.missed) console.log(`  ${m.spec}: ${m.runs} of ${m.of} Monte Carlo runs were worse than the worst corner (margin ${formatNumber(m.worstCorner)})`);
      }
      if (r.verdict !== "pass") {
        throw new TokenspiceError("YIELD_NOT_SHOWN", `The yield was not shown to reach ${r.target} (${r.verdict}): ${r.yield.k} of ${r.yield.n} runs met ${r.spec}.`, { verdict: r.verdict });
      }
    }),
  );

withCommon(task(searchTaskName("worst-case"), "Worst-case analysis over the uncontrollables: differential evolution, then Nelder-Mead"))
  .addParam("objective", 'What to make worst: "<kpi> <stat>", e.g. "lpValueVsHold final"', undefined, types.string)
  .addOptionalParam("worst", "The worst is the minimum (min, default) or the maximum (max)", undefined, types.string)
  .addOptionalParam("over", "Uncontrollables to search, a,b (default: all)", undefined, types.string)
  .addOptionalParam("seedsPerPoint", "Seeds per point (default 3)", undefined, types.string)
  .addOptionalParam("budget", "Runs in all (default 300)", undefined, types.string)
  .setAction((args: CommonArgs & Record<string, string | undefined>, hre) =>
    asCommand(searchTaskName("worst-case"), hre, async () => {
      const worst = args.worst ?? "min";
      if (worst !== "min" && worst !== "max") throw new TokenspiceError("OPTION_INVALID", `--worst ${JSON.stringify(worst)}: use min or max.`);
      const options = { ...common(args), objective: args.objective!, worst: worst as "min" | "max", over: over(args.over), seedsPerPoint: number("--seeds-per-point", args.seedsPerPoint, COUNT), budget: number("--budget", args.budget, COUNT) };
      await compileFirst(hre, args as unknown as CommonArgs);
      const r = await hre.tokenspice.worstCase(args.netlist, options);
      printFolder();
      console.log(`Worst ${args.objective} (${worst}): ${formatNumber(r.objective.mean)} (sd ${formatNumber(r.objective.std)} over ${plural(r.objective.values.length, "seed")}) at ${pointText(r.point)}, after ${plural(r.runs, "run")}`);
      printNonFinite(r.nonFinite, "an objective", "a point with one is never the worst");
      console.log(`Reproduce its first run: ${r.command}`);
    }),
  );

withCommon(task(searchTaskName("corners"), `Corner extraction: each objective's worst case over the uncontrollables, plus nominal, to ${CORNERS_FILE}`))
  .addParam("objective", 'A corner per objective: "<kpi> <stat> min|max" (repeat the flag)', undefined, types.string)
  .addOptionalParam("over", "Uncontrollables to search, a,b (default: all)", undefined, types.string)
  .addOptionalParam("seedsPerPoint", "Seeds per point (default 3)", undefined, types.string)
  .addOptionalParam("budget", "Runs per corner (default 300)", undefined, types.string)
  .setAction((args: CommonArgs & Record<string, string | undefined>, hre) =>
    asCommand(searchTaskName("corners"), hre, async () => {
      const specs = repeatedValues(args.objective).map((text) => {
        const m = /^(.*\S)\s+(min|max)$/.exec(text.trim());
        if (!m) throw new TokenspiceError("OPTION_INVALID", `--objective ${JSON.stringify(text)} is not "<kpi> <stat> min|max".`, { objective: text });
        return { name: text, objective: m[1], worst: m[2] as "min" | "max" };
      });
      const options = { ...common(args), specs, over: over(args.over), seedsPerPoint: number("--seeds-per-point", args.seedsPerPoint, COUNT), budget: number("--budget", args.budget, COUNT) };
      await compileFirst(hre, args as unknown as CommonArgs);
      const found = await hre.tokenspice.corners(args.netlist, options);
      printFolder();
      for (const c of found) console.log(`${c.name}: ${pointText(c.params)}${c.value !== undefined ? ` (${formatNumber(c.value)})` : ""}`);
      printNonFinite(found.reduce((n, c) => n + (c.nonFinite ?? 0), 0), "an objective", "a point with one is never a corner");
    }),
  );

withCommon(task(searchTaskName("optimize"), "Variation-aware optimization of the controllables: every constraint on every corner"))
  .addParam("objective", 'What to optimize: "<kpi> <stat>"', undefined, types.string)
  .addOptionalParam("goal", "max (default) or min", undefined, types.string)
  .addOptionalParam("constraint", 'Must hold at every corner: "<kpi> <stat> <op> <number>" (repeat the flag)', undefined, types.string)
  .addOptionalParam("over", "Controllables to search, a,b (default: all)", undefined, types.string)
  .addOptionalParam("corners", `The ${CORNERS_FILE} of sim-corners (default: nominal only)`, undefined, types.string)
  .addOptionalParam("runsPerCandidate", "Seeds per candidate and corner (default 2)", undefined, types.string)
  .addOptionalParam("budget", "Runs in all (default 400)", undefined, types.string)
  .setAction((args: CommonArgs & Record<string, string | undefined>, hre) =>
    asCommand(searchTaskName("optimize"), hre, async () => {
      const goal = args.goal ?? "max";
      if (goal !== "max" && goal !== "min") throw new TokenspiceError("OPTION_INVALID", `--goal ${JSON.stringify(goal)}: use max or min.`);
      const options = {
        ...common(args),
        objective: args.objective!,
        goal: goal as "max" | "min",
        constraints: repeatedValues(args.constraint),
        over: over(args.over),
        corners: readCorners(args.corners),
        runsPerCandidate: number("--runs-per-candidate", args.runsPerCandidate, COUNT),
        budget: number("--budget", args.budget, COUNT),
      };
      await compileFirst(hre, args as unknown as CommonArgs);
      const r = await hre.tokenspice.optimize(args.netlist, options);
      printFolder();
      console.log(`Best design: ${pointText(r.design)}; ${args.objective} ${formatNumber(r.objective)} (mean over corners and seeds), after ${plural(r.runs, "run")}`);
      for (const m of r.margins) console.log(`  ${m.constraint} at ${m.corner}: margin ${formatNumber(m.margin)} ${m.met ? "met" : "BROKEN"}`);
      printNonFinite(r.nonFinite, "an objective or constraint value", "a candidate with one is never feasible or best");
      if (!r.feasible) throw new TokenspiceError("DESIGN_INFEASIBLE", "No design found meets every constraint at every corner (margins above).", { margins: r.margins });
    }),
  );
