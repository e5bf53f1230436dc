import path from "path";
import { TokenspiceError } from "../errors";
import { CALIBRATION_FILE, DIST_FAMILIES, calibrate, writeCalibration, type CalibrationFile, type DistFamily, type Interval, type TimeFormat } from "../calibrate";
import type { CliContext, CliOutput } from "./context";
import { COUNT, SHARE, numberFlag } from "./flags";
import { calibrateMomentsCommand, type CalibrateMomentsArgs } from "./calibrate-moments";

/** The arguments of `sim-calibrate` (numbers as numbers, or as the text typed); `moments`' own are CalibrateMomentsArgs. */
export interface CalibrateArgs extends CalibrateMomentsArgs {
  /** What to do: `fit` (the world's distributions) or `moments` (behaviour, by simulated moments). */
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
}

const MODES = ["fit", "moments"];

/**
 * `sim-calibrate <mode>` as the adapters run it: `moments` runs the netlist (calibrateMomentsCommand),
 * `fit` reads data only (calibrateCommand).
 * @throws TokenspiceError what the mode's command throws
 */
export async function calibrateTask(ctx: CliContext, args: CalibrateArgs): Promise<void> {
  if (args.mode === "moments") await calibrateMomentsCommand(ctx, args);
  else await calibrateCommand(args, ctx.output);
}

/**
 * `sim-calibrate fit`: reads the data file, fits (src/calibrate), prints the result in words and
 * writes the calibration file (default ./calibration.json; never over one without --force).
 * @throws TokenspiceError OPTION_INVALID for a bad mode or flag; what calibrate and writeCalibration throw
 */
export async function calibrateCommand(args: CalibrateArgs, output: CliOutput): Promise<CalibrationFile> {
  const bad = (why: string) => new TokenspiceError("OPTION_INVALID", why);
  if (!MODES.includes(args.mode) || args.mode === "moments")
    throw bad(`sim-calibrate: mode ${JSON.stringify(args.mode)} is not one of ${MODES.join(", ")}${args.mode === "moments" ? " here: moments runs the netlist (calibrateTask)" : ""}`);
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
  writeCalibration(out, calibration, args.force === true);
  printCalibration(calibration, output);
  output.log(`Wrote ${out}`);
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
    log(
      `Use it: --params ${Object.entries(c.suggested)
        .map(([k, v]) => `${k}=${v}`)
        .join(",")}`,
    );
  }
}
