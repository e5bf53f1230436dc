import fs from "fs";
import path from "path";
import { TokenspiceError } from "../errors";
import { SEARCH_RUNS_FILE, writeSearchRuns } from "../output/formats/search-runs";
import type { ParamSpecs } from "../model/params";
import { runOutcomeOnDisk } from "../campaign/campaign";
import { pointKey, runSeed } from "../campaign/plan";
import { CampaignRunView } from "../campaign/result";
import type { BackendEvents, CampaignBackend, CampaignRun, ParamValue, RunJob, RunOutcome } from "../campaign/types";
import { reproduceCommand, type CommandDefaults, type RunSpec } from "../runner/run-spec";
import { assertParamValue } from "../model/params";

/**
 * Runs the simulations a search asks for, in batches, through a campaign backend (this process or
 * worker processes), into one folder laid out as a campaign's (`runs/<point>/r<k>/`). A run's seed
 * is derived from (search seed, point params, replicate) as in a campaign (or from what the search
 * names in place of the params: optimize's corner, for common random numbers), so a search is
 * deterministic for its seed whatever the worker count; a run whose folder already holds its end
 * (complete or failed) is read back instead of run again, so an interrupted search resumes by
 * running again with the same seed into the same folder. The folder is made when the first runs
 * start, so a search refused for its options (checked before any run) leaves nothing behind.
 */
export class Evaluator {
  /** Every run asked for, in the order asked: the search runs' file lists them. */
  readonly runs: CampaignRun[] = [];
  private readonly known = new Map<string, CampaignRun>();
  private readonly views = new Map<string, CampaignRunView>();

  constructor(
    readonly dir: string,
    private readonly specs: ParamSpecs,
    private readonly base: { netlist: string; params: Record<string, ParamValue>; seed: number },
    private readonly toRunSpec: (params: Record<string, ParamValue>, seed: number) => RunSpec,
    private readonly backend: CampaignBackend,
    private readonly commandDefaults: CommandDefaults,
    private readonly events: BackendEvents = {},
  ) {}

  /** Every param at a point: the varied ones given, the fixed ones, then the defaults; checked against the specs. */
  pointParams(varying: Record<string, ParamValue>): Record<string, ParamValue> {
    const params: Record<string, ParamValue> = {};
    for (const [name, spec] of Object.entries(this.specs)) {
      const v = Object.hasOwn(varying, name) ? varying[name] : Object.hasOwn(this.base.params, name) ? this.base.params[name] : spec.default;
      params[name] = assertParamValue(this.base.netlist, name, spec, v);
    }
    return params;
  }

  /**
   * Runs `replicates` seeds at each point (skipping runs already ended in the folder) and resolves
   * with the runs' views, grouped by point in the order given. `seedFrom[i]`, when given, is what
   * point i's seeds derive from instead of its params: points that share it share their seeds
   * (common random numbers).
   */
  async evaluate(points: Record<string, ParamValue>[], replicates: number, seedFrom?: Record<string, ParamValue>[]): Promise<CampaignRunView[][]> {
    return this.evaluateRuns(points.map((point, i) => Array.from({ length: replicates }, (_, replicate) => ({ point, replicate, seedFrom: seedFrom?.[i] }))));
  }

  /** Runs the given (point, replicate) pairs, grouped as given (Monte Carlo gives each draw its own replicate index). */
  async evaluateRuns(pairs: { point: Record<string, ParamValue>; replicate: number; seedFrom?: Record<string, ParamValue> }[][]): Promise<CampaignRunView[][]> {
    const groups: CampaignRun[][] = pairs.map((group) =>
      group.map(({ point, replicate, seedFrom }) => {
        const params = this.pointParams(point);
        return this.runFor(pointKey(params), params, replicate, seedFrom);
      }),
    );
    fs.mkdirSync(this.dir, { recursive: true });
    const jobs: RunJob[] = [];
    const queued = new Set<string>();
    for (const run of groups.flat()) {
      if (this.views.has(run.key) || queued.has(run.key)) continue;
      queued.add(run.key);
      if (runOutcomeOnDisk(this.dir, run) !== undefined) continue;
      jobs.push({ key: run.key, spec: run.spec, out: path.join(this.dir, run.dir) });
    }
    const reported = new Map((await this.backend.run(jobs, this.events)).map((o) => [o.key, o]));
    this.save();
    return groups.map((runs) =>
      runs.map((run) => {
        let view = this.views.get(run.key);
        if (!view) {
          const outcome: RunOutcome = runOutcomeOnDisk(this.dir, run) ??
            reported.get(run.key) ?? { key: run.key, status: "failed", error: { code: "WORKER_DIED", message: "the run ended without a result" }, attempts: 1 };
          view = new CampaignRunView(this.dir, run, outcome);
          this.views.set(run.key, view);
        }
        return view;
      }),
    );
  }

  private runFor(point: string, params: Record<string, ParamValue>, replicate: number, seedFrom?: Record<string, ParamValue>): CampaignRun {
    const key = `${point}/r${replicate}`;
    const existing = this.known.get(key);
    if (existing) return existing;
    const seed = runSeed(this.base.seed, seedFrom ?? params, replicate);
    const spec = this.toRunSpec(params, seed);
    const run: CampaignRun = { key, point, replicate, seed, spec, command: reproduceCommand(spec, this.commandDefaults), dir: `runs/${point}/r${replicate}` };
    this.known.set(key, run);
    this.runs.push(run);
    return run;
  }

  /** Writes the list of runs so far (the search runs' file, each with its run spec): a search's folder says what it ran. */
  private save(): void {
    try {
      writeSearchRuns(this.dir, this.runs);
    } catch (error) {
      throw new TokenspiceError("IO_ERROR", `Writing ${SEARCH_RUNS_FILE} in ${this.dir} failed`, { outDir: this.dir }, error);
    }
  }
}
