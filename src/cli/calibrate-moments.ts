import fs from "fs";
import path from "path";
import { TokenspiceError } from "../errors";
import { CALIBRATION_FILE, dataPathFrom, writeCalibration } from "../calibrate/calibration-file";
import { WEIGHTINGS, parseMoment, type ObservedMoment, type Weighting } from "../search/moments";
import { readMomentsFile } from "../search/moments-file";
import { momentsCalibrationFile, type MomentsCalibrationFile } from "../search/moments-calibration";
import { parseParamAssignments } from "../model/params";
import { randomSeed } from "../runner/run-spec";
import { runSearch } from "../search/run-search";
import { SEARCH_FILE } from "../output/formats/search-file";
import { formatNumber, plural } from "../report/format";
import type { CliContext, CliOutput } from "./context";
import { repeatableValues } from "./flags-table";
import { COUNT, SHARE, choiceFlag, listFlag, numberFlag } from "./flags";

/** The arguments of `sim-calibrate moments` (numbers as numbers, or as the text typed). */
export interface CalibrateMomentsArgs {
  netlist?: string;
  /** Observed moments, one per flag given (each may join several with `;`): "<kpi> <stat>=<observed>[±<se>]". */
  moment?: string | string[];
  /** A moments file (src/search/moments-file.ts). */
  moments?: string;
  over?: string;
  weighting?: string;
  replicates?: string | number;
  budget?: string | number;
  resamples?: string | number;
  confidence?: string | number;
  searchSeed?: string | number;
  searchOut?: string;
  params?: string;
  steps?: string | number;
  workers?: string | number;
  out?: string;
  force?: boolean;
  noCompile?: boolean;
}

/**
 * `sim-calibrate moments <netlist>`: fits the behaviour params `--over` to observed moments by
 * simulated moments (src/search/calibrate.ts) in a search folder, prints the fit in words and writes
 * the calibration file (default ./calibration.json; never over one without --force, checked before
 * any run).
 * @throws TokenspiceError OPTION_INVALID for bad flags; MOMENTS_FILE_INVALID; OUT_FILE_EXISTS; what the search throws
 */
export async function calibrateMomentsCommand(ctx: CliContext, args: CalibrateMomentsArgs): Promise<MomentsCalibrationFile> {
  const bad = (why: string) => new TokenspiceError("OPTION_INVALID", `sim-calibrate moments: ${why}`);
  if (!args.netlist) throw bad('name the netlist: npx hardhat sim-calibrate moments <netlist> --moment "<kpi> <stat>=<observed>±<se>" --over <params>');
  const texts = repeatableValues(args.moment);
  if (texts.length === 0 && args.moments === undefined) throw bad('give the observed moments: --moment "<kpi> <stat>=<observed>±<se>" (several joined with ;) or --moments <file>');
  const over = listFlag(args.over);
  if (!over || over.length === 0 || over.some((n) => n === "")) throw bad("name the behaviour params to fit with --over a,b (each is searched over its range)");
  const weighting = choiceFlag<Weighting>("--weighting", args.weighting, WEIGHTINGS, "inverse-variance");
  const out = path.resolve(args.out ?? CALIBRATION_FILE);
  if (!args.force && fs.existsSync(out)) throw new TokenspiceError("OUT_FILE_EXISTS", `${out} exists: give --force to replace it, or another --out`, { file: out });
  const fromFlags = texts.map(parseMoment);
  let fromFile: { moments: ObservedMoment[]; sha256: string } | undefined;
  if (args.moments !== undefined) fromFile = await readMomentsFile(args.moments);
  const moments = [...(fromFile?.moments ?? []), ...fromFlags];
  const source: MomentsCalibrationFile["source"] = {
    ...(args.moments !== undefined ? { file: dataPathFrom(out, args.moments) ?? path.basename(args.moments), sha256: fromFile!.sha256 } : {}),
    ...(texts.length ? { flags: texts } : {}),
  };
  const searchSeed = numberFlag("--search-seed", args.searchSeed, { integer: true }) ?? randomSeed();
  const steps = numberFlag("--steps", args.steps, { integer: true });
  const fixed = args.params === undefined ? {} : parseParamAssignments(args.params);
  let folder = "";
  const options = {
    moments,
    over,
    weighting,
    replicates: numberFlag("--replicates", args.replicates, COUNT),
    budget: numberFlag("--budget", args.budget, COUNT),
    resamples: numberFlag("--resamples", args.resamples, COUNT),
    confidence: numberFlag("--confidence", args.confidence, SHARE),
    source,
    searchSeed,
    params: fixed,
    paramsFromText: true,
    steps,
    out: args.searchOut,
    workers: numberFlag("--workers", args.workers, COUNT),
    command: ctx.commandLine,
    onFolder: (dir: string) => void (folder = dir),
  };
  if (!args.noCompile) await ctx.compile();
  const result = await runSearch(ctx.environment, args.netlist, "calibrate", options);
  const loaded = ctx.environment.load(args.netlist);
  const file = momentsCalibrationFile(result, {
    netlist: loaded.name,
    steps: steps ?? loaded.netlist.time.steps,
    fixed,
    searchSeed,
    search: dataPathFrom(out, folder) ?? folder,
    source,
    integers: over.filter((n) => loaded.netlist.params[n]?.type === "int"),
  });
  writeCalibration(out, file, args.force === true);
  printMomentsCalibration(file, ctx.output);
  ctx.output.log(`Wrote ${out}; the runs, ${SEARCH_FILE} and report.html are in ${folder}`);
  return file;
}

const num = (x: number) => (Number.isFinite(x) ? formatNumber(x) : String(x));

/** The moments calibration in words: each moment observed against simulated, each param with its interval, the warnings, the --params to use. */
export function printMomentsCalibration(c: MomentsCalibrationFile, output: CliOutput): void {
  const log = (line: string) => output.log(line);
  const pct = Math.round(c.confidence * 100);
  log(`Simulated moments on ${c.netlist}: ${plural(c.replicates, "seed")} per candidate (the same at every one), ${c.weighting} weighting, ${plural(c.runs, "run")}`);
  for (const m of c.moments) {
    log(
      `  ${m.metric}: observed ${num(m.observed)}${m.se !== undefined ? ` ± ${num(m.se)}` : ""}, simulated ${num(m.simulated)} ± ${num(m.simulatedSe)}${Number.isFinite(m.z) ? ` (z ${m.z.toFixed(2)})` : ""}`,
    );
  }
  for (const [name, p] of Object.entries(c.params)) {
    log(
      `Param ${name}: ${num(p.estimate)} (${pct}% interval ${num(p.interval.lower)} to ${num(p.interval.upper)}, ${p.interval.method}; range ${num(p.min)} to ${num(p.max)}; the moments move ${num(p.strength)} se across it)`,
    );
  }
  if (c.overidentification) {
    const o = c.overidentification;
    log(`Hansen's J = ${num(o.statistic)} on ${o.df} df, p = ${num(o.pValue)}`);
  }
  for (const w of c.warnings) output.warn(`Warning: ${w}`);
  log(
    `Use it: --params ${Object.entries(c.suggested)
      .map(([k, v]) => `${k}=${v}`)
      .join(",")}`,
  );
}
