/**
 * `npm run bench` (last part): high-sigma verification, measured on analytic limit states (no chain,
 * so it takes seconds). Figures only, never a timed test.
 *
 * For each case (P(Z1 > 4) = 3.17e-5, a 2-D linear limit state a·z > 4, a 2-D 5-sigma one and a 6-D
 * 4-sigma one), BENCH_SIGMA_REPEATS (default 200) repeats of `importanceSampling` (src/search/importance.ts)
 * at BENCH_SIGMA_RUNS runs each (default 2000, pilot included), each with its own seed: the share of
 * estimates within ±30% of the truth (the target: at least 95%), the share of 95% intervals
 * covering it, the relative spread of the estimates, the repeats whose checks flagged a problem, and the
 * runs plain Monte Carlo would need for the same relative error ((1 − p) / (p · rel²), the binomial
 * variance) and for ±30% in 95% of repeats (rel = 0.3 / 1.96).
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import os from "os";
import { importanceSampling } from "../src/search/importance";
import { linear } from "../test/unit/limit-states";

const REPEATS = Number(process.env.BENCH_SIGMA_REPEATS ?? 200);
const RUNS = Number(process.env.BENCH_SIGMA_RUNS ?? 2000);

const cases = [
  { name: "P(Z1 > 4), 1-D", a: [1], beta: 4 },
  { name: "0.6 z1 + 0.8 z2 > 4, 2-D", a: [0.6, 0.8], beta: 4 },
  { name: "(z1 − 2 z2)/√5 > 5, 2-D", a: [1, -2], beta: 5 },
  { name: "Σ z_i/√6 > 4, 6-D", a: [1, 1, 1, 1, 1, 1], beta: 4 },
];

async function main() {
  console.log(`High-sigma verification: importance sampling, ${REPEATS} repeats of at most ${RUNS} runs (load average ${os.loadavg()[0].toFixed(2)})`);
  const rows: Record<string, string>[] = [];
  for (const c of cases) {
    const truth = normalCdf(-c.beta, 0, 1);
    const started = Date.now();
    const ratios: number[] = [];
    let covered = 0;
    let flagged = 0;
    let runs = 0;
    for (let seed = 0; seed < REPEATS; seed++) {
      const r = await importanceSampling(linear(c.a, c.beta), { dims: c.a.length, maxRuns: RUNS, seed });
      ratios.push(r.p / truth);
      if (r.lo <= truth && truth <= r.hi) covered++;
      if (r.problems.length) flagged++;
      runs += r.runs;
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / REPEATS;
    const rel = Math.sqrt(ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / (REPEATS - 1));
    const mcSame = (1 - truth) / (truth * rel * rel);
    const mcTarget = (1 - truth) / (truth * (0.3 / 1.96) ** 2);
    rows.push({
      case: c.name,
      "true p": truth.toExponential(3),
      "runs (mean)": (runs / REPEATS).toFixed(0),
      "within ±30%": `${((100 * ratios.filter((x) => Math.abs(x - 1) <= 0.3).length) / REPEATS).toFixed(1)}%`,
      "95% CI covers": `${((100 * covered) / REPEATS).toFixed(1)}%`,
      "mean p̂/p": mean.toFixed(3),
      "rel. error": `${(100 * rel).toFixed(1)}%`,
      flagged: String(flagged),
      "plain MC, same rel. error": mcSame.toExponential(2),
      "plain MC, ±30% in 95%": mcTarget.toExponential(2),
      "ms per repeat": ((Date.now() - started) / REPEATS).toFixed(1),
    });
  }
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
