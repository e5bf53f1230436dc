import fc from "fast-check";
import { defineChecks } from "../../../../src/api";
import treasury from "./treasury";

// The treasury's checks, as `npx hardhat sim-check` (and Hardhat 3's `npx hardhat test`) runs them:
// one that holds and one that FlawedTreasury breaks (its floor check is flawed from 501 a tick on).
export default defineChecks(treasury, {
  "keeps its floor at 100 a tick": {
    params: { withdrawPerTick: 100 },
    invariant: (s) => s.kpi<bigint>("balance") >= 5_000n,
    steps: 5,
    runs: 2,
    seed: 1,
  },
  "keeps its floor at any withdrawal": {
    params: { withdrawPerTick: fc.integer({ min: 0, max: 2000 }) },
    invariant: (s) => s.kpi<bigint>("balance") >= 5_000n,
    steps: 10,
    runs: 50,
    seed: 42,
  },
});
