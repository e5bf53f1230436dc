/**
 * What a finished campaign prints: the final KPIs per point, read back from points.csv.
 */
import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../../errors";
import type { KpiInfo } from "../../model/kpi";
import { readCsv } from "../../output/csv";
import { formatParam } from "../../report/format";
import { findRunManifest } from "../../output/formats/run-manifest";
import { CSV_FILES } from "./csv";
import { defaultKpi } from "./facts";
import { byText } from "./views";

/** One point's final KPIs, as points.csv holds them (raw values, as doubles; null where no run completed). */
export interface PointFinals {
  point: string;
  /** `a=1, b=x`: the point's varying params (points.csv's `param_` columns), or its key. */
  label: string;
  runs: number;
  complete: number;
  /** Per KPI, in declared order: the p5, median and p95 of the complete runs' final values, over n of them. */
  kpis: { name: string; n: number; p5: number | null; p50: number | null; p95: number | null }[];
}

/**
 * The final KPIs of a campaign whose outputs are written: per point (in points.csv's order, by key),
 * each KPI's p5, median and p95 across the complete runs (the distributions `writeCampaignOutputs`
 * computed, src/campaign/stats.ts), and what each KPI measures (unit, decimals) from the first run
 * manifest found. For the table a finished campaign prints.
 *
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID when points.csv is missing or malformed
 */
export function readFinalKpis(dir: string): { kpis: KpiInfo[]; points: PointFinals[] } {
  const file = path.join(dir, CSV_FILES.points);
  let records: Record<string, string>[];
  try {
    records = readCsv(fs.readFileSync(file, "utf8"), { columns: true });
  } catch (error) {
    throw new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `Cannot read ${file}: ${messageOf(error)}`, { file }, error);
  }
  const num = (text: string | undefined) => (text === undefined || text === "" ? null : Number(text));
  const points = new Map<string, PointFinals>();
  const names: string[] = [];
  for (const r of records) {
    let p = points.get(r.point);
    if (!p) {
      const varying = Object.entries(r)
        .filter(([k]) => k.startsWith("param_"))
        .map(([k, v]) => `${k.slice("param_".length)}=${v !== "" && !Number.isNaN(Number(v)) ? formatParam(Number(v)) : v}`);
      p = { point: r.point, label: varying.length ? varying.join(", ") : r.point, runs: Number(r.runs), complete: Number(r.complete), kpis: [] };
      points.set(r.point, p);
    }
    p.kpis.push({ name: r.kpi, n: Number(r.n), p5: num(r.p5), p50: num(r.p50), p95: num(r.p95) });
    if (!names.includes(r.kpi)) names.push(r.kpi);
  }
  let described: KpiInfo[] = [];
  const runsDir = path.join(dir, "runs");
  outer: for (const p of fs.existsSync(runsDir) ? fs.readdirSync(runsDir).sort(byText) : []) {
    const pointDir = path.join(runsDir, p);
    if (!fs.statSync(pointDir).isDirectory()) continue;
    for (const r of fs.readdirSync(pointDir).sort(byText)) {
      const manifest = findRunManifest(path.join(pointDir, r));
      if (manifest && Array.isArray(manifest.kpis)) {
        described = manifest.kpis;
        break outer;
      }
    }
  }
  const byName = new Map(described.map((k) => [k.name, k]));
  return { kpis: names.map((n) => ({ ...defaultKpi(n), ...byName.get(n) })), points: [...points.values()] };
}
