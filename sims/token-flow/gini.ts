/**
 * Gini coefficient of non-negative values: 0 when all are equal, towards 1 when one holds all.
 * 0 for an empty or all-zero population. Uses the sorted-rank form G = 2Σ i·x_i / (n Σ x_i) − (n+1)/n.
 */
export function gini(values: readonly number[]): number {
  const n = values.length;
  const total = values.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const weighted = sorted.reduce((acc, x, i) => acc + (i + 1) * x, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}
