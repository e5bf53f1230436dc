import { AsyncLocalStorage } from "async_hooks";
import fs from "fs";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TokenspiceError } from "../errors.js";
import type { TokenspiceEnvironment } from "../campaign/environment.js";
import type { CampaignSummary } from "../campaign/campaign.js";
import { mergeCampaigns, type MergeSummary } from "../campaign/merge.js";
import { CampaignResult } from "../campaign/result.js";
import { campaignOutputWriter, startCampaign, type CampaignStartOptions } from "../campaign/start.js";
import { checkNetlist, type CheckOptions, type CheckSummary } from "../check/index.js";
import { isNetlist, type AnyNetlist } from "../model/netlist.js";
import { lockOrRefuse } from "../output/folder-lock.js";
import { writeRunReport, type WrittenReport } from "../report/write.js";
import { netlistCatalog, type NetlistCatalog } from "../runner/catalog.js";
import { loadNetlist, type LoadedNetlist } from "../runner/netlists.js";
import type { SimResult } from "../runner/result.js";
import { runNetlist, runSpec, type RunControls, type RunEnvironment, type RunOptions } from "../runner/run.js";
import { INLINE, resolveRunSpec, type RunRequest, type RunSpec } from "../runner/run-spec.js";
import { runSearch, type SearchOptions } from "../search/run-search.js";
import type { Corner, CornersOptions, OptimizeOptions, OptimizeResult, VerifyOptions, VerifyResult, WorstCaseOptions, WorstCaseResult } from "../search/design-loop.js";
import { createWorkerBackend3 } from "./campaign-backends.js";
import { Hardhat3RunEnvironment } from "./environment.js";
import { asHardhat3Errors, asHardhat3ErrorsSync } from "./errors.js";
import type { Chain3 } from "./sim-network.js";

/** Options of `tokenspice.run` (as on Hardhat 2: params, seed, steps, out, …). */
export type Tokenspice3RunOptions = Omit<RunOptions, "paramsFromText" | "afterSetup" | "stopAfterSample" | "profiler">;

/**
 * `connection.tokenspice` and `hre.tokenspice` on Hardhat 3: run, check, campaign, search and list
 * netlists, with the same methods and results as Hardhat 2's `hre.tokenspice`
 * (src/hardhat/tokenspice.ts). Each method is "environment + core call + plugin errors". Runs share
 * one chain, so they take turns; a campaign with `workers` > 1 runs in worker processes
 * (./campaign-backends.ts), each with a chain of its own.
 */
export class Tokenspice3 {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly inJob = new AsyncLocalStorage<true>();
  private readonly runEnvironment: Hardhat3RunEnvironment;
  /** What the core's campaigns, searches and commands take from this project. @internal the tasks' entry (src/hardhat3/cli.ts) */
  readonly core: TokenspiceEnvironment;

  constructor(
    private readonly hre: HardhatRuntimeEnvironment,
    openChain: () => Promise<Chain3>,
  ) {
    this.runEnvironment = new Hardhat3RunEnvironment(hre, openChain);
    this.core = {
      load: (nameOrNetlist) => this.load(nameOrNetlist),
      runEnvironment: () => this.environment(),
      runSpec: (env, loaded, spec, controls) => this.enqueue(() => runSpec(env, loaded, spec, controls)),
      workerBackend: (request) => createWorkerBackend3(hre, request),
      outDir: hre.config.tokenspice.outDir,
    };
  }

  /** Runs a netlist by name (from `config.tokenspice.simsDir`) or a netlist object. @throws TokenspicePluginError */
  run(nameOrNetlist: string | AnyNetlist, options: Tokenspice3RunOptions = {}): Promise<SimResult> {
    return this.enqueue(() => asHardhat3Errors(async () => runNetlist(await this.environment(), this.load(nameOrNetlist), options)));
  }

  /** Resolves what the user gave into a run spec, with nothing run. */
  plan(nameOrNetlist: string | AnyNetlist, request: RunRequest = {}): Promise<RunSpec> {
    return asHardhat3Errors(async () => {
      const env = await this.environment();
      return resolveRunSpec(this.load(nameOrNetlist), request, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
    });
  }

  /** Runs a spec from `plan` (or one read back from a manifest) on this chain. */
  runSpec(spec: RunSpec, controls: RunControls = {}): Promise<SimResult> {
    return this.enqueue(() =>
      asHardhat3Errors(async () => {
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

  /** A campaign in this process (src/campaign/start.ts); resolves with its result, read from its folder. */
  async campaign(nameOrNetlist: string | AnyNetlist, options: CampaignStartOptions = {}): Promise<CampaignResult> {
    const summary = await this.campaignInternal(nameOrNetlist, options);
    return asHardhat3Errors(async () => CampaignResult.read(summary.dir));
  }

  /** @internal the task's entry (src/cli will call it): returns the summary. */
  campaignInternal(nameOrNetlist: string | AnyNetlist, options: CampaignStartOptions): Promise<CampaignSummary> {
    return asHardhat3Errors(() => startCampaign(this.core, nameOrNetlist, options));
  }

  verify(nameOrNetlist: string | AnyNetlist, options: VerifyOptions & SearchOptions): Promise<VerifyResult> {
    return asHardhat3Errors(() => runSearch(this.core, nameOrNetlist, "verify", options));
  }

  worstCase(nameOrNetlist: string | AnyNetlist, options: WorstCaseOptions & SearchOptions): Promise<WorstCaseResult> {
    return asHardhat3Errors(() => runSearch(this.core, nameOrNetlist, "worst-case", options));
  }

  corners(nameOrNetlist: string | AnyNetlist, options: CornersOptions & SearchOptions): Promise<Corner[]> {
    return asHardhat3Errors(() => runSearch(this.core, nameOrNetlist, "corners", options));
  }

  optimize(nameOrNetlist: string | AnyNetlist, options: OptimizeOptions & SearchOptions): Promise<OptimizeResult> {
    return asHardhat3Errors(() => runSearch(this.core, nameOrNetlist, "optimize", options));
  }

  /** Merges a campaign's shard folders into one campaign folder. */
  merge(dirs: string[], out: string, options: { force?: boolean } = {}): Promise<MergeSummary> {
    return asHardhat3Errors(() => mergeCampaigns(dirs, out, { force: options.force, writeOutputs: campaignOutputWriter }));
  }

  /** Property-based check of a netlist's KPIs (fast-check); throws a PropertyFailedError with the shrunk run. */
  check(nameOrNetlist: string | AnyNetlist, options: CheckOptions): Promise<CheckSummary> {
    return this.enqueue(() =>
      asHardhat3Errors(async () => {
        const env = process.env.TOKENSPICE_SEED;
        if (env !== undefined && !/^-?\d+$/.test(env)) {
          throw new TokenspiceError("OPTION_INVALID", `TOKENSPICE_SEED="${env}" is not an integer`, { TOKENSPICE_SEED: env });
        }
        const { tokenspice } = this.hre.config;
        return checkNetlist(await this.environment(), this.load(nameOrNetlist), options, {
          runs: tokenspice.checkRuns,
          seed: env !== undefined ? Number(env) : tokenspice.checkSeed,
          outDir: tokenspice.outDir,
          log: (line) => console.log(line),
        });
      }),
    );
  }

  /** Writes a run folder's plots and report.html from its files alone (OUT_LOCKED while a process writes it). */
  report(dir: string): WrittenReport {
    return asHardhat3ErrorsSync(() => {
      const folder = path.resolve(dir);
      const release = fs.existsSync(folder) ? lockOrRefuse(folder, "report: folder") : () => undefined;
      try {
        return writeRunReport(folder);
      } finally {
        release();
      }
    });
  }

  async catalog(): Promise<NetlistCatalog> {
    return asHardhat3Errors(async () => netlistCatalog(this.hre.config.tokenspice.simsDir));
  }

  async list(): Promise<NetlistCatalog["netlists"]> {
    return (await this.catalog()).netlists;
  }

  resolve(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    return asHardhat3ErrorsSync(() => this.load(nameOrNetlist));
  }

  /** The node runs go to and the facts recorded with them (src/hardhat3/environment.ts). */
  environment(): Promise<RunEnvironment> {
    return this.runEnvironment.get();
  }

  /** Closes the chain this object opened (`hre.tokenspice`'s own simulation chain); a connection's stays open. */
  close(): Promise<void> {
    return this.runEnvironment.close();
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    if (this.inJob.getStore()) return job();
    const next = this.queue.then(() => this.inJob.run(true, job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private load(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    if (typeof nameOrNetlist === "string") return loadNetlist(this.hre.config.tokenspice.simsDir, nameOrNetlist);
    if (!isNetlist(nameOrNetlist)) {
      throw new TokenspiceError("OPTION_INVALID", "tokenspice.run: pass a netlist name or a value made by defineNetlist(...)");
    }
    return { name: slug(nameOrNetlist.description), file: INLINE, netlist: nameOrNetlist };
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
