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
export { importanceSampling } from "./search/importance";
export { SEARCH_KINDS } from "./output/search-kinds";
export type { SearchOptionsByKind, SearchResultByKind } from "./search/registry";
export { CampaignResult } from "./campaign/result";
export { runSpec, runNetlist } from "./runner/run";
export { loadNetlist } from "./runner/netlists";
