import type { SearchKind } from "../output/search-kinds";
import { calibrateMethod } from "./calibrate";
import { compareMethod } from "./compare";
import { cornersMethod } from "./corners";
import { optimizeMethod } from "./optimize";
import { sensitivityMethod } from "./sensitivity";
import type { SearchMethod } from "./shared";
import { verifyMethod } from "./verify";
import { worstCaseMethod } from "./worst-case";

export type { SearchContext, SearchMethod } from "./shared";

/**
 * Every design-loop method, by kind: the one place a method is registered. A method is one value
 * (`SearchMethod`: its loop, its run counts, its part of the report) exported from its own file
 * beside these; its kind's name is in `SEARCH_KINDS` (src/output/search-kinds.ts, where the search
 * file's reader checks `kind`). This map must hold every kind of `SEARCH_KINDS` and no other (the
 * compiler says which is missing or extra; test/unit/search-registry.test.ts says it again at run
 * time). `runSearch` (./run-search.ts) and the search report take everything from here.
 */
export const SEARCH_METHODS = {
  verify: verifyMethod,
  "worst-case": worstCaseMethod,
  corners: cornersMethod,
  optimize: optimizeMethod,
  sensitivity: sensitivityMethod,
  compare: compareMethod,
  calibrate: calibrateMethod,
} as const satisfies { [K in SearchKind]: SearchMethod<any, any> };

type OptionsOf<M> = M extends SearchMethod<infer O, any> ? O : never;
type ResultOf<M> = M extends SearchMethod<any, infer R> ? R : never;

/** Each search kind's options (what its method takes besides the search's seed), from `SEARCH_METHODS`. */
export type SearchOptionsByKind = { [K in SearchKind]: OptionsOf<(typeof SEARCH_METHODS)[K]> };

/** Each search kind's result (the search file's `result`), from `SEARCH_METHODS`. */
export type SearchResultByKind = { [K in SearchKind]: ResultOf<(typeof SEARCH_METHODS)[K]> };
