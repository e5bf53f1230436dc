import { AsyncLocalStorage } from "async_hooks";
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from "child_process";
import fs from "fs";
import path from "path";
import { parseEther } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TokenspiceError } from "../errors";
import { isNetlist, kpiInfo, type AnyNetlist } from "../model/netlist";
import type { KpiInfo } from "../model/kpi";
import { writeRunReport, type WrittenReport } from "../report/write";
import type { ParamSpec } from "../model/params";
import { findNetlists, loadNetlist, loadNetlistFile, type LoadedNetlist } from "../runner/netlists";
import { runNetlist, type RunEnvironment, type RunOptions } from "../runner/run";
import { checkNetlist, type CheckOptions, type CheckSummary } from "../runner/check";
import type { Netlist } from "../model/netlist";
import type { ParamSpecs, ParamValues } from "../model/params";
import type { SimResult } from "../runner/result";
import { asPluginErrors, asPluginErrorsSync } from "./errors";

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

export type TokenspiceRunOptions = Omit<RunOptions, "paramsFromText" | "afterSetup" | "stopAfterSample">;

/** Structurally a fast-check Arbitrary of T (so the plugin's types do not need fast-check installed). */
export interface ArbitraryLike<T> {
  generate(...args: any[]): { readonly value: T };
  shrink(...args: any[]): unknown;
}

/** Check options typed by the netlist's params: each one an arbitrary of its type, or a fixed value. */
export type TypedCheckOptions<P extends ParamSpecs> = Omit<CheckOptions, "params"> & {
  params?: { [K in keyof ParamValues<P>]?: ArbitraryLike<ParamValues<P>[K]> | ParamValues<P>[K] };
};

/** `hre.tokenspice`: run and list netlists from scripts and tests. */
export class Tokenspice {
  // Runs share one chain: they take turns.
  private queue: Promise<unknown> = Promise.resolve();
  // Set inside a queued job: a run started from within one (a check's property comparing against a
  // counterfactual run) goes ahead at once instead of waiting behind the job that awaits it.
  private readonly inJob = new AsyncLocalStorage<true>();

  constructor(private readonly hre: HardhatRuntimeEnvironment) {}

  /** Runs a netlist by name (from `config.tokenspice.simsDir`) or a netlist object. */
  run(nameOrNetlist: string | AnyNetlist, options: TokenspiceRunOptions = {}): Promise<SimResult> {
    return this.runInternal(nameOrNetlist, options);
  }

  /** @internal the task's and benchmark's entry: also takes params as text and an afterSetup hook. */
  runInternal(nameOrNetlist: string | AnyNetlist, options: RunOptions): Promise<SimResult> {
    return this.enqueue(() => asPluginErrors(async () => runNetlist(this.environment(), this.load(nameOrNetlist), options)));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    if (this.inJob.getStore()) return job();
    const next = this.queue.then(() => this.inJob.run(true, job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Property-based check of a netlist's KPIs with fast-check: searches params and seeds for a run
   * that breaks `property` or `invariant`, shrinks it, and throws a report that says how to
   * reproduce and replay it. Resolves to a summary when no run fails.
   */
  check<P extends ParamSpecs, W>(netlist: Netlist<P, W>, options: TypedCheckOptions<P>): Promise<CheckSummary>;
  check(name: string, options: CheckOptions): Promise<CheckSummary>;
  check(nameOrNetlist: string | AnyNetlist, options: CheckOptions): Promise<CheckSummary> {
    return this.enqueue(() =>
      asPluginErrors(async () => {
        const env = process.env.TOKENSPICE_SEED;
        if (env !== undefined && !/^-?\d+$/.test(env)) throw new TokenspiceError(`TOKENSPICE_SEED="${env}" is not an integer`);
        const { config } = this.hre;
        return checkNetlist(this.environment(), this.load(nameOrNetlist), options, {
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
   * themselves: call this with their folder.
   */
  report(dir: string): WrittenReport {
    return asPluginErrorsSync(() => writeRunReport(path.resolve(dir)));
  }

  /** Every netlist in the sims folder, with its params and KPIs. */
  list(): Promise<NetlistInfo[]> {
    return asPluginErrors(async () =>
      findNetlists(this.hre.config.tokenspice.simsDir).map((f) => {
        const { name, file, netlist } = loadNetlistFile(f);
        return {
          name,
          file,
          description: netlist.description,
          params: netlist.params,
          kpis: Object.keys(netlist.kpis),
          kpiInfo: kpiInfo(netlist),
          steps: netlist.time.steps,
          stepSeconds: netlist.time.stepSeconds,
        };
      }),
    );
  }

  /** The netlist a name stands for (loading its file), or an inline netlist as given. */
  resolve(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    return asPluginErrorsSync(() => this.load(nameOrNetlist));
  }

  private load(nameOrNetlist: string | AnyNetlist): LoadedNetlist {
    if (typeof nameOrNetlist === "string") return loadNetlist(this.hre.config.tokenspice.simsDir, nameOrNetlist);
    if (!isNetlist(nameOrNetlist)) {
      throw new TokenspiceError("tokenspice.run: pass a netlist name or a value made by defineNetlist(...)");
    }
    return { name: slug(nameOrNetlist.description), file: "(inline)", netlist: nameOrNetlist };
  }

  environment(): RunEnvironment {
    const { config, network } = this.hre;
    return {
      provider: network.provider,
      walletWei: parseEther(config.tokenspice.walletEth),
      network: network.name,
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
