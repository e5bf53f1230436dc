/**
 * What netlists, agents and tests import: the model API, free of Hardhat so it loads anywhere.
 * `src/index.ts` (the plugin) re-exports all of it.
 */
export { defineNetlist, isNetlist, DEFAULT_START_TIME } from "./model/netlist";
export { DAY } from "./model/time";
export type { AnyNetlist, Netlist, NetlistSpec, NetlistTime, SetupContext, SetupResult, SampleContext, KpiContext, KpiFunction, KpiEntry } from "./model/netlist";
export type { KpiMeta, KpiInfo, KpiScale, KpiSpec } from "./model/kpi";
export { param } from "./model/params";
export type { ParamSpec, ParamSpecs, ParamValues, ParamKind } from "./model/params";
export type { ParamDist } from "./model/dist";
export { Agent } from "./model/agent";
export type { StepContext } from "./model/agent";
export type { AgentWallet } from "./model/wallet";
export type { Rng } from "./model/rng";
export { createRng } from "./model/rng";
// Observed data for a netlist: a series read from CSV or Parquet, and prices driven from its history (src/calibrate).
export {
  readSeries,
  oneSeries,
  logReturns,
  replay,
  blockBootstrap,
  withDrift,
  type ReturnSource,
  type ObservedData,
  type Series as ObservedSeries,
  type ColumnMapping,
  type Gap,
  type TimeFormat,
} from "./calibrate";
export { Series } from "./model/series";
export { prepareCall } from "./model/prepared-call";
export type { PreparedCall } from "./model/prepared-call";
export type { KpiValue } from "./model/series";
export { SimResult } from "./runner/result";
export { TransactionRevertedError, isTransactionReverted } from "./engine/reverts";
export type { RevertRecord } from "./engine/reverts";
export { TokenspiceError, SimulationAbortedError } from "./errors";
export { readCampaignStatus } from "./campaign/campaign";
export type { CampaignStatus } from "./campaign/campaign";
export { PropertyFailedError } from "./check";
export type { CheckOptions, CheckSummary, CheckFailure, InvariantSample } from "./check";
export { defineChecks, type NetlistChecks } from "./check/check-files";
export { tokenspiceChai } from "./chai/series-assertions";
/**
 * TokenSPICE's ExpFunc / RampedExpFunc release schedules in 18-decimal fixed point: the TypeScript
 * reference of `hardhat-tokenspice/contracts/schedules/RampedExp.sol`, equal to it to the wei.
 */
export * as RampedExp from "./schedules/ramped-exp";

// The types public signatures mention (hre.tokenspice's options and results, the netlist API's
// parameters, the core environment an adapter implements), so users name them without deep
// imports. test/unit/public-types.test.ts walks the package's exports and fails on one missing.
export type { WorkerDefaultFor, WorkerOptions } from "./campaign/backends/choose";
export type { CampaignFile } from "./campaign/campaign";
export type { CampaignForkBundle } from "./output/formats/campaign-file";
export type { MergeSummary } from "./campaign/merge";
export type { CampaignKpi, CampaignResult, CampaignRunView } from "./campaign/result";
export type { CampaignRequest } from "./campaign/spec";
export type { CampaignStartOptions } from "./campaign/start";
export type { TokenspiceEnvironment } from "./campaign/environment";
export type {
  BackendEvents,
  BackendSource,
  CampaignBackend,
  CampaignPoint,
  CampaignRun,
  CampaignSpec,
  ParamValue,
  RunJob,
  RunOutcome,
  SampleSpec,
  SweepAxis,
  WorkerPoolRequest,
} from "./campaign/types";
export type { CheckReport } from "./check/report";
export type { BlockTime, NodeBehaviour } from "./engine/chain";
export type { Deployment, ProjectContract } from "./engine/contracts";
export type { KpiSample, SimulationObserver, SimulationOptions, SimulationOutcome } from "./engine/engine";
export type { Profiler, TimeProfile } from "./engine/profile";
export type { Eip1193Provider } from "./engine/provider";
export type { KnownContract } from "./engine/reverts";
export type { TransactionRecord } from "./engine/transactions";
export type { ErrorCode, ErrorKind, FailureDetails } from "./errors";
export type { ArtifactSource, AttachableFactory, ContractFactoryLike, ContractTools, Deployed, FactoryClass, LinkedFactoryClass } from "./model/netlist";
export type { BoolParamSpec, ChoiceParamSpec, FloatParamSpec, IntParamSpec } from "./model/params";
export type { ContractLike } from "./model/prepared-call";
export type { NetlistCatalog } from "./runner/catalog";
export type { LoadedNetlist } from "./runner/netlists";
export type { KpiSummary } from "./runner/result";
export type { NetworkFacts, RunRequest, RunSpec } from "./runner/run-spec";
export type { RunControls, RunEnvironment, RunOptions } from "./runner/run";
export type { CompareOptions, CompareResult, KpiComparison } from "./search/compare";
export type { CalibrateMomentsOptions, CalibrateMomentsResult, CalibratedMoment, CalibratedParam } from "./search/calibrate";
export type { ObservedMoment, Weighting } from "./search/moments";
export type { HodgesLehmann, PairedComparison, PairedT, PairedVerdict, SignedRank } from "./search/paired";
export type { CornerSpec, CornersOptions } from "./search/corners";
export type { RunMetric, RunPredicate } from "./search/metrics";
export type { OptimizeOptions, OptimizeResult } from "./search/optimize";
export type { TraceEntry } from "./search/optimizers";
export type { SearchOptions, SearchSpec } from "./search/run-search";
export type { SearchKind } from "./output/search-kinds";
export type { Corner, FailingRun } from "./search/shared";
export type { CornerCheck, ImportanceSummary, VerifyOptions, VerifyResult } from "./search/verify";
export type { ImportanceLook, ImportanceOptions, ImportanceProblem, ImportanceResult, ImportanceRun, LimitSample } from "./search/importance";
export type { SensitivityOptions, SensitivityOutput, SensitivityParam, SensitivityResult } from "./search/sensitivity";
export type { Interval, MorrisIndex, SobolIndex, SobolIndices } from "./search/sensitivity-indices";
export type { Stability, WorstCaseOptions, WorstCaseResult } from "./search/worst-case";
