import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { ROOT, useEnvironment } from "./helpers";

/**
 * A run stored before the engine's speed and memory work (token-flow, seed 7, 40 ticks: 1,426 agent
 * transactions, 20 reverts), produced by `npx hardhat sim token-flow --seed 7 --steps 40` on the
 * engine as it was before issue #12. The same run today must give the same files byte for byte:
 * KPIs, every revert with its transaction hash and gas, and the summary. A change to how the engine
 * sends, mines or times blocks that changes any result fails here; if the change is meant, say so in
 * the CHANGELOG and store the run again.
 */
const STORED = path.join(__dirname, "fixtures", "stored-runs", "token-flow-seed7-40");
const FILES = ["kpis.csv", "reverts.csv", "result.json"];

describe("stored run: token-flow, seed 7, 40 ticks", function () {
  useEnvironment(ROOT);

  it("is reproduced byte for byte", async function () {
    this.timeout(300_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-stored-"));
    try {
      await this.hre.tokenspice.run("token-flow", { seed: 7, steps: 40, out, force: true });
      for (const file of FILES) {
        const now = fs.readFileSync(path.join(out, file), "utf8");
        const stored = fs.readFileSync(path.join(STORED, file), "utf8");
        expect(now, file).to.equal(stored);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
