import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { ROOT, cliIn } from "./helpers";

// `npx hardhat sim-calibrate backtest` on Hardhat 2: a short held-out window, 3 runs (about 12 s), and a refusal (6 s).
describe("sim-calibrate backtest (Hardhat 2 command line)", function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-backtest-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const flags = ["--data", "sims/amm/data/eth-usd-daily.csv", "--time", "date", "--value", "close", "--kpi", "externalPrice", "--fit-window", "2020-06-27..2021-01-01"];

  it("runs amm from the held-out window's first close with the fit's volatility, scores externalPrice against the closes, and the report draws them", () => {
    const out = path.join(tmp, "bt");
    const r = cliIn(ROOT, ["sim-calibrate", "backtest", "amm", ...flags, "--test-window", "2021-01-01..2021-01-11", "--params", "drift=0", "--replicates", "3", "--workers", "1", "--out", out]);
    expect(r.status, r.output).to.equal(0);
    const b = JSON.parse(fs.readFileSync(path.join(out, "backtest.json"), "utf8"));
    const closes = fs
      .readFileSync(path.join(ROOT, "sims/amm/data/eth-usd-daily.csv"), "utf8")
      .trim()
      .split("\n")
      .filter((l) => l >= "2021-01-01" && l < "2021-01-12")
      .map((l) => Number(l.split(",")[1]));
    expect(b.observed.values).to.deep.equal(closes);
    expect(b.observed.ticks).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(b.params).to.include({ drift: "0", initialPrice: String(closes[0]) });
    expect(Number(b.params.volatility)).to.be.within(b.fit.volatility.lower, b.fit.volatility.upper);
    expect(b.losses).to.include({ points: 10, runs: 3, band: 0.9 });
    // backtest.csv is the same points: its share inside the band is the coverage
    const rows = fs.readFileSync(path.join(out, "backtest.csv"), "utf8").trim().split("\n").slice(1);
    expect(rows.length).to.equal(10);
    expect(rows.filter((l) => l.split(",")[6] === "1").length / rows.length).to.equal(b.losses.coverage);
    // one run per replicate, none failed
    const runs = fs.readdirSync(path.join(out, "runs"), { recursive: true }).filter((f) => String(f).endsWith("kpis.csv"));
    expect(runs.length).to.equal(3);
    expect(r.stdout).to.contain("coverage of the 90% band").and.contain("CRPS");
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).to.contain('<section id="backtest">').and.contain("observed (close)");
  });

  it("refuses, before any run, a fitted drift outside the netlist's range (exit 2, nothing written)", () => {
    const drift = cliIn(ROOT, ["sim-calibrate", "backtest", "amm", ...flags, "--test-window", "2021-01-01..2021-01-11", "--out", path.join(tmp, "drift")]);
    expect(drift.status, drift.output).to.equal(2);
    expect(drift.output).to.contain("the fit's drift 2.583 is outside amm's drift range [-2, 2]: give --params drift=");
    expect(fs.existsSync(path.join(tmp, "drift"))).to.equal(false);
  });
});
