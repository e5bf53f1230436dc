/**
 * `hardhat-tokenspice/core`: campaigns and the design loop's searches from any Node program, with no
 * Hardhat runtime. Give `createEnvironment` an EIP-1193 provider (EDR's, or a node over JSON-RPC)
 * and your folders, then call `startCampaign` and `runSearch` with it, as the Hardhat adapters do
 * (examples/no-hardhat, docs/how-to/no-hardhat.md). It re-exports the model API (`./api`), so one
 * import holds `defineNetlist` too.
 */
export * from "./api";
export { createEnvironment, readArtifactsFolder, type EnvironmentOptions } from "./campaign/environment";
export { startCampaign } from "./campaign/start";
export type { CampaignSummary } from "./campaign/campaign";
export { runSearch } from "./search/run-search";
export { comparePaired, hodgesLehmann, holm, pairedT, pairsToDetect, signedRank } from "./search/paired";
export { importanceSampling } from "./search/importance";
export { SEARCH_KINDS } from "./output/search-kinds";
// the sensitivity analysis's numeric core on a function of the unit cube (no runs)
export { morrisAnalyze, sobolAnalyze } from "./search/sensitivity-indices";
export type { SearchOptionsByKind, SearchResultByKind } from "./search/registry";
export { CampaignResult } from "./campaign/result";
export { runSpec, runNetlist } from "./runner/run";
export { loadNetlist } from "./runner/netlists";
// Calibration: observed data in, distributions and GBM fitted (src/calibrate; `sim-calibrate` on the command line).
export { calibrate, fitDist, fitGbm, readSeries, readCalibration, writeCalibration, type CalibrateOptions, type CalibrationFile, type DistFit, type GbmFit, type ObservedData } from "./calibrate";
// Behaviour by simulated moments (src/search/moments.ts, src/search/calibrate.ts; `runSearch(environment, netlist, "calibrate", …)` runs it,
// `sim-calibrate moments` on the command line): the moments, their file, the numeric core on numbers alone, the calibration file.
export { calibrateMoments, type CalibrateMomentsOptions, type CalibrateMomentsResult } from "./search/calibrate";
export { gaussNewtonStep, identification, meanWithSe, momentWeights, momentsObjective, overidentification, parseMoment, seedBootstrap, type ObservedMoment, type Weighting } from "./search/moments";
export { readMomentsFile, type MomentsFile, type MomentEntry } from "./search/moments-file";
export { momentsCalibrationFile, type MomentsCalibrationFile } from "./search/moments-calibration";
