import { randomInt } from "crypto";
import { TokenspiceError } from "../errors";
import { simulate, type SimulationObserver, type SimulationOptions } from "../engine/engine";
import type { Eip1193Provider } from "../engine/provider";
import { kpiInfo } from "../model/netlist";
import { formatParamAssignments, paramSpecInfo, resolveParams } from "../model/params";
import { RunWriter } from "../output/run-writer";
import { SimResult } from "./result";
import type { LoadedNetlist } from "./netlists";

export interface RunOptions {
  seed?: number;
  steps?: number;
  /** Param overrides. Typed values from code; strings from the command line with `paramsFromText`. */
  params?: Record<string, unknown>;
  paramsFromText?: boolean;
  /** Folder to write kpis.csv, reverts.csv, result.json and manifest.json to. No files when omitted. */
  out?: string;
  /** Overwrite a run already in `out`. */
  force?: boolean;
  observer?: SimulationObserver;
  /** Leave the chain as the run ended (default: revert to before setup). */
  keepChainState?: boolean;
  afterSetup?: () => Promise<void>;
  /** Ends the run after a KPI sample when it returns true (property checks' invariants). */
  stopAfterSample?: SimulationOptions["stopAfterSample"];
}

/** What the adapter knows and the runner needs: the node, and facts for the manifest. */
export interface RunEnvironment {
  provider: Eip1193Provider;
  walletWei: bigint;
  network: string;
  versions: Record<string, string | string[]>;
  git: { commit: string; dirty: boolean } | null;
}

export const MAX_SEED = 2 ** 32 - 1;

export function checkSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new TokenspiceError(`Seed ${JSON.stringify(seed)} is not valid: use an integer in [0, ${MAX_SEED}].`);
  }
  return seed;
}

export function checkSteps(steps: unknown): number {
  if (typeof steps !== "number" || !Number.isInteger(steps) || steps < 1) {
    throw new TokenspiceError(`Steps ${JSON.stringify(steps)} is not valid: use a positive integer.`);
  }
  return steps;
}

export function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}

/** The `npx hardhat sim` command that reproduces a run exactly. */
export function reproduceCommand(name: string, seed: number, steps: number, params: Record<string, unknown>, network: string): string {
  const parts = ["npx hardhat"];
  if (network !== "hardhat") parts.push(`--network ${network}`);
  parts.push(`sim ${name} --seed ${seed} --steps ${steps}`);
  if (Object.keys(params).length) parts.push(`--params ${formatParamAssignments(params)}`);
  return parts.join(" ");
}

/** One run of a netlist: resolves params, seed and steps, simulates, writes files when asked. */
export async function runNetlist(env: RunEnvironment, loaded: LoadedNetlist, options: RunOptions = {}): Promise<SimResult> {
  const { name, netlist } = loaded;
  const params = resolveParams(name, netlist.params, options.params, options.paramsFromText);
  const seed = options.seed === undefined ? randomSeed() : checkSeed(options.seed);
  const steps = options.steps === undefined ? netlist.time.steps : checkSteps(options.steps);
  const startedAt = Date.now();

  const writer =
    options.out === undefined
      ? undefined
      : RunWriter.open(options.out, {
          force: options.force ?? false,
          kpiNames: Object.keys(netlist.kpis),
          manifest: {
            tool: "hardhat-tokenspice",
            netlist: { name, file: loaded.file, description: netlist.description },
            params,
            paramSpecs: paramSpecInfo(netlist.params),
            kpis: kpiInfo(netlist),
            seed,
            steps,
            time: { stepSeconds: netlist.time.stepSeconds, start: netlist.time.start ?? null },
            network: env.network,
            versions: env.versions,
            git: env.git,
            command: reproduceCommand(name, seed, steps, params, env.network),
            startedAt: new Date(startedAt).toISOString(),
          },
        });
  const observer = combineObservers(writer, options.observer);
  try {
    const outcome = await simulate(env.provider, {
      name,
      netlist,
      params,
      seed,
      steps,
      walletWei: env.walletWei,
      observer,
      keepChainState: options.keepChainState,
      afterSetup: options.afterSetup,
      stopAfterSample: options.stopAfterSample,
    });
    const result = new SimResult(name, seed, steps, params, outcome, options.out);
    writer?.complete(result.toJSON(), { finishedAt: new Date().toISOString(), durationMs: Date.now() - startedAt });
    return result;
  } catch (error) {
    if (writer) {
      writer.fail(error, { finishedAt: new Date().toISOString(), durationMs: Date.now() - startedAt });
      if (error instanceof Error) error.message += `\nEverything recorded before the failure is in ${writer.dir}`;
    }
    throw error;
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
