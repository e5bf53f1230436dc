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
  get netlist(): string {
    return this.report.netlist;
  }
  get params(): Record<string, unknown> {
    return this.report.params;
  }
  get simSeed(): number {
    return this.report.simSeed;
  }
  get steps(): number {
    return this.report.steps;
  }
  get failure(): CheckFailure {
    return this.report.failure;
  }
  get runs(): number {
    return this.report.runs;
  }
  get shrinks(): number {
    return this.report.shrinks;
  }
  get replay(): { seed: number; path: string } {
    return this.report.replay;
  }
  get command(): string {
    return this.report.command;
  }
  get folder(): string {
    return this.report.folder;
  }
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
