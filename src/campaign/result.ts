import { TokenspiceError } from "../errors";
import { Series, type KpiValue } from "../model/series";
import { readOwnCampaignFile, type CampaignFile } from "../output/formats/campaign-file";
import { KPIS_CSV_FILE, kpiCellValue, kpisCsvPath, readKpisCsv } from "../output/formats/kpis-csv";
import { readRunResult } from "../output/formats/run-result";
import { runOutcomeOnDisk } from "./campaign";
import { runFolder } from "./folder";
import { quantileSorted, wilson } from "./stats";
import type { CampaignPoint, CampaignRun, CampaignSpec, ParamValue, RunOutcome } from "./types";

/** One run of a campaign as the result shows it: its plan, how it ended, and its KPI series (read from its files when asked). */
export class CampaignRunView {
  private series: Map<string, Series> | undefined;

  constructor(
    private readonly dir: string,
    readonly run: CampaignRun,
    readonly outcome: RunOutcome,
  ) {}

  get key(): string {
    return this.run.key;
  }
  get point(): string {
    return this.run.point;
  }
  get seed(): number {
    return this.run.seed;
  }
  get params(): Record<string, ParamValue> {
    return this.run.spec.params;
  }
  get status(): RunOutcome["status"] {
    return this.outcome.status;
  }
  /** The command that repeats this run alone. */
  get command(): string {
    return this.run.command;
  }

  /** The names of the run's KPIs, in its KPI table's order (none for a run without one). */
  kpiNames(): string[] {
    if (this.status !== "complete") return [];
    this.series ??= readSeries(runFolder(this.dir, this.run));
    return [...this.series.keys()];
  }

  /** One KPI's series, exact (bigints as bigints), from the run's KPI table. */
  kpi<T extends KpiValue = KpiValue>(name: string): Series<T> {
    this.series ??= readSeries(runFolder(this.dir, this.run));
    const s = this.series.get(name);
    if (!s) {
      throw new TokenspiceError("OPTION_INVALID", `Run ${this.key} has no KPI ${JSON.stringify(name)}. Its KPIs: ${[...this.series.keys()].join(", ")}.`, { kpi: name });
    }
    return s as Series<T>;
  }
}

/** One KPI across the complete runs of a point. */
export class CampaignKpi {
  constructor(
    readonly name: string,
    private readonly runs: readonly CampaignRunView[],
  ) {}

  /**
   * The q-quantile (0 ≤ q ≤ 1) across the runs at every tick, as a Series the chai assertions take:
   * `expect(c.kpi("treasury").band(0.05)).to.never.dropBelow(x)`. Quantiles are Hyndman & Fan's
   * type 7 (linear interpolation, R's and NumPy's default) of the values as floating point; NaN
   * samples are left out.
   */
  band(q: number): Series<number> {
    if (!(q >= 0 && q <= 1)) throw new TokenspiceError("OPTION_INVALID", `band(${q}): q is a quantile in [0, 1] (0.05 for p5)`, { q });
    const series = this.runs.map((r) => r.kpi(this.name));
    const ticks = series[0]?.ticks ?? [];
    const values = ticks.map((_, i) => {
      const xs = series
        .map((s) => Number(s.values[i]))
        .filter((v) => !Number.isNaN(v))
        .sort((a, b) => a - b);
      return xs.length === 0 ? NaN : quantileSorted(xs, q);
    });
    return new Series(`${this.name} p${Math.round(q * 1000) / 10}`, values, ticks);
  }

  /** Each complete run's final value, in run order (exact). */
  finals(): KpiValue[] {
    return this.runs.map((r) => r.kpi(this.name).final());
  }
}

/** What a campaign gives back: its plan, every run's outcome, and statistics across runs. */
export class CampaignResult {
  readonly spec: CampaignSpec;
  readonly points: readonly CampaignPoint[];
  readonly runs: readonly CampaignRunView[];
  /** Runs that failed: their error, seed and reproduce command. */
  readonly failures: readonly CampaignRunView[];

  constructor(
    /** The campaign's folder. */
    readonly dir: string,
    file: CampaignFile,
    outcomes: Map<string, RunOutcome>,
  ) {
    this.spec = file.spec;
    this.points = file.points;
    this.runs = file.runs.filter((r) => outcomes.has(r.key)).map((r) => new CampaignRunView(dir, r, outcomes.get(r.key)!));
    this.failures = this.runs.filter((r) => r.status === "failed");
  }

  /** Reads a finished campaign from its folder. */
  static read(dir: string): CampaignResult {
    const file = readOwnCampaignFile(dir);
    const outcomes = new Map<string, RunOutcome>();
    for (const run of file.runs) {
      const o = runOutcomeOnDisk(dir, run);
      if (o) outcomes.set(run.key, o);
    }
    return new CampaignResult(dir, file, outcomes);
  }

  /**
   * One KPI across the complete runs of a point: the only point, or the one whose key or varying
   * params are given (`kpi("fees", { feeBps: 30 })`).
   */
  kpi(name: string, point?: string | Record<string, ParamValue>): CampaignKpi {
    const chosen = this.point(point);
    return new CampaignKpi(
      name,
      this.runs.filter((r) => r.point === chosen.key && r.status === "complete"),
    );
  }

  /**
   * The share of complete runs for which `predicate` holds, with Wilson's score interval (Wilson
   * 1927) at `confidence` (default 0.95): { k, n, p, lo, hi }.
   */
  probability(predicate: (run: CampaignRunView) => boolean, confidence = 0.95): { k: number; n: number; p: number; lo: number; hi: number } {
    const complete = this.runs.filter((r) => r.status === "complete");
    const k = complete.filter((r) => predicate(r)).length;
    return { k, n: complete.length, ...wilson(k, complete.length, confidence) };
  }

  private point(selector: string | Record<string, ParamValue> | undefined): CampaignPoint {
    if (selector === undefined) {
      if (this.points.length === 1) return this.points[0];
      throw new TokenspiceError("OPTION_INVALID", `The campaign has ${this.points.length} points: name one, by key or by its params (kpi(name, { feeBps: 30 })).`, {
        points: this.points.map((p) => p.key),
      });
    }
    const found = typeof selector === "string" ? this.points.find((p) => p.key === selector) : this.points.find((p) => Object.entries(selector).every(([k, v]) => p.params[k] === v));
    if (!found) throw new TokenspiceError("OPTION_INVALID", `No point of the campaign matches ${JSON.stringify(selector)}.`, { point: selector });
    return found;
  }
}

/**
 * A run folder's KPI series from its KPI table, typed by its result (a bigint KPI's `final` is a
 * decimal string; a failed run has no result: numbers, unless the text is a big integer).
 * @throws TokenspiceError KPIS_CSV_INVALID (none, or not valid), RUN_RESULT_INVALID
 */
function readSeries(runDir: string): Map<string, Series> {
  const table = readKpisCsv(runDir);
  if (table === undefined) throw new TokenspiceError("KPIS_CSV_INVALID", `${kpisCsvPath(runDir)} does not exist: the run has no ${KPIS_CSV_FILE}.`, { file: kpisCsvPath(runDir) });
  const summary = readRunResult(runDir)?.kpis ?? {};
  const ticks = table.rows.map((r) => Number(r[0]));
  const out = new Map<string, Series>();
  table.kpis.forEach((name, i) => {
    const final = summary[name]?.final;
    const isBig = typeof final === "string" && /^-?\d+$/.test(final);
    out.set(
      name,
      new Series(
        name,
        table.rows.map((r) => kpiCellValue(r[i + 2], isBig)),
        ticks,
      ),
    );
  });
  return out;
}
