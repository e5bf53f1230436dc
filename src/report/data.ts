import path from "path";
import { TokenspiceError } from "../errors";
import type { KpiInfo } from "../model/kpi";
import type { ParamSpecInfo } from "../model/params";
import { KPIS_CSV_FILE, parseKpiCell, readKpisCsv } from "../output/formats/kpis-csv";
import { readRevertsCsv } from "../output/formats/reverts-csv";
import { RUN_FOLDER_FILES } from "../output/take-folder";
import { RUN_MANIFEST_FILE, hasRunManifest, readRunManifest } from "../output/formats/run-manifest";
import { readRunResult, type RunResultFile } from "../output/formats/run-result";
import { networkText, type RawValue } from "./format";

/** One row of a run's reverts, as the report uses it. */
export interface RevertRow {
  tick: number;
  agent: string;
  call: string;
  reason: string;
  gasUsed: bigint;
}

/** Transactions, reverts and gas of one agent ("setup" is the deployer's setup). */
export interface AgentActivity {
  agent: string;
  /** Sent by the agent, reverted ones included; null when the run recorded no result (it failed). */
  transactions: number | null;
  reverts: number;
  /** Gas used, wei-exact; null without a result. */
  gasUsed: bigint | null;
}

/**
 * Everything a run's report shows, read from the run's files alone (its manifest, KPI table,
 * reverts and, when the run finished, its result): no netlist, no project, no chain. Plain
 * data, so a campaign's report can be assembled from many of these.
 */
export interface RunReportData {
  kind: "run";
  netlist: { name: string; file: string | null; description: string };
  /** "complete", "failed", or "running" (a run that was killed, or is still going). */
  status: string;
  error: string | null;
  seed: number;
  steps: number;
  /** Ticks run; the last sampled tick when the run did not finish. */
  ticks: number;
  params: Record<string, unknown>;
  /** null for runs written before manifests recorded param specs. */
  paramSpecs: Record<string, ParamSpecInfo> | null;
  time: { stepSeconds: number; start: number };
  /** The manifest's network as a person reads it (`networkText`): name, chain id, hardfork, fork block. */
  network: string;
  versions: Record<string, unknown>;
  git: { commit: string; dirty: boolean } | null;
  /** The command that reproduces the run. */
  command: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** What each KPI measures, in column order (defaults when the manifest predates KPI metadata). */
  kpis: KpiInfo[];
  /** The KPI table: ticks[i] and times[i] (block timestamps) of sample i, and each KPI's value at it. */
  samples: { ticks: number[]; times: number[]; values: Record<string, RawValue[]> };
  reverts: RevertRow[];
  agents: AgentActivity[];
}

/** A KPI table cell for a report: integers beyond 2^53 stay exact as bigints (src/output/formats/kpis-csv.ts). */
export { parseKpiCell } from "../output/formats/kpis-csv";

function defaultKpi(name: string): KpiInfo {
  return { name, label: name, unit: "", decimals: 0, scale: "linear", group: null, doc: "" };
}

/**
 * Reads a run folder into `RunReportData`, each file through its format's module.
 * @throws TokenspiceError RUN_FOLDER_INVALID when `dir` is not a run folder (no run manifest or KPI
 *   table); RUN_MANIFEST_INVALID, KPIS_CSV_INVALID, REVERTS_CSV_INVALID or RUN_RESULT_INVALID for
 *   a file that is not valid
 */
export function readRunData(dir: string): RunReportData {
  const table = hasRunManifest(dir) ? readKpisCsv(dir) : undefined;
  for (const [f, present] of [
    [RUN_MANIFEST_FILE, hasRunManifest(dir)],
    [KPIS_CSV_FILE, table !== undefined],
  ] as const) {
    if (!present) {
      throw new TokenspiceError("RUN_FOLDER_INVALID", `${dir} is not a run folder: it has no ${f} (a run folder holds ${RUN_FOLDER_FILES.join(", ")})`);
    }
  }
  const manifest = readRunManifest(dir) as Record<string, any>;
  const result = readRunResult(dir);
  const names = table!.kpis;
  const given = new Map<string, KpiInfo>((Array.isArray(manifest.kpis) ? (manifest.kpis as KpiInfo[]) : []).map((k) => [k.name, k]));
  const kpis = names.map((n) => ({ ...defaultKpi(n), ...given.get(n) }));
  const values: Record<string, RawValue[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ticks: number[] = [];
  const times: number[] = [];
  for (const row of table!.rows) {
    ticks.push(Number(row[0]));
    times.push(Number(row[1]));
    names.forEach((n, i) => values[n].push(parseKpiCell(row[i + 2])));
  }

  const reverts = readRevertsCsv(dir).map((r) => ({ tick: Number(r.tick), agent: r.agent, call: r.call, reason: r.reason, gasUsed: BigInt(r.gasUsed || "0") }));

  const stepSeconds = Number(manifest.time?.stepSeconds);
  const start = manifest.time?.start ?? (times.length ? times[0] : 0);
  return {
    kind: "run",
    netlist: { name: String(manifest.netlist?.name ?? path.basename(dir)), file: manifest.netlist?.file ?? null, description: String(manifest.netlist?.description ?? "") },
    status: String(manifest.status ?? "unknown"),
    error: manifest.error ?? null,
    seed: Number(manifest.seed),
    steps: Number(manifest.steps),
    ticks: result?.ticks ?? (ticks.length ? ticks[ticks.length - 1] : 0),
    params: manifest.params ?? {},
    paramSpecs: manifest.paramSpecs ?? null,
    time: { stepSeconds, start: Number(start) },
    network: networkText(manifest.network, manifest.forkBundle),
    versions: manifest.versions ?? {},
    git: manifest.git ?? null,
    command: String(manifest.command ?? ""),
    startedAt: manifest.startedAt ?? null,
    finishedAt: manifest.finishedAt ?? null,
    durationMs: manifest.durationMs ?? null,
    kpis,
    samples: { ticks, times, values },
    reverts,
    agents: agentActivity(reverts, result),
  };
}

/** Per agent: the result's transactions and gas when the run finished; reverts counted from the reverts file. */
function agentActivity(reverts: RevertRow[], result: RunResultFile | undefined): AgentActivity[] {
  const revertsBy = new Map<string, number>();
  for (const r of reverts) revertsBy.set(r.agent, (revertsBy.get(r.agent) ?? 0) + 1);
  const names = new Set<string>([...Object.keys(result?.transactions ?? {}), ...revertsBy.keys()]);
  return [...names].map((agent) => ({
    agent,
    transactions: result ? Number(result.transactions?.[agent] ?? 0) : null,
    reverts: revertsBy.get(agent) ?? 0,
    gasUsed: result ? BigInt(result.gasUsed?.[agent] ?? 0) : null,
  }));
}

/** Reverts of one agent (or agent type) with one reason (a custom error by name, whatever its arguments). */
export interface RevertGroup {
  /** The agent, or with `byType` its type (`holder-*`). */
  agent: string;
  /** Distinct agents in the group. */
  agents: number;
  reason: string;
  calls: string[];
  count: number;
  firstTick: number;
  lastTick: number;
  /** The first full reason, arguments included. */
  example: string;
}

/** `ERC20InsufficientBalance(0xab…, 0, 1)` → `ERC20InsufficientBalance(…)`; require strings and panics as they are. */
export function reasonKind(reason: string): string {
  const custom = reason.match(/^([A-Za-z_$][\w$]*)\(.+\)$/s);
  return custom ? `${custom[1]}(…)` : reason;
}

/**
 * Reverts grouped by agent and reason, most frequent first (ties: agent, then reason). With
 * `byType`, agents named `<type>-<n>` are grouped by type.
 */
export function groupReverts(reverts: readonly RevertRow[], byType = false): RevertGroup[] {
  const groups = new Map<string, RevertGroup & { names: Set<string> }>();
  for (const r of reverts) {
    const reason = reasonKind(r.reason);
    const agent = byType ? agentType(r.agent) : r.agent;
    const key = `${agent}\u0000${reason}`;
    let g = groups.get(key);
    if (!g) {
      g = { agent, agents: 0, names: new Set(), reason, calls: [], count: 0, firstTick: r.tick, lastTick: r.tick, example: r.reason };
      groups.set(key, g);
    }
    g.count++;
    g.names.add(r.agent);
    g.agents = g.names.size;
    g.firstTick = Math.min(g.firstTick, r.tick);
    g.lastTick = Math.max(g.lastTick, r.tick);
    if (!g.calls.includes(r.call)) g.calls.push(r.call);
  }
  return [...groups.values()].map(({ names: _names, ...g }) => g).sort((a, b) => b.count - a.count || a.agent.localeCompare(b.agent) || a.reason.localeCompare(b.reason));
}

/** `holder-17` → `holder-*`: agents named `<type>-<n>` summed by type (others stand alone). */
export function agentType(agent: string): string {
  return agent.replace(/-\d+$/, "-*");
}

/** Activity summed by agent type, in order of first appearance. */
export function activityByType(agents: readonly AgentActivity[]): (AgentActivity & { agents: number })[] {
  const types = new Map<string, AgentActivity & { agents: number }>();
  for (const a of agents) {
    const type = agentType(a.agent);
    const t = types.get(type) ?? { agent: type, transactions: a.transactions === null ? null : 0, reverts: 0, gasUsed: a.gasUsed === null ? null : 0n, agents: 0 };
    t.agents++;
    t.reverts += a.reverts;
    if (t.transactions !== null && a.transactions !== null) t.transactions += a.transactions;
    if (t.gasUsed !== null && a.gasUsed !== null) t.gasUsed += a.gasUsed;
    types.set(type, t);
  }
  return [...types.values()];
}
