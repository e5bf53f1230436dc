import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { ROOT, cliIn } from "./helpers";

// `npx hardhat sim-calibrate fit` on Hardhat 2: the exit codes and what it prints are the CLI's own behaviour.
describe("sim-calibrate (Hardhat 2 command line)", function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-calibrate-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("fits GBM to the shipped ETH/USD year, prints what GBM misses, writes calibration.json; exit 2 naming the row and column of a bad cell", () => {
    const out = path.join(tmp, "calibration.json");
    const r = cliIn(ROOT, ["sim-calibrate", "fit", "--data", "sims/amm/data/eth-usd-daily.csv", "--time", "date", "--value", "close", "--gbm", "--out", out]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout)
      .to.contain("Gaps (not filled): 3, about 4 points missing")
      .and.contain("volatility (per year) 1.065 (95% interval 0.9935 to 1.15")
      .and.match(/Fat tails: .*Volatility clustering: /s);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).data.sha256).to.equal(JSON.parse(fs.readFileSync(path.join(ROOT, "sims", "amm", "data", "calibration.json"), "utf8")).data.sha256);
    const again = cliIn(ROOT, ["sim-calibrate", "fit", "--data", "sims/amm/data/eth-usd-daily.csv", "--time", "date", "--value", "close", "--gbm", "--out", out]);
    expect(again.status, again.output).to.equal(2);
    expect(again.output).to.contain("exists: give --force");
    const bad = path.join(tmp, "bad.csv");
    fs.writeFileSync(bad, "date,close\n2021-01-02,1\n2021-01-01,2\n");
    const refused = cliIn(ROOT, ["sim-calibrate", "fit", "--data", bad, "--time", "date", "--value", "close", "--gbm", "--out", path.join(tmp, "bad.json")]);
    expect(refused.status, refused.output).to.equal(2);
    expect(refused.output).to.contain(`${bad}: row 2, column "date": time 2021-01-01 comes before row 1's (2021-01-02)`);
  });
});
