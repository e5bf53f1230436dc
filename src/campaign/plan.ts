import { createHash } from "crypto";
import { SobolSequenceGenerator } from "sobol";
import { TokenspiceError } from "../errors";
import { assertParamValue, type ParamSpecs } from "../model/params";
import { createRng } from "../model/rng";
import { reproduceCommand, type CommandDefaults, type RunSpec } from "../runner/run-spec";
import { assertNoRepeats, fromUnit } from "./axes";
import { MAX_CAMPAIGN_JSON_BYTES, campaignTooLarge, assertCampaignSize } from "./limits";
import type { CampaignPoint, CampaignRun, CampaignSpec, ParamValue } from "./types";
import { CAMPAIGN_FILE } from "../output/formats/campaign-file";

/** The plan of a campaign: its points and runs, in a fixed order. */
export interface CampaignPlan {
  points: CampaignPoint[];
  runs: CampaignRun[];
  /** Hash of the spec: shards and resumed campaigns must share it. */
  specHash: string;
}

/**
 * JSON with object keys sorted at every level: the text a hash is taken of, so that the order in
 * which params were declared or given never changes a key or a seed.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** A point's key: "p-" and the first 12 hex digits of SHA-256 of its params' canonical JSON. */
export function pointKey(params: Record<string, ParamValue>): string {
  return "p-" + sha256(canonicalJson(params)).toString("hex").slice(0, 12);
}

/**
 * A run's seed: the first four bytes, big-endian, of SHA-256 of
 * `hardhat-tokenspice/run-seed/v1 <campaign seed> <canonical JSON of the point's params> <replicate>`
 * (joined by newlines), as an unsigned 32-bit integer. It depends on nothing else: not on the
 * worker count, the order of runs, the shard, nor on which other points the campaign has.
 */
export function runSeed(campaignSeed: number, params: Record<string, ParamValue>, replicate: number): number {
  return sha256(`hardhat-tokenspice/run-seed/v1\n${campaignSeed}\n${canonicalJson(params)}\n${replicate}`).readUInt32BE(0);
}

/** Unit-cube points in [0, 1)^dims: "random" (uniform), "lhs" (Latin hypercube) or "sobol". */
export function unitSamples(method: "random" | "lhs" | "sobol", count: number, dims: number, seed: number): number[][] {
  const rng = createRng(`hardhat-tokenspice/campaign/${seed}/sample/${method}`);
  switch (method) {
    case "random":
      return Array.from({ length: count }, () => Array.from({ length: dims }, () => rng()));
    case "lhs": {
      // McKay, Beckman & Conover (1979): each dimension's range split into `count` equal strata,
      // one point per stratum, strata paired across dimensions by independent random permutations.
      const columns = Array.from({ length: dims }, () => rng.shuffle(Array.from({ length: count }, (_, i) => i)));
      return Array.from({ length: count }, (_, i) => columns.map((perm) => (perm[i] + rng()) / count));
    }
    case "sobol": {
      // Sobol's sequence with Joe & Kuo's direction numbers, unscrambled (the `seed` does not change
      // it), from its first point (the origin), as SciPy's `qmc.Sobol(scramble=False)` does: its
      // balance holds for counts that are powers of two.
      const generator = new SobolSequenceGenerator(dims);
      return Array.from({ length: count }, () => generator.nextVector());
    }
  }
}

/**
 * Points and runs of a campaign, in a fixed order: the sweep's grid (the first axis varying
 * slowest) or, with `zip`, its axes paired element by element; crossed with the sample's points
 * when there is a sample; each point `runs` times with replicates 0..runs-1.
 *
 * @param specs the netlist's params (defaults fill every param not swept, sampled or given)
 * @param toRunSpec the run spec of one run (the adapter's resolver: params typed and checked)
 * @throws TokenspiceError OPTION_INVALID for axes that cannot be combined; CAMPAIGN_TOO_LARGE
 *   (limits.ts) for more runs than a campaign holds (from the counts, before enumerating) or a
 *   campaign file that would pass its size (estimated from the first run)
 */
export function planCampaign(spec: CampaignSpec, specs: ParamSpecs, toRunSpec: (params: Record<string, ParamValue>, seed: number) => RunSpec, commandDefaults: CommandDefaults): CampaignPlan {
  const bad = (why: string) => new TokenspiceError("OPTION_INVALID", `Campaign of "${spec.netlist.name}": ${why}`, { netlist: spec.netlist.name });
  const swept = spec.sweep.map((a) => a.param);
  const sampled = spec.sample?.over ?? [];
  for (const p of [...swept, ...sampled]) {
    if (Object.hasOwn(spec.params, p)) throw bad(`param "${p}" is both fixed (--params) and varied (--sweep or --sample); give it one way`);
  }
  const twice = [...swept, ...sampled].find((p, i, all) => all.indexOf(p) !== i);
  if (twice !== undefined) throw bad(`param "${twice}" is varied twice (two --sweep, or --sweep and --sample)`);
  if (!Number.isSafeInteger(spec.runs) || spec.runs < 1) throw bad(`runs must be a positive integer, got ${spec.runs}`);
  assertCampaignSize(spec); // from the counts: nothing below is enumerated for a campaign too large

  // The sweep's combinations.
  let combos: Record<string, ParamValue>[] = [{}];
  if (spec.zip && spec.sweep.length > 0) {
    const n = spec.sweep[0].values.length;
    const uneven = spec.sweep.find((a) => a.values.length !== n);
    if (uneven) throw bad(`--zip pairs the sweeps value by value, but "${spec.sweep[0].param}" has ${n} values and "${uneven.param}" ${uneven.values.length}`);
    assertNoRepeats(spec.sweep, true);
    combos = Array.from({ length: n }, (_, i) => Object.fromEntries(spec.sweep.map((a) => [a.param, a.values[i]])));
  } else {
    assertNoRepeats(spec.sweep, false);
    for (const axis of spec.sweep) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.param]: v })));
  }
  // The sample's points.
  let draws: Record<string, ParamValue>[] = [{}];
  if (spec.sample) {
    const over = spec.sample.over;
    const units = unitSamples(spec.sample.method, spec.sample.samples, over.length, spec.seed);
    draws = units.map((u) => Object.fromEntries(over.map((p, d) => [p, fromUnit(specs[p], u[d])])));
  }

  const points: CampaignPoint[] = [];
  const seenPoints = new Set<string>();
  for (const combo of combos) {
    for (const draw of draws) {
      const varying = { ...combo, ...draw };
      const params: Record<string, ParamValue> = {};
      for (const [name, s] of Object.entries(specs)) {
        const value = Object.hasOwn(varying, name) ? varying[name] : Object.hasOwn(spec.params, name) ? spec.params[name] : s.default;
        params[name] = assertParamValue(spec.netlist.name, name, s, value);
      }
      const key = pointKey(params);
      if (seenPoints.has(key)) continue; // a sample that lands on a point already planned (ints, choices) runs once
      seenPoints.add(key);
      points.push({ key, varying, params });
    }
  }

  const runs: CampaignRun[] = [];
  const total = points.length * spec.runs;
  for (const point of points) {
    for (let replicate = 0; replicate < spec.runs; replicate++) {
      // With common random numbers every point's replicate r shares one seed.
      const seed = runSeed(spec.seed, spec.commonSeeds ? {} : point.params, replicate);
      const runSpec = toRunSpec(point.params, seed);
      runs.push({
        key: `${point.key}/r${replicate}`,
        point: point.key,
        replicate,
        seed,
        spec: runSpec,
        command: reproduceCommand(runSpec, commandDefaults),
        dir: `runs/${point.key}/r${replicate}`,
      });
      if (runs.length === 1) {
        // the campaign file's size, from the first run: many params make every run bigger.
        const bytes = Buffer.byteLength(JSON.stringify(runs[0])) * total + Buffer.byteLength(JSON.stringify(points[0])) * points.length;
        if (bytes > MAX_CAMPAIGN_JSON_BYTES) {
          throw campaignTooLarge(
            spec.netlist.name,
            `its ${CAMPAIGN_FILE} would take about ${Math.round(bytes / 2 ** 20)} MB (${total.toLocaleString("en-US")} runs of about ${Buffer.byteLength(JSON.stringify(runs[0])).toLocaleString("en-US")} bytes each)`,
            { runs: total, bytes },
          );
        }
      }
    }
  }
  return { points, runs, specHash: sha256(canonicalJson(spec)).toString("hex") };
}

/**
 * The runs of shard `index` of `count` (1-based): runs sorted by the SHA-256 of their keys, then
 * cut into `count` contiguous slices of (nearly) equal size, as test runners shard test files. A
 * run's shard depends only on its key and the count.
 *
 * @throws TokenspiceError OPTION_INVALID for an index outside 1..count
 */
export function shardRuns(runs: CampaignRun[], index: number, count: number): CampaignRun[] {
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index) || index < 1 || index > count) {
    throw new TokenspiceError("OPTION_INVALID", `Shard ${index}/${count} is not valid: use i/n with 1 <= i <= n.`, { index, count });
  }
  const byHash = runs
    .map((run) => ({ run, hash: sha256(run.key).toString("hex") }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .map((x) => x.run);
  const from = Math.floor(((index - 1) * byHash.length) / count);
  const to = Math.floor((index * byHash.length) / count);
  const chosen = new Set(byHash.slice(from, to).map((r) => r.key));
  return runs.filter((r) => chosen.has(r.key)); // in plan order
}
