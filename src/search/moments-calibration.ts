import type { CalibratedMoment, CalibratedParam, CalibrateMomentsResult } from "./calibrate";

/**
 * The calibration file of a behaviour calibration by simulated moments (`sim-calibrate moments`;
 * default `calibration.json`, as the fit's; `kind` tells them apart). What a user commits:
 * - `netlist`, `steps`, `fixed` (the params held fixed), `searchSeed`, `replicates` and `seeds`:
 *   enough to run the same search again (the same seed and folder resume it);
 * - `source`: where the moments came from: the moments file (its path relative to this file's
 *   folder, or its name when outside it, and its SHA-256) and the `--moment` texts; each moment keeps
 *   its own `source` (free text, or the data file and its SHA-256 it was computed from);
 * - `moments`: each observed against simulated at the fit, with its weight and z;
 * - `params`: each fitted param's estimate, range, interval (seed bootstrap), identification strength;
 * - `warnings`: params not identified, intervals spanning most of a range, moments not matched together;
 * - `suggested`: the fitted values (4 significant digits; ints exact) to pass as `--params`.
 */
export interface MomentsCalibrationFile {
  tool: "hardhat-tokenspice";
  kind: "moments-calibration";
  version: 1;
  netlist: string;
  steps: number;
  fixed: Record<string, unknown>;
  searchSeed: number;
  /** The search's folder (its runs, search.json, report.html), relative to this file's folder when inside it. */
  search: string;
  source: { file?: string; sha256?: string; flags?: string[] };
  weighting: CalibrateMomentsResult["weighting"];
  replicates: number;
  seeds: number[];
  confidence: number;
  resamples: number;
  moments: CalibratedMoment[];
  params: Record<string, Omit<CalibratedParam, "name">>;
  objective: number;
  overidentification?: CalibrateMomentsResult["overidentification"];
  warnings: string[];
  runs: number;
  suggested: Record<string, number>;
}

/** The calibration file's content from a moments search's result and what the search was. */
export function momentsCalibrationFile(
  result: CalibrateMomentsResult,
  meta: { netlist: string; steps: number; fixed: Record<string, unknown>; searchSeed: number; search: string; source: MomentsCalibrationFile["source"]; integers: string[] },
): MomentsCalibrationFile {
  const suggested = Object.fromEntries(result.params.map((p) => [p.name, meta.integers.includes(p.name) ? p.estimate : Number(p.estimate.toPrecision(4))]));
  return {
    tool: "hardhat-tokenspice",
    kind: "moments-calibration",
    version: 1,
    netlist: meta.netlist,
    steps: meta.steps,
    fixed: meta.fixed,
    searchSeed: meta.searchSeed,
    search: meta.search,
    source: meta.source,
    weighting: result.weighting,
    replicates: result.replicates,
    seeds: result.seeds,
    confidence: result.confidence,
    resamples: result.resamples,
    moments: result.moments,
    params: Object.fromEntries(result.params.map(({ name, ...p }) => [name, p])),
    objective: result.objective,
    ...(result.overidentification ? { overidentification: result.overidentification } : {}),
    warnings: result.warnings,
    runs: result.runs,
    suggested,
  };
}
