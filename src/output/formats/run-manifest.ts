/**
 * The run manifest (`manifest.json` in a run's folder): what ran (netlist, spec, params, KPIs,
 * network, versions, command) and how it ended (`status`, and the error of a failed run). Written
 * first (status "running") and again when the run ends, so a crash leaves a manifest saying so.
 * It is how a folder is recognised as a run of ours (`tool`).
 */
import fs from "fs";
import path from "path";
import type { BlockTime } from "../../engine/chain";
import type { KpiInfo } from "../../model/kpi";
import type { ParamSpecInfo } from "../../model/params";
import { toJson } from "../json";
import { formatError, isObject, problemOf, readJsonOrUndefined } from "./read";

/** The run manifest's file name in a run's folder. */
export const RUN_MANIFEST_FILE = "manifest.json";

/** The run manifest's `tool` (and the campaign file's): how a folder is recognised as ours. */
export const MANIFEST_TOOL = "hardhat-tokenspice";

/** How a run stands: "running" until it ends complete, failed or interrupted. */
export const RUN_STATUSES = ["running", "complete", "failed", "interrupted"] as const;
/** A run manifest's `status`: one of RUN_STATUSES. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * What a run needs to know about the network it runs on, beyond the provider. The plugin's own
 * simulation network fixes these from config; a `--network` over JSON-RPC is probed. They are
 * recorded in the manifest: results depend on them (gas, fees, hardfork semantics).
 */
export interface NetworkFacts {
  /** The Hardhat network name: "hardhat" for the plugin's own in-process simulation network. */
  name: string;
  chainId: number;
  /** Set when known before the run; probed (and recorded in the result) otherwise. */
  blockTime?: BlockTime;
  hardfork?: string;
  /** Decimal strings (gas, wei). */
  blockGasLimit?: string;
  initialBaseFeePerGas?: string | null;
  /**
   * Forked chain and block, when the simulation network forks one: the upstream's URL redacted (no
   * key), the block number, and (for a fork through the plugin's recorder: `--fork`,
   * `tokenspice.fork`) the upstream's chain id and the block's hash.
   */
  fork?: { url: string; blockNumber: number; chainId?: number; blockHash?: string } | null;
  /**
   * The Hardhat config file these settings come from, relative to the project root with `/`
   * separators (`hardhat.f3berlin.config.ts`), when it is not the default one (`configFlag`);
   * absent for the default, so the specs (and spec hashes) of a project run without `--config`
   * are what they were. Reproduce, resume and merge commands pass it as `--config`.
   */
  config?: string;
}

/**
 * A run, resolved: everything that decides its result, as JSON. The task, `tokenspice.run`, the
 * manifest, the reproduce command and (for campaigns) workers all take this one object.
 */
export interface RunSpec {
  netlist: {
    name: string;
    /** The netlist's file relative to the project root ("(inline)" for a netlist object). */
    file: string;
  };
  /** Every param, defaults filled in, typed and range-checked. */
  params: Record<string, string | number | boolean>;
  /** Run seed, an integer in [0, 2^32 - 1]. */
  seed: number;
  /** Ticks to run. */
  steps: number;
  /** Step timeout (ms) for setup, each agent step and each KPI; null: none. */
  stepTimeoutMs: number | null;
  network: NetworkFacts;
}

/**
 * What the run manifest holds. `status` is always there, and `tool` in every manifest the plugin
 * writes (it marks a run of ours: `findRunManifest`); the rest is what the runner records (a
 * manifest written by an older version, or by hand for a report, may lack some of it, so readers
 * treat them as optional).
 */
export interface RunManifest {
  tool?: typeof MANIFEST_TOOL;
  status: RunStatus;
  netlist?: { name: string; file: string; description?: string };
  spec?: RunSpec;
  params?: Record<string, string | number | boolean>;
  paramSpecs?: Record<string, ParamSpecInfo>;
  /** Every KPI, in declared order (the KPI table's columns), defaults filled in. */
  kpis?: KpiInfo[];
  seed?: number;
  steps?: number;
  /** Seconds a tick advances chain time, and the first block's timestamp (null: the chain's). */
  time?: { stepSeconds: number; start: number | null };
  network?: NetworkFacts;
  versions?: Record<string, unknown>;
  git?: unknown;
  /** The command that repeats the run. */
  command?: string;
  /** ISO 8601 times, and the run's wall-clock duration (ms). */
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  blockTime?: BlockTime;
  deployments?: unknown;
  /** A failed or interrupted run's message; a failed run's error code (null: not the plugin's) and details. */
  error?: string;
  errorCode?: string | null;
  errorDetails?: Record<string, unknown> | null;
  interruptedAt?: string;
  /** A forked run's bundle (src/fork): folder, hash after the run, entries, and the run's reads, bundle hits and upstream requests. */
  forkBundle?: Record<string, unknown>;
  lockWarning?: string;
  [field: string]: unknown;
}

/** The run manifest of the run in `dir`. */
export function runManifestPath(dir: string): string {
  return path.join(dir, RUN_MANIFEST_FILE);
}

/**
 * Checks a parsed run manifest: a JSON object with a known `status`, and (when present) our `tool`,
 * a netlist object with a name, an integer seed and a KPI list.
 * @throws TokenspiceError RUN_MANIFEST_INVALID naming `file` and what is wrong
 */
export function assertRunManifest(value: unknown, file: string): asserts value is RunManifest {
  const fail = (problem: string) => {
    throw formatError("RUN_MANIFEST_INVALID", file, problem);
  };
  if (!isObject(value)) fail("is not a JSON object (a run manifest is one)");
  const m = value as Record<string, unknown>;
  if (m.tool !== undefined && m.tool !== MANIFEST_TOOL) fail(`is not a hardhat-tokenspice run manifest ("tool" is ${JSON.stringify(m.tool) ?? "missing"}, not "${MANIFEST_TOOL}")`);
  if (!(RUN_STATUSES as readonly unknown[]).includes(m.status)) fail(`"status" is ${JSON.stringify(m.status) ?? "missing"}, not one of ${RUN_STATUSES.join(", ")}`);
  if (m.netlist !== undefined && !(isObject(m.netlist) && typeof m.netlist.name === "string")) fail('"netlist" is not { name, file }');
  if (m.seed !== undefined && !Number.isSafeInteger(m.seed)) fail('"seed" is not an integer');
  if (m.kpis !== undefined && !(Array.isArray(m.kpis) && m.kpis.every((k) => isObject(k) && typeof k.name === "string"))) fail('"kpis" is not a list of { name, ... }');
}

/**
 * Reads and checks the run manifest in `dir`.
 * @throws TokenspiceError RUN_MANIFEST_INVALID naming the file: missing, unreadable, not JSON, or not a run manifest
 */
export function readRunManifest(dir: string): RunManifest {
  const file = runManifestPath(dir);
  const value = readJsonOrUndefined(file, "RUN_MANIFEST_INVALID");
  if (value === undefined) throw formatError("RUN_MANIFEST_INVALID", file, `does not exist (${dir} holds no run: a run's folder holds its manifest)`);
  assertRunManifest(value, file);
  return value;
}

/** The run manifest in `dir` when it holds a valid one of ours (`tool`); undefined otherwise (none, unreadable, not ours). */
export function findRunManifest(dir: string): (RunManifest & { tool: typeof MANIFEST_TOOL }) | undefined {
  try {
    const m = readRunManifest(dir);
    return m.tool === MANIFEST_TOOL ? (m as RunManifest & { tool: typeof MANIFEST_TOOL }) : undefined;
  } catch {
    return undefined;
  }
}

/** Why the run manifest in `dir` cannot be read, without the folder's path; undefined when it reads. */
export function runManifestProblem(dir: string): string | undefined {
  try {
    readRunManifest(dir);
    return undefined;
  } catch (error) {
    return `${RUN_MANIFEST_FILE} ${problemOf(error)}`;
  }
}

/** True when `dir` holds a run manifest file (valid or not). */
export function hasRunManifest(dir: string): boolean {
  return fs.existsSync(runManifestPath(dir));
}

/** A one-line description of the run in `dir` (for messages), or undefined when it holds none of ours. */
export function describeRun(dir: string): string | undefined {
  const m = findRunManifest(dir);
  return m && `netlist "${m.netlist?.name}", seed ${m.seed}, started ${m.startedAt}, ${m.status}`;
}

/**
 * Writes the run manifest into `dir` (`toJson`: two-space indented, bigints and non-finite numbers
 * as text). Throws what the file system throws: the run writer turns it into IO_ERROR.
 */
export function writeRunManifest(dir: string, manifest: RunManifest): void {
  fs.writeFileSync(runManifestPath(dir), toJson(manifest));
}
