import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";
import { CALIBRATION_FILE, DIST_FAMILIES, calibrate, writeCalibration, type CalibrationFile, type DistFamily, type Interval, type TimeFormat } from "../calibrate";
import { formatParamAssignments } from "../model/params";
import { backtestCommand, type BacktestArgs } from "./backtest";
import type { CliContext, CliOutput } from "./context";
import { COUNT, SHARE, numberFlag } from "./flags";
import { calibrateMomentsCommand, type CalibrateMomentsArgs } from "./calibrate-moments";

/** The arguments of `sim-calibrate` (numbers as numbers, or as the text typed); `moments`' own are CalibrateMomentsArgs, `backtest`'s BacktestArgs. */
export interface CalibrateArgs extends CalibrateMomentsArgs {
  /** What to do: `fit` (the world's distributions), `moments` (behaviour, by simulated moments) or `backtest` (calibrateTask). */
  mode: string;
  /** fit: the data file and its columns (required by fit). */
  data?: string;
  time?: string;
  value?: string;
  /** The group column, and the group to fit (`select`). */
  group?: string;
  select?: string;
  timeFormat?: string;
  /** normal, lognormal, triangular, uniform, all, or several as a,b (default all, or none with --gbm). */
  dist?: string;
  gbm?: boolean;
  param?: string;
  min?: string | number;
  max?: string | number;
  confidence?: string | number;
  alpha?: string | number;
  resamples?: string | number;
  seed?: string;
  out?: string;
  force?: boolean;
  /** Also write the fit's point values as a params file: one line `k=v,k=v`, what `sim --params` takes. */
  paramsOut?: string;
}

const MODES = ["fit", "moments", "backtest"];

/** The arguments of every `sim-calibrate` mode (the task's flags). */
export type CalibrateTaskArgs = CalibrateArgs & Omit<BacktestArgs, keyof CalibrateArgs>;

/**
 * `sim-calibrate <mode>` as the adapters run it: `moments` (calibrateMomentsCommand) and `backtest`
 * (src/cli/backtest.ts) run the netlist; `fit` reads data only (calibrateCommand).
 * @throws TokenspiceError what the mode's command throws
 */
export async function calibrateTask(ctx: CliContext, args: CalibrateTaskArgs): Promise<void> {
  if (args.mode === "moments") await calibrateMomentsCommand(ctx, args);
  else if (args.mode === "backtest") await backtestCommand(ctx, args);
  else await calibrateCommand({ ...args, ...netlistRange(args, ctx) }, ctx.output);
}

/**
 * `fit <netlist> --param P`: the range of netlist N's param P, for the ends --min and --max leave
 * out (triangular and uniform live on it).
 * @throws TokenspiceError OPTION_INVALID when the netlist has no such param, or it is not a number
 *   with a min and max; what loading the netlist throws
 */
function netlistRange(args: CalibrateTaskArgs, ctx: CliContext): { min?: string | number; max?: string | number } {
  if (args.netlist === undefined) return {};
  if (args.param === undefined) throw new TokenspiceError("OPTION_INVALID", "sim-calibrate fit <netlist> needs --param: the param whose range the fit takes");
  const loaded = ctx.environment.load(args.netlist);
  const spec = loaded.netlist.params[args.param] as { type?: string; min?: number; max?: number } | undefined;
  if (!spec) throw new TokenspiceError("OPTION_INVALID", `netlist ${loaded.name} has no param ${JSON.stringify(args.param)}; its params: ${Object.keys(loaded.netlist.params).join(", ")}`);
  if (spec.min === undefined || spec.max === undefined) {
    throw new TokenspiceError("OPTION_INVALID", `${loaded.name}'s param ${args.param} has no [min, max] range to fit on: give --min and --max`);
  }
  const min = args.min ?? spec.min;
  const max = args.max ?? spec.max;
  ctx.output.log(`Range of ${args.param}: [${min}, ${max}]${args.min === undefined || args.max === undefined ? ` (from ${loaded.name}'s param)` : ""}`);
  return { min, max };
}

/**
 * `sim-calibrate fit`: reads the data file, fits (src/calibrate), prints the result in words and
 * writes the calibration file (default ./calibration.json; never over one without --force).
 * @throws TokenspiceError OPTION_INVALID for a bad mode or flag; what calibrate and writeCalibration throw
 */
export async function calibrateCommand(args: CalibrateArgs, output: CliOutput): Promise<CalibrationFile> {
  const bad = (why: string) => new TokenspiceError("OPTION_INVALID", why);
  if (!MODES.includes(args.mode)) throw bad(`sim-calibrate: mode ${JSON.stringify(args.mode)} is not one of ${MODES.join(", ")}`);
  if (args.mode !== "fit") throw bad(`sim-calibrate ${args.mode} runs the netlist: through calibrateTask (it needs the project)`);
  for (const f of ["data", "time", "value"] as const) if (!args[f]) throw bad(`sim-calibrate fit needs --${f}`);
  const timeFormat = args.timeFormat ?? "auto";
  if (!["auto", "iso", "unix"].includes(timeFormat)) throw bad(`--time-format ${JSON.stringify(timeFormat)} is not auto, iso or unix`);
  let dists: DistFamily[] | undefined;
  if (args.dist !== undefined) {
    const names = args.dist.split(",").map((d) => d.trim());
    dists = names.includes("all") ? [...DIST_FAMILIES] : (names as DistFamily[]);
    for (const d of dists) if (!DIST_FAMILIES.includes(d)) throw bad(`--dist ${JSON.stringify(d)} is not one of ${DIST_FAMILIES.join(", ")} or all`);
  }
  const out = path.resolve(args.out ?? CALIBRATION_FILE);
  const number = { integer: false };
  const { calibration } = await calibrate({
    data: args.data!,
    time: args.time!,
    value: args.value!,
    group: args.group,
    groupValue: args.select,
    timeFormat: timeFormat as TimeFormat,
    dists,
    gbm: args.gbm === true,
    param: args.param,
    min: numberFlag("--min", args.min, number),
    max: numberFlag("--max", args.max, number),
    confidence: numberFlag("--confidence", args.confidence, SHARE),
    alpha: numberFlag("--alpha", args.alpha, SHARE),
    resamples: numberFlag("--resamples", args.resamples, COUNT),
    seed: args.seed,
    out,
  });
  const paramsOut = args.paramsOut === undefined ? undefined : path.resolve(args.paramsOut);
  if (paramsOut !== undefined) {
    if (Object.keys(calibration.suggested).length === 0) throw bad("--params-out writes the fit's point values (GBM's drift and volatility): add --gbm");
    if (!args.force && fs.existsSync(paramsOut)) throw new TokenspiceError("OUT_FILE_EXISTS", `${paramsOut} exists: give --force to replace it, or another --params-out`, { file: paramsOut });
  }
  writeCalibration(out, calibration, args.force === true);
  printCalibration(calibration, output);
  output.log(`Wrote ${out}`);
  if (paramsOut !== undefined) {
    try {
      fs.mkdirSync(path.dirname(paramsOut), { recursive: true });
      fs.writeFileSync(paramsOut, formatParamAssignments(calibration.suggested) + "\n");
    } catch (error) {
      throw new TokenspiceError("IO_ERROR", `Cannot write ${paramsOut}: ${messageOf(error)}`, { file: paramsOut }, error);
    }
    output.log(`Wrote ${paramsOut}: run with --params "$(cat ${path.relative(process.cwd(), paramsOut) || paramsOut})"`);
  }
  return calibration;
}

const num = (x: number) => String(Number(x.toPrecision(4)));
const interval = (name: string, i: Interval, confidence: number) => `${name} ${num(i.estimate)} (${Math.round(confidence * 100)}% interval ${num(i.lower)} to ${num(i.upper)}, ${i.method})`;

/** The calibration in words: the data read, each param's fit and test, the GBM findings, the --params to use. */
export function printCalibration(c: CalibrationFile, output: CliOutput): void {
  const log = (line: string) => output.log(line);
  const d = c.data;
  log(`Data: ${d.name} (SHA-256 ${d.sha256.slice(0, 16)}…): ${d.points} points of ${JSON.stringify(d.columns.value)} from ${d.from} to ${d.to} (UTC), every ${d.spacingSeconds} s as a rule`);
  if (d.gaps.length > 0) {
    const missing = d.gaps.reduce((a, g) => a + g.missing, 0);
    log(`Gaps (not filled): ${d.gaps.length}, about ${missing} points missing: ${d.gaps.map((g) => `${g.after} to ${g.before}`).join(", ")}`);
  }
  for (const [name, p] of Object.entries(c.params)) {
    const f = p.fit;
    log(`Param ${name}: ${f.family} by maximum likelihood on ${f.n} values${p.min !== undefined ? ` over [${num(p.min)}, ${num(p.max!)}]` : ""}`);
    for (const [k, i] of Object.entries(f.parameters)) log(`  ${interval(k, i, c.confidence)}`);
    if (f.gof) {
      log(
        `  ${f.gof.test}: D = ${num(f.gof.statistic)}, p = ${num(f.gof.pValue)} (${f.gof.method}): ${f.gof.rejected ? `REJECTED at ${f.gof.alpha}: the data do not look ${f.family}` : `not rejected at ${f.gof.alpha}`}`,
      );
    }
    if (p.candidates.length > 1)
      log(`  Families by AIC (lower is better): ${p.candidates.map((x) => `${x.family} ${num(x.aic)}${x.ksPValue !== undefined ? ` (KS p ${num(x.ksPValue)})` : ""}`).join(", ")}`);
    log(`  dist: ${JSON.stringify(p.dist)}`);
  }
  if (c.gbm) {
    const g = c.gbm;
    log(`GBM on ${g.n} log returns over ${g.years.toFixed(2)} years:`);
    log(`  ${interval("volatility (per year)", g.volatility, c.confidence)}`);
    log(`  ${interval("drift (per year)", g.drift, c.confidence)}`);
    for (const line of g.findings) log(`  ${line}`);
    log(`Use it: --params ${formatParamAssignments(c.suggested)}`);
  }
}
