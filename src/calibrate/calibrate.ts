import path from "path";
import { TokenspiceError } from "../errors";
import { CALIBRATION_FILE, dataPathFrom, type CalibrationFile } from "./calibration-file";
import { DIST_FAMILIES, fitDist, type DistFamily, type DistFit } from "./fit-dist";
import { fitGbm } from "./gbm";
import { oneSeries, readSeries, type ColumnMapping, type ObservedData } from "./read-series";
import { isoTime } from "./time";

/** What `calibrate` fits: a dist to a param's observed values, and/or GBM to a price series. */
export interface CalibrateOptions extends ColumnMapping {
  /** The data file (CSV or Parquet). */
  data: string;
  /** The group to fit, when the file has a group column. */
  groupValue?: string;
  /** Dist families to fit to the values (default: all four unless `gbm`); the best by AIC is the param's dist. */
  dists?: DistFamily[];
  /** The param the dist is for (default: the value column's name). */
  param?: string;
  /** The param's range (triangular and uniform need one: see fitDist). */
  min?: number;
  max?: number;
  /** Fit GBM to the values as prices: params `drift` and `volatility` (per year). */
  gbm?: boolean;
  confidence?: number;
  alpha?: number;
  resamples?: number;
  seed?: string;
  /** Where the calibration file will be written (data.file is stored relative to it); default calibration.json. */
  out?: string;
}

/**
 * Reads the data (src/calibrate/read-series.ts) and fits: each family in `dists` by maximum
 * likelihood with intervals and a KS test (the lowest AIC is the param's dist), and GBM when
 * `gbm`. Returns the calibration file's content (src/calibrate/calibration-file.ts) and the data read.
 * @throws TokenspiceError what readSeries and the fits throw; OPTION_INVALID for options that are not valid
 */
export async function calibrate(options: CalibrateOptions): Promise<{ calibration: CalibrationFile; data: ObservedData }> {
  const confidence = options.confidence ?? 0.95;
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? "calibrate";
  const dists = options.dists ?? (options.gbm ? [] : [...DIST_FAMILIES]);
  for (const d of dists) if (!DIST_FAMILIES.includes(d)) throw new TokenspiceError("OPTION_INVALID", `dist ${JSON.stringify(d)} is not one of ${DIST_FAMILIES.join(", ")}`);
  if (dists.length === 0 && !options.gbm) throw new TokenspiceError("OPTION_INVALID", "nothing to fit: name a dist (normal, lognormal, triangular, uniform, all) or ask for gbm");
  const data = await readSeries(options.data, options);
  const series = oneSeries(data, options.groupValue);
  const out = options.out ?? CALIBRATION_FILE;
  const dataFile = dataPathFrom(out, options.data);
  const calibration: CalibrationFile = {
    tool: "hardhat-tokenspice",
    kind: "calibration",
    version: 1,
    data: {
      ...(dataFile !== undefined ? { file: dataFile } : {}),
      name: path.basename(options.data),
      sha256: data.sha256,
      format: data.format,
      columns: { time: options.time, value: options.value, ...(options.group !== undefined ? { group: options.group } : {}) },
      ...(options.groupValue !== undefined ? { group: options.groupValue } : {}),
      rows: data.rows,
      points: series.values.length,
      from: isoTime(series.times[0]),
      to: isoTime(series.times[series.times.length - 1]),
      spacingSeconds: series.spacingSeconds,
      gaps: series.gaps,
    },
    confidence,
    alpha,
    seed,
    params: {},
    suggested: {},
  };
  if (dists.length > 0) {
    const fits: DistFit[] = [];
    const refused: string[] = [];
    for (const family of dists) {
      try {
        fits.push(fitDist(family, series.values, { confidence, alpha, resamples: options.resamples, seed, min: options.min, max: options.max }));
      } catch (error) {
        // with several families, one the data cannot have (a lognormal of negative values) is skipped
        if (dists.length === 1 || !(error instanceof TokenspiceError && error.code === "FIT_INVALID")) throw error;
        refused.push(family);
      }
    }
    fits.sort((a, b) => a.aic - b.aic);
    const best = fits[0];
    calibration.params[options.param ?? options.value] = {
      dist: best.dist,
      ...(best.min !== undefined ? { min: best.min } : {}),
      ...(best.max !== undefined ? { max: best.max } : {}),
      fit: best,
      candidates: fits.map((f) => ({ family: f.family, aic: f.aic, ...(f.gof ? { ksPValue: f.gof.pValue } : {}) })),
    };
  }
  if (options.gbm) {
    const gbm = fitGbm(series.times, series.values, { confidence, alpha });
    calibration.gbm = gbm;
    calibration.suggested = { drift: Number(gbm.drift.estimate.toPrecision(4)), volatility: Number(gbm.volatility.estimate.toPrecision(4)) };
  }
  return { calibration, data };
}
