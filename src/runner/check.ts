import type * as FastCheck from "fast-check";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import type { KpiSample } from "../engine/engine";
import { randomInt } from "crypto";
import { checkParamValue, describeSpec, type ParamSpec, type ParamSpecs } from "../model/params";
import type { KpiValue } from "../model/series";
import type { LoadedNetlist } from "./netlists";
import { freshRunDir } from "./out-dir";
import type { SimResult } from "./result";
import { runNetlist, type RunEnvironment } from "./run";
import { checkSteps, reproduceCommand, resolveRunSpec } from "./run-spec";
import { writeRunReport } from "../report/write";

/** A KPI sample as an invariant sees it. */
export interface InvariantSample {
  readonly tick: number;
  readonly time: number;
  readonly values: Readonly<Record<string, KpiValue>>;
  /** One KPI's value at this sample. */
  kpi<T extends KpiValue = KpiValue>(name: string): T;
}

export interface CheckOptions {
  /** Per param: a fast-check arbitrary, or a fixed value. Params not named are drawn from their declared spec. */
  params?: Record<string, unknown>;
  /** Checked on each finished run; fails by returning false or throwing (chai assertions). */
  property?: (result: SimResult) => unknown;
  /** Checked at every KPI sample; the run stops at the first sample that breaks it. */
  invariant?: (sample: InvariantSample) => unknown;
  /** Simulations to search (default: config `tokenspice.checkRuns`). */
  runs?: number;
  /** Ticks per simulation (default: the netlist's). */
  steps?: number;
  /** fast-check seed of the search (default: TOKENSPICE_SEED, config `tokenspice.checkSeed`, or random and printed). */
  seed?: number;
  /** Stop searching after this long; a failure found is still shrunk in full. */
  timeLimitMs?: number;
  /** Also shrink the horizon: report the fewest ticks that still fail. */
  shrinkSteps?: boolean;
  /** Replay a reported failure exactly: the `seed` and `path` from its report. */
  replay?: { seed: number; path: string };
}

export interface CheckSummary {
  netlist: string;
  seed: number;
  runs: number;
  /** The time limit stopped the search before `runs` simulations. */
  interrupted: boolean;
}

export interface CheckFailure {
  kind: "property" | "invariant" | "error";
  message: string;
  /** For invariants: the sample that broke it. */
  tick?: number;
  /** KPI values at that sample (invariants) or at the end of the run. */
  kpis: Record<string, KpiValue>;
}

export interface CheckDefaults {
  runs: number;
  seed: number | undefined;
  /** Root folder for the failing run's files. */
  outDir: string;
  log: (line: string) => void;
}

type Counterexample = [params: Record<string, unknown>, seed: number, steps: number];

/** Everything needed to understand, reproduce and replay a failed check. */
export interface CheckReport {
  netlist: string;
  /** The shrunk params. */
  params: Record<string, unknown>;
  /** The shrunk sim seed. */
  simSeed: number;
  /** Ticks of the failing run (shrunk with `shrinkSteps`). */
  steps: number;
  failure: CheckFailure;
  /** Simulations the search ran before it found the failure. */
  runs: number;
  shrinks: number;
  /** fast-check's seed and path: `replay: { seed, path }` in the same check repeats exactly this counterexample. */
  replay: { seed: number; path: string };
  /** The command that re-runs the failing simulation. */
  command: string;
  /** The failing run's files. */
  folder: string;
  /** The time limit ended the search early (the shrink was not limited). */
  searchInterrupted: boolean;
  /** The folder holds the failing run's report.html (and plots/). */
  reportHtml: boolean;
}

/**
 * Thrown by `tokenspice.check` when a run breaks the property or invariant. One report object:
 * `report` holds every fact (also under `details`, JSON-ready), and the message prints it.
 */
export class PropertyFailedError extends TokenspiceError {
  constructor(readonly report: CheckReport) {
    super("PROPERTY_FAILED", formatReport(report), { ...report, failure: { ...report.failure, kpis: stringifyKpis(report.failure.kpis) }, outDir: report.folder });
    this.name = "PropertyFailedError";
  }
  get netlist(): string {
    return this.report.netlist;
  }
  get params(): Record<string, unknown> {
    return this.report.params;
  }
  get simSeed(): number {
    return this.report.simSeed;
  }
  get steps(): number {
    return this.report.steps;
  }
  get failure(): CheckFailure {
    return this.report.failure;
  }
  get runs(): number {
    return this.report.runs;
  }
  get shrinks(): number {
    return this.report.shrinks;
  }
  get replay(): { seed: number; path: string } {
    return this.report.replay;
  }
  get command(): string {
    return this.report.command;
  }
  get folder(): string {
    return this.report.folder;
  }
  get searchInterrupted(): boolean {
    return this.report.searchInterrupted;
  }
}

function stringifyKpis(kpis: Record<string, KpiValue>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(kpis).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
}

function show(v: unknown): string {
  return typeof v === "bigint" ? v.toString() : typeof v === "string" ? JSON.stringify(v) : String(v);
}

function formatReport(r: CheckReport): string {
  const what =
    r.failure.kind === "invariant"
      ? `invariant broke at tick ${r.failure.tick}: ${r.failure.message}`
      : r.failure.kind === "property"
        ? `property failed: ${r.failure.message}`
        : `the simulation failed: ${r.failure.message}`;
  const kpis = Object.entries(r.failure.kpis).map(([k, v]) => `${k}=${show(v)}`).join(", ");
  return [
    `Netlist "${r.netlist}": ${what}`,
    ``,
    `  shrunk to   params ${Object.entries(r.params).map(([k, v]) => `${k}=${show(v)}`).join(", ") || "(none)"}`,
    `              seed ${r.simSeed}, steps ${r.steps}`,
    `  KPIs        ${r.failure.kind === "invariant" ? `at tick ${r.failure.tick}` : "at the end"}: ${kpis || "(none)"}`,
    `  found after ${r.runs} run${r.runs === 1 ? "" : "s"} and ${r.shrinks} shrink${r.shrinks === 1 ? "" : "s"}` +
      (r.searchInterrupted ? " (the time limit ended the search early; the shrink was not limited)" : ""),
    `  reproduce   ${r.command}`,
    `  files       ${r.folder} (kpis.csv, manifest.json${r.reportHtml ? ", report.html" : ""})`,
    `  replay      replay: { seed: ${r.replay.seed}, path: ${JSON.stringify(r.replay.path)} } (fast-check seed and path)`,
  ].join("\n");
}

function isArbitrary(value: unknown): value is FastCheck.Arbitrary<unknown> {
  const v = value as FastCheck.Arbitrary<unknown> | null;
  return typeof v === "object" && v !== null && typeof v.generate === "function" && typeof v.shrink === "function";
}

/** An arbitrary for a param nobody named: its declared range. */
function specArbitrary(fc: typeof FastCheck, spec: ParamSpec): FastCheck.Arbitrary<unknown> {
  switch (spec.type) {
    case "int":
      return fc.integer({ min: spec.min ?? -(2 ** 31), max: spec.max ?? 2 ** 31 - 1 });
    case "float":
      return fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true });
    case "bool":
      return fc.boolean();
    case "choice":
      return fc.constantFrom(...spec.choices);
  }
}

/**
 * Always `max` ticks while searching; when shrinking, tries fewer, as integers shrink: towards 1,
 * so a flaw that shows from tick t on shrinks to exactly t.
 */
function horizonArbitrary(fc: typeof FastCheck, max: number): FastCheck.Arbitrary<number> {
  const shrinker = fc.integer({ min: 1, max });
  return new (class extends fc.Arbitrary<number> {
    generate(): FastCheck.Value<number> {
      return new fc.Value(max, undefined);
    }
    canShrinkWithoutContext(value: unknown): value is number {
      return shrinker.canShrinkWithoutContext(value);
    }
    shrink(value: number, context: unknown): FastCheck.Stream<FastCheck.Value<number>> {
      return shrinker.shrink(value, context);
    }
  })();
}

/**
 * Searches params, sim seeds (and with `shrinkSteps`, horizons) for a run that breaks the property
 * or invariant, shrinks it, writes that run's files and throws a `PropertyFailedError` reporting
 * it. Every fast-check run is a whole simulation from a fresh chain (the engine reverts to the
 * snapshot it took before setup).
 */
export async function checkNetlist(env: RunEnvironment, loaded: LoadedNetlist, options: CheckOptions, defaults: CheckDefaults): Promise<CheckSummary> {
  const fc = loadFastCheck();
  const { name, netlist } = loaded;
  const specs = netlist.params as ParamSpecs;
  const invalid = (why: string, details: Record<string, unknown> = {}) => new TokenspiceError("CHECK_INVALID", `check("${name}"): ${why}`, { netlist: name, ...details });
  if (!options.property && !options.invariant) throw invalid("give a property, an invariant, or both");
  if (options.timeLimitMs !== undefined && !(typeof options.timeLimitMs === "number" && options.timeLimitMs > 0)) {
    throw invalid(`timeLimitMs must be a positive number of milliseconds, got ${JSON.stringify(options.timeLimitMs)}`);
  }
  const steps = options.steps === undefined ? netlist.time.steps : checkSteps(options.steps);
  const runs = options.runs ?? defaults.runs;
  if (!Number.isInteger(runs) || runs < 1) throw invalid(`runs must be a positive integer, got ${runs}`, { runs });

  const paramArbs: Record<string, FastCheck.Arbitrary<unknown>> = {};
  for (const key of Object.keys(options.params ?? {})) {
    if (!(key in specs)) {
      const known = Object.entries(specs).map(([k, s]) => `${k} (${describeSpec(s)})`);
      throw new TokenspiceError("PARAM_UNKNOWN", `check("${name}"): unknown param "${key}". Known params: ${known.join(", ") || "(none)"}.`, { netlist: name, param: key });
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const given = options.params?.[key];
    if (given === undefined) paramArbs[key] = specArbitrary(fc, spec);
    else if (isArbitrary(given)) paramArbs[key] = given;
    else paramArbs[key] = fc.constant(checkParamValue(name, key, spec, given));
  }
  const input: FastCheck.Arbitrary<Counterexample> = fc.tuple(
    fc.record(paramArbs),
    fc.nat(),
    options.shrinkSteps ? horizonArbitrary(fc, steps) : fc.constant(steps),
  );

  // The failure of the last failing simulation: once fast-check is done, that is the counterexample's.
  let lastFailure: CheckFailure | undefined;
  let badDraw: unknown;
  // fast-check's time limit stops waiting for a predicate but cannot stop it: the simulation in
  // flight must finish before anything else uses the chain.
  let inFlight: Promise<unknown> = Promise.resolve();
  const property = fc.asyncProperty(input, ([params, seed, horizon]) => {
    const run = evaluate(params, seed, horizon);
    inFlight = run.catch(() => undefined);
    return run;
  });
  const evaluate = async (params: Record<string, unknown>, seed: number, horizon: number): Promise<boolean> => {
    if (badDraw !== undefined) return true;
    try {
      for (const [key, value] of Object.entries(params)) checkParamValue(name, key, specs[key], value);
    } catch (error) {
      // An arbitrary drew outside the param's spec: the check is misconfigured, not failing.
      badDraw = new TokenspiceError("CHECK_INVALID", `check("${name}"): an arbitrary drew a value outside its param's spec: ${messageOf(error)}`, { netlist: name }, error);
      return true;
    }
    let failure: CheckFailure | undefined;
    try {
      failure = await simulateOnce(env, loaded, options, params, seed, horizon);
    } catch (error) {
      badDraw = error; // not a failure of the run (a broken node, an unusable folder): stop the check with it
      return true;
    }
    if (failure) lastFailure = failure;
    return failure === undefined;
  };

  const seed = options.replay?.seed ?? options.seed ?? defaults.seed ?? randomFastCheckSeed(name, defaults.log);
  let details: FastCheck.RunDetails<[Counterexample]>;
  let searchRuns: number;
  let interrupted = false;
  if (options.replay) {
    details = await fc.check(property, { seed, path: options.replay.path, endOnFailure: true });
    searchRuns = details.numRuns;
  } else {
    // Search until the first failure (the time limit stops only this phase), then replay that
    // failure by its path and shrink it with no limit.
    const plugins = options.timeLimitMs === undefined ? [] : [fc.interruptAfterTimeLimit(options.timeLimitMs)];
    const search = await fc.check(property, { seed, numRuns: runs, endOnFailure: true, plugins });
    await inFlight;
    searchRuns = search.numRuns;
    interrupted = search.interrupted;
    if (badDraw !== undefined) throw badDraw;
    // fast-check's time limit reports an interruption before the first run ended as a failure
    // with no counterexample (numRuns 0, counterexamplePath null): nothing failed.
    if (!search.failed || search.counterexamplePath === null || search.counterexample === null) {
      if (interrupted) defaults.log(`check("${name}"): the time limit stopped the search after ${search.numRuns} of ${runs} runs; no failure found`);
      return { netlist: name, seed, runs: search.numRuns, interrupted };
    }
    details = await fc.check(property, { seed, path: search.counterexamplePath, numRuns: runs });
  }
  if (badDraw !== undefined) throw badDraw;
  if (!details.failed || details.counterexample === null || lastFailure === undefined) {
    return { netlist: name, seed, runs: details.numRuns, interrupted }; // a replay that now passes
  }

  const [[params, simSeed, horizon]] = details.counterexample;
  const failure = lastFailure;
  const folder = freshRunDir(defaults.outDir, name, `check-seed${simSeed}`);
  await simulateOnce(env, loaded, options, params, simSeed, horizon, folder); // writes the failing run's files
  const reportHtml = reportFolder(folder, defaults.log);
  const spec = resolveRunSpec(loaded, { seed: simSeed, steps: horizon, params }, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
  throw new PropertyFailedError({
    netlist: name,
    params,
    simSeed,
    steps: horizon,
    failure,
    runs: searchRuns,
    shrinks: details.numShrinks,
    replay: { seed, path: details.counterexamplePath ?? "" },
    command: reproduceCommand(spec, { stepTimeoutMs: env.stepTimeoutMs, defaultNetwork: env.defaultNetwork }),
    folder,
    searchInterrupted: interrupted,
    reportHtml,
  });
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

/** One simulation; the failure it shows, if any. Writes files when given a folder. */
async function simulateOnce(
  env: RunEnvironment,
  loaded: LoadedNetlist,
  options: CheckOptions,
  params: Record<string, unknown>,
  seed: number,
  steps: number,
  out?: string,
): Promise<CheckFailure | undefined> {
  let broken: CheckFailure | undefined;
  const stopAfterSample = options.invariant
    ? (sample: KpiSample) => {
        const view: InvariantSample = { ...sample, kpi: <T extends KpiValue>(k: string) => sample.values[k] as T };
        const message = verdict(() => options.invariant!(view), "the invariant returned false");
        if (message !== undefined) broken = { kind: "invariant", message, tick: sample.tick, kpis: { ...sample.values } };
        return broken !== undefined;
      }
    : undefined;
  let result: SimResult;
  try {
    result = await runNetlist(env, loaded, { seed, steps, params, out, force: false, stopAfterSample });
  } catch (error) {
    if (isTokenspiceError(error) && error.kind !== "failure") throw error;
    return { kind: "error", message: messageOf(error), kpis: {} };
  }
  if (broken) return broken;
  if (!options.property) return undefined;
  const message = await verdictAsync(() => options.property!(result), "the property returned false");
  if (message === undefined) return undefined;
  const finals = Object.fromEntries(result.kpiNames.map((k) => [k, result.kpi(k).final()]));
  return { kind: "property", message, kpis: finals };
}

function verdict(fn: () => unknown, falseMessage: string): string | undefined {
  try {
    return fn() === false ? falseMessage : undefined;
  } catch (error) {
    return messageOf(error);
  }
}

async function verdictAsync(fn: () => unknown, falseMessage: string): Promise<string | undefined> {
  try {
    return (await fn()) === false ? falseMessage : undefined;
  } catch (error) {
    return messageOf(error);
  }
}

function randomFastCheckSeed(name: string, log: (line: string) => void): number {
  const seed = randomInt(-(2 ** 31), 2 ** 31 - 1);
  log(`check("${name}"): fast-check seed ${seed} (TOKENSPICE_SEED=${seed} repeats this search)`);
  return seed;
}

function loadFastCheck(): typeof FastCheck {
  try {
    return require("fast-check");
  } catch {
    throw new TokenspiceError("DEPENDENCY_MISSING", "tokenspice.check needs fast-check: run `npm install --save-dev fast-check`.", { dependency: "fast-check" });
  }
}
