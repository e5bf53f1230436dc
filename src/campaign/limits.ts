import { TokenspiceError } from "../errors";
import type { CampaignSpec } from "./types";
import { CAMPAIGN_FILE } from "../output/formats/campaign-file";

/**
 * The most runs one campaign may have. Its plan (every run's spec and reproduce command) is held in
 * memory while it runs and written whole into the campaign file, which every shard, resume and merge
 * reads back: 100,000 runs of a three-param netlist plan in about 2 s (CPU) into an 84 MB
 * campaign file and about 300 MB of RSS. Beyond a few hundred thousand runs the file passes V8's
 * string limit (about 512 MB) and planning takes long enough to matter for Ctrl-C. Campaigns above
 * the limit are refused from their counts, before anything is enumerated or written.
 */
export const MAX_CAMPAIGN_RUNS = 100_000;

/** The most bytes the campaign file may take (estimated from one run before the rest are planned): netlists with many params make bigger runs. */
export const MAX_CAMPAIGN_JSON_BYTES = 128 * 2 ** 20;

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "more than 2^53");

/**
 * How many runs a campaign spec asks for, from its counts alone (nothing enumerated): points
 * (the sweep's grid, or its zipped length; times the sample's points) times replicates. Points a
 * sample draws twice run once, so the plan can have fewer; never more. A float: a grid can pass
 * 2^53.
 */
export function campaignRunCount(spec: Pick<CampaignSpec, "runs" | "sweep" | "zip" | "sample">): { runs: number; points: number; shape: string } {
  const lengths = spec.sweep.map((a) => a.values.length);
  const combos = spec.sweep.length === 0 ? 1 : spec.zip ? Math.max(...lengths) : lengths.reduce((a, b) => a * b, 1);
  const draws = spec.sample ? spec.sample.samples : 1;
  const points = combos * draws;
  const factors = [...(spec.zip ? (spec.sweep.length ? [`${fmt(combos)} zipped`] : []) : lengths.map(fmt)), ...(spec.sample ? [`${fmt(draws)} samples`] : [])];
  const shape = `${factors.length ? `${factors.join(" × ")} points` : "1 point"} × ${fmt(spec.runs)} replicate${spec.runs === 1 ? "" : "s"}`;
  return { runs: points * spec.runs, points, shape };
}

/**
 * The error for a campaign above the limits: what it asked for, the limit and why, and how to do
 * the study within it.
 */
export function campaignTooLarge(netlist: string, what: string, details: Record<string, unknown> = {}): TokenspiceError {
  return new TokenspiceError(
    "CAMPAIGN_TOO_LARGE",
    `Campaign of "${netlist}": ${what}. A campaign holds at most ${fmt(MAX_CAMPAIGN_RUNS)} runs and a ${MAX_CAMPAIGN_JSON_BYTES / 2 ** 20} MB ${CAMPAIGN_FILE} ` +
      `(its plan, every run's spec and command, is kept in memory and written to ${CAMPAIGN_FILE}, which shards, resumes and merges read back). ` +
      `Nothing was written. Split the study into campaigns within the limit, e.g. one per value (or range) of a --sweep axis, each with its own --out and the same --campaign-seed ` +
      `(a run's seed depends only on the campaign seed, its point and its replicate, so they are the runs of the one campaign), or use fewer replicates or points.`,
    { netlist, maxRuns: MAX_CAMPAIGN_RUNS, maxJsonBytes: MAX_CAMPAIGN_JSON_BYTES, ...details },
  );
}

/**
 * Refuses a campaign spec whose run count (`campaignRunCount`) passes `MAX_CAMPAIGN_RUNS`.
 * @throws TokenspiceError CAMPAIGN_TOO_LARGE
 */
export function assertCampaignSize(spec: Pick<CampaignSpec, "runs" | "sweep" | "zip" | "sample" | "netlist">): void {
  const { runs, shape } = campaignRunCount(spec);
  if (runs > MAX_CAMPAIGN_RUNS) throw campaignTooLarge(spec.netlist.name, `${fmt(runs)} runs (${shape}) is more than ${fmt(MAX_CAMPAIGN_RUNS)}`, { runs });
}

/**
 * Refuses, before any run, a design-loop search (verify, worst case, corners, optimize) asked for
 * more runs than `MAX_CAMPAIGN_RUNS`: its folder lists every run it made (the search runs' file, with
 * each run spec) as a campaign's does, and verify draws its points up front.
 *
 * @param counts the run counts the options give, by option name (maxRuns, budget, seedsPerCorner…); others are left to the search's own checks
 * @throws TokenspiceError CAMPAIGN_TOO_LARGE naming the option
 */
export function assertSearchSize(kind: string, counts: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(counts)) {
    if (typeof value === "number" && value > MAX_CAMPAIGN_RUNS) {
      throw new TokenspiceError(
        "CAMPAIGN_TOO_LARGE",
        `${kind}: ${name} (--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}) ${fmt(value)} asks for more runs than a search holds (at most ${fmt(MAX_CAMPAIGN_RUNS)}: its folder lists every run with its spec, as a campaign's does). ` +
          `Nothing was written. Use at most ${fmt(MAX_CAMPAIGN_RUNS)}; a search that needs more is several, each with its own --out.`,
        { kind, option: name, value, maxRuns: MAX_CAMPAIGN_RUNS },
      );
    }
  }
}
