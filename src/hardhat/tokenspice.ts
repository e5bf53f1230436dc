import { AsyncLocalStorage } from "async_hooks";
import fs from "fs";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TokenspiceError } from "../errors";
import type { TokenspiceEnvironment } from "../campaign/environment";
import { isNetlist, type AnyNetlist } from "../model/netlist";
import { writeRunReport, type WrittenReport } from "../report/write";
import { loadNetlist, type LoadedNetlist } from "../runner/netlists";
import { netlistCatalog, type NetlistCatalog } from "../runner/catalog";
import { runNetlist, runSpec, type RunControls, type RunEnvironment, type RunOptions } from "../runner/run";
import { INLINE, resolveRunSpec, type RunRequest, type RunSpec } from "../runner/run-spec";
import { checkNetlist, type CheckOptions, type CheckSummary } from "../check";
import type { Netlist } from "../model/netlist";
import type { ParamSpecs, ParamValues } from "../model/params";
import type { SimResult } from "../runner/result";
import { lockOrRefuse } from "../output/folder-lock";
import { asPluginErrors, asPluginErrorsSync } from "./errors";
import { HardhatRunEnvironment } from "./environment";
import { createWorkerBackend } from "./campaign-backends";
import type { CampaignSummary } from "../campaign/campaign";
import { mergeCampaigns, type MergeSummary } from "../campaign/merge";
import { CampaignResult } from "../campaign/result";
import { campaignOutputWriter, startCampaign, type CampaignStartOptions } from "../campaign/start";
import { runSearch, type SearchOptions } from "../search/run-search";
import type { Corner, CornersOptions, OptimizeOptions, OptimizeResult, VerifyOptions, VerifyResult, WorstCaseOptions, WorstCaseResult } from "../search/design-loop";

export type { SearchOptions } from "../search/run-search";
export type { NetlistInfo, BrokenNetlistInfo } from "../runner/catalog";

/**
 * What `hre.tokenspice.run(netlist, options)` takes: params, seed, steps, `out`/`force`, the step
 * timeout and the rest of RunOptions, less what only the tasks use (`paramsFromText`, `afterSetup`,
 * `stopAfterSample`, `profiler`).
 */
export type TokenspiceRunOptions = Omit<RunOptions, "paramsFromText" | "afterSetup" | "stopAfterSample" | "profiler">;

/** Structurally a fast-check Arbitrary of T (so the plugin's types do not need fast-check installed). */
export interface ArbitraryLike<T> {
  generate(...args: any[]): { readonly value: T };
  shrink(...args: any[]): unknown;
}

/** Check options typed by the netlist's params: each one an arbitrary of its type, or a fixed value. */
export type TypedCheckOptions<P extends ParamSpecs> = Omit<CheckOptions, "params"> & {
  params?: { [K in keyof P]?: ArbitraryLike<ParamValues<P>[K]> | ParamValues<P>[K] };
};

/** Options of `hre.tokenspice.campaign`: what to run (the spec) and how (folder, workers, shard). Workers default to 1 (`defaultWorkerCount("api")`). */
export type TokenspiceCampaignOptions = CampaignStartOptions;

/** `hre.tokenspice`: run, check and list netlists from scripts and tests. */
export class Tokenspice {
  // Runs share one chain: they take turns.
  private queue: Promise<unknown> = Promise.resolve();
  // Set inside a queued job: a run started from within one (a check's property comparing against a
  // counterfactual run) goes ahead at once instead of waiting behind the job that awaits it.
  private readonly inJob = new AsyncLocalStorage<true>();
  private readonly runEnvironment: HardhatRunEnvironment;
  /**
   * What the core's campaigns, searches and commands take from this Hardhat project
   * (src/campaign/environment.ts). @internal the tasks' entry (src/hardhat/cli.ts)
   */
  readonly core: TokenspiceEnvironment;

  constructor(private readonly hre: HardhatRuntimeEnvironment) {
    this.runEnvironment = new HardhatRunEnvironment(hre);
    this.core = {
      load: (nameOrNetlist) => this.load(nameOrNetlist),
      runEnvironment: () => this.environment(),
      runSpec: (env, loaded, spec, controls) => this.enqueue(() => runSpec(env, loaded, spec, controls)),
      workerBackend: (request) => createWorkerBackend(hre, request),
      outDir: hre.config.tokenspice.outDir,
    };
  }

  /**
   * Runs a netlist by name (from `config.tokenspice.simsDir`) or a netlist object.
   *
   * @throws HardhatPluginError (a TokenspicePluginError with `code`, `details`, `cause`) for bad
   *   input, or when the run fails (`details.outDir` names its files when it wrote any)
   */
  run(nameOrNetlist: string | AnyNetlist, options: TokenspiceRunOptions = {}): Promise<SimResult> {
    return this.runInternal(nameOrNetlist, options);
  }

  /** @internal the benchmark's entry: also takes params as text and an afterSetup hook. */
  runInternal(nameOrNetlist: string | AnyNetlist, options: RunOptions): Promise<SimResult> {
    return this.enqueue(() => asPluginErrors(async () => runNetlist(await this.environment(), this.load(nameOrNetlist), options)));
  }

  /**
   * Resolves what the user gave into a run spec (params checked, seed chosen if none, steps), with
   * nothing run. The task and campaign workers run specs with `runSpec`.
   */
  plan(nameOrNetlist: string | AnyNetlist, request: RunRequest = {}): Promise<RunSpec> {
    return asPluginErrors(async () => {
      const env = await this.environment();
      return resolveRunSpec(this.load(nameOrNetlist), request, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
    });
  }

  /** Runs a spec from `plan` (or one read back from a manifest). */
  runSpec(spec: RunSpec, controls: RunControls = {}): Promise<SimResult> {
    return this.enqueue(() =>
      asPluginErrors(async () => {
        const env = await this.environment();
        if (spec.network.name !== env.network.name || spec.network.chainId !== env.network.chainId) {
          throw new TokenspiceError("OPTION_INVALID", `The run spec is for network "${spec.network.name}" (chain ${spec.network.chainId}), not "${env.network.name}" (chain ${env.network.chainId}).`, {
            spec: spec.network,
            network: env.network,
          });
        }
        return runSpec(env, this.load(spec.netlist.name), spec, controls);
      }),
    );
  }

  /**
   * Runs a campaign: `replicates` runs (each with a seed derived from the campaign seed) at each
   * point of a sweep or sample of params, on worker processes or in this one. Failed runs are
   * recorded, not thrown: see `result.failures`. Resolves with the campaign's result, read from its
   * folder.
   *
   * @throws TokenspicePluginError for a bad spec or folder, before any run
   */
  async campaign(nameOrNetlist: string | AnyNetlist, options: TokenspiceCampaignOptions = {}): Promise<CampaignResult> {
    const summary = await this.campaignInternal(nameOrNetlist, options);
    return asPluginErrors(async () => CampaignResult.read(summary.dir));
  }

  /** @internal the task's entry: also takes sweeps and params as text, and returns the summary. */
  campaignInternal(nameOrNetlist: string | AnyNetlist, options: TokenspiceCampaignOptions): Promise<CampaignSummary> {
    return asPluginErrors(() => startCampaign(this.core, nameOrNetlist, options));
  }

  /**
   * 3-sigma verification: Monte Carlo over the uncontrollables (from their dists) and seeds, until
   * the yield's Clopper–Pearson interval decides against the target. See src/search/verify.ts.
   */
  verify(nameOrNetlist: string | AnyNetlist, options: VerifyOptions & SearchOptions): Promise<VerifyResult> {
    return asPluginErrors(() => runSearch(this.core, nameOrNetlist, "verify", options));
  }

  /** Worst-case analysis over the uncontrollables: differential evolution, then Nelder–Mead. */
  worstCase(nameOrNetlist: string | AnyNetlist, options: WorstCaseOptions & SearchOptions): Promise<WorstCaseResult> {
    return asPluginErrors(() => runSearch(this.core, nameOrNetlist, "worst-case", options));
  }

  /** Corner extraction: each spec's worst case over the uncontrollables, plus nominal; written to its corners file. */
  corners(nameOrNetlist: string | AnyNetlist, options: CornersOptions & SearchOptions): Promise<Corner[]> {
    return asPluginErrors(() => runSearch(this.core, nameOrNetlist, "corners", options));
  }

  /** Variation-aware optimization of the controllables: every constraint on every corner. */
  optimize(nameOrNetlist: string | AnyNetlist, options: OptimizeOptions & SearchOptions): Promise<OptimizeResult> {
    return asPluginErrors(() => runSearch(this.core, nameOrNetlist, "optimize", options));
  }

  /** Merges a campaign's shard folders into one campaign folder (`npx hardhat sim-merge`). */
  merge(dirs: string[], out: string, options: { force?: boolean } = {}): Promise<MergeSummary> {
    return asPluginErrors(() => mergeCampaigns(dirs, out, { force: options.force, writeOutputs: campaignOutputWriter }));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    if (this.inJob.getStore()) return job();
    const next = this.queue.then(() => this.inJob.run(true, job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Property-based check of a netlist's KPIs with fast-check: searches params and seeds for a run
   * that breaks `property` or `invariant`, shrinks it, and throws a `PropertyFailedError` (one report
   * object) that says how to reproduce and replay it. Resolves to a summary when no run fails.
   */
  check<P extends ParamSpecs, W>(netlist: Netlist<P, W>, options: TypedCheckOptions<P>): Promise<CheckSummary>;
  check(name: string, options: CheckOptions): Promise<CheckSummary>;
  check(nameOrNetlist: string | AnyNetlist, options: CheckOptions): Promise<CheckSummary> {
    return this.enqueue(() =>
      asPluginErrors(async () => {
        const env = process.env.TOKENSPICE_SEED;
        if (env !== undefined && !/^-?\d+$/.test(env)) {
          throw new TokenspiceError("OPTION_INVALID", `TOKENSPICE_SEED="${env}" is not an integer`, { TOKENSPICE_SEED: env });
        }
        const { config } = this.hre;
        return checkNetlist(await this.environment(), this.load(nameOrNetlist), options, {
          runs: config.tokenspice.checkRuns,
          seed: env !== undefined ? Number(env) : config.tokenspice.checkSeed,
          outDir: config.tokenspice.outDir,
          log: (line) => console.log(line),
        });
      }),
    );
  }

  /**
   * Writes a run folder's `plots/` (an SVG and a PNG per KPI chart) and `report.html`, from its
   * files alone (as `npx hardhat sim-report <dir>` does). Runs given `out` write no report by
   * themselves: call this with their folder. A folder a live process is writing is refused
   * (OUT_LOCKED), as by `sim-report`.
   */
  report(dir: string): WrittenReport {
    return asPluginErrorsSync(() => {
      const folder = path.resolve(dir);
      const release = fs.existsSync(folder) ? lockOrRefuse(folder, "report: folder") : () => undefined;
      try {
        return writeRunReport(folder);
      } finally {
        release();
      }
    });
  }

  /** Every netlist in the sims folder, with its params and KPIs; one that fails to load is in `broken`. */
  async catalog(): Promise<NetlistCatalog> {
    return asPluginErrors(async () => netlistCatalog(this.hre.config.tokenspice.simsDir));
  }

  /** Every netlist in the sims folder that loads, with its params and KPIs (`catalog()` also lists the broken ones). */
  async list(): Promise<NetlistCatalog["netlists"]> {
    return (await this.catalog()).netlists;
  }

  /** The netlist a name stands for (loading its file), or an inline netlist as given. */
  resolve(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    return asPluginErrorsSync(() => this.load(nameOrNetlist));
  }

  private load(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    if (typeof nameOrNetlist === "string") return loadNetlist(this.hre.config.tokenspice.simsDir, nameOrNetlist);
    if (!isNetlist(nameOrNetlist)) {
      throw new TokenspiceError("OPTION_INVALID", "tokenspice.run: pass a netlist name or a value made by defineNetlist(...)");
    }
    return { name: slug(nameOrNetlist.description), file: INLINE, netlist: nameOrNetlist };
  }

  /** The node runs go to and the facts recorded with them (src/hardhat/environment.ts). */
  environment(): Promise<RunEnvironment> {
    return this.runEnvironment.get();
  }
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "inline"
  );
}
