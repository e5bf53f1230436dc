// Types for the chai assertions of ./series-assertions (loaded with the plugin).

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Chai {
    interface Assertion {
      /** Every sample >= the one before. */
      nonDecreasing: Assertion;
      /** Every sample <= the one before. */
      nonIncreasing: Assertion;
      /** Reads well before `within`: `expect(series).to.stay.within(lo, hi)`. */
      stay: Assertion;
      /** Negates, like `not`: `expect(series).to.never.dropBelow(v)`. */
      never: Assertion;
      /** The series' final value: `expect(series).to.end.closeTo(v, tol)`. */
      end: Assertion;
      /** Some sample is below `value` (with `never`: none is). */
      dropBelow(value: number | bigint, message?: string): Assertion;
      /** Some sample is above `value` (with `never`: none is). */
      riseAbove(value: number | bigint, message?: string): Assertion;
    }
    interface NumericComparison {
      within(start: number | bigint, finish: number | bigint, message?: string): Assertion;
    }
    interface CloseTo {
      (expected: number | bigint, delta: number | bigint, message?: string): Assertion;
    }
  }
}

export {};
