import { TokenspiceError } from "../errors";
import type { SimulationOutcome } from "../engine/engine";
import type { RunSpec } from "./run-spec";
import type { RevertRecord } from "../engine/reverts";
import { Series, type KpiValue } from "../model/series";

export type { KpiSummary } from "../output/formats/run-result";
import type { KpiSummary } from "../output/formats/run-result";

/** What a run gives back: KPI series, the seed and params that made them, reverts and gas. */
export class SimResult {
  readonly kpiNames: readonly string[];
  readonly ticks: number;
  readonly reverts: readonly RevertRecord[];
  /** Gas used by each agent's transactions (setup's under "setup"). */
  readonly gasUsed: Readonly<Record<string, bigint>>;
  /** Transactions sent by each agent, reverted ones included. */
  readonly transactions: Readonly<Record<string, number>>;
  private readonly series = new Map<string, Series>();

  readonly netlist: string;
  readonly seed: number;
  readonly steps: number;
  readonly params: Readonly<Record<string, unknown>>;

  constructor(
    /** Everything that decided this run (netlist, params, seed, steps, network). */
    readonly spec: RunSpec,
    /** The command that reproduces the run (shell-quoted). */
    readonly command: string,
    outcome: SimulationOutcome,
    /** Folder the run's files were written to, when it wrote any. */
    readonly outDir?: string,
  ) {
    this.netlist = spec.netlist.name;
    this.seed = spec.seed;
    this.steps = spec.steps;
    this.params = spec.params;
    this.kpiNames = outcome.kpiNames;
    this.ticks = outcome.ticks;
    this.reverts = outcome.reverts;
    this.gasUsed = outcome.gasUsed;
    this.transactions = outcome.transactions;
    const ticks = outcome.samples.map((s) => s.tick);
    for (const name of outcome.kpiNames) {
      this.series.set(
        name,
        new Series(
          name,
          outcome.samples.map((s) => s.values[name]),
          ticks,
        ),
      );
    }
  }

  /**
   * The series of KPI `name` (give `T` for its type: `kpi<bigint>("supply")`).
   *
   * @throws TokenspiceError OPTION_INVALID when the netlist has no such KPI (the message lists its KPIs)
   */
  kpi<T extends KpiValue = KpiValue>(name: string): Series<T> {
    const s = this.series.get(name);
    if (!s) {
      throw new TokenspiceError("OPTION_INVALID", `Netlist "${this.netlist}" has no KPI ${JSON.stringify(name)}. Its KPIs: ${this.kpiNames.join(", ")}.`, {
        netlist: this.netlist,
        kpi: name,
      });
    }
    return s as Series<T>;
  }

  /** Every KPI's final, min, max, mean and std, by name, in declared order. */
  summary(): Record<string, KpiSummary> {
    const out: Record<string, KpiSummary> = {};
    for (const name of this.kpiNames) {
      const s = this.kpi(name);
      out[name] = { final: s.final(), min: s.min(), max: s.max(), mean: s.mean(), std: s.std() };
    }
    return out;
  }

  /**
   * The run's result file: everything here is a function of netlist, params and seed (no timings). KPI
   * statistics that are bigints, NaN or ±Infinity are written as strings by `toJson`.
   */
  toJSON(): Record<string, unknown> {
    const revertsByAgent: Record<string, number> = {};
    for (const r of this.reverts) revertsByAgent[r.agent] = (revertsByAgent[r.agent] ?? 0) + 1;
    return {
      netlist: this.netlist,
      seed: this.seed,
      steps: this.steps,
      ticks: this.ticks,
      params: this.params,
      kpis: this.summary(),
      reverts: this.reverts.length,
      revertsByAgent,
      transactions: this.transactions,
      gasUsed: this.gasUsed,
    };
  }
}
