import type { LimitSample } from "../../src/search/importance";

/**
 * A known-answer limit state for the rare-event tests and bench (bench/high-sigma.ts): the linear one
 * a·z > beta in standard-normal space (a normalised), whose failure probability is exactly Φ(−beta)
 * in any dimension; its margin is beta − â·z (negative: failed).
 */
export function linear(a: number[], beta: number): (zs: number[][]) => LimitSample[] {
  const n = Math.hypot(...a);
  const unit = a.map((x) => x / n);
  return (zs) =>
    zs.map((z) => {
      const g = beta - z.reduce((s, v, i) => s + unit[i] * v, 0);
      return { fail: g < 0, margin: g };
    });
}
