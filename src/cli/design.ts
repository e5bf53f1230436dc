import { TokenspiceError, isTokenspiceError } from "../errors";
import { repeatableValues } from "./flags-table";
import { readCornersFile } from "../output/formats/corners-file";
import { SEARCH_FILE } from "../output/formats/search-file";
import { parseParamAssignments } from "../model/params";
import { runSearch, type SearchOptions } from "../search/run-search";
import type { Corner, VerifyResult } from "../search/design-loop";
import { formatNumber, plural } from "../report/format";
import type { CliContext, CliOutput } from "./context";
import { COUNT, SHARE, choiceFlag, listFlag, numberFlag, renamedFlag } from "./flags";
import { applyForkFlags, type ForkArgs } from "./fork-flags";
import { scrubSecrets } from "../output/secrets";

/**
 * The design loop on the command line: `sim-verify`, `sim-worst-case`, `sim-corners`,
 * `sim-optimize`, `sim-sensitivity` and `sim-compare`. Each writes its runs and its search file to its folder (`--out`; the same folder and
 * `--search-seed` resume it) and prints its result. A verification that does not pass, or an optimization
 * with no feasible design, exits 1.
 */

/** The flags every search takes, as text from a command line (or numbers from code). */
export interface SearchCommonArgs extends ForkArgs {
  netlist: string;
  /** The search's own seed. */
  searchSeed?: string | number;
  /** @deprecated the old name of `searchSeed` (`--seed`): accepted with a warning. */
  seed?: string | number;
  params?: string;
  steps?: string | number;
  out?: string;
  workers?: string | number;
  noCompile?: boolean;
}

/** The search options the common flags give, with the folder reported to `onFolder`. */
function common(ctx: CliContext, args: SearchCommonArgs, onFolder: (dir: string) => void): SearchOptions {
  const seed = renamedFlag<string | number>(args, "searchSeed", "seed", ctx.output);
  return {
    searchSeed: numberFlag(seed.flag, seed.value, { integer: true }),
    params: args.params === undefined ? undefined : parseParamAssignments(args.params),
    paramsFromText: true,
    steps: numberFlag("--steps", args.steps, { integer: true }), // its range: STEPS_INVALID, as for sim
    out: args.out,
    workers: numberFlag("--workers", args.workers, COUNT),
    // What the user typed, for the report: a --fork URL's key left out (remembered by applyForkFlags).
    command: scrubSecrets(ctx.commandLine),
    onFolder,
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
function printNonFinite(output: CliOutput, n: number | undefined, what: string, meaning: string): void {
  if (n) output.log(`  ${plural(n, "run")} had ${what} that is NaN or ±Infinity (see runs.csv): ${meaning}`);
}

/**
 * The common flags' options and the `--fork*` flags, checked first (before the kind's own flags), and `done`, which prints
 * where the search's files are (the folder is known once the search starts). A forked search's
 * run commands end with its bundle's flags (commandDefaultsOf).
 */
function commonFlags(ctx: CliContext, args: SearchCommonArgs): { options: SearchOptions; done(): void } {
  let folder: string | undefined;
  applyForkFlags(ctx, args); // every run of the search (and every worker) forks the same chain, block and bundle
  const options = common(ctx, args, (dir) => void (folder = dir));
  return {
    options,
    done: () => {
      if (folder) ctx.output.log(`Files in ${folder}: report.html, ${SEARCH_FILE}, runs/ and their store (campaign.duckdb, Parquet, CSV)`);
    },
  };
}

/** Compiles first, unless `noCompile`. */
async function compileFirst(ctx: CliContext, args: SearchCommonArgs): Promise<void> {
  if (!args.noCompile) await ctx.compile();
}

/** `--replicates` (or its old name `old`, with a warning), a count. */
function replicatesFlag(ctx: CliContext, args: object, old: string): number | undefined {
  const given = renamedFlag<string | number>(args, "replicates", old, ctx.output);
  return numberFlag(given.flag, given.value, COUNT);
}

/**
 * The corners of a corners file written by sim-corners (src/output/formats/corners-file.ts).
 * @throws TokenspiceError CORNERS_FILE_INVALID naming the flag (`details.flag`) and the file
 */
function readCorners(flag: string, file: string | undefined): Corner[] | undefined {
  if (file === undefined) return undefined;
  try {
    return readCornersFile(file).corners;
  } catch (error) {
    if (isTokenspiceError(error)) {
      error.message = `${flag}: ${error.message}`;
      error.details.flag = flag;
    }
    throw error;
  }
}

/** The arguments of `sim-verify`. */
export interface VerifyArgs extends SearchCommonArgs {
  /** What every run must meet, one per flag given (each may join several with `;`): "<kpi> <stat> <op> <number>". */
  spec?: string[];
  /** "mc" (default) or "importance". */
  method?: string;
  target?: string | number;
  confidence?: string | number;
  maxRuns?: string | number;
  batch?: string | number;
  over?: string;
  corners?: string;
  compareCorners?: string;
  /** Replicates at each corner of `compareCorners`. */
  replicates?: string | number;
  /** @deprecated the old name of `replicates` (`--seeds-per-corner`): accepted with a warning. */
  seedsPerCorner?: string | number;
}

/**
 * `sim-verify`: 3-sigma verification of a spec by Monte Carlo; prints the yield and its interval.
 * @throws TokenspiceError OPTION_INVALID for bad flags; YIELD_NOT_SHOWN (exit code 1) when the verdict is not pass
 */
export async function verifyCommand(ctx: CliContext, args: VerifyArgs): Promise<void> {
  const { output } = ctx;
  const log = (line: string) => output.log(line);
  const specs = repeatableValues(args.spec);
  if (specs.length === 0) throw new TokenspiceError("OPTION_INVALID", 'sim-verify needs --spec "<kpi> <stat> <op> <number>", e.g. --spec "treasury min >= 1000".');
  const base = commonFlags(ctx, args);
  const options = {
    ...base.options,
    spec: specs,
    method: choiceFlag("--method", args.method, ["mc", "importance"], "mc"),
    target: numberFlag("--target", args.target, SHARE),
    confidence: numberFlag("--confidence", args.confidence, SHARE),
    maxRuns: numberFlag("--max-runs", args.maxRuns, COUNT),
    batch: numberFlag("--batch", args.batch, COUNT),
    over: listFlag(args.over),
    corners: readCorners("--corners", args.corners),
    compareCorners: readCorners("--compare-corners", args.compareCorners),
    replicates: replicatesFlag(ctx, args, "seedsPerCorner"),
  };
  await compileFirst(ctx, args);
  const r = await runSearch(ctx.environment, args.netlist, "verify", options);
  base.done();
  if (r.importance) printImportance(output, r);
  else {
    log(
      `${r.spec}: ${r.yield.k} of ${r.yield.n} runs met it; yield ${r.yield.p.toFixed(4)}, ${levelText(r)} interval [${r.yield.lo.toFixed(4)}, ${r.yield.hi.toFixed(4)}] against ${r.target}: ${r.verdict.toUpperCase()}`,
    );
    if (r.runsToHalve)
      log(`  Halving this interval would take about ${formatNumber(r.runsToHalve)} runs in all (Clopper–Pearson width at the same yield; about 4× for a yield between 0 and 1, 2× with no failures)`);
  }
  printNonFinite(output, r.nonFinite, "a spec value", "none of them met the spec");
  for (const f of r.failures.slice(0, 10)) log(`  ${f.reason}: ${f.command}`);
  if (r.failures.length > 10) log(`  … and ${r.failures.length - 10} more (${SEARCH_FILE})`);
  if (r.cornerCheck) {
    const c = r.cornerCheck;
    log(`Corners (${c.seedsPerCorner} seeds each) predicted ${c.predicted.toUpperCase()}: ${c.corners.map((x) => `${x.name} ${x.k}/${x.n}`).join(", ")}`);
    for (const m of c.missed) log(`  ${m.spec}: ${m.runs} of ${m.of} Monte Carlo runs were worse than the worst corner (margin ${formatNumber(m.worstCorner)})`);
  }
  if (r.verdict !== "pass") {
    throw new TokenspiceError("YIELD_NOT_SHOWN", `The yield was not shown to reach ${r.target} (${r.verdict}): ${r.yield.k} of ${r.yield.n} runs met ${r.spec}.`, { verdict: r.verdict });
  }
}

/** "95%", or with several planned looks "99.8% (look 3 of 20; 95% over all looks)". */
function levelText(r: VerifyResult): string {
  const pctOf = (x: number) => `${Number((100 * x).toPrecision(4))}%`;
  if (!r.looks || r.looks <= 1 || r.level === undefined) return pctOf(r.confidence);
  return `${pctOf(r.level)} (look ${r.batches.length} of ${r.looks}; ${pctOf(r.confidence)} over all looks)`;
}

/** What verify --method importance prints: the failure probability, its interval, the runs, the checks. */
function printImportance(output: CliOutput, r: VerifyResult): void {
  const i = r.importance!;
  const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : String(x));
  const log = (line: string) => output.log(line);
  log(
    `${r.spec}: failure probability ${sci(i.p)} (${Number.isFinite(i.sigma) ? `${i.sigma.toFixed(2)} sigma` : "no failure seen"}), ${levelText(r)} interval [${sci(i.lo)}, ${sci(i.hi)}]; yield ${r.yield.p.toFixed(7)} against ${r.target}: ${r.verdict.toUpperCase()}`,
  );
  log(
    `  Importance sampling: ${formatNumber(i.runs)} runs (pilot ${formatNumber(i.pilotRuns)}, ${formatNumber(i.importanceRuns)} around the shift of length ${i.beta.toFixed(2)}), ${formatNumber(i.failures)} failed; effective sample size (Kish) ${i.ess.toFixed(1)}; relative error ${(100 * i.relativeError).toFixed(1)}%`,
  );
  log(
    `  Plain Monte Carlo would need about ${Number.isFinite(i.plainMcRuns) ? formatNumber(i.plainMcRuns) : "∞"} runs for the same relative error; halving this interval would take about ${formatNumber(i.runsToHalve)} runs in all (4× the importance runs)`,
  );
  for (const p of i.problems) log(`  ${p.blocking === false ? "Note" : "NOT TRUSTED"} (${p.code}): ${p.message}`);
}

/** The arguments of `sim-worst-case`. */
export interface WorstCaseArgs extends SearchCommonArgs {
  /** What to make worst: "<kpi> <stat>". */
  objective: string;
  worst?: string;
  over?: string;
  /** Replicates per point. */
  replicates?: string | number;
  /** @deprecated the old name of `replicates` (`--seeds-per-point`): accepted with a warning. */
  seedsPerPoint?: string | number;
  budget?: string | number;
  /** Search again with another seed and say whether the answer is stable. */
  stability?: boolean;
}

/**
 * `sim-worst-case`: worst-case analysis over the uncontrollables; prints the worst point.
 * @throws TokenspiceError OPTION_INVALID for bad flags
 */
export async function worstCaseCommand(ctx: CliContext, args: WorstCaseArgs): Promise<void> {
  const worst = choiceFlag("--worst", args.worst, ["min", "max"], "min");
  const base = commonFlags(ctx, args);
  const options = {
    ...base.options,
    objective: args.objective,
    worst,
    over: listFlag(args.over),
    replicates: replicatesFlag(ctx, args, "seedsPerPoint"),
    budget: numberFlag("--budget", args.budget, COUNT),
    stability: args.stability === true,
  };
  await compileFirst(ctx, args);
  const r = await runSearch(ctx.environment, args.netlist, "worst-case", options);
  base.done();
  ctx.output.log(
    `Worst ${args.objective} (${worst}): ${formatNumber(r.objective.mean)} (sd ${formatNumber(r.objective.std)} over ${plural(r.objective.values.length, "seed")}) at ${pointText(r.point)}, after ${plural(r.runs, "run")}`,
  );
  printNonFinite(ctx.output, r.nonFinite, "an objective", "a point with one is never the worst");
  ctx.output.log(`Reproduce its first run: ${r.command}`);
  if (r.stability)
    ctx.output.log(
      `Stability (${plural(r.stability.runs, "more run")}, seed ${r.stability.seed}: ${formatNumber(r.stability.objective.mean)} at ${pointText(r.stability.point)}): ${r.stability.advice}`,
    );
}

/** The arguments of `sim-corners`. */
export interface CornersArgs extends SearchCommonArgs {
  /** A corner per objective, one per flag given (each may join several with `;`): "<kpi> <stat> min|max". */
  objective: string[];
  over?: string;
  /** Replicates per point of each worst-case search. */
  replicates?: string | number;
  /** @deprecated the old name of `replicates` (`--seeds-per-point`): accepted with a warning. */
  seedsPerPoint?: string | number;
  budget?: string | number;
  /** Search each corner again with another seed and say whether it is stable. */
  stability?: boolean;
}

/**
 * `sim-corners`: each objective's worst case over the uncontrollables, plus nominal, to the corners file; prints them.
 * @throws TokenspiceError OPTION_INVALID for bad flags
 */
export async function cornersCommand(ctx: CliContext, args: CornersArgs): Promise<void> {
  const base = commonFlags(ctx, args);
  const specs = repeatableValues(args.objective).map((text) => {
    const m = /^(.*\S)\s+(min|max)$/.exec(text.trim());
    if (!m) throw new TokenspiceError("OPTION_INVALID", `--objective ${JSON.stringify(text)} is not "<kpi> <stat> min|max".`, { objective: text });
    return { name: text, objective: m[1], worst: m[2] as "min" | "max" };
  });
  const options = {
    ...base.options,
    specs,
    over: listFlag(args.over),
    replicates: replicatesFlag(ctx, args, "seedsPerPoint"),
    budget: numberFlag("--budget", args.budget, COUNT),
    stability: args.stability === true,
  };
  await compileFirst(ctx, args);
  const found = await runSearch(ctx.environment, args.netlist, "corners", options);
  base.done();
  for (const c of found) {
    ctx.output.log(`${c.name}: ${pointText(c.params)}${c.value !== undefined ? ` (${formatNumber(c.value)})` : ""}`);
    if (c.stability) ctx.output.log(`  ${c.stability.advice} (seed ${c.stability.seed} found ${formatNumber(c.stability.value)} at ${pointText(c.stability.params)})`);
  }
  printNonFinite(
    ctx.output,
    found.reduce((n, c) => n + (c.nonFinite ?? 0), 0),
    "an objective",
    "a point with one is never a corner",
  );
}

/** The arguments of `sim-optimize`. */
export interface OptimizeArgs extends SearchCommonArgs {
  /** What to optimize: "<kpi> <stat>". */
  objective: string;
  goal?: string;
  /** Must hold at every corner, one per flag given (each may join several with `;`): "<kpi> <stat> <op> <number>". */
  constraint?: string[];
  over?: string;
  corners?: string;
  /** Replicates per candidate and corner. */
  replicates?: string | number;
  /** @deprecated the old name of `replicates` (`--runs-per-candidate`): accepted with a warning. */
  runsPerCandidate?: string | number;
  budget?: string | number;
}

/**
 * `sim-optimize`: variation-aware optimization of the controllables; prints the best design and its margins.
 * @throws TokenspiceError OPTION_INVALID for bad flags; DESIGN_INFEASIBLE (exit code 1) when no design meets every constraint
 */
export async function optimizeCommand(ctx: CliContext, args: OptimizeArgs): Promise<void> {
  const goal = choiceFlag("--goal", args.goal, ["max", "min"], "max");
  const base = commonFlags(ctx, args);
  const options = {
    ...base.options,
    objective: args.objective,
    goal,
    constraints: repeatableValues(args.constraint),
    over: listFlag(args.over),
    corners: readCorners("--corners", args.corners),
    replicates: replicatesFlag(ctx, args, "runsPerCandidate"),
    budget: numberFlag("--budget", args.budget, COUNT),
  };
  await compileFirst(ctx, args);
  const r = await runSearch(ctx.environment, args.netlist, "optimize", options);
  base.done();
  const log = (line: string) => ctx.output.log(line);
  log(`Best design: ${pointText(r.design)}; ${args.objective} ${formatNumber(r.objective)} (mean over corners and seeds), after ${plural(r.runs, "run")}`);
  for (const m of r.margins) log(`  ${m.constraint} at ${m.corner}: margin ${formatNumber(m.margin)} ${m.met ? "met" : "BROKEN"}`);
  printNonFinite(ctx.output, r.nonFinite, "an objective or constraint value", "a candidate with one is never feasible or best");
  if (!r.feasible) throw new TokenspiceError("DESIGN_INFEASIBLE", "No design found meets every constraint at every corner (margins above).", { margins: r.margins });
}

/** The arguments of `sim-sensitivity`. */
export interface SensitivityArgs extends SearchCommonArgs {
  /** The outputs, one per flag given (each may join several with `;`): "<kpi> <stat>". */
  objective: string[];
  method?: string;
  over?: string;
  samples?: string | number;
  trajectories?: string | number;
  levels?: string | number;
  replicates?: string | number;
  resamples?: string | number;
  confidence?: string | number;
}

/**
 * `sim-sensitivity`: global sensitivity analysis of KPIs to the uncontrollables (or `--over`); prints
 * each output's params ranked by ST (Sobol) or μ* (Morris) with their intervals, and any warning.
 * @throws TokenspiceError OPTION_INVALID for bad flags
 */
export async function sensitivityCommand(ctx: CliContext, args: SensitivityArgs): Promise<void> {
  const objective = repeatableValues(args.objective);
  if (objective.length === 0) throw new TokenspiceError("OPTION_INVALID", 'sim-sensitivity needs --objective "<kpi> <stat>", e.g. --objective "treasury final".');
  const method = choiceFlag("--method", args.method, ["sobol", "morris"], "sobol");
  const base = commonFlags(ctx, args);
  const options = {
    ...base.options,
    objective,
    method,
    over: listFlag(args.over),
    samples: numberFlag("--samples", args.samples, COUNT),
    trajectories: numberFlag("--trajectories", args.trajectories, COUNT),
    levels: numberFlag("--levels", args.levels, COUNT),
    replicates: numberFlag("--replicates", args.replicates, COUNT),
    resamples: numberFlag("--resamples", args.resamples, COUNT),
    confidence: numberFlag("--confidence", args.confidence, SHARE),
  };
  await compileFirst(ctx, args);
  const r = await runSearch(ctx.environment, args.netlist, "sensitivity", options);
  base.done();
  const log = (line: string) => ctx.output.log(line);
  const pct = Math.round(r.bootstrap.confidence * 100);
  const iv = (i: { value: number; lo: number; hi: number }) => `${i.value.toFixed(3)} [${i.lo.toFixed(3)}, ${i.hi.toFixed(3)}]`;
  const sizes = r.method === "sobol" ? `N = ${r.samples} base samples` : `${r.trajectories} trajectories, ${r.levels} levels`;
  log(`Sensitivity (${r.method}, ${sizes}, ${plural(r.runs, "run")}; ${pct}% bootstrap intervals, ${r.bootstrap.resamples} resamples):`);
  for (const o of r.outputs) {
    log(`${o.objective}:`);
    const width = Math.max(5, ...r.over.map((p) => p.param.length));
    if (o.sobol) {
      log(`  ${"param".padEnd(width)}  ${"S1 [interval]".padEnd(26)}  ST [interval]`);
      for (const x of o.sobol.indices) log(`  ${x.param.padEnd(width)}  ${iv(x.S1).padEnd(26)}  ${iv(x.ST)}`);
      log(`  ΣS1 = ${iv(o.sobol.sumS1)}`);
    } else if (o.morris) {
      log(`  ${"param".padEnd(width)}  ${"mu* [interval]".padEnd(26)}  ${"mu".padEnd(10)}  sigma`);
      for (const x of o.morris)
        log(
          `  ${x.param.padEnd(width)}  ${`${formatNumber(x.muStar.value)} [${formatNumber(x.muStar.lo)}, ${formatNumber(x.muStar.hi)}]`.padEnd(26)}  ${formatNumber(x.mu).padEnd(10)}  ${formatNumber(x.sigma)}`,
        );
    }
    for (const w of o.warnings) log(`  Warning: ${w}`);
  }
  printNonFinite(ctx.output, r.nonFinite, "an objective value", "its base sample (Sobol) or effect (Morris) was left out");
}

/** The arguments of `sim-compare`. */
export interface CompareArgs extends SearchCommonArgs {
  /** Design A's param values, k=v,k=v (as --params). */
  a?: string;
  /** Design B's param values, k=v,k=v. */
  b?: string;
  /** KPIs compared, one per flag given (each may join several with `;`): "<kpi> <stat>" (default every KPI's final). */
  kpi?: string[];
  /** Pairs (each A and B on one seed). */
  replicates?: string | number;
  confidence?: string | number;
  power?: string | number;
  /** Effects to size the runs for, one per flag given (each may join several with `;`): "<kpi> <stat>=<number>". */
  effect?: string[];
  over?: string;
}

/**
 * `sim-compare`: design A against design B on common seeds; prints, per KPI, the mean difference, its
 * intervals, the tests' p-values (Holm-corrected), the differences' spread, the verdict and the pairs
 * that would detect an effect. A comparison has no pass or fail: it exits 0 whatever it finds.
 * @throws TokenspiceError OPTION_INVALID for bad flags (a missing --a or --b, an --effect that is not "<kpi> <stat>=<number>"); PARAMS_MALFORMED for a design that is not k=v,k=v
 */
export async function compareCommand(ctx: CliContext, args: CompareArgs): Promise<void> {
  for (const which of ["a", "b"] as const) {
    if (args[which] === undefined || String(args[which]).trim() === "")
      throw new TokenspiceError("OPTION_INVALID", `sim-compare needs --a and --b, each design's param values as k=v,k=v, e.g. --a feeBps=30 --b feeBps=100.`, { flag: `--${which}` });
  }
  const effects: Record<string, number> = {};
  for (const text of repeatableValues(args.effect)) {
    const m = /^(.*\S)\s*=\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$/.exec(text.trim());
    if (!m) throw new TokenspiceError("OPTION_INVALID", `--effect ${JSON.stringify(text)} is not "<kpi> <stat>=<number>", e.g. --effect "lpValueVsHold final=0.01".`, { effect: text });
    effects[m[1]] = Number(m[2]);
  }
  const base = commonFlags(ctx, args);
  const kpis = repeatableValues(args.kpi);
  const options = {
    ...base.options,
    a: parseParamAssignments(String(args.a)),
    b: parseParamAssignments(String(args.b)),
    kpis: kpis.length ? kpis : undefined,
    replicates: numberFlag("--replicates", args.replicates, COUNT),
    confidence: numberFlag("--confidence", args.confidence, SHARE),
    power: numberFlag("--power", args.power, SHARE),
    effects: Object.keys(effects).length ? effects : undefined,
    over: listFlag(args.over),
  };
  await compileFirst(ctx, args);
  const r = await runSearch(ctx.environment, args.netlist, "compare", options);
  base.done();
  const log = (line: string) => ctx.output.log(line);
  const conf = Math.round(r.confidence * 100);
  const p = (x: number) => (x < 1e-4 ? "<0.0001" : x.toFixed(4));
  log(
    `A ${pointText(r.a)} against B ${pointText(r.b)}: ${plural(r.replicates, "pair")}, each on one seed for both (common random numbers); p-values Holm-corrected over ${plural(r.kpis.length, "KPI")}`,
  );
  for (const k of r.kpis) {
    log(`${k.kpi}: B − A = ${formatNumber(k.t.mean)}, ${conf}% interval [${formatNumber(k.t.lo)}, ${formatNumber(k.t.hi)}] (t test p ${p(k.t.p)}, Holm ${p(k.t.pHolm)}): ${k.verdict.toUpperCase()}`);
    log(
      `  per seed: min ${formatNumber(k.spread.min)}, quartiles ${formatNumber(k.spread.q1)} · ${formatNumber(k.spread.median)} · ${formatNumber(k.spread.q3)}, max ${formatNumber(k.spread.max)} over ${plural(k.n, "pair")}; Hodges–Lehmann ${formatNumber(k.wilcoxon.estimate)} ${Number.isFinite(k.wilcoxon.lo) ? `[${formatNumber(k.wilcoxon.lo)}, ${formatNumber(k.wilcoxon.hi)}]` : `(too few pairs for its ${conf}% interval)`} (signed-rank p ${p(k.wilcoxon.p)}, Holm ${p(k.wilcoxon.pHolm)})`,
    );
    log(
      `  pairs to detect ${k.effectFrom === "given" ? "the effect" : "a difference this size"} (${formatNumber(k.effect)}) with power ${r.power}: ${Number.isFinite(k.pairsToDetect) ? k.pairsToDetect : k.effect === 0 ? "none: no difference to detect" : "—"}`,
    );
  }
  if (r.failed) log(`  ${plural(r.failed, "pair")} had a failed run: left out of every KPI (runs.csv has their errors)`);
  printNonFinite(ctx.output, r.nonFinite, "a KPI value", "its pair is left out of that KPI");
}
