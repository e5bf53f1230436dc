/** The error a failed property check throws, and loading fast-check (an optional peer). */
import type * as FastCheck from "fast-check";
import { TokenspiceError } from "../errors";
import { formatReport, stringifyKpis, type CheckFailure, type CheckReport } from "./report";

/**
 * Thrown by `tokenspice.check` when a run breaks the property or invariant. One report object:
 * `report` holds every fact (also under `details`, JSON-ready), and the message prints it.
 */
export class PropertyFailedError extends TokenspiceError {
  constructor(readonly report: CheckReport) {
    super("PROPERTY_FAILED", formatReport(report), { ...report, failure: { ...report.failure, kpis: stringifyKpis(report.failure.kpis) }, outDir: report.folder });
    this.name = "PropertyFailedError";
  }
  /** The netlist's name. */
  get netlist(): string {
    return this.report.netlist;
  }
  /** The shrunk params of the failing run. */
  get params(): Record<string, unknown> {
    return this.report.params;
  }
  /** The shrunk simulation seed of the failing run (`--seed` of `command`). */
  get simSeed(): number {
    return this.report.simSeed;
  }
  /** Ticks of the failing run (shrunk with `shrinkSteps`). */
  get steps(): number {
    return this.report.steps;
  }
  /** What failed: the property, the invariant (at which tick) or an error, with the KPIs then. */
  get failure(): CheckFailure {
    return this.report.failure;
  }
  /** Simulations the search ran before it found the failure. */
  get runs(): number {
    return this.report.runs;
  }
  /** Shrink steps fast-check took from the first failure to this one. */
  get shrinks(): number {
    return this.report.shrinks;
  }
  /** fast-check's seed and path: pass them as `replay` to the same check to repeat exactly this counterexample. */
  get replay(): { seed: number; path: string } {
    return this.report.replay;
  }
  /** The `npx hardhat sim ...` command that re-runs the failing simulation. */
  get command(): string {
    return this.report.command;
  }
  /** The failing run's folder (its manifest, KPI table and report). */
  get folder(): string {
    return this.report.folder;
  }
  /** True when the time limit (`timeLimitMs`) stopped the search; the failure was still shrunk in full. */
  get searchInterrupted(): boolean {
    return this.report.searchInterrupted;
  }
}

/**
 * fast-check, from the project's dependencies (a dev dependency of the user's project).
 * @throws TokenspiceError DEPENDENCY_MISSING when it is not installed
 */
export function loadFastCheck(): typeof FastCheck {
  try {
    return require("fast-check");
  } catch {
    throw new TokenspiceError("DEPENDENCY_MISSING", "tokenspice.check needs fast-check: run `npm install --save-dev fast-check`.", { dependency: "fast-check" });
  }
}
