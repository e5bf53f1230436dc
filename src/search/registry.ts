import type { ParamSpecs } from "../model/params";
import { writeCornersFile } from "../output/formats/corners-file";
import { corners, type CornersOptions } from "./corners";
import type { Corner } from "./shared";
import type { Evaluator } from "./evaluator";
import type { SearchKind } from "./kinds";
import { optimize, type OptimizeOptions, type OptimizeResult } from "./optimize";
import { verify, type VerifyOptions, type VerifyResult } from "./verify";
import { worstCase, type WorstCaseOptions, type WorstCaseResult } from "./worst-case";

/** What a search method is told besides its options: the netlist as the caller named it ("(inline)" for an object). */
export interface SearchContext {
  netlist: string;
}

/**
 * One design-loop method: its options and result types, and the loop that asks the evaluator for
 * runs. `run` may write files of its own into `evaluator.dir` (corners writes the corners file); the
 * search's folder, lock, search file and store are `runSearch`'s.
 */
export interface SearchMethod<Options, Result> {
  run(evaluator: Evaluator, specs: ParamSpecs, options: Options & { seed: number }, context: SearchContext): Promise<Result>;
}

/** Each search kind's options (what its method takes besides the search's seed). */
export interface SearchOptionsByKind {
  verify: VerifyOptions;
  "worst-case": WorstCaseOptions;
  corners: CornersOptions;
  optimize: OptimizeOptions;
}

/** Each search kind's result (the search file's `result`). */
export interface SearchResultByKind {
  verify: VerifyResult;
  "worst-case": WorstCaseResult;
  corners: Corner[];
  optimize: OptimizeResult;
}

/**
 * The search kinds' methods, by kind: where a new kind is added (with its file beside these, its
 * name in `SEARCH_KINDS` and its report section in src/report/search.ts).
 */
export const SEARCH_METHODS: { [K in SearchKind]: SearchMethod<SearchOptionsByKind[K], SearchResultByKind[K]> } = {
  verify: { run: (evaluator, specs, options) => verify(evaluator, specs, options) },
  "worst-case": { run: (evaluator, specs, options) => worstCase(evaluator, specs, options) },
  corners: {
    async run(evaluator, specs, options, context) {
      const found = await corners(evaluator, specs, options);
      writeCornersFile(evaluator.dir, { netlist: context.netlist, corners: found });
      return found;
    },
  },
  optimize: { run: (evaluator, specs, options) => optimize(evaluator, specs, options) },
};
