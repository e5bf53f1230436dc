import { randomInt } from "crypto";
import path from "path";
import { join as shellJoin } from "shlex";
import { TokenspiceError } from "../errors";
import type { NetworkFacts, RunSpec } from "../output/formats/run-manifest";
import { formatParamAssignments, resolveParams } from "../model/params";
import { INLINE, type LoadedNetlist } from "./netlists";
export { INLINE } from "./netlists";

export type { NetworkFacts, RunSpec } from "../output/formats/run-manifest";

/** The Hardhat config files Hardhat 2 finds by itself in the project root (no `--config`). */
export const DEFAULT_CONFIG_FILES = ["hardhat.config.ts", "hardhat.config.cts", "hardhat.config.js", "hardhat.config.cjs"];

/**
 * The `--config` value that names `configFile` from the project root (a path relative to `root`,
 * `/`-separated), or undefined when it is the default config there (`DEFAULT_CONFIG_FILES`), which
 * Hardhat finds without the flag. Hardhat 2 gives both as `config.paths.root` and
 * `config.paths.configFile`.
 */
export function configFlag(root: string, configFile: string | undefined): string | undefined {
  if (configFile === undefined || configFile === "") return undefined;
  const rel = path.relative(root, path.resolve(root, configFile)).split(path.sep).join("/");
  return DEFAULT_CONFIG_FILES.includes(rel) ? undefined : rel;
}

/**
 * What a printed command leaves out because the project's config gives it: the default step
 * timeout, and the network Hardhat uses without `--network` (config `defaultNetwork`, "hardhat"
 * unless set). A `RunEnvironment` is one.
 */
export interface CommandDefaults {
  stepTimeoutMs: number | null;
  /** The network Hardhat runs on without `--network`: config `defaultNetwork` on Hardhat 2 (default "hardhat"); always "default" on Hardhat 3. */
  defaultNetwork?: string;
  /** The flags that rerun a forked run from its bundle, offline (`OpenFork.reproduceArgs`): added after the run's own. */
  fork?: string[];
}

/**
 * What every command printed for a run in an environment needs beyond its spec: the default step
 * timeout and network, and a fork's flags (RunEnvironment's fields of the same names).
 */
export function commandDefaultsOf(env: { stepTimeoutMs: number | null; defaultNetwork?: string; fork?: { reproduceArgs?(): string[] } }): CommandDefaults {
  const fork = env.fork?.reproduceArgs?.();
  return { stepTimeoutMs: env.stepTimeoutMs, defaultNetwork: env.defaultNetwork, ...(fork ? { fork } : {}) };
}

/**
 * `npx hardhat` and the global flags that select what a run runs on: `--config` for a config that
 * is not the default one, `--network` for a network other than the one Hardhat picks without it.
 * Every command the plugin prints (reproduce, campaign, resume, merge advice) starts with these.
 */
export function hardhatPrefix(network: Pick<NetworkFacts, "name" | "config">, defaults: Pick<CommandDefaults, "defaultNetwork"> = {}): string[] {
  const args = ["npx", "hardhat"];
  if (network.config !== undefined) args.push("--config", network.config);
  // Without --network: the in-process network ("hardhat" on Hardhat 2, "default" on Hardhat 3), when
  // it is the one Hardhat runs on by itself.
  const inProcess = network.name === "hardhat" || network.name === "default";
  if (!inProcess || (defaults.defaultNetwork ?? "hardhat") !== network.name) args.push("--network", network.name);
  return args;
}

/** What a user gives for a run; everything optional. */
export interface RunRequest {
  seed?: number;
  steps?: number;
  /** Param overrides: typed values from code, or strings from the command line with `paramsFromText`. */
  params?: Record<string, unknown>;
  paramsFromText?: boolean;
  /** Step timeout in ms (0 or Infinity: none); default from config. */
  stepTimeoutMs?: number;
}

export const MAX_SEED = 2 ** 32 - 1;
/** The default step timeout: generous for deploying a whole protocol in setup, short enough for CI. */
export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

/** @throws TokenspiceError SEED_INVALID */
export function assertSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new TokenspiceError("SEED_INVALID", `Seed ${JSON.stringify(seed)} is not valid: use an integer in [0, ${MAX_SEED}].`, { seed: String(seed) });
  }
  return seed;
}

/** @throws TokenspiceError STEPS_INVALID */
export function assertSteps(steps: unknown): number {
  if (typeof steps !== "number" || !Number.isSafeInteger(steps) || steps < 1) {
    throw new TokenspiceError("STEPS_INVALID", `Steps ${JSON.stringify(steps)} is not valid: use a positive integer.`, { steps: String(steps) });
  }
  return steps;
}

/** A step timeout in ms: a positive integer; 0 or Infinity turns it off (null). @throws OPTION_INVALID */
export function assertStepTimeout(ms: unknown): number | null {
  if (ms === 0 || ms === Infinity) return null;
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms < 1) {
    throw new TokenspiceError("OPTION_INVALID", `Step timeout ${JSON.stringify(ms)} is not valid: use a positive number of milliseconds, or 0 for none.`, { stepTimeoutMs: String(ms) });
  }
  return ms;
}

/** A seed for a run that was given none; printed and recorded, so the run can be repeated. */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}

/**
 * Resolves what the user gave into a run spec: params against the netlist's specs, the seed
 * (random when omitted), steps (the netlist's by default) and the step timeout.
 *
 * @param root the project root: the spec holds the netlist's file relative to it
 * @throws TokenspiceError PARAM_UNKNOWN, PARAM_INVALID, SEED_INVALID, STEPS_INVALID, OPTION_INVALID
 */
export function resolveRunSpec(loaded: LoadedNetlist, request: RunRequest, context: { root: string; network: NetworkFacts; defaultStepTimeoutMs: number | null }): RunSpec {
  const { name, netlist } = loaded;
  const params = resolveParams(name, netlist.params, request.params, request.paramsFromText) as RunSpec["params"];
  const seed = request.seed === undefined ? randomSeed() : assertSeed(request.seed);
  const steps = request.steps === undefined ? netlist.time.steps : assertSteps(request.steps);
  const stepTimeoutMs = request.stepTimeoutMs === undefined ? context.defaultStepTimeoutMs : assertStepTimeout(request.stepTimeoutMs);
  const file = loaded.file === INLINE ? INLINE : path.relative(context.root, loaded.file).split(path.sep).join("/");
  return { netlist: { name, file }, params, seed, steps, stepTimeoutMs, network: { ...context.network } };
}

/**
 * The command that reproduces a run, quoted for a POSIX shell (bash, zsh, sh), to run from the
 * project root: `npx hardhat [--config …] [--network …] sim` for a netlist in the sims folder; for a netlist passed as an object (tests), the
 * `tokenspice.run` call that repeats it.
 */
export function reproduceCommand(spec: RunSpec, defaults: CommandDefaults = { stepTimeoutMs: DEFAULT_STEP_TIMEOUT_MS }): string {
  if (spec.netlist.file === INLINE) {
    const options = { seed: spec.seed, steps: spec.steps, params: spec.params };
    return `hre.tokenspice.run(<the netlist object>, ${JSON.stringify(options)})`;
  }
  const args = hardhatPrefix(spec.network, defaults);
  args.push("sim", spec.netlist.name, "--seed", String(spec.seed), "--steps", String(spec.steps));
  if (Object.keys(spec.params).length > 0) args.push("--params", formatParamAssignments(spec.params));
  if (spec.stepTimeoutMs !== defaults.stepTimeoutMs) args.push("--step-timeout", String(spec.stepTimeoutMs ?? 0));
  if (defaults.fork) args.push(...defaults.fork);
  return shellJoin(args);
}
