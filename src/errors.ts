/**
 * The one error family of hardhat-tokenspice. Every error the plugin raises on purpose is a
 * `TokenspiceError` with a stable `code` (below), `details` (JSON-serialisable facts: netlist,
 * agent, tick, seed, file, ...) and, where another error caused it, `cause`.
 *
 * Each code belongs to a kind, and the kind fixes the exit code of `npx hardhat sim`:
 * - "input": bad input or configuration, found before any work → exit 2;
 * - "infrastructure": the node, the disk or the process failed → exit 2;
 * - "failure": a run, property check or baseline comparison failed → exit 1.
 * An interrupted run (SIGINT, SIGTERM, SIGHUP) exits with 128 + the signal number, as shells expect.
 *
 * The framework-free layers (model, engine, runner, output) throw these; the Hardhat adapter
 * (`src/hardhat/errors.ts`) turns them into Hardhat plugin errors that keep code, details and cause.
 */
export type ErrorKind = "input" | "infrastructure" | "failure";

/**
 * Every error code: its kind (which fixes the exit code) and a one-line meaning. The README's
 * "Errors and exit codes" table and docs/reference/errors.md are generated from it (`npm run docs`).
 */
export const ERROR_CODES = {
  // input: found before any work
  NETLIST_NOT_FOUND: { kind: "input", doc: "no netlist of that name in simsDir" },
  NETLIST_AMBIGUOUS: { kind: "input", doc: "two files define a netlist of the same name (both are named)" },
  NETLIST_INVALID: { kind: "input", doc: "a netlist file that does not load or export a netlist, or a defineNetlist spec that is not valid" },
  NAME_INVALID: { kind: "input", doc: "a KPI, param, agent or netlist name that cannot be used everywhere" },
  PARAM_SPEC_INVALID: { kind: "input", doc: "a param.int/float/bool/choice spec that is not valid" },
  PARAM_UNKNOWN: { kind: "input", doc: "a param the netlist does not declare" },
  PARAM_INVALID: { kind: "input", doc: "a param value of the wrong type or out of range" },
  PARAMS_MALFORMED: { kind: "input", doc: "--params text that is not k=v,k=v" },
  SEED_INVALID: { kind: "input", doc: "a seed that is not an integer in [0, 2^32 - 1]" },
  STEPS_INVALID: { kind: "input", doc: "steps that are not a positive integer" },
  OPTION_INVALID: { kind: "input", doc: "an option or flag that is not valid, or two that conflict" },
  OUT_HOLDS_RUN: { kind: "input", doc: "the output folder (of a run, campaign, merge or search) holds a run and --force was not given" },
  OUT_NOT_A_RUN: { kind: "input", doc: "the output folder holds files that are not a hardhat-tokenspice run" },
  OUT_UNUSABLE: { kind: "input", doc: "the output folder is a file, under a file, or not writable" },
  OUT_LOCKED: { kind: "input", doc: "another process is writing into the output folder (it is named: pid and host), which also stops `sim-report` of that folder" },
  BASELINE_NOT_FOUND: { kind: "input", doc: "--baseline names a file that does not exist (and no --update-baseline)" },
  BASELINE_INVALID: { kind: "input", doc: "a baseline file that is not valid (the field is named)" },
  BASELINE_CONFLICT: { kind: "input", doc: "flags that contradict the baseline's run, or a baseline of another netlist" },
  BASELINE_UNWRITABLE: { kind: "input", doc: "--update-baseline into a missing or read-only folder" },
  CHECK_INVALID: { kind: "input", doc: "tokenspice.check options that are not valid" },
  CHECKS_FILE_INVALID: {
    kind: "input",
    doc: "a netlist checks file (sims/<netlist>.checks.ts or sims/<netlist>/checks.ts) that is missing, fails to load or does not default-export defineChecks(...)",
  },
  DEPENDENCY_MISSING: { kind: "input", doc: "an optional peer dependency (fast-check) is not installed" },
  RUN_FOLDER_INVALID: {
    kind: "input",
    doc: "sim-report's folder is not a run, campaign or search folder (a file that is there but not valid has its format's code: RUN_MANIFEST_INVALID, KPIS_CSV_INVALID, …)",
  },
  MERGE_INCOMPLETE: { kind: "input", doc: "sim-merge's folders lack some of the campaign's runs" },
  HARDHAT_VERSION_MISMATCH: { kind: "input", doc: 'the plugin\'s Hardhat 2 entry loaded in a Hardhat 3 project (a netlist importing "hardhat-tokenspice"), or its Hardhat 3 entry in a Hardhat 2 one' },
  MERGE_VERSIONS_DIFFER: { kind: "input", doc: "sim-merge's folders were made with different versions (plugin, Hardhat, solc or Node; each difference named)" },
  ARTIFACT_INVALID: { kind: "input", doc: "deployArtifact or at was given a file that is not a contract artifact" },
  LIBRARY_MISSING: { kind: "input", doc: "a contract that calls a library was deployed without the library's address" },
  LIBRARY_AMBIGUOUS: { kind: "input", doc: "a short library name that two of the contract's libraries share (use the fully qualified names), or one library given twice" },
  LIBRARY_UNKNOWN: { kind: "input", doc: "a library name that is none of the libraries the contract links" },
  LIBRARY_ADDRESS_INVALID: { kind: "input", doc: "a library address that is not 0x and 40 hex digits (or whose mixed-case checksum is wrong)" },
  CAMPAIGN_FOLDER_INVALID: {
    kind: "input",
    doc: "a campaign folder without its campaign file, or whose campaign file (or a search's runs file) or run files are malformed or disagree (a run of another netlist's KPIs, a run folder outside the campaign's)",
  },
  RUN_MANIFEST_INVALID: { kind: "input", doc: "a run manifest that cannot be read, is not JSON, or is not a hardhat-tokenspice run manifest (status, tool; the file and field are named)" },
  KPIS_CSV_INVALID: { kind: "input", doc: "a run's KPI table that is not CSV, does not start with tick,timestamp, or has a cell that is not a KPI value (the file, row and KPI are named)" },
  REVERTS_CSV_INVALID: { kind: "input", doc: "a run's reverts file that is not CSV, has other columns, or a tick or gas that is not a whole number (the file and row are named)" },
  RUN_RESULT_INVALID: {
    kind: "input",
    doc: "a run's result file that cannot be read, or whose netlist, seed, steps, ticks or KPI statistics are not what they should be (the file and field are named)",
  },
  CAMPAIGN_STATUS_INVALID: { kind: "input", doc: "a campaign status file that cannot be read, or whose state or shard is not valid (the file and field are named)" },
  SEARCH_FILE_INVALID: { kind: "input", doc: "a search folder's search file that is missing, cannot be read, or is not a search's (tool, kind, netlist, seed, steps, result)" },
  CORNERS_FILE_INVALID: { kind: "input", doc: "a corners file (--corners, --compare-corners) that is missing, cannot be read, or has no list of { name, params } corners" },
  CAMPAIGN_TOO_LARGE: { kind: "input", doc: "a campaign of more than 100,000 runs (points × replicates, counted before anything is planned), or whose campaign file would pass 128 MB: split it" },
  DATA_FILE_NOT_FOUND: { kind: "input", doc: "an observed-data file (CSV or Parquet) that does not exist or cannot be read" },
  DATA_FILE_INVALID: {
    kind: "input",
    doc: "an observed-data file that is empty, lacks a mapped column, or has a time or value cell that cannot be read, unsorted or duplicate times (the file, row and column are named)",
  },
  DATA_PATH_OUTSIDE: { kind: "input", doc: "a data path read from a file (a calibration file's data.file) that leads outside that file's folder" },
  CALIBRATION_FILE_INVALID: { kind: "input", doc: "a calibration file that cannot be read, is not JSON, or is not a hardhat-tokenspice calibration (the field is named)" },
  FIT_INVALID: {
    kind: "input",
    doc: "a fit that cannot be made from the data: too few values, a value outside the distribution's support (e.g. a lognormal of a value <= 0), or a range that does not hold the data",
  },
  MOMENTS_FILE_INVALID: { kind: "input", doc: "a moments file (sim-calibrate moments --moments) that cannot be read, is not JSON, or has an entry that is not valid (its index and field are named)" },
  OUT_FILE_EXISTS: { kind: "input", doc: "the output file (e.g. calibration.json) exists and --force was not given" },
  NETWORK_UNSUPPORTED: { kind: "input", doc: "a network whose settings would make a run wrong or irreproducible" },
  FORK_BUNDLE_INVALID: {
    kind: "input",
    doc: "a fork bundle (--fork-bundle) that is missing with --offline, is not a bundle, has an entry whose name or content does not match its hash, or was recorded from another chain, block or block hash than the fork asked for",
  },
  DEAL_FAILED: {
    kind: "input",
    doc: "deal(token, holder, amount) cannot set the balance: the address answers no balanceOf, or no storage slot up to 100 holds balances as a mapping (the token is named)",
  },
  COMPILER_UNAVAILABLE: {
    kind: "input",
    doc: 'no solc for the project\'s version: the download failed (Hardhat 2) or offlineCompiler is "always" (Hardhat 3), and no matching npm solc is installed; or a compiler path is an npm solc of another version',
  },
  // infrastructure
  NODE_ERROR: { kind: "infrastructure", doc: "the node failed a request the engine needs" },
  FORK_FAILED: {
    kind: "infrastructure",
    doc: "the fork's node (--fork, tokenspice.fork or networks.hardhat.forking) cannot be used: host unknown, connection refused or timed out, an HTTP error, an answer that is not JSON-RPC, another chain id than --fork-chain-id, no block --fork-block on its chain, or still failing after the retries; the message names the setting and the redacted URL, and nothing is written",
  },
  FORK_BUDGET_SPENT: {
    kind: "infrastructure",
    doc: "the fork's upstream request budget (--fork-budget, tokenspice.fork.budget) is spent: the run stops with the requests sent and the reads still missing named",
  },
  FORK_READ_MISSING: { kind: "infrastructure", doc: "an --offline fork run needed a read (method and params named) that its bundle does not hold: record it with a run that may reach the upstream" },
  IO_ERROR: { kind: "infrastructure", doc: "writing the run's files failed" },
  WORKER_FAILED: {
    kind: "infrastructure",
    doc: "a campaign worker could not boot (its exit and last output are in the message), or failed outside a run or threw something that is not the plugin's error; the campaign stops",
  },
  STORE_FAILED: { kind: "infrastructure", doc: "DuckDB failed building a campaign's database or Parquet files" },
  // failures: the run, check or comparison itself failed
  SETUP_FAILED: { kind: "failure", doc: "the netlist's setup threw" },
  AGENT_FAILED: { kind: "failure", doc: "an agent's step threw a JavaScript error" },
  KPI_FAILED: { kind: "failure", doc: "a KPI threw, or returned something that is not a number or bigint" },
  STEP_TIMEOUT: { kind: "failure", doc: "setup, an agent's step or a KPI did not settle within the step timeout" },
  STEP_HUNG: { kind: "failure", doc: "setup, an agent or a KPI blocked the event loop past the step timeout (a synchronous loop)" },
  CHAIN_DRIFT: { kind: "failure", doc: "chain time or block numbers moved outside the engine's control" },
  TICK_TOO_FULL: { kind: "failure", doc: "on a node without same-timestamp blocks, a tick sent more transactions than stepSeconds allows" },
  RUN_INTERRUPTED: { kind: "failure", doc: "SIGINT, SIGTERM or SIGHUP stopped the run" },
  WORKER_DIED: { kind: "failure", doc: "the campaign worker running the run died (out of memory, SIGKILL, a crash) on both attempts; the message says how each died" },
  BASELINE_MISMATCH: { kind: "failure", doc: "KPIs moved outside the baseline's tolerance" },
  PROPERTY_FAILED: { kind: "failure", doc: "tokenspice.check found a run that breaks the property or invariant" },
  CHECKS_FAILED: { kind: "failure", doc: "sim-check: one or more netlist checks failed (each failure's report is printed above)" },
  CAMPAIGN_FAILED: { kind: "failure", doc: "a campaign finished with failed runs (each recorded with its error and reproduce command)" },
  YIELD_NOT_SHOWN: { kind: "failure", doc: "sim-verify could not show the spec's yield reaches the target (fail or inconclusive)" },
  DESIGN_INFEASIBLE: { kind: "failure", doc: "sim-optimize found no design that meets every constraint at every corner" },
  CALIBRATION_FAILED: { kind: "failure", doc: "sim-calibrate moments: no candidate's runs measured every moment as a number, or a run at the best params failed (runs.csv names them)" },
} as const satisfies Record<string, { kind: ErrorKind; doc: string }>;

/** One of the stable codes of `ERROR_CODES` ("NETLIST_NOT_FOUND", "PARAM_INVALID", ...). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit code `npx hardhat sim` ends with for an error of this kind. */
export function exitCodeOf(kind: ErrorKind): 1 | 2 {
  return kind === "failure" ? 1 : 2;
}

const BRAND = Symbol.for("hardhat-tokenspice/error");

/**
 * An error the plugin raises on purpose: a stable `code`, a message that says what is wrong and
 * what would be valid, JSON-serialisable `details` (netlist, agent, tick, seed, file, ...) and the
 * `cause` behind it, if any. `isTokenspiceError` recognises one from another copy of the package.
 */
export class TokenspiceError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "TokenspiceError";
  }

  /** The code's kind (`ERROR_CODES[code].kind`): "input", "infrastructure" or "failure". */
  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind;
  }

  /** 1 for a failed run, property or baseline; 2 for bad input or infrastructure. */
  get exitCode(): number {
    return exitCodeOf(this.kind);
  }
}

/** True for a TokenspiceError, even one from another copy of this package. */
export function isTokenspiceError(error: unknown): error is TokenspiceError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** Where a run failed: everything needed to find it again. */
export interface FailureDetails {
  netlist: string;
  seed: number;
  tick: number;
  agent?: string;
  kpi?: string;
  /**
   * Where in the user's code the error was thrown, `file:line:column` with the file relative to the
   * project root (the first stack frame that is neither the plugin's nor in node_modules), and the
   * thrown error's own stack with paths relative to the root; absent when no frame is the user's.
   */
  at?: string;
  stack?: string;
  /** The run's folder, when it wrote one: everything recorded before the failure is there. */
  outDir?: string;
}

/** Thrown by the engine when setup, an agent or a KPI fails, times out or hangs: the run stops. */
export class SimulationAbortedError extends TokenspiceError {
  declare readonly details: FailureDetails & Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: FailureDetails & Record<string, unknown>, cause?: unknown) {
    super(code, message, details, cause);
    this.name = "SimulationAbortedError";
  }

  /** The run's folder, when it wrote one. */
  get outDir(): string | undefined {
    return this.details.outDir;
  }
}

/** The message of anything thrown, including non-Errors (`throw "x"`, `throw undefined`). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error === undefined) return "undefined was thrown";
  if (typeof error === "string") return error === "" ? "an empty string was thrown" : error;
  try {
    return `${typeof error} thrown: ${JSON.stringify(error)}`;
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- JSON.stringify failed (a cycle, a BigInt): its own toString is all there is
    return String(error);
  }
}
