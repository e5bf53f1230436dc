/**
 * One simulation of a check, judged: the run (stopped at the first sample that breaks the
 * invariant), then the property on its result. What broke is data (a `CheckFailure`), not thrown.
 */
import type { KpiSample } from "../engine/engine";
import { isTokenspiceError, messageOf } from "../errors";
import type { KpiValue } from "../model/series";
import type { LoadedNetlist } from "../runner/netlists";
import type { SimResult } from "../runner/result";
import { runNetlist, type RunEnvironment } from "../runner/run";
import type { InvariantSample, ResolvedCheck } from "./options";
import type { CheckFailure } from "./report";

/**
 * One simulation; the failure it shows, if any. Writes files when given a folder.
 * @throws TokenspiceError of a kind other than "failure" (a broken node, an unusable folder): not a
 *   failure of the run, so the check stops with it
 */
export async function simulateOnce(
  env: RunEnvironment,
  loaded: LoadedNetlist,
  check: Pick<ResolvedCheck, "property" | "invariant">,
  params: Record<string, unknown>,
  seed: number,
  steps: number,
  out?: string,
): Promise<CheckFailure | undefined> {
  let broken: CheckFailure | undefined;
  const stopAfterSample = check.invariant
    ? (sample: KpiSample) => {
        const view: InvariantSample = { ...sample, kpi: <T extends KpiValue>(k: string) => sample.values[k] as T };
        const message = verdict(() => check.invariant!(view), "the invariant returned false");
        if (message !== undefined) broken = { kind: "invariant", message, tick: sample.tick, kpis: { ...sample.values } };
        return broken !== undefined;
      }
    : undefined;
  let result: SimResult;
  try {
    result = await runNetlist(env, loaded, { seed, steps, params, out, force: false, stopAfterSample });
  } catch (error) {
    if (isTokenspiceError(error) && error.kind !== "failure") throw error;
    return { kind: "error", message: messageOf(error), kpis: {} };
  }
  if (broken) return broken;
  if (!check.property) return undefined;
  const message = await verdictAsync(() => check.property!(result), "the property returned false");
  if (message === undefined) return undefined;
  const finals = Object.fromEntries(result.kpiNames.map((k) => [k, result.kpi(k).final()]));
  return { kind: "property", message, kpis: finals };
}

function verdict(fn: () => unknown, falseMessage: string): string | undefined {
  try {
    return fn() === false ? falseMessage : undefined;
  } catch (error) {
    return messageOf(error);
  }
}

async function verdictAsync(fn: () => unknown, falseMessage: string): Promise<string | undefined> {
  try {
    return (await fn()) === false ? falseMessage : undefined;
  } catch (error) {
    return messageOf(error);
  }
}
