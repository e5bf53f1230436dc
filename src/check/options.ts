/**
 * A property check's options, resolved once (as fast-check resolves its parameters, and
 * `resolveRunSpec` a run's): validated, defaults applied from config, each param's draw decided, the
 * fast-check seed fixed. Nothing after this reads `CheckOptions` again.
 */
import { randomInt } from "crypto";
import type * as FastCheck from "fast-check";
import { TokenspiceError } from "../errors";
import { assertParamValue, describeSpec, type ParamSpec, type ParamSpecs, type ParamValues } from "../model/params";
import type { KpiValue } from "../model/series";
import type { LoadedNetlist } from "../runner/netlists";
import type { SimResult } from "../runner/result";
import { assertSteps } from "../runner/run-spec";
import { isArbitrary } from "./arbitraries";

/** A KPI sample as an invariant sees it. */
export interface InvariantSample {
  readonly tick: number;
  readonly time: number;
  readonly values: Readonly<Record<string, KpiValue>>;
  /** One KPI's value at this sample. */
  kpi<T extends KpiValue = KpiValue>(name: string): T;
}

/**
 * What `hre.tokenspice.check(netlist, options)` takes: how to draw params, the property (per run)
 * and/or invariant (per KPI sample), and the search's size, seed and time limit.
 */
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

/** Structurally a fast-check Arbitrary of T (so the plugin's types do not need fast-check installed). */
export interface ArbitraryLike<T> {
  generate(...args: any[]): { readonly value: T };
  shrink(...args: any[]): unknown;
}

/** Check options typed by the netlist's params: each one an arbitrary of its type, or a fixed value. */
export type TypedCheckOptions<P extends ParamSpecs> = Omit<CheckOptions, "params"> & {
  params?: { [K in keyof P]?: ArbitraryLike<ParamValues<P>[K]> | ParamValues<P>[K] };
};

/** What the environment decides when the options do not: config and the run folder's root. */
export interface CheckDefaults {
  runs: number;
  seed: number | undefined;
  /** Root folder for the failing run's files. */
  outDir: string;
  log: (line: string) => void;
}

/** How one param is drawn: from its declared spec, from the caller's arbitrary, or fixed. */
export type ParamDraw = { from: "spec"; spec: ParamSpec } | { from: "arbitrary"; arbitrary: FastCheck.Arbitrary<unknown> } | { from: "fixed"; value: number | boolean | string };

/** A check's options, resolved: every field decided. */
export interface ResolvedCheck {
  netlist: string;
  /** Per declared param, in declaration order. */
  params: Record<string, ParamDraw>;
  property: CheckOptions["property"];
  invariant: CheckOptions["invariant"];
  /** Ticks per simulation (the most, with `shrinkSteps`). */
  steps: number;
  /** Simulations to search. */
  runs: number;
  /** Milliseconds the search may take (not the shrink), or undefined for no limit. */
  timeLimitMs: number | undefined;
  shrinkSteps: boolean;
  /** fast-check's seed: the replay's, the option's, the config's, or random (and logged). */
  seed: number;
  replay: { seed: number; path: string } | undefined;
}

/**
 * Resolves a check's options against its netlist and defaults.
 * @throws TokenspiceError CHECK_INVALID (no property nor invariant; a bad `timeLimitMs` or `runs`),
 *   PARAM_UNKNOWN (a param the netlist does not declare), OPTION_INVALID (bad `steps`), the param's
 *   own error for a fixed value outside its spec
 */
export function resolveCheck(loaded: LoadedNetlist, options: CheckOptions, defaults: CheckDefaults): ResolvedCheck {
  const { name, netlist } = loaded;
  const specs = netlist.params as ParamSpecs;
  const invalid = (why: string, details: Record<string, unknown> = {}) => new TokenspiceError("CHECK_INVALID", `check("${name}"): ${why}`, { netlist: name, ...details });
  if (!options.property && !options.invariant) throw invalid("give a property, an invariant, or both");
  if (options.timeLimitMs !== undefined && !(typeof options.timeLimitMs === "number" && options.timeLimitMs > 0)) {
    throw invalid(`timeLimitMs must be a positive number of milliseconds, got ${JSON.stringify(options.timeLimitMs)}`);
  }
  const steps = options.steps === undefined ? netlist.time.steps : assertSteps(options.steps);
  const runs = options.runs ?? defaults.runs;
  if (!Number.isInteger(runs) || runs < 1) throw invalid(`runs must be a positive integer, got ${runs}`, { runs });

  for (const key of Object.keys(options.params ?? {})) {
    if (!(key in specs)) {
      const known = Object.entries(specs).map(([k, s]) => `${k} (${describeSpec(s)})`);
      throw new TokenspiceError("PARAM_UNKNOWN", `check("${name}"): unknown param "${key}". Known params: ${known.join(", ") || "(none)"}.`, { netlist: name, param: key });
    }
  }
  const params: Record<string, ParamDraw> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const given = options.params?.[key];
    if (given === undefined) params[key] = { from: "spec", spec };
    else if (isArbitrary(given)) params[key] = { from: "arbitrary", arbitrary: given };
    else params[key] = { from: "fixed", value: assertParamValue(name, key, spec, given) };
  }
  const seed = options.replay?.seed ?? options.seed ?? defaults.seed ?? randomFastCheckSeed(name, defaults.log);
  return {
    netlist: name,
    params,
    property: options.property,
    invariant: options.invariant,
    steps,
    runs,
    timeLimitMs: options.timeLimitMs,
    shrinkSteps: Boolean(options.shrinkSteps),
    seed,
    replay: options.replay,
  };
}

/** A random fast-check seed, logged with how to repeat the search. */
function randomFastCheckSeed(name: string, log: (line: string) => void): number {
  const seed = randomInt(-(2 ** 31), 2 ** 31 - 1);
  log(`check("${name}"): fast-check seed ${seed} (TOKENSPICE_SEED=${seed} repeats this search)`);
  return seed;
}
