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
export { tokenspiceChai } from "./chai/series-assertions";
/**
 * TokenSPICE's ExpFunc / RampedExpFunc release schedules in 18-decimal fixed point: the TypeScript
 * reference of `hardhat-tokenspice/contracts/schedules/RampedExp.sol`, equal to it to the wei.
 */
export * as RampedExp from "./schedules/ramped-exp";
