import path from "path";
import { isTokenspiceError, type TokenspiceError } from "../errors";
import type { NodeBehaviour } from "../engine/chain";
import type { ProjectContract } from "../engine/contracts";
import { simulate, type SimulationObserver, type SimulationOptions } from "../engine/engine";
import type { Eip1193Provider } from "../engine/provider";
import type { Profiler } from "../engine/profile";
import { kpiInfo } from "../model/netlist";
import { paramSpecInfo } from "../model/params";
import { LOCK_NAME, RunWriter } from "../output/run-writer";
import { SimResult } from "./result";
import type { LoadedNetlist } from "./netlists";
import { commandDefaultsOf, reproduceCommand, resolveRunSpec, type NetworkFacts, type RunRequest, type RunSpec } from "./run-spec";
import { trackRun } from "./interrupts";

export { MAX_SEED, assertSeed, assertSteps, randomSeed, reproduceCommand, resolveRunSpec } from "./run-spec";
export type { RunSpec, RunRequest, NetworkFacts } from "./run-spec";

/** How a run is carried out and where it writes; none of it changes the run's result. */
export interface RunControls {
  /** Folder to write the run's files to (KPI table, reverts, result, manifest: src/output/formats/). No files when omitted. */
  out?: string;
  /** Overwrite a run of ours already in `out`. */
  force?: boolean;
  observer?: SimulationObserver;
  /** Leave the chain as the run ended (default: revert to before setup). */
  keepChainState?: boolean;
  afterSetup?: () => Promise<void>;
  /** Ends the run after a KPI sample when it returns true (property checks' invariants). */
  stopAfterSample?: SimulationOptions["stopAfterSample"];
  /** Splits the tick loop's time into sends, chain time, KPIs, reads and decisions (the bench). */
  profiler?: Profiler;
  /**
   * Reuse setup across this process's runs (`SimulationOptions.reuseSetup`): for a process that
   * only runs runs (a campaign's or search's worker). Off on a fork (its reads are recorded per run).
   */
  reuseSetup?: boolean;
}

/**
 * What `runNetlist` takes: the run's request (params, seed, steps, step timeout: what decides its result) and its controls (where it writes and hooks: what does not).
 */
export type RunOptions = RunRequest & RunControls;

/** What the adapter knows and the runner needs: the node, and facts for the spec and the manifest. */
export interface RunEnvironment {
  provider: Eip1193Provider;
  /** ETH every agent wallet starts with, in wei. */
  walletWei: bigint;
  network: NetworkFacts;
  /** The node's block-time behaviour, when the adapter configured the node itself (else probed). */
  node?: NodeBehaviour;
  /** Project root: netlist files are recorded relative to it. */
  root: string;
  /** The project's compiled contracts (ABIs for naming reverts; sources for the manifest's deployments). */
  projectContracts?: ProjectContract[];
  /** Step timeout (ms) when a run gives none; null: none. */
  stepTimeoutMs: number | null;
  /** The network Hardhat runs on without `--network` (config `defaultNetwork`; "hardhat" when absent): printed commands name another. */
  defaultNetwork?: string;
  versions: Record<string, string | string[]>;
  git: { commit: string; dirty: boolean } | null;
  /**
   * A forked chain's recorder (src/fork), when the chain forks through it: `fault` is an error that
   * must end the run in place of whatever the node made of it (a read missing offline, a spent
   * budget); `record` saves the bundle and returns what the manifest records as `forkBundle`;
   * `bundle` is the bundle's hash and entries now (every worker's reads counted), what a campaign's
   * and a search's file record once their runs ended.
   */
  fork?: { fault(): TokenspiceError | undefined; record(): Record<string, unknown>; bundle?(): { hash: string; entries: number }; reproduceArgs?(): string[] };
}

/** One run of a netlist: resolves the run spec, then runs it. */
export async function runNetlist(env: RunEnvironment, loaded: LoadedNetlist, options: RunOptions = {}): Promise<SimResult> {
  const spec = resolveRunSpec(loaded, options, { root: env.root, network: env.network, defaultStepTimeoutMs: env.stepTimeoutMs });
  return runSpec(env, loaded, spec, options);
}

/**
 * Runs a resolved spec: simulates, writing files as it goes when given `out`.
 *
 * @throws SimulationAbortedError when the run fails; `details.outDir` names its folder, which holds
 *   everything recorded before the failure and a manifest saying how it ended
 * @throws TokenspiceError for an unusable output folder, before anything runs
 */
export async function runSpec(env: RunEnvironment, loaded: LoadedNetlist, spec: RunSpec, controls: RunControls = {}): Promise<SimResult> {
  const { netlist } = loaded;
  const startedAt = Date.now();
  const command = reproduceCommand(spec, commandDefaultsOf(env));
  const out = controls.out === undefined ? undefined : path.resolve(controls.out);
  const writer =
    out === undefined
      ? undefined
      : RunWriter.open(out, {
          force: controls.force ?? false,
          kpiNames: Object.keys(netlist.kpis),
          manifest: {
            netlist: { name: spec.netlist.name, file: spec.netlist.file, description: netlist.description },
            spec,
            params: spec.params,
            paramSpecs: paramSpecInfo(netlist.params),
            kpis: kpiInfo(netlist),
            seed: spec.seed,
            steps: spec.steps,
            time: { stepSeconds: netlist.time.stepSeconds, start: netlist.time.start ?? null },
            network: spec.network,
            versions: env.versions,
            git: env.git,
            command,
            startedAt: new Date(startedAt).toISOString(),
          },
        });
  const untrack = writer ? trackRun(writer) : () => undefined;
  const observer = combineObservers(writer, controls.observer);
  try {
    const outcome = await simulate(env.provider, {
      name: spec.netlist.name,
      netlist,
      params: spec.params,
      seed: spec.seed,
      steps: spec.steps,
      walletWei: env.walletWei,
      stepTimeoutMs: spec.stepTimeoutMs ?? Infinity,
      node: env.node,
      projectContracts: env.projectContracts,
      projectRoot: env.root,
      files: writer && { manifestFile: writer.file("manifest"), lockDir: path.join(writer.dir, LOCK_NAME) },
      observer,
      keepChainState: controls.keepChainState,
      reuseSetup: controls.reuseSetup === true && env.fork === undefined,
      afterSetup: controls.afterSetup,
      stopAfterSample: controls.stopAfterSample,
      profiler: controls.profiler,
    });
    // A fork's fault ends the run even when the node's error was taken for a revert.
    const fault = env.fork?.fault();
    if (fault) throw fault;
    const result = new SimResult(spec, command, outcome, out);
    const forkBundle = env.fork?.record();
    writer?.complete(result.toJSON(), {
      blockTime: outcome.blockTime,
      deployments: outcome.deployments,
      ...(forkBundle ? { forkBundle } : {}),
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - startedAt,
    });
    return result;
  } catch (thrown) {
    // The fork's own error (a read missing offline, a spent budget) in place of what EDR made of it.
    const fault = env.fork?.fault();
    const error: unknown = fault ?? thrown;
    let forkBundle: Record<string, unknown> | undefined;
    try {
      forkBundle = env.fork?.record();
    } catch {
      // the run's own error is the one to report
    }
    if (writer) {
      writer.fail(error, { ...(forkBundle ? { forkBundle } : {}), finishedAt: new Date().toISOString(), durationMs: Date.now() - startedAt });
      if (isTokenspiceError(error)) error.details.outDir = writer.dir;
    }
    throw error;
  } finally {
    untrack();
  }
}

function combineObservers(...observers: (SimulationObserver | undefined)[]): SimulationObserver {
  const present = observers.filter((o): o is SimulationObserver => o !== undefined);
  return {
    onStart: (info) => present.forEach((o) => o.onStart?.(info)),
    onSample: (s) => present.forEach((o) => o.onSample?.(s)),
    onRevert: (r) => present.forEach((o) => o.onRevert?.(r)),
    onTransaction: (t) => present.forEach((o) => o.onTransaction?.(t)),
    onTick: (t, n) => present.forEach((o) => o.onTick?.(t, n)),
  };
}
