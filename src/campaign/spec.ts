import { join as shellJoin } from "shlex";
import { TokenspiceError } from "../errors";
import { renamedOption } from "../renamed";
import { assertParamValue, escapeParamValue, formatParamAssignments, resolveParams, type ParamSpecs } from "../model/params";
import { assertSeed, assertSteps, assertStepTimeout, hardhatPrefix, randomSeed, type CommandDefaults, type NetworkFacts } from "../runner/run-spec";
import type { LoadedNetlist } from "../runner/netlists";
import { assertSample, parseSweep } from "./axes";
import { assertCampaignSize } from "./limits";
import type { CampaignSpec, ParamValue, SampleSpec, SweepAxis } from "./types";

/** What a user gives for a campaign (from code, typed; or from the command line, as text). */
export interface CampaignRequest {
  /** Replicates (runs, each with its own seed) per point (default 1). */
  replicates?: number;
  /** @deprecated the old name of `replicates` (still accepted; giving both is refused). */
  runs?: number;
  /** Typed values per param (`{ feeBps: [5, 30, 100] }`), or `--sweep` texts (`["feeBps=5,30,100"]`). */
  sweep?: Record<string, ParamValue[]> | string[];
  zip?: boolean;
  /** Common random numbers: replicate r gets the same seed at every point (`--common-seeds`). */
  commonSeeds?: boolean;
  sample?: { method: string; samples?: number; over?: string[] };
  /** The campaign seed (default: random, recorded in the campaign file). */
  seed?: number;
  params?: Record<string, unknown>;
  paramsFromText?: boolean;
  steps?: number;
  stepTimeoutMs?: number;
}

/**
 * Resolves a campaign request into its spec, checking everything before any run: unknown params,
 * values out of range, empty lists, zero replicates, sampling over params without ranges.
 *
 * @throws TokenspiceError PARAM_UNKNOWN, PARAM_INVALID, OPTION_INVALID (also for both `replicates` and
 *   its old name `runs`), SEED_INVALID, STEPS_INVALID;
 *   CAMPAIGN_TOO_LARGE for more runs than `MAX_CAMPAIGN_RUNS` (limits.ts)
 */
export function resolveCampaignSpec(loaded: LoadedNetlist, request: CampaignRequest, context: { file: string; network: NetworkFacts; defaultStepTimeoutMs: number | null }): CampaignSpec {
  const { name, netlist } = loaded;
  const specs = netlist.params as ParamSpecs;
  const given = renamedOption<number>("campaign", request, "replicates", "runs");
  const runs = given.value ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new TokenspiceError("OPTION_INVALID", `--${given.name} ${JSON.stringify(runs)} is not valid: use a positive integer (replicates per point).`, { [given.name]: runs });
  }
  const sweep: SweepAxis[] = Array.isArray(request.sweep)
    ? request.sweep.map((text) => parseSweep(name, specs, text))
    : Object.entries(request.sweep ?? {}).map(([param, values]) => typedAxis(name, specs, param, values));
  const sample: SampleSpec | null = request.sample ? assertSample(name, specs, request.sample.method, request.sample.samples, request.sample.over) : null;
  // Fixed params: only the ones given, typed (the plan fills the rest from the defaults).
  const fixed = request.params ?? {};
  const resolved = resolveParams(name, specs, fixed, request.paramsFromText);
  const params = Object.fromEntries(Object.keys(fixed).map((k) => [k, resolved[k] as ParamValue]));
  const spec: CampaignSpec = {
    netlist: { name, file: context.file },
    steps: request.steps === undefined ? netlist.time.steps : assertSteps(request.steps),
    params,
    runs,
    sweep,
    zip: request.zip === true,
    sample,
    ...(request.commonSeeds ? { commonSeeds: true as const } : {}),
    seed: request.seed === undefined ? randomSeed() : assertSeed(request.seed),
    stepTimeoutMs: request.stepTimeoutMs === undefined ? context.defaultStepTimeoutMs : assertStepTimeout(request.stepTimeoutMs),
    network: context.network,
  };
  assertCampaignSize(spec); // from the counts, before anything is enumerated
  return spec;
}

function typedAxis(netlist: string, specs: ParamSpecs, param: string, values: ParamValue[]): SweepAxis {
  if (!Object.hasOwn(specs, param)) {
    throw new TokenspiceError("PARAM_UNKNOWN", `sweep: unknown param "${param}" for netlist "${netlist}". Known params: ${Object.keys(specs).join(", ")}.`, { netlist, param });
  }
  if (!Array.isArray(values) || values.length === 0) throw new TokenspiceError("OPTION_INVALID", `sweep: "${param}" has no values`, { param });
  return { param, values: values.map((v) => assertParamValue(netlist, param, specs[param], v)) };
}

/**
 * The `npx hardhat sim` command that runs the whole campaign again (add --out), quoted for a POSIX
 * shell, from the project root: with `--config` and `--network` when the campaign's were not the
 * defaults (`hardhatPrefix`).
 */
export function campaignCommand(spec: CampaignSpec, defaults: CommandDefaults): string {
  const args = hardhatPrefix(spec.network, defaults);
  args.push("sim", spec.netlist.name, "--runs", String(spec.runs), "--campaign-seed", String(spec.seed), "--steps", String(spec.steps));
  if (Object.keys(spec.params).length > 0) args.push("--params", formatParamAssignments(spec.params));
  for (const axis of spec.sweep) args.push("--sweep", `${axis.param}=${axis.values.map(escapeParamValue).join(",")}`);
  if (spec.zip) args.push("--zip");
  if (spec.commonSeeds) args.push("--common-seeds");
  if (spec.sample) args.push("--sample", spec.sample.method, "--samples", String(spec.sample.samples), "--over", spec.sample.over.join(","));
  if (spec.stepTimeoutMs !== defaults.stepTimeoutMs) args.push("--step-timeout", String(spec.stepTimeoutMs ?? 0));
  return shellJoin(args);
}

/**
 * The command that resumes the campaign (or, with `shard`, the shard) in `dir`, quoted for a POSIX
 * shell: `npx hardhat [--config …] [--network …] sim --resume <dir> [--shard i/n]`, with the
 * config and network the campaign's spec records (a resume on others is refused: its spec hash
 * differs).
 */
export function campaignResumeCommand(
  spec: Pick<CampaignSpec, "network">,
  dir: string,
  shard?: { index: number; count: number } | null,
  defaults: Pick<CommandDefaults, "defaultNetwork"> = {},
): string {
  const args = [...hardhatPrefix(spec.network, defaults), "sim", "--resume", dir];
  if (shard) args.push("--shard", `${shard.index}/${shard.count}`);
  return shellJoin(args);
}
