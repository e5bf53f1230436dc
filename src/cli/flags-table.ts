import { searchTaskName } from "../output/search-kinds";
import { CAMPAIGN_FILE } from "../output/formats/campaign-file";
import { CORNERS_FILE } from "../output/formats/corners-file";
import { KPIS_CSV_FILE } from "../output/formats/kpis-csv";
import { RUN_MANIFEST_FILE } from "../output/formats/run-manifest";
import { SEARCH_FILE } from "../output/formats/search-file";

/**
 * Every `sim*` task's arguments and flags, free of any framework: Hardhat 2's tasks (tasks/*.ts)
 * and Hardhat 3's (src/hardhat3/index.ts) are both declared from this table, and
 * docs/reference/cli.md is generated from the Hardhat 2 declarations (scripts/gen-docs.ts), so the
 * two adapters cannot drift apart.
 *
 * Kinds: `string` (text); `int` (an integer, given as text and checked by the command, so bad values
 * get the plugin's error and exit code 2); `flag` (a boolean, absent = off); `repeatable` (text that
 * may hold several values: joined with REPEATABLE_SEPARATOR in one flag on both Hardhat versions,
 * or the flag repeated on Hardhat 2). Flags have no defaults here: the commands apply them (the
 * descriptions say which). `required` flags are checked by the command on Hardhat 3, whose options
 * cannot be required.
 */
export type FlagKind = "string" | "int" | "flag" | "repeatable";

/** One `--flag`: its param name in camelCase (`maxRunsPerWorker` is `--max-runs-per-worker`). */
export interface FlagSpec {
  name: string;
  description: string;
  kind: FlagKind;
  required?: boolean;
}

/** One positional argument; `variadic` takes the rest of the command line (one or more; none too when `optional`). */
export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
  variadic?: boolean;
}

/** One task: its name, description, positional arguments and flags, in the order help lists them. */
export interface TaskSpec {
  name: string;
  description: string;
  positional: PositionalSpec[];
  flags: FlagSpec[];
}

/**
 * Joins several values of a repeatable flag in one: `--sweep 'a=1,2;b=3,4'`. None of the repeatable
 * flags' grammars can hold it: a sweep is `param=v1,v2` or `param=lo:hi:n` (param names are
 * identifiers, values numbers, `true`/`false` or choices, which may not contain it: src/model/params.ts),
 * a spec or constraint `"<kpi> <stat> <op> <number>"`, an objective `"<kpi> <stat> [min|max]"`, a compared KPI `"<kpi> <stat>"`
 * and an effect `"<kpi> <stat>=<number>"`, a moment `"<kpi> <stat>=<number>±<number>"`
 * (KPI names are identifiers, stats and ops fixed words).
 */
export const REPEATABLE_SEPARATOR = ";";

/**
 * The values of a repeatable flag: each text given (one per flag on Hardhat 2's repeated form) split
 * on REPEATABLE_SEPARATOR, trimmed; empty pieces (a trailing `;`) dropped.
 */
export function repeatableValues(texts: string | readonly string[] | undefined): string[] {
  if (texts === undefined) return [];
  const list = typeof texts === "string" ? [texts] : texts;
  return list
    .flatMap((t) => t.split(REPEATABLE_SEPARATOR))
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

const str = (name: string, description: string, required = false): FlagSpec => ({ name, description, kind: "string", ...(required ? { required } : {}) });
const int = (name: string, description: string): FlagSpec => ({ name, description, kind: "int" });
const flag = (name: string, description: string): FlagSpec => ({ name, description, kind: "flag" });
const many = (name: string, description: string, required = false): FlagSpec => ({ name, description, kind: "repeatable", ...(required ? { required } : {}) });

/** `;` in one flag, or the flag repeated (Hardhat 2 only): how every repeatable flag's help ends. */
const SEVERAL = `join them with '${REPEATABLE_SEPARATOR}' in one flag, or repeat the flag (Hardhat 2 only)`;

/** A fork of a live chain at a pinned block, recorded into a bundle (docs/how-to/forks.md): `sim` and every design-loop task take these. */
const FORK_FLAGS: FlagSpec[] = [
  str("fork", "Fork this JSON-RPC URL (its key is never printed or written); needs --fork-block"),
  int("forkBlock", "Fork: the block to fork at (required: a fork of the latest block is not reproducible)"),
  str("forkBundle", "Fork: the bundle folder reads are served from first and recorded into (default: <cache>/tokenspice-forks/<chain>-<block>-<hash>)"),
  flag("offline", "Fork: serve every read from --fork-bundle alone, never the upstream; a read it lacks fails the run, named"),
  int("forkChainId", "Fork: the chain id the upstream must have (checked before the run)"),
  int("forkBudget", "Fork: HTTP requests the upstream may get in all, retries included (default 100000)"),
  int("forkRps", "Fork: requests per second to the upstream at most (0: no limit; default 25)"),
  int("forkRetries", "Fork: retries of a request on HTTP 429/502/503/504, JSON-RPC -32005, a timeout or a malformed answer, with exponential backoff (default 6)"),
];

const SIM: TaskSpec = {
  name: "sim",
  description: "Runs a tokenomics netlist on the Hardhat network and writes its KPI time series",
  positional: [{ name: "netlist", description: "Netlist name: sims/<name>/netlist.ts or sims/<name>.ts", optional: true }],
  flags: [
    int("steps", "Ticks to run (default: the netlist's time.steps)"),
    int("seed", "Run seed, an integer in [0, 2^32-1] (default: random, printed)"),
    str("params", "Param overrides as k=v,k=v (in a value, write a comma as \\, and a backslash as \\\\)"),
    str("out", "Output folder (default: <outDir>/<netlist>/<time>-seed<seed>)"),
    flag("force", "Overwrite a run already in --out"),
    flag("quiet", "No progress and no KPI table: print only the output folder"),
    flag("list", "List the netlists with their params and KPIs, and exit"),
    flag("noCompile", "Don't compile before running"),
    str("baseline", "Compare the run's KPI summary with this baseline JSON (it fixes seed, steps and params)"),
    flag("updateBaseline", "Write the --baseline file from this run instead of comparing"),
    int("stepTimeout", "Milliseconds setup, an agent's step or a KPI may take (0: no limit; default: config tokenspice.stepTimeoutMs, 60000)"),
    flag("noReport", "Don't write plots/ and report.html (rebuild them later with sim-report)"),
    ...FORK_FLAGS,
    // Campaigns: many runs of one netlist (see docs/how-to/campaigns.md).
    int("replicates", "Campaign: replicates (runs, each with its own seed) at each point"),
    int("runs", "Deprecated: use --replicates (same meaning)"),
    many("sweep", `Campaign: param=v1,v2,... or param=lo:hi:n or param=log:lo:hi:n. More params (a grid): ${SEVERAL}`),
    flag("zip", "Campaign: pair the --sweep lists value by value instead of crossing them"),
    flag("commonSeeds", "Campaign: common random numbers: replicate r has the same seed at every point, so points are compared on the same draws"),
    str("sample", "Campaign: sample params over their ranges: random, lhs or sobol (with --samples)"),
    int("samples", "Campaign: points to draw with --sample"),
    str("over", "Campaign: params to sample, as a,b (default: every uncontrollable param)"),
    int("campaignSeed", "Campaign: the seed every run's seed is derived from (default: random, printed)"),
    int("workers", "Campaign: worker processes (default: as many as the work pays for, at most the cores and the runs: see docs/how-to/campaigns.md)"),
    int("maxRunsPerWorker", "Campaign: restart a worker after this many runs"),
    int("workerMemory", "Campaign: restart a worker once its RSS passes this many MiB"),
    str("shard", "Campaign: run only shard i/n (1-based), e.g. 2/8"),
    int("shards", "Campaign: n shards, this one's index from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs)"),
    str("resume", "Campaign: continue the campaign in this folder (runs only what has not ended)"),
  ],
};

// A campaign itself is `sim` with --replicates, --sweep or --sample.
const MERGE: TaskSpec = {
  name: "sim-merge",
  description: "Merges the folders of a campaign's shards into one campaign folder (byte for byte what one machine writes)",
  positional: [{ name: "dirs", description: "The shards' campaign folders", variadic: true }],
  flags: [str("out", "The merged campaign's folder", true), flag("force", "Replace a campaign of ours already in --out")],
};

const REPORT: TaskSpec = {
  name: "sim-report",
  description: "Rebuilds a run folder's plots/ and report.html, or a campaign's or search's outputs and report, from its files alone (a copied or merged folder works)",
  positional: [
    {
      name: "dir",
      description: `A run folder (it holds ${RUN_MANIFEST_FILE} and ${KPIS_CSV_FILE}), a campaign folder (${CAMPAIGN_FILE} and runs/) or a search folder (${SEARCH_FILE} and runs/)`,
    },
  ],
  flags: [],
};

/** The design loop's tasks share these (the commands are src/cli/design.ts; numeric flags arrive as text). */
const SEARCH_POSITIONAL: PositionalSpec[] = [{ name: "netlist", description: "Netlist name" }];
const SEARCH_COMMON: FlagSpec[] = [
  str("searchSeed", "The search's own seed: every run's seed derives from it (default: random)"),
  str("seed", "Deprecated: use --search-seed (same meaning)"),
  str("params", "Params fixed for every run, k=v,k=v"),
  str("steps", "Ticks per run (default: the netlist's)"),
  str("out", "The search's folder (the same folder and --search-seed resume it)"),
  str("workers", "Worker processes (default 1)"),
  flag("noCompile", "Don't compile first"),
  ...FORK_FLAGS,
];

const VERIFY: TaskSpec = {
  name: searchTaskName("verify"),
  description: "3-sigma (and high-sigma) verification: the yield of a spec by Monte Carlo or importance sampling, with its interval",
  positional: SEARCH_POSITIONAL,
  flags: [
    ...SEARCH_COMMON,
    many("spec", `What every run must meet: "<kpi> <stat> <op> <number>". Several (all must hold): ${SEVERAL}`),
    str("method", "mc (plain Monte Carlo, default) or importance (importance sampling, for rare failures: 4 sigma and beyond)"),
    str("target", "The yield to show (default 0.9973)"),
    str("confidence", "Confidence of the interval (default 0.95)"),
    str("maxRuns", "At most this many runs (default 2000)"),
    str("batch", "Runs between two looks at the interval (default 100)"),
    str("over", "Uncontrollables to draw, a,b (default: all)"),
    str("corners", `Verify at the corners of this ${CORNERS_FILE} instead of drawing`),
    str("compareCorners", `After the Monte Carlo, run the corners of this ${CORNERS_FILE} and say how well they predicted it`),
    str("replicates", "Replicates (runs, each with its own seed) at each corner of --compare-corners (default 10)"),
    str("seedsPerCorner", "Deprecated: use --replicates (same meaning)"),
  ],
};

const WORST_CASE: TaskSpec = {
  name: searchTaskName("worst-case"),
  description: "Worst-case analysis over the uncontrollables: differential evolution, then Nelder-Mead",
  positional: SEARCH_POSITIONAL,
  flags: [
    ...SEARCH_COMMON,
    str("objective", 'What to make worst: "<kpi> <stat>", e.g. "lpValueVsHold final"', true),
    str("worst", "The worst is the minimum (min, default) or the maximum (max)"),
    str("over", "Uncontrollables to search, a,b (default: all)"),
    str("replicates", "Replicates (runs, each with its own seed) per point (default 3)"),
    str("seedsPerPoint", "Deprecated: use --replicates (same meaning)"),
    str("budget", "Runs in all (default 300)"),
    flag("stability", "Search again with another seed (twice the runs) and say whether the worst value and point are stable, with a budget to try"),
  ],
};

const CORNERS: TaskSpec = {
  name: searchTaskName("corners"),
  description: `Corner extraction: each objective's worst case over the uncontrollables, plus nominal, to ${CORNERS_FILE}`,
  positional: SEARCH_POSITIONAL,
  flags: [
    ...SEARCH_COMMON,
    many("objective", `A corner per objective: "<kpi> <stat> min|max". Several: ${SEVERAL}`, true),
    str("over", "Uncontrollables to search, a,b (default: all)"),
    str("replicates", "Replicates (runs, each with its own seed) per point (default 3)"),
    str("seedsPerPoint", "Deprecated: use --replicates (same meaning)"),
    str("budget", "Runs per corner (default 300)"),
    flag("stability", "Search each corner again with another seed (twice the runs) and say whether it is stable, with a budget to try"),
  ],
};

const OPTIMIZE: TaskSpec = {
  name: searchTaskName("optimize"),
  description: "Variation-aware optimization of the controllables: every constraint on every corner",
  positional: SEARCH_POSITIONAL,
  flags: [
    ...SEARCH_COMMON,
    str("objective", 'What to optimize: "<kpi> <stat>"', true),
    str("goal", "max (default) or min"),
    many("constraint", `Must hold at every corner: "<kpi> <stat> <op> <number>". Several: ${SEVERAL}`),
    str("over", "Controllables to search, a,b (default: all)"),
    str("corners", `The ${CORNERS_FILE} of sim-corners (default: nominal only)`),
    str("replicates", "Replicates (runs, each with its own seed) per candidate and corner (default 2)"),
    str("runsPerCandidate", "Deprecated: use --replicates (same meaning)"),
    str("budget", "Runs in all (default 400)"),
  ],
};

const CHECK: TaskSpec = {
  name: "sim-check",
  description: "Runs the netlists' checks files (sims/<netlist>.checks.ts, sims/<netlist>/checks.ts) as a test suite",
  positional: [{ name: "files", description: "Checks files to run (default: every one in the sims folder)", optional: true, variadic: true }],
  flags: [flag("noCompile", "Don't compile before running")],
};

const SENSITIVITY: TaskSpec = {
  name: searchTaskName("sensitivity"),
  description: "Global sensitivity analysis: Sobol' indices S1 and ST with bootstrap intervals, or Morris screening, of KPIs to the uncontrollables",
  positional: SEARCH_POSITIONAL,
  flags: [
    ...SEARCH_COMMON,
    many("objective", `An output to analyse: "<kpi> <stat>". Several (one set of runs): ${SEVERAL}`, true),
    str("method", "sobol (default: S1 and ST) or morris (screening: mu*, sigma; fewer runs for many params)"),
    str("over", "Params to vary, a,b (default: every uncontrollable; each over its dist, or uniformly over its range)"),
    str("samples", "Sobol: base samples N (default 256, a power of two); runs N*(d+2)"),
    str("trajectories", "Morris: trajectories r (default 20); runs r*(d+1)"),
    str("levels", "Morris: grid levels (default 4)"),
    str("replicates", "Replicates at each point, on the same seeds everywhere; the output is their mean (default 1)"),
    str("resamples", "Bootstrap resamples for the intervals (default 1000)"),
    str("confidence", "Confidence of the intervals (default 0.95)"),
  ],
};

const COMPARE: TaskSpec = {
  name: searchTaskName("compare"),
  description: "Paired design comparison: design A against design B on the same seeds, per KPI a confidence interval, a test and a verdict",
  positional: SEARCH_POSITIONAL,
  flags: [
    ...SEARCH_COMMON,
    str("a", "Design A's param values, k=v,k=v (as --params), e.g. feeBps=30", true),
    str("b", "Design B's param values, k=v,k=v, e.g. feeBps=100", true),
    many("kpi", `KPIs compared: "<kpi> <stat>" (default: every KPI's final). Several: ${SEVERAL}`),
    str("replicates", "Pairs: replicate r runs A and B with the same seed (default 30)"),
    str("confidence", "Confidence of the intervals; 1 - confidence is the verdicts' family-wise level, Holm-corrected (default 0.95)"),
    str("power", "Power of the pairs-to-detect (default 0.8)"),
    many("effect", `An effect to size the pairs for: "<kpi> <stat>=<number>" (default: the observed difference). Several: ${SEVERAL}`),
    str("over", "Uncontrollables to draw, one draw per pair shared by A and B, a,b (default: none, seeds alone)"),
  ],
};

const CALIBRATE: TaskSpec = {
  name: "sim-calibrate",
  description:
    "Fits the world to observed data: a param's distribution (normal, lognormal, triangular, uniform) or GBM drift and volatility, with intervals and goodness-of-fit tests, to calibration.json; moments: behaviour params to observed moments, by simulated moments; backtest: fit on one window, run a campaign on a held-out one, score a KPI against the data",
  positional: [
    {
      name: "mode",
      description: "fit (the world's distributions, from data), moments (behaviour params, by simulated moments) or backtest (GBM fitted on --fit-window, a campaign over --test-window, losses)",
    },
    { name: "netlist", description: "moments and backtest: the netlist to run; fit: with --param, the param's range is the netlist's (unless --min/--max)", optional: true },
  ],
  flags: [
    str("data", "The observed data: a CSV (header line first) or Parquet file (required by fit)"),
    str("time", "The time column: ISO dates or times (no zone = UTC) or unix seconds (required by fit)"),
    str("value", "The value column (prices with --gbm; required by fit)"),
    str("group", "A group column (a pool, an agent class): the file holds one series per group"),
    str("select", "The group to fit, with --group"),
    str("timeFormat", "auto (default), iso or unix"),
    str("dist", "Families to fit: normal, lognormal, triangular, uniform, all, or several as a,b (default all; none with --gbm)"),
    flag("gbm", "Fit GBM to the values as prices: drift and volatility per year, and the checks of what GBM misses"),
    str("param", "The param the dist is for (default: the value column's name)"),
    str("min", "The param's range, low end (triangular and uniform; default: the data's, widened)"),
    str("max", "The param's range, high end"),
    str("confidence", "Confidence of the intervals (default 0.95)"),
    str("alpha", "Significance level of the tests (default 0.05)"),
    str("resamples", "Bootstrap resamples (KS p-values, triangular mode; default 999)"),
    str("seed", 'Seed of the bootstrap (default "calibrate")'),
    str("out", "The calibration file to write (default ./calibration.json)"),
    flag("force", "Replace an existing --out file"),
    str("paramsOut", 'Fit: also write the GBM\'s point values to this params file, one line k=v,k=v: sim --params "$(cat <file>)"'),
    // backtest (docs/how-to/calibrate.md, "Backtest"): --data/--time/--value are the observed series, --out the backtest's folder.
    str("fitValue", "Backtest: the price column GBM is fitted on and the runs start from (default: --value, the observed column scored)"),
    str("kpi", "Backtest: the KPI scored against the --value column (in the KPI's unit: scaled by its decimals)"),
    str("fitWindow", "Backtest: the window GBM is fitted on, FROM..TO (ISO dates or unix seconds, both ends included)"),
    str("testWindow", "Backtest: the held-out window, FROM..TO, starting at or after the fit window's end; the runs start at its first observation"),
    str("startParam", "Backtest: the param set to the test window's first observed value (default initialPrice)"),
    str("params", "Moments and backtest: params for every run, k=v,k=v (backtest: they win over the fit's, e.g. drift=0 for no view on direction)"),
    str("replicates", "Backtest: runs, each its own seed (default 50). Moments: seeds per candidate, the same at every candidate (common random numbers; default 10)"),
    str("campaignSeed", "Backtest: the campaign seed (default 1)"),
    str("workers", "Moments and backtest: worker processes (backtest default: as a campaign of sim, as many as the work pays for, at most the cores; moments default 1)"),
    str("band", "Backtest: the central band whose coverage is scored (default 0.9: the 5th to 95th percentile)"),
    flag("noCompile", "Moments and backtest: don't compile first"),
    // moments: behaviour by simulated moments (see docs/how-to/calibrate.md)
    many("moment", `Moments: an observed moment, "<kpi> <stat>=<observed>±<se>", e.g. "trades final=6.1±0.2". Several: ${SEVERAL}`),
    str("moments", "Moments: a moments file (JSON: each moment a number with its se, or the data file to compute them from)"),
    str("over", "Moments: the behaviour params to fit, a,b (int or float; each searched over its range)"),
    str("weighting", "Moments: inverse-variance (default: 1/se^2) or relative (1/observed^2, for moments without se)"),
    str("budget", "Moments: runs in all, the Jacobian's included (default 400)"),
    str("searchSeed", "Moments: the search's seed; every run's seed and the bootstrap derive from it (default: random)"),
    str("searchOut", "Moments: the search's folder (default <outDir>/<netlist>/<time>-calibrate<seed>; the same folder and --search-seed resume it)"),
    str("steps", "Moments: ticks per run (default: the netlist's)"),
  ],
};

/** Every task, by name. */
export const TASKS = {
  sim: SIM,
  merge: MERGE,
  report: REPORT,
  verify: VERIFY,
  worstCase: WORST_CASE,
  corners: CORNERS,
  optimize: OPTIMIZE,
  sensitivity: SENSITIVITY,
  compare: COMPARE,
  check: CHECK,
  calibrate: CALIBRATE,
} as const;

/** The repeatable flags' names, e.g. `["sweep", "spec", "objective", "constraint"]` (Hardhat 2's parser lets these repeat). */
export const REPEATABLE_FLAG_NAMES: string[] = [...new Set(Object.values(TASKS).flatMap((t) => t.flags.filter((f) => f.kind === "repeatable").map((f) => f.name)))];

/**
 * A required flag the framework could not require (Hardhat 3's options cannot be).
 * @throws nothing; returns the flags missing from `args`, spelled `--flag`
 */
export function missingRequired(task: TaskSpec, args: Record<string, unknown>): string[] {
  return task.flags.filter((f) => f.required === true && (args[f.name] === undefined || args[f.name] === "")).map((f) => `--${f.name.replace(/([A-Z])/g, (c) => `-${c.toLowerCase()}`)}`);
}
