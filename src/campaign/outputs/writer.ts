/**
 * What a campaign output is: a writer with optional hooks, called as the campaign's folder is read
 * (as vitest's reporters are: `onInit`, … `onFinished`, each optional). The driver
 * (`writeCampaignOutputs`, ./index.ts) reads the runs' files once, in a fixed order (points by key,
 * runs by replicate), computes each point's bands and final distributions once, and hands every
 * writer the same records:
 *
 *   begin(context) → run(record) for each run of a point → point(record) → … → end(counts)
 *
 * A writer writes its files into `context.scratch` (a folder inside the campaign's, moved into place
 * when every writer has ended, so a failure leaves the previous outputs as they were) and must
 * depend only on what it is given: never on the clock, the order files were listed in, or how
 * many workers ran (the campaign's outputs are byte-identical across worker counts and shards).
 *
 * Adding an output: one file in this folder exporting a `CampaignOutput`, one entry in
 * `CAMPAIGN_OUTPUT_WRITERS` (./index.ts), one test (see test/campaign-outputs.test.ts, "a writer
 * added to the registry").
 */
import type { KpiInfo } from "../../model/kpi";
import type { ParamSpecInfo } from "../../model/params";
import type { RunStatus, CampaignDocument } from "../folder";
import type { Distribution } from "../stats";
import type { Store, SqlType } from "../store";
import type { CampaignPoint, CampaignRun } from "../types";

/** Options every writer sees; each reads the ones that concern it. */
export interface CampaignOutputOptions {
  /** Write report.html and plots/ (default true); false removes a report written before. */
  report?: boolean;
  /** A PNG beside each plot's SVG (default true). */
  png?: boolean;
  /** Individual runs drawn thin on each fan chart (default 20). */
  maxRuns?: number;
  /** Points whose fan charts the report holds (default 12; more are chosen evenly in sweep order). */
  maxFanPoints?: number;
  /** Names the tool in the report's footer. */
  generator?: string;
  /**
   * The outputs to write, in order (default: every output of `CAMPAIGN_OUTPUT_WRITERS`, in its
   * order). For tests and tools that add an output of their own.
   */
  outputs?: readonly CampaignOutput[];
}

/** How many points and runs the campaign has, and how its runs ended. */
export interface CampaignCounts {
  points: number;
  runs: number;
  complete: number;
  failed: number;
  missing: number;
}

/** What the manifests say about the netlist, from the first run (in sorted order) that has a manifest. */
export interface NetlistFacts {
  description: string;
  /** Every KPI, in declared order (the KPI table's columns), described where a manifest says how. */
  kpis: KpiInfo[];
  paramSpecs: Record<string, ParamSpecInfo>;
  /** Seconds per tick and the first sample's block timestamp (seconds), when a manifest said. */
  time: { stepSeconds: number; start: number | null } | null;
}

/** Everything a writer knows before the first run: the campaign, its order, and the netlist's facts. */
export interface CampaignOutputContext {
  /** The campaign folder (absolute). */
  root: string;
  /** Where the writer writes its files (absolute; moved into `root` at the end). */
  scratch: string;
  campaign: CampaignDocument;
  options: CampaignOutputOptions;
  /** Points sorted by key (the order of every table). */
  points: CampaignPoint[];
  /** Points in sweep order (`sweepOrder`): the report's order. */
  inSweepOrder: CampaignPoint[];
  /** Each point's runs, by replicate. */
  runsByPoint: ReadonlyMap<string, CampaignRun[]>;
  /** Every run: points by key, then replicate. */
  ordered: CampaignRun[];
  /** Each run's status: the backend's outcome when given, else from its manifest. */
  statuses: ReadonlyMap<string, RunStatus>;
  facts: NetlistFacts;
  kpiNames: string[];
  /** Every param of the netlist, in the first point's order (then any other point's). */
  paramNames: string[];
  /** The params that vary across the campaign (`varyingParams`). */
  varying: string[];
  /** Each param's SQL type: from its spec, else from its values. */
  paramTypes: ReadonlyMap<string, SqlType>;
  /**
   * The campaign's DuckDB database (`campaign.duckdb` in the scratch folder), opened on first call
   * and closed by the driver after every writer's `end` (disposed after a failure). Writers that
   * share it say so with `requires`.
   */
  store(): Promise<Store>;
}

/** One run, as read from its folder. */
export interface RunRecord {
  run: CampaignRun;
  point: CampaignPoint;
  status: RunStatus;
  /** The sampled ticks and their block timestamps (seconds), one per KPI table row. */
  ticks: number[];
  times: number[];
  /** Values as doubles, KPI-major: `values[k * ticks.length + i]` is KPI k at sample i. */
  values: Float64Array;
  /** The exact digits of an integer cell (a bigint may not fit a double), else null; laid out as `values`. */
  exact: (string | null)[];
}

/** One point, after its runs: its counts, and distributions across its complete runs. */
export interface PointRecord {
  point: CampaignPoint;
  runs: CampaignRun[];
  counts: { complete: number; failed: number; missing: number };
  /** The complete runs' sampled ticks and timestamps (empty when none completed). */
  ticks: number[];
  times: number[];
  /** [kpi][sample]: the distribution across the complete runs (in replicate order). */
  bands: Distribution[][];
  /** Per KPI: the distribution of the complete runs' final values. */
  finals: Distribution[];
}

/**
 * One build's writer: hooks, each optional, called in this order: `begin`, then per point (by key)
 * `run` for each of its runs (by replicate) and `point`, then `end`. A hook may be async; the
 * driver awaits it before the next.
 */
export interface CampaignOutputWriter {
  begin?(context: CampaignOutputContext): void | Promise<void>;
  run?(record: RunRecord): void | Promise<void>;
  point?(record: PointRecord): void | Promise<void>;
  end?(counts: CampaignCounts): void | Promise<void>;
}

/** A campaign output, as the registry lists it: its name, its files, and a writer per build. */
export interface CampaignOutput {
  /** Its key in `CAMPAIGN_OUTPUT_WRITERS`, e.g. "runs-csv". */
  readonly name: string;
  /** The files it writes, relative to the campaign folder; a folder ends in "/" (e.g. "plots/"). */
  readonly files: readonly string[];
  /** Outputs whose work this one's needs (they come before it in the list), e.g. Parquet needs "database". */
  readonly requires?: readonly string[];
  /** Files of an earlier build to remove from the campaign folder before the new ones move in (e.g. a DuckDB WAL). */
  readonly stale?: readonly string[];
  /**
   * Removes this output's files of an earlier build from the campaign folder, before the new ones
   * move in (default: when the output is off, each of `files`, a folder with its contents).
   */
  remove?(root: string): void;
  /** False when the options turn this output off: it writes nothing, and its files of an earlier build are removed. */
  enabled?(options: CampaignOutputOptions): boolean;
  /** A fresh writer for one build (writers hold state between hooks; builds may overlap). */
  writer(): CampaignOutputWriter;
}
