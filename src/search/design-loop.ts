/**
 * The design loop TokenSPICE's README promised, one method per file: 3-sigma verification
 * (`verify.ts`), worst-case analysis (`worst-case.ts`), corner extraction (`corners.ts`) and
 * variation-aware optimization (`optimize.ts`), global sensitivity analysis (`sensitivity.ts`, its numeric cores `sensitivity-indices.ts`), with what they share in `shared.ts`; each a loop
 * that asks an `Evaluator` (`evaluator.ts`) for runs. `registry.ts` maps each `SearchKind`
 * (`SEARCH_KINDS`, src/output/search-kinds.ts) to its method; `run-search.ts` runs one into a folder. This module re-exports them
 * for the imports that name it.
 */
export { checkCount, paramsOver, type Corner, type FailingRun } from "./shared";
export { verify, type CornerCheck, type VerifyOptions, type VerifyResult } from "./verify";
export { worstCase, type WorstCaseOptions, type WorstCaseResult } from "./worst-case";
export { corners, type CornerSpec, type CornersOptions } from "./corners";
export { optimize, type OptimizeOptions, type OptimizeResult } from "./optimize";
export { sensitivity, type SensitivityOptions, type SensitivityResult } from "./sensitivity";
export { compare, type CompareOptions, type CompareResult, type KpiComparison } from "./compare";
export { calibrateMoments, type CalibrateMomentsOptions, type CalibrateMomentsResult, type CalibratedMoment, type CalibratedParam } from "./calibrate";
export { SEARCH_KINDS, isSearchKind, type SearchKind } from "../output/search-kinds";
