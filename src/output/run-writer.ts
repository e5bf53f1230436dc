import fs from "fs";
import path from "path";
import { stringify } from "csv-stringify/sync";
import { TokenspiceError } from "../errors";
import type { KpiSample, SimulationObserver } from "../engine/engine";
import type { RevertRecord } from "../engine/reverts";
import type { KpiValue } from "../model/series";

export const RUN_FILES = {
  kpis: "kpis.csv",
  reverts: "reverts.csv",
  result: "result.json",
  manifest: "manifest.json",
} as const;

const REVERT_COLUMNS = ["tick", "agent", "from", "to", "call", "reason", "data", "txHash", "gasUsed"] as const;

/** JSON with bigints as decimal strings (exact), two-space indented, newline-terminated. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n";
}

function cell(value: KpiValue | string | number | null): string {
  if (value === null) return "";
  return typeof value === "bigint" ? value.toString() : String(value);
}

/** Whether `dir` already holds a run's files, and which run (for the error message). */
export function existingRun(dir: string): string | undefined {
  const present = Object.values(RUN_FILES).filter((f) => fs.existsSync(path.join(dir, f)));
  if (present.length === 0) return undefined;
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILES.manifest), "utf8"));
    return `netlist "${m.netlist?.name}", seed ${m.seed}, started ${m.startedAt}, ${m.status}`;
  } catch {
    return `files ${present.join(", ")}`;
  }
}

/**
 * Writes a run's files as it goes: the manifest first (status "running"), a CSV row per KPI sample
 * and per revert appended synchronously, so a crash keeps everything done until then.
 */
export class RunWriter implements SimulationObserver {
  private manifest: Record<string, unknown>;

  private constructor(
    readonly dir: string,
    manifest: Record<string, unknown>,
  ) {
    this.manifest = manifest;
  }

  /** Refuses a folder holding another run unless `force`, in which case only the run's files are replaced. */
  static open(dir: string, opts: { force: boolean; kpiNames: string[]; manifest: Record<string, unknown> }): RunWriter {
    const held = existingRun(dir);
    if (held !== undefined && !opts.force) {
      throw new TokenspiceError(
        `Output folder ${dir} already holds a run (${held}). Nothing was written. ` +
          `Pass --force (or force: true) to overwrite it, or choose another --out.`,
      );
    }
    fs.mkdirSync(dir, { recursive: true });
    for (const f of Object.values(RUN_FILES)) fs.rmSync(path.join(dir, f), { force: true });
    const writer = new RunWriter(dir, { ...opts.manifest, status: "running" });
    writer.writeManifest();
    fs.writeFileSync(writer.file("kpis"), stringify([["tick", "timestamp", ...opts.kpiNames]]));
    fs.writeFileSync(writer.file("reverts"), stringify([[...REVERT_COLUMNS]]));
    return writer;
  }

  file(kind: keyof typeof RUN_FILES): string {
    return path.join(this.dir, RUN_FILES[kind]);
  }

  onSample(sample: KpiSample): void {
    fs.appendFileSync(this.file("kpis"), stringify([[sample.tick, sample.time, ...Object.values(sample.values).map(cell)]]));
  }

  onRevert(r: RevertRecord): void {
    fs.appendFileSync(this.file("reverts"), stringify([REVERT_COLUMNS.map((c) => cell(r[c]))]));
  }

  complete(result: unknown, extra: Record<string, unknown>): void {
    fs.writeFileSync(this.file("result"), toJson(result));
    this.manifest = { ...this.manifest, ...extra, status: "complete" };
    this.writeManifest();
  }

  fail(error: unknown, extra: Record<string, unknown>): void {
    this.manifest = { ...this.manifest, ...extra, status: "failed", error: error instanceof Error ? error.message : String(error) };
    this.writeManifest();
  }

  private writeManifest(): void {
    fs.writeFileSync(this.file("manifest"), toJson(this.manifest));
  }
}
