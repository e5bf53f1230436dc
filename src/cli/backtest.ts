import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";
import {
  BACKTEST_FILE,
  fitGbm,
  lossLines,
  isoTime,
  oneSeries,
  parseWindow,
  readSeries,
  scoreBacktest,
  splitWindows,
  ticksOf,
  type BacktestLosses,
  type GbmFit,
  type ScoredPoint,
  type TimeFormat,
} from "../calibrate";
import { dataPathFrom } from "../calibrate/calibration-file";
import { rebuildCampaignOutputs } from "../campaign/outputs";
import { RUNS_DIR, runFolder, runStatusFromFiles } from "../campaign/folder";
import { readCampaignFile } from "../output/formats/campaign-file";
import { readKpisCsv } from "../output/formats/kpis-csv";
import { kpiInfo } from "../model/netlist";
import { parseParamAssignments } from "../model/params";
import { scaled } from "../report/format";
import type { CliContext } from "./context";
import { COUNT, SHARE, numberFlag } from "./flags";
import { simCommand } from "./sim";

export { BACKTEST_FILE };
/** Per observed point of the test window: the observation, the ensemble's band and median, inside or not. */
export const BACKTEST_CSV = "backtest.csv";

/** The arguments of `sim-calibrate backtest` (numbers as numbers, or as the text typed). */
export interface BacktestArgs {
  /** The data file and its columns (required). */
  data?: string;
  time?: string;
  value?: string;
  /** The price column GBM is fitted on and the runs start from (default: `value`). */
  fitValue?: string;
  group?: string;
  select?: string;
  timeFormat?: string;
  netlist?: string;
  kpi?: string;
  fitWindow?: string;
  testWindow?: string;
  startParam?: string;
  params?: string;
  replicates?: string | number;
  campaignSeed?: string | number;
  workers?: string | number;
  band?: string | number;
  confidence?: string | number;
  out?: string;
  force?: boolean;
  noCompile?: boolean;
}

/** What `backtest.json` holds (version 1). Times are ISO 8601 UTC; the data file's path is relative to the folder. */
export interface BacktestFile {
  tool: "hardhat-tokenspice";
  kind: "backtest";
  version: 1;
  data: { file?: string; name: string; sha256: string; columns: { time: string; value: string; fitValue?: string; group?: string }; group?: string };
  netlist: string;
  kpi: string;
  /** The KPI's label and unit (the observed series is in this unit: the KPI scaled by its decimals). */
  label: string;
  unit: string;
  fitWindow: { from: string; to: string; points: number };
  testWindow: { from: string; to: string; points: number };
  /** The world's model for the test window: GBM fitted on the fit window. */
  method: "gbm";
  fit: Pick<GbmFit, "n" | "years" | "drift" | "volatility" | "findings">;
  /** Every param the runs were given: the fit's drift and volatility, the start param at the test window's first observation, then --params (which win). */
  params: Record<string, string>;
  campaign: { replicates: number; campaignSeed: number; steps: number };
  losses: BacktestLosses;
  /** The observed series over the test window, at its ticks (tick 0 the start). */
  observed: { ticks: number[]; times: string[]; values: number[] };
  command?: string;
}

const bad = (why: string) => new TokenspiceError("OPTION_INVALID", why);

/**
 * `sim-calibrate backtest`: fits GBM to the data's fit window, runs a campaign of the netlist on the
 * test window from its first observation (the fit's `drift` and `volatility`, `--start-param` at
 * the first observed value, as many ticks as the window spans, `--replicates` seeds), scores the
 * KPI's runs against the observed test window (src/calibrate/backtest.ts), writes backtest.json
 * and backtest.csv into the campaign folder and rebuilds its report with the observed series drawn
 * over the bands.
 * @throws TokenspiceError OPTION_INVALID for a bad flag, a netlist without the params or KPI, windows
 *   that overlap or hold too few points, data off the netlist's tick grid; what readSeries, fitGbm
 *   and the campaign throw; OUT_FILE_EXISTS for a folder with a backtest and no --force
 */
export async function backtestCommand(ctx: CliContext, args: BacktestArgs): Promise<BacktestFile> {
  const { output } = ctx;
  if (!args.netlist) throw bad("name the netlist: npx hardhat sim-calibrate backtest <netlist> --data … --kpi … --fit-window … --test-window …");
  for (const f of ["data", "time", "value", "kpi", "fitWindow", "testWindow"] as const) {
    if (!args[f]) throw bad(`sim-calibrate backtest needs --${f.replace(/([A-Z])/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  const timeFormat = args.timeFormat ?? "auto";
  if (!["auto", "iso", "unix"].includes(timeFormat)) throw bad(`--time-format ${JSON.stringify(timeFormat)} is not auto, iso or unix`);
  const fitWindow = parseWindow(args.fitWindow!, "--fit-window");
  const testWindow = parseWindow(args.testWindow!, "--test-window");
  const replicates = numberFlag("--replicates", args.replicates, COUNT) ?? 50;
  if (replicates < 2) throw bad(`--replicates ${replicates}: a band needs at least 2 runs`);
  const campaignSeed = numberFlag("--campaign-seed", args.campaignSeed, { integer: true, min: 0, max: 2 ** 32 - 1 }) ?? 1;
  const workers = numberFlag("--workers", args.workers, COUNT);
  const band = numberFlag("--band", args.band, SHARE) ?? 0.9;
  const confidence = numberFlag("--confidence", args.confidence, SHARE) ?? 0.95;
  const startParam = args.startParam ?? "initialPrice";
  const userParams = args.params === undefined ? {} : parseParamAssignments(args.params);

  // The netlist: it must have the fit's params and the KPI, and a tick the data's times fall on.
  const loaded = ctx.environment.load(args.netlist);
  const netlist = loaded.netlist;
  for (const p of ["drift", "volatility", startParam]) {
    if (!(p in netlist.params)) {
      throw bad(`netlist ${loaded.name} has no param ${JSON.stringify(p)}: a GBM backtest sets drift, volatility and --start-param (its params: ${Object.keys(netlist.params).join(", ")})`);
    }
  }
  const kpi = kpiInfo(netlist).find((k) => k.name === args.kpi);
  if (!kpi)
    throw bad(
      `netlist ${loaded.name} has no KPI ${JSON.stringify(args.kpi)}; its KPIs: ${kpiInfo(netlist)
        .map((k) => k.name)
        .join(", ")}`,
    );
  const stepSeconds = netlist.time.stepSeconds;

  const out = path.resolve(args.out ?? path.join(ctx.environment.outDir, loaded.name, `backtest-${args.kpi}-${isoTime(testWindow.from)}`));
  const backtestFile = path.join(out, BACKTEST_FILE);
  if (fs.existsSync(backtestFile) && args.force !== true)
    throw new TokenspiceError("OUT_FILE_EXISTS", `${backtestFile} exists: give --force to replace the backtest, or another --out`, { file: backtestFile });

  // The data, the windows, the fit: GBM on the --fit-value column (prices), the score on --value.
  const dataPath = args.data!;
  const mapping = { time: args.time!, group: args.group, timeFormat: timeFormat as TimeFormat };
  const data = await readSeries(dataPath, { ...mapping, value: args.value! });
  const series = oneSeries(data, args.select);
  const prices = args.fitValue === undefined || args.fitValue === args.value ? series : oneSeries(await readSeries(dataPath, { ...mapping, value: args.fitValue }), args.select);
  const { fit, test: priceTest } = splitWindows(prices.times, prices.values, fitWindow, testWindow);
  const { test } = splitWindows(series.times, series.values, fitWindow, testWindow, 0);
  if (test.times[0] !== priceTest.times[0]) throw bad(`the test window's first ${JSON.stringify(args.value)} and ${JSON.stringify(args.fitValue)} are at different times`);
  const ticks = ticksOf(test.times, stepSeconds);
  const steps = ticks[ticks.length - 1];
  const gbm = fitGbm(fit.times, fit.values, { confidence });
  const fitted: Record<string, string> = {
    drift: String(Number(gbm.drift.estimate.toPrecision(4))),
    volatility: String(Number(gbm.volatility.estimate.toPrecision(4))),
    [startParam]: String(priceTest.values[0]),
  };
  const params = { ...fitted, ...userParams };
  for (const [name, value] of Object.entries(fitted)) {
    const spec = netlist.params[name] as { min?: number; max?: number } | undefined;
    const v = Number(value);
    if (name in userParams || !spec || spec.min === undefined || spec.max === undefined || (v >= spec.min && v <= spec.max)) continue;
    throw bad(
      `the ${name === startParam ? "test window's first observed value" : `fit's ${name}`} ${value} is outside ${loaded.name}'s ${name} range [${spec.min}, ${spec.max}]: give --params ${name}=<a value in it>${name === "drift" ? " (0: no view on direction)" : ""}, or widen the param's range`,
    );
  }
  const paramText = Object.entries(params)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, "\\\\").replace(/,/g, "\\,")}`)
    .join(",");
  const log = (line: string) => output.log(line);
  log(`Fit window ${isoTime(fit.times[0])}..${isoTime(fit.times[fit.times.length - 1])}: ${fit.times.length} points; GBM volatility ${fitted.volatility} a year, drift ${fitted.drift} a year`);
  log(`Test window ${isoTime(test.times[0])}..${isoTime(test.times[test.times.length - 1])}: ${test.times.length} points, ${steps} ticks of ${stepSeconds} s from ${startParam}=${fitted[startParam]}`);
  log(`Runs: --params ${paramText} --replicates ${replicates} --steps ${steps} --campaign-seed ${campaignSeed}`);

  await simCommand(ctx, {
    netlist: loaded.name,
    replicates,
    steps,
    params: paramText,
    campaignSeed,
    workers,
    out,
    force: args.force,
    noCompile: args.noCompile,
  });

  // The runs' KPI, scaled to the observed series' unit, indexed by tick.
  const campaign = readCampaignFile(out);
  const runs: number[][] = [];
  for (const run of campaign.runs) {
    const dir = runFolder(out, run);
    if (runStatusFromFiles(dir).status !== "complete") continue;
    const table = readKpisCsv(dir);
    const k = table?.kpis.indexOf(kpi.name) ?? -1;
    if (!table || k < 0) continue;
    const path_: number[] = [];
    for (const row of table.rows) {
      const cell = row[2 + k];
      path_[Number(row[0])] = /^-?\d+$/.test(cell) ? scaled(BigInt(cell), kpi.decimals) : scaled(Number(cell), kpi.decimals);
    }
    runs.push(path_);
  }
  if (runs.length < 2) throw new TokenspiceError("OPTION_INVALID", `${out}: ${runs.length} complete run(s) in ${RUNS_DIR}/: a band needs at least 2`);
  const { losses, points } = scoreBacktest({ ticks, values: test.values }, runs, band);

  const dataFile = dataPathFrom(backtestFile, dataPath);
  const result: BacktestFile = {
    tool: "hardhat-tokenspice",
    kind: "backtest",
    version: 1,
    data: {
      ...(dataFile !== undefined ? { file: dataFile } : {}),
      name: path.basename(dataPath),
      sha256: data.sha256,
      columns: { time: mapping.time, value: args.value!, ...(args.fitValue !== undefined ? { fitValue: args.fitValue } : {}), ...(args.group !== undefined ? { group: args.group } : {}) },
      ...(args.select !== undefined ? { group: args.select } : {}),
    },
    netlist: loaded.name,
    kpi: kpi.name,
    label: kpi.label,
    unit: kpi.unit,
    fitWindow: { from: isoTime(fit.times[0]), to: isoTime(fit.times[fit.times.length - 1]), points: fit.times.length },
    testWindow: { from: isoTime(test.times[0]), to: isoTime(test.times[test.times.length - 1]), points: test.times.length },
    method: "gbm",
    fit: { n: gbm.n, years: gbm.years, drift: gbm.drift, volatility: gbm.volatility, findings: gbm.findings },
    params,
    campaign: { replicates, campaignSeed, steps },
    losses,
    observed: { ticks, times: test.times.map(isoTime), values: test.values },
    command: ctx.commandLine,
  };
  try {
    fs.writeFileSync(backtestFile, JSON.stringify(result, null, 2) + "\n");
    fs.writeFileSync(path.join(out, BACKTEST_CSV), backtestCsv(points, ticks, test.times));
  } catch (error) {
    throw new TokenspiceError("IO_ERROR", `Cannot write the backtest into ${out}: ${messageOf(error)}`, { outDir: out }, error);
  }
  // The report again, now with the observed series over the bands.
  await rebuildCampaignOutputs(out);
  printBacktest(result, output);
  log(`Files: ${backtestFile}, ${path.join(out, BACKTEST_CSV)}; report ${path.join(out, "report.html")}`);
  return result;
}

/** backtest.csv: one row per scored point. */
function backtestCsv(points: readonly ScoredPoint[], ticks: readonly number[], times: readonly number[]): string {
  const timeOf = new Map(ticks.map((t, i) => [t, times[i]]));
  const lines = ["tick,time,observed,lower,median,upper,inside,crps"];
  for (const p of points) lines.push([p.tick, isoTime(timeOf.get(p.tick)!), p.observed, p.lower, p.median, p.upper, p.inside ? 1 : 0, p.crps].join(","));
  return lines.join("\n") + "\n";
}

/** The losses in words. */
export function printBacktest(b: BacktestFile, output: { log(line: string): void }): void {
  output.log(`Backtest of ${b.kpi} against ${JSON.stringify(b.data.columns.value)} over ${b.testWindow.from}..${b.testWindow.to} (${b.losses.points} points, ${b.losses.runs} runs):`);
  for (const line of lossLines(b.losses, b.unit)) output.log(`  ${line}`);
}
