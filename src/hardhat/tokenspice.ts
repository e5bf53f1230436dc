import { AsyncLocalStorage } from "async_hooks";
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from "child_process";
import fs from "fs";
import { quote as shellQuote } from "shlex";
import path from "path";
import { parseEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TokenspiceError, messageOf } from "../errors";
import { redactUrl, rememberSecretUrl, scrubError, scrubSecrets } from "../output/secrets";
import { isNetlist, kpiInfo, type AnyNetlist } from "../model/netlist";
import type { KpiInfo } from "../model/kpi";
import { writeRunReport, type WrittenReport } from "../report/write";
import type { ParamSpec } from "../model/params";
import { listNetlists, loadNetlist, type LoadedNetlist } from "../runner/netlists";
import { runNetlist, runSpec, type RunControls, type RunEnvironment, type RunOptions } from "../runner/run";
import { INLINE, resolveRunSpec, type NetworkFacts, type RunRequest, type RunSpec } from "../runner/run-spec";
import { checkNetlist, type CheckOptions, type CheckSummary } from "../runner/check";
import type { Netlist } from "../model/netlist";
import type { ParamSpecs, ParamValues } from "../model/params";
import type { SimResult } from "../runner/result";
import { asPluginErrors, asPluginErrorsSync } from "./errors";
import { createSimNetwork, simNetworkFacts, type SimNetwork } from "./sim-network";
import type { ProjectContract } from "../engine/contracts";
import { compilerOf } from "../engine/artifacts";
import { freshRunDir } from "../runner/out-dir";
import { campaignCommand, resolveCampaignSpec, campaignResumeCommand, type CampaignRequest } from "../campaign/spec";
import { planCampaign } from "../campaign/plan";
import { checkSearchSize } from "../campaign/limits";
import { readCampaign, readShardOf, runCampaign, watchInterruptions, type CampaignSummary } from "../campaign/campaign";
import { mergeCampaigns, type MergeSummary } from "../campaign/merge";
import { CampaignResult } from "../campaign/result";
import { Evaluator, SEARCH_RUNS_FILE } from "../search/evaluator";
import { corners, optimize, verify, worstCase, type Corner, type CornerSpec, type OptimizeOptions, type OptimizeResult, type VerifyOptions, type VerifyResult, type WorstCaseOptions, type WorstCaseResult } from "../search/design-loop";
import { toJson } from "../output/json";
import { isLockEntry, lockOrRefuse } from "../output/folder-lock";
import { resolveParams } from "../model/params";
import { checkSeed, configFlag, randomSeed } from "../runner/run-spec";
import type { CampaignSpec, ParamValue } from "../campaign/types";
import type { BackendEvents, CampaignBackend } from "../campaign/types";
import { InProcessBackend } from "../campaign/backends/in-process";
import { createWorkerBackend } from "./campaign-backends";
import { writeCampaignOutputs } from "../campaign/outputs";
import { writeSearchOutputs } from "../search/outputs";
import type { OutputWriter } from "../campaign/campaign";

export interface NetlistInfo {
  name: string;
  file: string;
  description: string;
  params: Record<string, ParamSpec>;
  kpis: string[];
  /** What each KPI measures (label, unit, decimals, scale, group, doc), in declared order. */
  kpiInfo: KpiInfo[];
  steps: number;
  stepSeconds: number;
}

/** A netlist `list()` could not load: its name, file(s) and the error that says why. */
export interface BrokenNetlistInfo {
  name: string;
  file: string;
  files: string[];
  error: Error & { code: string };
}

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

/** Options of `hre.tokenspice.campaign`: what to run (the spec) and how (folder, workers, shard). */
export interface TokenspiceCampaignOptions extends CampaignRequest {
  /** The campaign's folder (default `<outDir>/<netlist>/<UTC time>-campaign<seed>`). */
  out?: string;
  /** Overwrite a campaign of ours already in `out`. */
  force?: boolean;
  /** Continue the campaign in `out`: run only the runs that have not ended (its spec comes from its campaign.json). */
  resume?: boolean;
  /** Worker processes (default 1: runs in this process). */
  workers?: number;
  /** Restart a worker after this many runs (bounds memory). */
  maxRunsPerWorker?: number;
  /** Restart a worker once its RSS passes this many MiB. */
  workerMemoryMB?: number;
  /** Run only shard `index` of `count` (1-based); merge the shards' folders with `merge`. */
  shard?: { index: number; count: number };
  events?: BackendEvents;
  /** Called once the runs to start are known (after skipping those a resume finds ended). */
  onJobs?: (jobs: number, skipped: number) => void;
  /** Called when SIGINT or SIGTERM stops the campaign, with the command that resumes it (see `runCampaign`). */
  onInterrupt?: (interruption: { signal: NodeJS.Signals; resume: string }) => void;
}

/** How a search (verify, worstCase, corners, optimize) runs: its seed, fixed params, folder and workers. */
export interface SearchOptions {
  /** The search seed: every run's seed derives from it (default: random, in search.json). */
  seed?: number;
  params?: Record<string, unknown>;
  paramsFromText?: boolean;
  steps?: number;
  stepTimeoutMs?: number;
  /** The search's folder (default `<outDir>/<netlist>/<UTC time>-<kind><seed>`); the same folder and seed resume it. */
  out?: string;
  workers?: number;
  maxRunsPerWorker?: number;
  workerMemoryMB?: number;
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

/** `hre.tokenspice`: run, check and list netlists from scripts and tests. */
export class Tokenspice {
  // Runs share one chain: they take turns.
  private queue: Promise<unknown> = Promise.resolve();
  // Set inside a queued job: a run started from within one (a check's property comparing against a
  // counterfactual run) goes ahead at once instead of waiting behind the job that awaits it.
  private readonly inJob = new AsyncLocalStorage<true>();
  private simNetwork: Promise<SimNetwork> | undefined;
  private contracts: Promise<ProjectContract[]> | undefined;

  /** The project's compiled contracts, read once per process (runs follow the compile). */
  private projectContracts(): Promise<ProjectContract[]> {
    this.contracts ??= readProjectContracts(this.hre);
    return this.contracts;
  }

  constructor(private readonly hre: HardhatRuntimeEnvironment) {}

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
          throw new TokenspiceError(
            "OPTION_INVALID",
            `The run spec is for network "${spec.network.name}" (chain ${spec.network.chainId}), not "${env.network.name}" (chain ${env.network.chainId}).`,
            { spec: spec.network, network: env.network },
          );
        }
        return runSpec(env, this.load(spec.netlist.name), spec, controls);
      }),
    );
  }

  /**
   * Runs a campaign: `runs` replicates (each with a seed derived from the campaign seed) at each
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
    return asPluginErrors(async () => {
      const env = await this.environment();
      // A resumed campaign names its netlist and spec in its campaign.json: `sim --resume <dir>` needs no name.
      const existing = options.resume ? this.resumedSpec(nameOrNetlist, options.out) : undefined;
      const loaded = this.load(existing && typeof nameOrNetlist === "string" ? existing.netlist.name : nameOrNetlist);
      const request: CampaignRequest = existing
        ? { runs: existing.runs, sweep: existing.sweep.length === 0 ? undefined : Object.fromEntries(existing.sweep.map((a) => [a.param, a.values])), zip: existing.zip, commonSeeds: existing.commonSeeds === true, sample: existing.sample ?? undefined, seed: existing.seed, params: existing.params, steps: existing.steps, stepTimeoutMs: existing.stepTimeoutMs ?? 0 }
        : options;
      const file = loaded.file === INLINE ? INLINE : path.relative(env.root, loaded.file).split(path.sep).join("/");
      const spec = resolveCampaignSpec(loaded, request, { file, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
      const workers = options.workers ?? 1;
      const plan = planCampaign(
        spec,
        loaded.netlist.params,
        (params, seed) => resolveRunSpec(loaded, { params, seed, steps: spec.steps, stepTimeoutMs: spec.stepTimeoutMs ?? 0 }, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs }),
        { stepTimeoutMs: env.stepTimeoutMs, defaultNetwork: env.defaultNetwork },
      );
      const dir = path.resolve(options.out ?? freshRunDir(this.hre.config.tokenspice.outDir, loaded.name, `campaign${spec.seed}`));
      const backend = this.backend(loaded, env, workers, options);
      try {
        return await runCampaign({
          dir,
          spec,
          plan,
          versions: env.versions,
          command: campaignCommand(spec, { stepTimeoutMs: env.stepTimeoutMs, defaultNetwork: env.defaultNetwork }),
          backend,
          events: options.events,
          onJobs: options.onJobs,
          onInterrupt: options.onInterrupt,
          shard: options.shard,
          resume: options.resume,
          force: options.force,
          writeOutputs: campaignOutputWriter,
        });
      } finally {
        await backend.close();
      }
    });
  }

  /**
   * The spec of the campaign in `out`, to resume it.
   * @throws TokenspiceError OPTION_INVALID without a folder, or when a netlist is named that is not the campaign's
   */
  private resumedSpec(nameOrNetlist: string | AnyNetlist, out: string | undefined): CampaignSpec {
    if (out === undefined) throw new TokenspiceError("OPTION_INVALID", "resume needs the campaign's folder (out, or --resume <dir>)");
    const existing = readCampaign(path.resolve(out)).spec;
    if (typeof nameOrNetlist === "string" && nameOrNetlist !== "" && nameOrNetlist !== existing.netlist.name) {
      throw new TokenspiceError(
        "OPTION_INVALID",
        `${out} holds a campaign of netlist "${existing.netlist.name}", not "${nameOrNetlist}": resume it with ${campaignResumeCommand(existing, out, readShardOf(path.resolve(out)))}.`,
        { dir: out, netlist: existing.netlist.name },
      );
    }
    return existing;
  }

  /**
   * 3-sigma verification: Monte Carlo over the uncontrollables (from their dists) and seeds, until
   * the yield's Clopper–Pearson interval decides against the target. See src/search/design-loop.ts.
   */
  verify(nameOrNetlist: string | AnyNetlist, options: VerifyOptions & SearchOptions): Promise<VerifyResult> {
    return this.search(nameOrNetlist, "verify", options, (e, specs, seed) => verify(e, specs, { ...options, seed }));
  }

  /** Worst-case analysis over the uncontrollables: differential evolution, then Nelder–Mead. */
  worstCase(nameOrNetlist: string | AnyNetlist, options: WorstCaseOptions & SearchOptions): Promise<WorstCaseResult> {
    return this.search(nameOrNetlist, "worst-case", options, (e, specs, seed) => worstCase(e, specs, { ...options, seed }));
  }

  /** Corner extraction: each spec's worst case over the uncontrollables, plus nominal; written to corners.json. */
  corners(nameOrNetlist: string | AnyNetlist, options: { specs: CornerSpec[]; over?: string[]; seedsPerPoint?: number; budget?: number } & SearchOptions): Promise<Corner[]> {
    return this.search(nameOrNetlist, "corners", options, async (e, specs, seed) => {
      const found = await corners(e, specs, { ...options, seed });
      fs.writeFileSync(path.join(e.dir, "corners.json"), toJson({ netlist: typeof nameOrNetlist === "string" ? nameOrNetlist : "(inline)", corners: found }));
      return found;
    });
  }

  /** Variation-aware optimization of the controllables: every constraint on every corner. */
  optimize(nameOrNetlist: string | AnyNetlist, options: OptimizeOptions & SearchOptions): Promise<OptimizeResult> {
    return this.search(nameOrNetlist, "optimize", options, (e, specs, seed) => optimize(e, specs, { ...options, seed }));
  }

  private search<T>(
    nameOrNetlist: string | AnyNetlist,
    kind: string,
    options: SearchOptions,
    run: (evaluator: Evaluator, specs: ParamSpecs, seed: number) => Promise<T>,
  ): Promise<T> {
    return asPluginErrors(async () => {
      const counts = options as SearchOptions & Record<string, unknown>;
      checkSearchSize(kind, { maxRuns: counts.maxRuns, budget: counts.budget, seedsPerCorner: counts.seedsPerCorner }); // before the network starts
      const env = await this.environment();
      const loaded = this.load(nameOrNetlist);
      const seed = options.seed === undefined ? randomSeed() : checkSeed(options.seed);
      const steps = options.steps ?? loaded.netlist.time.steps;
      const given = options.params ?? {};
      const resolved = resolveParams(loaded.name, loaded.netlist.params, given, options.paramsFromText);
      const fixed = Object.fromEntries(Object.keys(given).map((k) => [k, resolved[k] as ParamValue]));
      const workers = options.workers ?? 1;
      const dir = path.resolve(options.out ?? freshRunDir(this.hre.config.tokenspice.outDir, loaded.name, `${kind}${seed}`));
      options.onFolder?.(dir);
      const ctx = { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs };
      const backend = this.backend(loaded, env, workers, options);
      let release = () => undefined as void;
      let unwatch = () => undefined as void;
      try {
        refuseForeignSearchFolder(dir);
        release = lockOrRefuse(dir, "Search folder"); // one process at a time writes a search's folder
        // Ctrl-C on the command line: say where the runs are and how to go on (the same seed and folder)
        if (options.command !== undefined) {
          unwatch = watchInterruptions((signal) => {
            if (signal) console.error(`\nSearch interrupted by ${signal}. The runs that ended are kept in ${dir}; continue it where it stopped with the same command and --seed ${seed} --out ${shellQuote(dir)}.`);
          });
        }
        const evaluator = new Evaluator(
          dir,
          loaded.netlist.params,
          { netlist: loaded.name, params: fixed, seed },
          (params, runSeed) => resolveRunSpec(loaded, { params, seed: runSeed, steps, stepTimeoutMs: options.stepTimeoutMs }, ctx),
          backend,
          { stepTimeoutMs: env.stepTimeoutMs, defaultNetwork: env.defaultNetwork },
          options.events,
        );
        const result = await run(evaluator, loaded.netlist.params, seed);
        fs.writeFileSync(path.join(dir, "search.json"), toJson({ tool: "hardhat-tokenspice", kind, netlist: loaded.name, seed, steps, params: fixed, ...(options.command ? { command: options.command } : {}), result }));
        if (options.outputs !== false) await writeSearchOutputs(dir);
        return result;
      } finally {
        unwatch();
        release();
        await backend.close();
      }
    });
  }

  /** Merges a campaign's shard folders into one campaign folder (`npx hardhat sim-merge`). */
  merge(dirs: string[], out: string, options: { force?: boolean } = {}): Promise<MergeSummary> {
    return asPluginErrors(() => mergeCampaigns(dirs, out, { force: options.force, writeOutputs: campaignOutputWriter }));
  }

  /**
   * Where a campaign's or search's runs go: this process, one run after another (one worker, or a
   * netlist object, which workers cannot load by name), or a pool of worker processes.
   * @throws TokenspiceError OPTION_INVALID for a worker count that is not a positive integer, or
   *   several workers for a netlist object or on a JSON-RPC network
   */
  private backend(loaded: LoadedNetlist, env: RunEnvironment, workers: number, options: { maxRunsPerWorker?: number; workerMemoryMB?: number }): CampaignBackend {
    if (!Number.isSafeInteger(workers) || workers < 1) throw new TokenspiceError("OPTION_INVALID", `workers ${JSON.stringify(workers)} is not valid: use a positive integer.`, { workers });
    if (workers > 1 && loaded.file === INLINE) {
      throw new TokenspiceError("OPTION_INVALID", "A netlist object cannot go to worker processes (they load netlists by name): use a netlist from the sims folder, or workers: 1.", { workers });
    }
    if (workers === 1) return new InProcessBackend((spec, controls) => this.enqueue(() => runSpec(env, loaded, spec, controls)));
    const memory = options.workerMemoryMB;
    if (memory !== undefined && !(Number.isFinite(memory) && memory > 0)) {
      throw new TokenspiceError("OPTION_INVALID", `workerMemoryMB ${JSON.stringify(memory)} is not valid: use a positive number of megabytes.`, { workerMemoryMB: memory });
    }
    return createWorkerBackend(this.hre, { workers, maxRunsPerWorker: options.maxRunsPerWorker, workerMemoryBytes: memory === undefined ? undefined : Math.round(memory * 2 ** 20) });
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
  async catalog(): Promise<{ netlists: NetlistInfo[]; broken: BrokenNetlistInfo[] }> {
    return asPluginErrors(async () => {
      const netlists: NetlistInfo[] = [];
      const broken: BrokenNetlistInfo[] = [];
      for (const n of listNetlists(this.hre.config.tokenspice.simsDir)) {
        if (n.error) broken.push({ name: n.name, file: n.file, files: n.files, error: n.error });
        else {
          netlists.push({
            name: n.name,
            file: n.file,
            description: n.netlist.description,
            params: n.netlist.params,
            kpis: Object.keys(n.netlist.kpis),
            kpiInfo: kpiInfo(n.netlist),
            steps: n.netlist.time.steps,
            stepSeconds: n.netlist.time.stepSeconds,
          });
        }
      }
      return { netlists, broken };
    });
  }

  /** Every netlist in the sims folder that loads, with its params and KPIs (`catalog()` also lists the broken ones). */
  async list(): Promise<NetlistInfo[]> {
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

  /**
   * The network runs go to: the plugin's own simulation network when the network is "hardhat"
   * (see sim-network.ts), else the configured network's provider (a node over JSON-RPC), probed.
   */
  async environment(): Promise<RunEnvironment> {
    const { config, network } = this.hre;
    let provider: RunEnvironment["provider"];
    let facts: NetworkFacts;
    let node: RunEnvironment["node"];
    if (network.name === "hardhat") {
      simNetworkFacts(config); // refuses an unpinned fork before anything starts
      this.simNetwork ??= createSimNetwork(config);
      const sim = await this.simNetwork.catch((error) => {
        this.simNetwork = undefined;
        throw error;
      });
      ({ provider, facts, node } = sim);
    } else {
      provider = network.provider;
      const http = "url" in network.config ? network.config : undefined;
      const url = http?.url;
      if (http !== undefined) rememberSecretUrl(http.url, http.httpHeaders);
      let chainId: number;
      try {
        chainId = Number(await network.provider.request({ method: "eth_chainId" }));
      } catch (error) {
        throw new TokenspiceError(
          "NODE_ERROR",
          `Cannot reach network "${network.name}"${url !== undefined ? ` at ${redactUrl(url)}` : ""}: ${scrubSecrets(messageOf(error))}`,
          { network: network.name },
          scrubError(error),
        );
      }
      facts = { name: network.name, chainId };
    }
    return {
      provider,
      projectContracts: await this.projectContracts(),
      walletWei: parseEther(config.tokenspice.walletEth),
      // The config file, when not the default one, is part of what a run ran on: its commands name it.
      network: withConfigFile(facts, configFlag(config.paths.root, config.paths.configFile)),
      node,
      root: config.paths.root,
      stepTimeoutMs: config.tokenspice.stepTimeoutMs,
      defaultNetwork: config.defaultNetwork,
      versions: {
        "hardhat-tokenspice": pluginVersion(),
        hardhat: require("hardhat/package.json").version,
        solc: config.solidity.compilers.map((c) => c.version),
        node: process.version,
      },
      // Two git processes: only worth spawning when a manifest is written (runs given `out`).
      get git() {
        return gitState(config.paths.root);
      },
    };
  }
}

/** The project's compiled contracts, as the engine names calls and reverts and records deployments with. */
async function readProjectContracts(hre: HardhatRuntimeEnvironment): Promise<ProjectContract[]> {
  const out: ProjectContract[] = [];
  let names: string[] = [];
  try {
    names = await hre.artifacts.getAllFullyQualifiedNames();
  } catch {
    return out; // not compiled yet: nothing to name contracts by
  }
  for (const fqn of names.sort()) {
    try {
      const a = hre.artifacts.readArtifactSync(fqn);
      out.push({ name: a.contractName, abi: a.abi, deployedBytecode: a.deployedBytecode, source: a.sourceName, compiler: compilerOf({}, a.deployedBytecode) });
    } catch {
      // an artifact that cannot be read names nothing
    }
  }
  return out;
}

/** Facts with `config` set (a copy), or as they are when the config is the default one. */
function withConfigFile(facts: NetworkFacts, config: string | undefined): NetworkFacts {
  return config === undefined ? facts : { ...facts, config };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "inline";
}

function pluginVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      if (pkg.name === "hardhat-tokenspice") return pkg.version;
    }
  }
  return "unknown";
}

function gitState(root: string): { commit: string; dirty: boolean } | null {
  try {
    const opts: ExecFileSyncOptionsWithStringEncoding = { cwd: root, stdio: ["ignore", "pipe", "ignore"], encoding: "utf8" };
    const commit = execFileSync("git", ["rev-parse", "HEAD"], opts).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], opts).trim() !== "";
    return { commit, dirty };
  } catch {
    return null; // not a git checkout, or no commits yet
  }
}

/**
 * What a finished campaign (not a shard) and a merge write beside the runs: bands.csv, points.csv,
 * runs.csv, campaign.duckdb, the Parquet files and report.html (src/campaign/outputs.ts). DuckDB is
 * loaded here, when a campaign ends, not when Hardhat loads the plugin.
 */
const campaignOutputWriter: OutputWriter = (dir, campaign, outcomes) => writeCampaignOutputs(dir, campaign, outcomes);

/**
 * A search writes only into a new or empty folder, or one of a search (search.json,
 * search-runs.json, or only the runs/ of a first batch cut short): never among other files.
 *
 * @throws TokenspiceError OUT_UNUSABLE for a file; OUT_NOT_A_RUN naming the files, before anything is written
 */
function refuseForeignSearchFolder(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory()) throw new TokenspiceError("OUT_UNUSABLE", `Search folder ${dir} is a file, not a folder. Nothing was written. Choose a folder with --out.`, { dir });
  const entries = fs.readdirSync(dir).filter((f) => !isLockEntry(f));
  if (entries.length === 0 || entries.includes("search.json") || entries.includes(SEARCH_RUNS_FILE) || entries.every((f) => f === "runs")) return;
  throw new TokenspiceError(
    "OUT_NOT_A_RUN",
    `Search folder ${dir} holds files that are not a hardhat-tokenspice search (${entries.slice(0, 5).join(", ")}${entries.length > 5 ? ", …" : ""}). ` +
      `Nothing was written. Choose a new or empty folder with --out (the same folder and --seed resume a search).`,
    { dir, entries: entries.slice(0, 20) },
  );
}
