import path from "path";
import { quote as shellQuote } from "shlex";
import { renamedOption } from "../renamed";
import type { TokenspiceEnvironment } from "../campaign/environment";
import type { AnyNetlist } from "../model/netlist";
import { resolveParams } from "../model/params";
import { MANIFEST_TOOL } from "../output/formats/run-manifest";
import { writeSearchFile } from "../output/formats/search-file";
import { takeFolder } from "../output/take-folder";
import { freshRunDir } from "../runner/out-dir";
import { assertSeed, commandDefaultsOf, randomSeed, resolveRunSpec } from "../runner/run-spec";
import { openBackend, type WorkerOptions } from "../campaign/backends/choose";
import { assertSearchSize } from "../campaign/limits";
import { watchInterruptions } from "../campaign/campaign";
import type { BackendEvents, CampaignBackend, ParamValue } from "../campaign/types";
import { Evaluator } from "./evaluator";
import type { SearchKind } from "../output/search-kinds";
import { writeSearchOutputs } from "./outputs";
import { SEARCH_METHODS, type SearchMethod, type SearchOptionsByKind, type SearchResultByKind } from "./registry";

/** How a search (verify, worstCase, corners, optimize) runs: its seed, fixed params, folder and workers. */
export interface SearchOptions extends WorkerOptions {
  /** The search's own seed: every run's seed derives from it (default: random, in the search file). */
  searchSeed?: number;
  /** @deprecated the old name of `searchSeed` (still accepted; giving both is refused). */
  seed?: number;
  params?: Record<string, unknown>;
  paramsFromText?: boolean;
  steps?: number;
  stepTimeoutMs?: number;
  /** The search's folder (default `<outDir>/<netlist>/<UTC time>-<kind><seed>`); the same folder and seed resume it. */
  out?: string;
  events?: BackendEvents;
  /**
   * Write the search's store (campaign.duckdb, Parquet, bands/points/runs CSV) and report.html
   * beside its runs when it ends (default true).
   */
  outputs?: boolean;
  /** The command line that ran the search, shown in its report (the tasks pass theirs). */
  command?: string;
  /** Called with the search's folder (absolute) before its first run. */
  onFolder?: (dir: string) => void;
}

/** A search request resolved once: JSON-serialisable, what the search file records besides the result. */
export interface SearchSpec {
  kind: SearchKind;
  netlist: string;
  /** The search seed (chosen at random when none was given). */
  seed: number;
  steps: number;
  /** The params the caller fixed, checked and typed. */
  params: Record<string, ParamValue>;
  stepTimeoutMs?: number;
  /** The search's folder, absolute. */
  dir: string;
}

/**
 * Resolves a search request into its spec: seed (random when none), steps (the netlist's when
 * none), the fixed params checked against the netlist, and the folder.
 * @throws TokenspiceError OPTION_INVALID for both `searchSeed` and its old name `seed`, SEED_INVALID for a bad seed, PARAM_* for bad params
 */
export function resolveSearchSpec(kind: SearchKind, netlist: { name: string; netlist: AnyNetlist }, options: SearchOptions, outDir: string): SearchSpec {
  const given = renamedOption<number>(kind, options, "searchSeed", "seed").value;
  const seed = given === undefined ? randomSeed() : assertSeed(given);
  const steps = options.steps ?? netlist.netlist.time.steps;
  const fixed = options.params ?? {};
  const resolved = resolveParams(netlist.name, netlist.netlist.params, fixed, options.paramsFromText);
  const params = Object.fromEntries(Object.keys(fixed).map((k) => [k, resolved[k] as ParamValue]));
  const dir = path.resolve(options.out ?? freshRunDir(outDir, netlist.name, `${kind}${seed}`));
  return { kind, netlist: netlist.name, seed, steps, params, ...(options.stepTimeoutMs === undefined ? {} : { stepTimeoutMs: options.stepTimeoutMs }), dir };
}

/**
 * Runs one design-loop search into its folder: checks its run counts, resolves the request once
 * (`resolveSearchSpec`), opens its backend (`openBackend`, or `deps.backend`), takes the folder
 * (a new or empty one, or a search's: the same folder and seed resume it; locked while it runs),
 * runs the kind's method (`SEARCH_METHODS`), then writes the search file and, unless `outputs: false`,
 * the store and report.
 * @throws TokenspiceError CAMPAIGN_TOO_LARGE, OPTION_INVALID, PARAM_*, OUT_UNUSABLE, OUT_NOT_A_RUN,
 *   OUT_LOCKED before any run; what the method throws for its options
 */
export async function runSearch<K extends SearchKind>(
  environment: TokenspiceEnvironment,
  nameOrNetlist: string | AnyNetlist,
  kind: K,
  options: SearchOptionsByKind[K] & SearchOptions,
  deps: { backend?: CampaignBackend } = {},
): Promise<SearchResultByKind[K]> {
  const method = SEARCH_METHODS[kind] as SearchMethod<SearchOptionsByKind[K], SearchResultByKind[K]>;
  assertSearchSize(kind, method.runCounts(options)); // before the network starts
  const env = await environment.runEnvironment();
  const loaded = environment.load(nameOrNetlist);
  const spec = resolveSearchSpec(kind, loaded, options, environment.outDir);
  const { dir, seed, steps } = spec;
  options.onFolder?.(dir);
  const ctx = { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs };
  const backend = deps.backend ?? openBackend(environment, loaded, env, options);
  let release = () => undefined as void;
  let unwatch = () => undefined as void;
  try {
    // a new or empty folder, or a search's (the same folder and seed resume it); never among other
    // files, nor a run's or campaign's; locked: one process at a time writes a search's folder
    release = takeFolder(dir, "search", { resume: true }).release;
    // Ctrl-C on the command line: say where the runs are and how to go on (the same seed and folder)
    if (options.command !== undefined) {
      unwatch = watchInterruptions((signal) => {
        if (signal)
          console.error(
            `\nSearch interrupted by ${signal}. The runs that ended are kept in ${dir}; continue it where it stopped with the same command and --search-seed ${seed} --out ${shellQuote(dir)}.`,
          );
      });
    }
    const evaluator = new Evaluator(
      dir,
      loaded.netlist.params,
      { netlist: loaded.name, params: spec.params, seed },
      (params, runSeed) => resolveRunSpec(loaded, { params, seed: runSeed, steps, stepTimeoutMs: options.stepTimeoutMs }, ctx),
      backend,
      commandDefaultsOf(env),
      options.events,
    );
    const context = { netlist: typeof nameOrNetlist === "string" ? nameOrNetlist : "(inline)" };
    const result = await method.run(evaluator, loaded.netlist.params, { ...options, seed }, context);
    // a search on a fork: the bundle (every worker's reads in it) its runs rerun offline from
    const forkBundle = env.fork?.bundle?.();
    writeSearchFile(dir, {
      tool: MANIFEST_TOOL,
      kind,
      netlist: loaded.name,
      seed,
      steps,
      params: spec.params,
      ...(options.command ? { command: options.command } : {}),
      result,
      ...(forkBundle ? { forkBundle } : {}),
    });
    if (options.outputs !== false) await writeSearchOutputs(dir);
    return result;
  } finally {
    unwatch();
    release();
    await backend.close();
  }
}
