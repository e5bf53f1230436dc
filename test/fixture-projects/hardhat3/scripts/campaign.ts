// A campaign on Hardhat 3 (run by test/hardhat3.test.ts with `hardhat run`): 4 runs of the jar on 2
// worker processes, then the same on 1 (this process), then a verification on 2 workers. Prints one
// JSON line: the workers that ran jobs, whether every run's files are byte-identical across the two,
// and the verification's verdict.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-hh3-campaign-"));
const workersSeen = (workers: number) => {
  const seen = new Set<number>();
  return { seen, events: { onStart: (_key: string, worker: number) => void seen.add(worker) } };
};
const two = workersSeen(2);
const a = await hre.tokenspice.campaign("jar", { runs: 4, seed: 1, workers: 2, out: path.join(tmp, "two"), events: two.events });
const one = workersSeen(1);
const b = await hre.tokenspice.campaign("jar", { runs: 4, seed: 1, workers: 1, out: path.join(tmp, "one"), events: one.events });
// A search (3-sigma verification of a spec the jar always meets) on the same 2 workers.
const verify = await hre.tokenspice.verify("jar", { spec: "total final >= 0", target: 0.5, batch: 4, maxRuns: 8, seed: 3, workers: 2, out: path.join(tmp, "verify") });
await hre.tokenspice.close();

const files = (dir: string) => a.runs.flatMap((run) => ["kpis.csv", "reverts.csv", "result.json"].map((f) => fs.readFileSync(path.join(dir, run.run.dir, f), "utf8")));
console.log(
  "RESULT " +
    JSON.stringify({
      runs: [a.runs.length, b.runs.length],
      failures: [a.failures.length, b.failures.length],
      workers: [[...two.seen].sort(), [...one.seen].sort()],
      identical: JSON.stringify(files(a.dir)) === JSON.stringify(files(b.dir)),
      verify: { verdict: verify.verdict, met: verify.yield.k, of: verify.yield.n },
      runsCsvIdentical: fs.readFileSync(path.join(a.dir, "runs.csv"), "utf8") === fs.readFileSync(path.join(b.dir, "runs.csv"), "utf8"),
    }),
);
fs.rmSync(tmp, { recursive: true, force: true });
