/**
 * The property search: fast-check draws params, sim seeds (and with `shrinkSteps`, horizons), each
 * draw a whole simulation from a fresh chain (the engine reverts to the snapshot it took before
 * setup). The search runs until the first failure (a time limit stops only this phase); that failure
 * is then replayed by its fast-check path and shrunk with no limit; the shrunk counterexample is
 * replayed once more into a folder (./replay.ts) and thrown as a `PropertyFailedError`.
 */
import type * as FastCheck from "fast-check";
import { TokenspiceError, messageOf } from "../errors";
import { assertParamValue, type ParamSpecs } from "../model/params";
import type { LoadedNetlist } from "../runner/netlists";
import type { RunEnvironment } from "../runner/run";
import { checkInput, type Counterexample } from "./arbitraries";
import { loadFastCheck, PropertyFailedError } from "./errors";
import { resolveCheck, type CheckDefaults, type CheckOptions } from "./options";
import { replayFailure } from "./replay";
import type { CheckFailure, CheckSummary } from "./report";
import { simulateOnce } from "./simulate";

/**
 * Searches params, sim seeds (and with `shrinkSteps`, horizons) for a run that breaks the property
 * or invariant, shrinks it, writes that run's files and throws a `PropertyFailedError` reporting
 * it. Every fast-check run is a whole simulation from a fresh chain (the engine reverts to the
 * snapshot it took before setup).
 * @returns the summary when no run failed (or a replay now passes)
 * @throws PropertyFailedError (PROPERTY_FAILED) for a failure; TokenspiceError DEPENDENCY_MISSING
 *   (no fast-check), CHECK_INVALID, PARAM_UNKNOWN, OPTION_INVALID (`resolveCheck`), CHECK_INVALID
 *   for an arbitrary that draws outside its param's spec, or a run's error that is not a failure
 */
export async function checkNetlist(env: RunEnvironment, loaded: LoadedNetlist, options: CheckOptions, defaults: CheckDefaults): Promise<CheckSummary> {
  const fc = loadFastCheck();
  const check = resolveCheck(loaded, options, defaults);
  const { netlist: name, seed, runs } = check;
  const specs = loaded.netlist.params as ParamSpecs;
  const input: FastCheck.Arbitrary<Counterexample> = checkInput(fc, check);

  // The failure of the last failing simulation: once fast-check is done, that is the counterexample's.
  let lastFailure: CheckFailure | undefined;
  let badDraw: unknown;
  // fast-check's time limit stops waiting for a predicate but cannot stop it: the simulation in
  // flight must finish before anything else uses the chain.
  let inFlight: Promise<unknown> = Promise.resolve();
  const property = fc.asyncProperty(input, ([params, simSeed, horizon]) => {
    const run = evaluate(params, simSeed, horizon);
    inFlight = run.catch(() => undefined);
    return run;
  });
  const evaluate = async (params: Record<string, unknown>, simSeed: number, horizon: number): Promise<boolean> => {
    if (badDraw !== undefined) return true;
    try {
      for (const [key, value] of Object.entries(params)) assertParamValue(name, key, specs[key], value);
    } catch (error) {
      // An arbitrary drew outside the param's spec: the check is misconfigured, not failing.
      badDraw = new TokenspiceError("CHECK_INVALID", `check("${name}"): an arbitrary drew a value outside its param's spec: ${messageOf(error)}`, { netlist: name }, error);
      return true;
    }
    let failure: CheckFailure | undefined;
    try {
      failure = await simulateOnce(env, loaded, check, params, simSeed, horizon);
    } catch (error) {
      badDraw = error; // not a failure of the run (a broken node, an unusable folder): stop the check with it
      return true;
    }
    if (failure) lastFailure = failure;
    return failure === undefined;
  };

  let details: FastCheck.RunDetails<[Counterexample]>;
  let searchRuns: number;
  let interrupted = false;
  if (check.replay) {
    details = await fc.check(property, { seed, path: check.replay.path, endOnFailure: true });
    searchRuns = details.numRuns;
  } else {
    // Search until the first failure (the time limit stops only this phase), then replay that
    // failure by its path and shrink it with no limit.
    const plugins = check.timeLimitMs === undefined ? [] : [fc.interruptAfterTimeLimit(check.timeLimitMs)];
    const search = await fc.check(property, { seed, numRuns: runs, endOnFailure: true, plugins });
    await inFlight;
    searchRuns = search.numRuns;
    interrupted = search.interrupted;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the run threw, as it was
    if (badDraw !== undefined) throw badDraw;
    // fast-check's time limit reports an interruption before the first run ended as a failure
    // with no counterexample (numRuns 0, counterexamplePath null): nothing failed.
    if (!search.failed || search.counterexamplePath === null || search.counterexample === null) {
      if (interrupted) defaults.log(`check("${name}"): the time limit stopped the search after ${search.numRuns} of ${runs} runs; no failure found`);
      return { netlist: name, seed, runs: search.numRuns, interrupted };
    }
    details = await fc.check(property, { seed, path: search.counterexamplePath, numRuns: runs });
  }
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the run threw, as it was
  if (badDraw !== undefined) throw badDraw;
  if (!details.failed || details.counterexample === null || lastFailure === undefined) {
    return { netlist: name, seed, runs: details.numRuns, interrupted }; // a replay that now passes
  }

  const report = await replayFailure(
    env,
    loaded,
    check,
    {
      counterexample: details.counterexample[0],
      failure: lastFailure,
      runs: searchRuns,
      shrinks: details.numShrinks,
      path: details.counterexamplePath ?? "",
      searchInterrupted: interrupted,
    },
    defaults,
  );
  throw new PropertyFailedError(report);
}
