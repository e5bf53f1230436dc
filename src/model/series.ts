import { mean, standardDeviation } from "simple-statistics";
import { TokenspiceError } from "../errors";

/** A KPI sample: a number, or a bigint for exact amounts (token balances in wei, 18-decimal fixed point). */
export type KpiValue = number | bigint;

/**
 * One KPI's samples over a run. `at(i)` indexes the samples (negative counts from the end);
 * `ticks[i]` is the tick of sample i (tick 0 is the state right after setup).
 * min/max/final are exact for bigint KPIs; mean and std are computed in floating point.
 *
 * Non-finite samples (a number KPI may be NaN or ±Infinity: a price before liquidity, 0/0) are
 * carried as the values they are, with IEEE 754's rules: a series holding NaN has min, max, mean
 * and std NaN (NaN is unordered, so no extreme is known); ±Infinity is an ordinary extreme and
 * makes the mean ±Infinity (NaN when both signs occur), and the std NaN.
 */
export class Series<T extends KpiValue = KpiValue> {
  constructor(
    readonly name: string,
    readonly values: readonly T[],
    readonly ticks: readonly number[],
  ) {}

  /** How many samples the series holds (tick 0, then every `sampleEvery` ticks and the last). */
  get length(): number {
    return this.values.length;
  }

  /**
   * Sample `i` (0 is the sample after setup; negative counts from the end: -1 is the last).
   *
   * @throws TokenspiceError OPTION_INVALID when there is no sample `i`
   */
  at(i: number): T {
    const v = this.values.at(i);
    if (v === undefined) throw new TokenspiceError("OPTION_INVALID", `KPI "${this.name}" has ${this.values.length} samples; no sample ${i}`, { kpi: this.name, index: i });
    return v;
  }

  /**
   * The last sample (after the run's last tick).
   *
   * @throws TokenspiceError OPTION_INVALID when the series is empty
   */
  final(): T {
    return this.at(-1);
  }

  /**
   * The smallest sample, exact for bigints; NaN when a sample is NaN.
   *
   * @throws TokenspiceError OPTION_INVALID when the series is empty
   */
  min(): T {
    return this.hasNaN() ? (NaN as T) : this.reduce((a, b) => (b < a ? b : a));
  }

  /**
   * The largest sample, exact for bigints; NaN when a sample is NaN.
   *
   * @throws TokenspiceError OPTION_INVALID when the series is empty
   */
  max(): T {
    return this.hasNaN() ? (NaN as T) : this.reduce((a, b) => (b > a ? b : a));
  }

  /**
   * The arithmetic mean in floating point (bigints converted with Number()); ±Infinity or NaN as IEEE 754 says when a sample is not finite.
   *
   * @throws TokenspiceError OPTION_INVALID when the series is empty
   */
  mean(): number {
    const xs = this.nonEmpty().numbers();
    const infinite = nonFinite(xs);
    // simple-statistics sums with Kahan compensation, which turns a lone Infinity into NaN.
    return infinite ?? mean(xs);
  }

  /**
   * Population standard deviation (NaN when a sample is not finite).
   *
   * @throws TokenspiceError OPTION_INVALID when the series is empty
   */
  std(): number {
    const xs = this.nonEmpty().numbers();
    return xs.every(Number.isFinite) ? standardDeviation(xs) : NaN;
  }

  /** True when some sample is NaN. */
  hasNaN(): boolean {
    return this.values.some((v) => typeof v === "number" && Number.isNaN(v));
  }

  /** The samples as numbers (bigints converted with Number(), so large ones lose precision). */
  numbers(): number[] {
    return this.values.map(Number);
  }

  private reduce(pick: (a: T, b: T) => T): T {
    return this.nonEmpty().values.reduce(pick);
  }

  // simple-statistics throws its own plain Error on an empty list: the plugin's error names the KPI.
  private nonEmpty(): this {
    if (this.values.length === 0) throw new TokenspiceError("OPTION_INVALID", `KPI "${this.name}" has no samples`, { kpi: this.name });
    return this;
  }
}

/** The IEEE mean of a list holding a non-finite value (NaN, ±Infinity), or undefined when all are finite. */
function nonFinite(xs: readonly number[]): number | undefined {
  let pos = false;
  let neg = false;
  for (const x of xs) {
    if (Number.isNaN(x)) return NaN;
    if (x === Infinity) pos = true;
    else if (x === -Infinity) neg = true;
  }
  if (pos && neg) return NaN;
  if (pos) return Infinity;
  if (neg) return -Infinity;
  return undefined;
}
