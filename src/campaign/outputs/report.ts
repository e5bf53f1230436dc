/**
 * The campaign's report: report.html and plots/ (src/report/campaign.ts draws them), from the report
 * data assembled here as the runs are read: each point's final distributions, fan-chart data for up
 * to `maxFanPoints` points (chosen evenly in sweep order, each with its bands and up to `maxRuns`
 * complete runs drawn thin), and the runs that did not complete. Off with `report: false`, which
 * removes a report written before.
 */
import fs from "fs";
import path from "path";
import { BACKTEST_FILE, lossLines, type BacktestLosses } from "../../calibrate/backtest";
import { TokenspiceError, messageOf } from "../../errors";
import { evenlySpread, writeCampaignReport, type CampaignReportData, type FanData, type ObservedOverlay, type ReportPoint, type ReportRun } from "../../report/campaign";
import { removeReport, REPORT_FILES } from "../../report/write";
import type { CampaignOutput, CampaignOutputContext, CampaignOutputWriter } from "./writer";

export const report: CampaignOutput = {
  name: "report",
  files: [REPORT_FILES.html, `${REPORT_FILES.plots}/`],
  enabled: (options) => options.report !== false,
  /** Only report.html and the plots' SVG and PNG files: anything else a user put in plots/ stays. */
  remove: removeReport,
  writer(): CampaignOutputWriter {
    let ctx: CampaignOutputContext;
    let fanKeys: Set<string>;
    let maxRuns: number;
    const fans = new Map<string, FanData>();
    const reportPoints = new Map<string, ReportPoint>();
    const unfinished: ReportRun[] = [];
    let thin: FanData["runs"] = [];
    return {
      begin(context) {
        ctx = context;
        fanKeys = new Set(evenlySpread(ctx.inSweepOrder, ctx.options.maxFanPoints ?? 12).map((p) => p.key));
        maxRuns = ctx.options.maxRuns ?? 20;
      },
      run({ run, point, status, ticks, values }) {
        const T = ticks.length;
        if (status.status === "complete") {
          if (fanKeys.has(point.key) && thin.length < maxRuns) thin.push({ name: run.key, values: ctx.kpiNames.map((_, k) => Array.from(values.subarray(k * T, (k + 1) * T))) });
        } else {
          unfinished.push({
            run: run.key,
            point: run.point,
            replicate: run.replicate,
            seed: run.seed,
            status: status.status,
            code: status.error?.code ?? null,
            message: status.error?.message ?? null,
            command: run.command ?? "",
            dir: run.dir,
          });
        }
      },
      point({ point, runs, counts, ticks, times, bands, finals }) {
        reportPoints.set(point.key, { key: point.key, varying: point.varying, runs: runs.length, ...counts, finals });
        if (fanKeys.has(point.key) && ticks.length > 0) fans.set(point.key, { point: point.key, ticks, times, bands, runs: thin });
        thin = [];
      },
      end(counts) {
        const { campaign, facts, varying, paramNames, paramTypes, points, inSweepOrder, options } = ctx;
        const spec = campaign.spec;
        const start = facts.time?.start ?? fans.values().next().value?.times[0] ?? 0;
        const data: CampaignReportData = {
          netlist: { name: spec.netlist.name, file: spec.netlist.file ?? "", description: facts.description },
          spec,
          command: campaign.command ?? null,
          specHash: campaign.specHash ?? null,
          forkBundle: campaign.forkBundle ?? null,
          versions: campaign.versions ?? {},
          kpis: facts.kpis,
          time: facts.time ? { stepSeconds: facts.time.stepSeconds, start } : null,
          counts,
          params: [...varying.map((n) => ({ name: n, varying: true })), ...paramNames.filter((n) => !varying.includes(n)).map((n) => ({ name: n, varying: false }))].map((p) => ({
            ...p,
            type: paramTypes.get(p.name)!,
            spec: facts.paramSpecs[p.name] ?? null,
            fixed: p.varying ? null : (points[0]?.params[p.name] ?? null),
          })),
          points: inSweepOrder.map((p) => reportPoints.get(p.key)!),
          fans: inSweepOrder.filter((p) => fans.has(p.key)).map((p) => fans.get(p.key)!),
          unfinished,
          maxRuns,
          fanPoints: fanKeys.size,
          observed: readObserved(ctx.root),
        };
        writeCampaignReport(ctx.scratch, data, { png: options.png, generator: options.generator });
      },
    };
  },
};

/**
 * The observed series of a backtest in the campaign folder (`backtest.json`, src/cli/backtest.ts),
 * as the report draws it; undefined when there is none.
 * @throws TokenspiceError CAMPAIGN_FOLDER_INVALID naming the file when it cannot be read or lacks its fields
 */
export function readObserved(dir: string): ObservedOverlay[] | undefined {
  const file = path.join(dir, BACKTEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  const invalid = (why: string) =>
    new TokenspiceError("CAMPAIGN_FOLDER_INVALID", `${file}: ${why} (a backtest file as sim-calibrate backtest writes it; delete it to draw no observed series)`, { file });
  let b: any;
  try {
    b = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw invalid(`cannot be read as JSON: ${messageOf(error)}`);
  }
  if (b?.tool !== "hardhat-tokenspice" || b.kind !== "backtest" || b.version !== 1) throw invalid('not a hardhat-tokenspice backtest (tool, kind "backtest", version 1)');
  const o = b.observed;
  const numbers = (xs: unknown): xs is number[] => Array.isArray(xs) && xs.every((x) => typeof x === "number" && Number.isFinite(x));
  if (typeof b.kpi !== "string" || !numbers(o?.ticks) || !numbers(o?.values) || o.ticks.length !== o.values.length)
    throw invalid("kpi, observed.ticks and observed.values (numbers, as many ticks as values) are missing or malformed");
  const losses = b.losses as BacktestLosses | undefined;
  if (typeof losses?.coverage !== "number") throw invalid("losses are missing");
  const column = typeof b.data?.columns?.value === "string" ? b.data.columns.value : "value";
  return [
    {
      kpi: b.kpi,
      name: `observed (${column})`,
      ticks: o.ticks,
      values: o.values,
      summary: [
        `fit window ${String(b.fitWindow?.from)}..${String(b.fitWindow?.to)}, test window ${String(b.testWindow?.from)}..${String(b.testWindow?.to)} (${losses.points} points scored, ${losses.runs} runs)`,
        ...lossLines(losses, typeof b.unit === "string" ? b.unit : ""),
      ],
    },
  ];
}
