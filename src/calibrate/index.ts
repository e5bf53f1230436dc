/**
 * Calibration: observed data in (CSV or Parquet through DuckDB), distributions and GBM fitted by
 * maximum likelihood with intervals and goodness-of-fit tests, written to a calibration file with
 * the data's SHA-256. Free of Hardhat (the `sim-calibrate` task is src/cli/calibrate.ts).
 */
export { calibrate, type CalibrateOptions } from "./calibrate";
export { CALIBRATION_FILE, confinedPath, readCalibration, writeCalibration, type CalibrationFile } from "./calibration-file";
export { DIST_FAMILIES, fitDist, triangularMode, type DistFamily, type DistFit, type FitOptions } from "./fit-dist";
export { SECONDS_PER_YEAR, fitGbm, ljungBox, returnDiagnostics, type GbmFit, type TestResult } from "./gbm";
export { GAP_FACTOR, findGaps, type Gap } from "./gaps";
export { ksTest, type GoodnessOfFit } from "./goodness-of-fit";
export { covers, type Interval } from "./interval";
export { oneSeries, readSeries, type ColumnMapping, type ObservedData, type Series } from "./read-series";
export { isoTime, parseTime, type TimeFormat } from "./time";
export { blockBootstrap, logReturns, replay, withDrift, type ReturnSource } from "./history";
export { BACKTEST_FILE, crpsEnsemble, lossLines, inWindow, parseWindow, pinballLoss, scoreBacktest, splitWindows, ticksOf, type BacktestLosses, type ScoredPoint, type TimeWindow } from "./backtest";
