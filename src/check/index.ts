/**
 * Property checks of single runs with fast-check (`hre.tokenspice.check`), one concept per file:
 * options.ts (resolved once), arbitraries.ts (what is drawn), search.ts (search, then shrink),
 * simulate.ts (one simulation judged), replay.ts (the counterexample's run written), report.ts
 * (summary and failure report), errors.ts (`PropertyFailedError`, loading fast-check).
 */
export { checkNetlist } from "./search";
export { resolveCheck, type CheckDefaults, type CheckOptions, type InvariantSample, type ParamDraw, type ResolvedCheck, type ArbitraryLike, type TypedCheckOptions } from "./options";
export { PropertyFailedError } from "./errors";
export type { CheckFailure, CheckReport, CheckSummary } from "./report";
