import { AsyncLocalStorage } from "async_hooks";
import fs from "fs";
import path from "path";
import type { TokenspiceEnvironment } from "../campaign/environment";
import type { CampaignSummary } from "../campaign/campaign";
import { mergeCampaigns, type MergeSummary } from "../campaign/merge";
import { CampaignResult } from "../campaign/result";
import { campaignOutputWriter, startCampaign, type CampaignStartOptions } from "../campaign/start";
import type { CampaignBackend, WorkerPoolRequest } from "../campaign/types";
import { checkNetlist, type CheckOptions, type CheckSummary, type TypedCheckOptions } from "../check";
import type { TokenspiceConfig } from "../config";
import { TokenspiceError } from "../errors";
import type { ForkFlags } from "../fork/options";
import type { AnyNetlist, Netlist } from "../model/netlist";
import type { ParamSpecs } from "../model/params";
import { lockOrRefuse } from "../output/folder-lock";
import { writeRunReport, type WrittenReport } from "../report/write";
import { netlistCatalog, type NetlistCatalog } from "../runner/catalog";
import { loadNetlistOrInline, type LoadedNetlist } from "../runner/netlists";
import type { SimResult } from "../runner/result";
import { runNetlist, runSpec, type RunControls, type RunEnvironment, type RunOptions } from "../runner/run";
import { resolveRunSpec, type RunRequest, type RunSpec } from "../runner/run-spec";
import type {
  CalibrateMomentsOptions,
  CalibrateMomentsResult,
  CompareOptions,
  CompareResult,
  Corner,
  CornersOptions,
  OptimizeOptions,
  OptimizeResult,
  SensitivityOptions,
  SensitivityResult,
  VerifyOptions,
  VerifyResult,
  WorstCaseOptions,
  WorstCaseResult,
} from "../search/design-loop";
import { runSearch, type SearchOptions } from "../search/run-search";

export type { ArbitraryLike, TypedCheckOptions } from "../check";

/**
 * What `tokenspice.run(netlist, options)` takes: params, seed, steps, `out`/`force`, the step
 * timeout and the rest of RunOptions, less what only the tasks use (`paramsFromText`, `afterSetup`,
 * `stopAfterSample`, `profiler`).
 */
export type TokenspiceRunOptions = Omit<RunOptions, "paramsFromText" | "afterSetup" | "stopAfterSample" | "profiler">;

/**
 * What an adapter gives the runtime: the project's resolved `tokenspice` config (read at each call),
 * where runs go (`runEnvironment`: a chain, the contracts, the facts recorded), worker processes for
 * campaigns (absent: this process only), and how its errors look (`asErrors`/`asErrorsSync` turn a
 * core TokenspiceError into the framework's plugin error, keeping `code`, `details`, `cause`).
 */
export interface TokenspiceHost {
  config: Pick<TokenspiceConfig, "simsDir" | "outDir" | "checkRuns" | "checkSeed">;
  runEnvironment(): Promise<RunEnvironment>;
  /**
   * Builds what runs need that does not depend on the project's compiled contracts (the simulation
   * chain), without reading them: a campaign worker's boot, which may overlap its campaign's compile
   * check (`runEnvironment` reads the contracts at the first run, after it). Absent: nothing to do early.
   */
  prepare?(): Promise<void>;
  workerBackend?(request: WorkerPoolRequest): CampaignBackend;
  asErrors<T>(fn: () => Promise<T>): Promise<T>;
  asErrorsSync<T>(fn: () => T): T;
  /**
   * The `--fork*` flags of this process's command (absent: the adapter cannot fork from flags):
   * `use` checks and keeps them for the run environment (the adapter's `ForkFlagState`,
   * src/fork/options.ts), `given` hands them to worker processes.
   */
  forkFlags?: { use(flags: ForkFlags): void; given(): ForkFlags | undefined };
}

/**
 * `hre.tokenspice` (Hardhat 2 and 3) and `connection.tokenspice` (Hardhat 3), free of any framework:
 * run, check, campaign, search and list netlists from scripts and tests. Each method is "environment
 * + core call + the adapter's errors". Runs share one chain, so they take turns; a campaign with
 * `workers` > 1 runs in the adapter's worker processes, each with a chain of its own. The adapters'
 * classes (src/hardhat/tokenspice.ts, src/hardhat3/tokenspice.ts) only build the host.
 */
export class TokenspiceRuntime {
  // Runs share one chain: they take turns.
  private queue: Promise<unknown> = Promise.resolve();
  // Set inside a queued job: a run started from within one (a check's property comparing against a
  // counterfactual run) goes ahead at once instead of waiting behind the job that awaits it.
  private readonly inJob = new AsyncLocalStorage<true>();
  /**
   * What the core's campaigns, searches and commands take from this project
   * (src/campaign/environment.ts). @internal the tasks' entry (src/hardhat/cli.ts, src/hardhat3/cli.ts)
   */
  readonly core: TokenspiceEnvironment;

  constructor(private readonly host: TokenspiceHost) {
    this.core = {
      load: (nameOrNetlist) => this.load(nameOrNetlist),
      runEnvironment: () => this.environment(),
      runSpec: (env, loaded, spec, controls) => this.enqueue(() => runSpec(env, loaded, spec, controls)),
      ...(host.workerBackend === undefined ? {} : { workerBackend: (request: WorkerPoolRequest) => host.workerBackend!(request) }),
      outDir: host.config.outDir,
    };
  }

  /**
   * @internal the tasks' `--fork*` flags (src/cli/fork-flags.ts through the adapters' CLI contexts):
   * every later run, campaign and search of this process forks as they say.
   * @throws TokenspiceError OPTION_INVALID for bad flags, flags given after the chain was built, or an adapter that cannot fork
   */
  useForkFlags(flags: ForkFlags): void {
    if (this.host.forkFlags === undefined) throw new TokenspiceError("OPTION_INVALID", "This adapter cannot fork a chain from --fork flags.", {});
    this.host.forkFlags.use(flags);
  }

  /** @internal the `--fork*` flags given, for a campaign's or search's worker processes (the adapters' campaign backends) */
  givenForkFlags(): ForkFlags | undefined {
    return this.host.forkFlags?.given();
  }

  /**
   * Runs a netlist by name (from `config.tokenspice.simsDir`) or a netlist object.
   *
   * @throws the adapter's plugin error (`code`, `details`, `cause`) for bad input, or when the run
   *   fails (`details.outDir` names its files when it wrote any)
   */
  run(nameOrNetlist: string | AnyNetlist, options: TokenspiceRunOptions = {}): Promise<SimResult> {
    return this.runInternal(nameOrNetlist, options);
  }

  /** @internal the benchmark's entry: also takes params as text and an afterSetup hook. */
  runInternal(nameOrNetlist: string | AnyNetlist, options: RunOptions): Promise<SimResult> {
    return this.enqueue(() => this.host.asErrors(async () => runNetlist(await this.environment(), this.load(nameOrNetlist), options)));
  }

  /**
   * Resolves what the user gave into a run spec (params checked, seed chosen if none, steps), with
   * nothing run. The task and campaign workers run specs with `runSpec`.
   */
  plan(nameOrNetlist: string | AnyNetlist, request: RunRequest = {}): Promise<RunSpec> {
    return this.host.asErrors(async () => {
      const env = await this.environment();
      return resolveRunSpec(this.load(nameOrNetlist), request, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
    });
  }

  /** Runs a spec from `plan` (or one read back from a manifest) on this chain. @throws OPTION_INVALID for a spec of another network */
  runSpec(spec: RunSpec, controls: RunControls = {}): Promise<SimResult> {
    return this.enqueue(() =>
      this.host.asErrors(async () => {
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
   * folder. Workers default to 1 (`defaultWorkerCount("api")`).
   *
   * @throws the adapter's plugin error for a bad spec or folder, before any run
   */
  async campaign(nameOrNetlist: string | AnyNetlist, options: CampaignStartOptions = {}): Promise<CampaignResult> {
    const summary = await this.campaignInternal(nameOrNetlist, options);
    return this.host.asErrors(async () => CampaignResult.read(summary.dir));
  }

  /** @internal the task's entry: also takes sweeps and params as text, and returns the summary. */
  campaignInternal(nameOrNetlist: string | AnyNetlist, options: CampaignStartOptions): Promise<CampaignSummary> {
    return this.host.asErrors(() => startCampaign(this.core, nameOrNetlist, options));
  }

  /**
   * 3-sigma verification: Monte Carlo over the uncontrollables (from their dists) and seeds, until
   * the yield's Clopper–Pearson interval decides against the target. See src/search/verify.ts.
   */
  verify(nameOrNetlist: string | AnyNetlist, options: VerifyOptions & SearchOptions): Promise<VerifyResult> {
    return this.host.asErrors(() => runSearch(this.core, nameOrNetlist, "verify", options));
  }

  /** Worst-case analysis over the uncontrollables: differential evolution, then Nelder–Mead. */
  worstCase(nameOrNetlist: string | AnyNetlist, options: WorstCaseOptions & SearchOptions): Promise<WorstCaseResult> {
    return this.host.asErrors(() => runSearch(this.core, nameOrNetlist, "worst-case", options));
  }

  /** Corner extraction: each spec's worst case over the uncontrollables, plus nominal; written to its corners file. */
  corners(nameOrNetlist: string | AnyNetlist, options: CornersOptions & SearchOptions): Promise<Corner[]> {
    return this.host.asErrors(() => runSearch(this.core, nameOrNetlist, "corners", options));
  }

  /** Variation-aware optimization of the controllables: every constraint on every corner. */
  optimize(nameOrNetlist: string | AnyNetlist, options: OptimizeOptions & SearchOptions): Promise<OptimizeResult> {
    return this.host.asErrors(() => runSearch(this.core, nameOrNetlist, "optimize", options));
  }

  /**
   * Global sensitivity analysis of KPIs to the uncontrollables (or `over`): Sobol' indices S1 and ST
   * with bootstrap intervals (Saltelli's design), or Morris screening. See src/search/sensitivity.ts.
   */
  sensitivity(nameOrNetlist: string | AnyNetlist, options: SensitivityOptions & SearchOptions): Promise<SensitivityResult> {
    return this.host.asErrors(() => runSearch(this.core, nameOrNetlist, "sensitivity", options));
  }

  /**
   * Paired design comparison: design A and design B on the same seeds (common random numbers), per KPI
   * the per-seed differences, their intervals, tests (Holm-corrected) and a verdict. See src/search/compare.ts.
   */
  compare(nameOrNetlist: string | AnyNetlist, options: CompareOptions & SearchOptions): Promise<CompareResult> {
    return this.host.asErrors(() => runSearch(this.core, nameOrNetlist, "compare", options));
  }

  /**
   * Calibrates behaviour params by the method of simulated moments: the params `over` are searched to
   * bring the moments the runs measure (averaged over the same seeds at every candidate) closest to
   * the observed ones, with seed-bootstrap intervals and an identification check. See src/search/calibrate.ts;
   * `npx hardhat sim-calibrate moments` also writes the calibration file.
   */
  calibrateMoments(nameOrNetlist: string | AnyNetlist, options: CalibrateMomentsOptions & SearchOptions): Promise<CalibrateMomentsResult> {
    return this.host.asErrors(() => runSearch(this.core, nameOrNetlist, "calibrate", options));
  }

  /** Merges a campaign's shard folders into one campaign folder (`npx hardhat sim-merge`). */
  merge(dirs: string[], out: string, options: { force?: boolean } = {}): Promise<MergeSummary> {
    return this.host.asErrors(() => mergeCampaigns(dirs, out, { force: options.force, writeOutputs: campaignOutputWriter }));
  }

  /**
   * Property-based check of a netlist's KPIs with fast-check: searches params and seeds for a run
   * that breaks `property` or `invariant`, shrinks it, and throws a `PropertyFailedError` (one report
   * object) that says how to reproduce and replay it. Resolves to a summary when no run fails.
   * Runs and seed default to `config.tokenspice.checkRuns` and `checkSeed`; `TOKENSPICE_SEED` overrides the seed.
   * Given a netlist value, its params are typed by the netlist's: each an arbitrary of its type, or a fixed value.
   */
  check<P extends ParamSpecs, W>(netlist: Netlist<P, W>, options: TypedCheckOptions<P>): Promise<CheckSummary>;
  check(nameOrNetlist: string | AnyNetlist, options: CheckOptions): Promise<CheckSummary>;
  check(nameOrNetlist: string | AnyNetlist, options: CheckOptions): Promise<CheckSummary> {
    return this.enqueue(() =>
      this.host.asErrors(async () => {
        const env = process.env.TOKENSPICE_SEED;
        if (env !== undefined && !/^-?\d+$/.test(env)) {
          throw new TokenspiceError("OPTION_INVALID", `TOKENSPICE_SEED="${env}" is not an integer`, { TOKENSPICE_SEED: env });
        }
        const { config } = this.host;
        return checkNetlist(await this.environment(), this.load(nameOrNetlist), options, {
          runs: config.checkRuns,
          seed: env !== undefined ? Number(env) : config.checkSeed,
          outDir: config.outDir,
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
    return this.host.asErrorsSync(() => {
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
    return this.host.asErrors(async () => netlistCatalog(this.host.config.simsDir));
  }

  /** Every netlist in the sims folder that loads, with its params and KPIs (`catalog()` also lists the broken ones). */
  async list(): Promise<NetlistCatalog["netlists"]> {
    return (await this.catalog()).netlists;
  }

  /** The netlist a name stands for (loading its file), or an inline netlist as given. */
  resolve(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    return this.host.asErrorsSync(() => this.load(nameOrNetlist));
  }

  /** The node runs go to and the facts recorded with them (the adapter's run environment). */
  environment(): Promise<RunEnvironment> {
    return this.host.runEnvironment();
  }

  /**
   * @internal a campaign worker's boot: builds the simulation chain, without reading the project's
   * contracts (its campaign may still be compiling them: the first run reads them, after). The whole
   * `environment()` when the adapter has no such step.
   * @throws what building the chain throws (an unpinned fork, a fork's errors)
   */
  async prepareWorker(): Promise<void> {
    if (this.host.prepare !== undefined) await this.host.prepare();
    else await this.host.runEnvironment();
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    if (this.inJob.getStore()) return job();
    const next = this.queue.then(() => this.inJob.run(true, job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private load(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    return loadNetlistOrInline(this.host.config.simsDir, nameOrNetlist);
  }
}
