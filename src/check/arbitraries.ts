/**
 * What a check draws: each param (the caller's arbitrary, a constant, or its declared range), the
 * sim seed, and the horizon (fixed, or shrinkable with `shrinkSteps`), as one fast-check tuple.
 */
import type * as FastCheck from "fast-check";
import type { ParamSpec } from "../model/params";
import type { ResolvedCheck } from "./options";

/** One draw: the params, the sim seed, and the ticks to run. */
export type Counterexample = [params: Record<string, unknown>, seed: number, steps: number];

/** True for a fast-check arbitrary (duck-typed: the caller's fast-check may be another copy). */
export function isArbitrary(value: unknown): value is FastCheck.Arbitrary<unknown> {
  const v = value as FastCheck.Arbitrary<unknown> | null;
  return typeof v === "object" && v !== null && typeof v.generate === "function" && typeof v.shrink === "function";
}

/** An arbitrary for a param nobody named: its declared range. */
function specArbitrary(fc: typeof FastCheck, spec: ParamSpec): FastCheck.Arbitrary<unknown> {
  switch (spec.type) {
    case "int":
      return fc.integer({ min: spec.min ?? -(2 ** 31), max: spec.max ?? 2 ** 31 - 1 });
    case "float":
      return fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true });
    case "bool":
      return fc.boolean();
    case "choice":
      return fc.constantFrom(...spec.choices);
  }
}

/**
 * Always `max` ticks while searching; when shrinking, tries fewer, as integers shrink: towards 1,
 * so a flaw that shows from tick t on shrinks to exactly t.
 */
function horizonArbitrary(fc: typeof FastCheck, max: number): FastCheck.Arbitrary<number> {
  const shrinker = fc.integer({ min: 1, max });
  return new (class extends fc.Arbitrary<number> {
    generate(): FastCheck.Value<number> {
      return new fc.Value(max, undefined);
    }
    canShrinkWithoutContext(value: unknown): value is number {
      return shrinker.canShrinkWithoutContext(value);
    }
    shrink(value: number, context: unknown): FastCheck.Stream<FastCheck.Value<number>> {
      return shrinker.shrink(value, context);
    }
  })();
}

/** The check's input: a record of the params, a sim seed (any natural number), and the horizon. */
export function checkInput(fc: typeof FastCheck, check: Pick<ResolvedCheck, "params" | "steps" | "shrinkSteps">): FastCheck.Arbitrary<Counterexample> {
  const paramArbs: Record<string, FastCheck.Arbitrary<unknown>> = {};
  for (const [key, draw] of Object.entries(check.params)) {
    paramArbs[key] = draw.from === "spec" ? specArbitrary(fc, draw.spec) : draw.from === "arbitrary" ? draw.arbitrary : fc.constant(draw.value);
  }
  return fc.tuple(fc.record(paramArbs), fc.nat(), check.shrinkSteps ? horizonArbitrary(fc, check.steps) : fc.constant(check.steps));
}
