import { mean, standardDeviation } from "simple-statistics";

export type KpiValue = number | bigint;

/**
 * One KPI's samples over a run. `at(i)` indexes the samples (negative counts from the end);
 * `ticks[i]` is the tick of sample i (tick 0 is the state right after setup).
 * min/max/final are exact for bigint KPIs; mean and std are computed in floating point.
 */
export class Series<T extends KpiValue = KpiValue> {
  constructor(
    readonly name: string,
    readonly values: readonly T[],
    readonly ticks: readonly number[],
  ) {}

  get length(): number {
    return this.values.length;
  }

  at(i: number): T {
    const v = this.values.at(i);
    if (v === undefined) throw new RangeError(`KPI "${this.name}" has ${this.values.length} samples; no sample ${i}`);
    return v;
  }

  final(): T {
    return this.at(-1);
  }

  min(): T {
    return this.reduce((a, b) => (b < a ? b : a));
  }

  max(): T {
    return this.reduce((a, b) => (b > a ? b : a));
  }

  mean(): number {
    return mean(this.numbers());
  }

  /** Population standard deviation. */
  std(): number {
    return standardDeviation(this.numbers());
  }

  numbers(): number[] {
    return this.values.map(Number);
  }

  private reduce(pick: (a: T, b: T) => T): T {
    if (this.values.length === 0) throw new RangeError(`KPI "${this.name}" has no samples`);
    return this.values.reduce(pick);
  }
}
