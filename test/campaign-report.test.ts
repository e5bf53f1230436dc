import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { writeCampaignOutputs } from "../src/campaign/outputs";
import type { CampaignDocument } from "../src/campaign/folder";
import { cliIn, fixture, quietConsoleLog, useEnvironment } from "./helpers";
import { interruptRun, query, runCampaign, snapshot, storeContents } from "./campaign-fixtures";

/**
 * A Monte Carlo campaign of real runs (the testbed's `pokes`, run with plan/runSpec into
 * runs/<point>/r<k>, one of them then marked as a SIGTERM would leave it): its outputs and report,
 * and `sim-report` on the campaign folder rebuilding them byte for byte in a copy.
 */
describe("campaign outputs and report from real runs (testbed fixture project)", function () {
  this.timeout(180_000);
  useEnvironment(fixture("testbed"));
  quietConsoleLog();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-campaign-real-"));
  const dir = path.join(tmp, "mc");
  let doc: CampaignDocument;
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  before(async function () {
    doc = await runCampaign(this.hre, dir, { netlist: "pokes", steps: 12, runs: 6, seed: 7 });
    interruptRun(path.join(dir, doc.runs[5].dir), 5);
    await writeCampaignOutputs(dir, doc);
  });

  const csv = (file: string): Record<string, string>[] => parse(fs.readFileSync(path.join(dir, file), "utf8"), { columns: true });
  const embedded = () => {
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    return { html, data: JSON.parse(/<script type="application\/json" id="tokenspice-data">(.*?)<\/script>/s.exec(html)![1]) };
  };

  it("bands over the 5 complete runs at every tick; the interrupted run in runs.csv and the store, with its samples", async () => {
    const bands = csv("bands.csv");
    expect(bands).to.have.length(13 * 3); // ticks 0–12, three KPIs
    expect(new Set(bands.map((r) => r.n))).to.deep.equal(new Set(["5"]));
    expect(bands.slice(0, 3).map((r) => r.kpi)).to.deep.equal(["pokes", "lastPokeTime", "time"]);
    // `time` is the tick's block timestamp in every run: no spread at all.
    for (const r of bands.filter((b) => b.kpi === "time")) expect([r.p5, r.p95, r.std]).to.deep.equal([r.time, r.time, "0"]);
    const runs = csv("runs.csv");
    const interrupted = runs.find((r) => r.replicate === "5")!;
    expect(interrupted).to.include({ status: "failed", error_code: "RUN_INTERRUPTED", error_message: "SIGTERM stopped the run", ticks: "5" });
    expect(interrupted.command)
      .to.equal(doc.runs[5].command)
      .and.to.match(/^npx hardhat sim pokes --seed \d+ --steps 12 --params /);
    const [{ n }] = await query(path.join(dir, "campaign.duckdb"), `SELECT count(*) AS n FROM samples WHERE run = '${doc.runs[5].key}' AND status = 'failed'`);
    expect(Number(n)).to.equal(6 * 3);
    // The seeds differ, and so do the runs: the bands have width somewhere.
    expect(bands.some((r) => r.kpi === "pokes" && r.p5 !== r.p95)).to.equal(true);
  });

  it("report.html: netlist, spec, the campaign command, a fan chart per KPI with every tick, runs drawn thin, the failed run with its reproduce command", () => {
    const { html, data } = embedded();
    expect(html).to.contain("Pokers poke a testbed"); // the netlist's description, from a manifest
    expect(html).to.contain(`<code id="command">${doc.command}</code>`);
    expect(html).to.contain("1 point × 6 replicates = 6 runs: <b>5 complete</b>, 1 failed");
    expect(html).to.contain("12 ticks of 3,600 s (1 hour each; 12 hours in all)");
    expect(data.kpis.map((k: { name: string }) => k.name)).to.deep.equal(["pokes", "lastPokeTime", "time"]);
    expect(data.fans).to.have.length(1);
    expect(data.fans[0].ticks).to.deep.equal([...Array(13).keys()]);
    for (const kpi of data.fans[0].kpis) {
      const median = kpi.option.series.find((s: { name: string }) => s.name === "median");
      expect(median.data).to.have.length(13);
      expect(kpi.option.series.filter((s: { name: string }) => s.name === "runs")).to.have.length(5);
    }
    expect(html).to.contain('id="failed-runs"').and.to.contain(doc.runs[5].command.replace(/&/g, "&amp;")).and.to.contain("RUN_INTERRUPTED");
    expect(html).not.to.contain('id="fan-point"'); // one point: no selector
    const plots = fs.readdirSync(path.join(dir, "plots")).sort();
    expect(plots).to.deep.equal(["fan-lastPokeTime.png", "fan-lastPokeTime.svg", "fan-pokes.png", "fan-pokes.svg", "fan-time.png", "fan-time.svg"]);
    expect(fs.readFileSync(path.join(dir, "plots", "fan-pokes.svg"), "utf8"))
      .to.contain(">median<")
      .and.to.contain(">hours<");
  });

  it("sim-report on the campaign folder rebuilds the same outputs in a copy whose runs were copied in another order", async function () {
    const copy = path.join(tmp, "copied");
    fs.mkdirSync(copy);
    fs.copyFileSync(path.join(dir, "campaign.json"), path.join(copy, "campaign.json"));
    for (const run of [...doc.runs].reverse()) fs.cpSync(path.join(dir, run.dir), path.join(copy, run.dir), { recursive: true });
    await this.hre.run("sim-report", { dir: copy });
    const want = snapshot(dir);
    const got = snapshot(copy);
    expect([...got.keys()]).to.deep.equal([...want.keys()]);
    for (const [file, bytes] of want) if (file !== "campaign.duckdb") expect(got.get(file)!.equals(bytes), file).to.equal(true);
    expect(await storeContents(path.join(copy, "campaign.duckdb"))).to.deep.equal(await storeContents(path.join(dir, "campaign.duckdb")));
  });

  it("npx hardhat sim-report: prints what it wrote for a campaign; exits 2 naming the problem for a broken one", function () {
    const ok = cliIn(fixture("testbed"), ["sim-report", dir]);
    expect(ok.status, ok.output).to.equal(0);
    expect(ok.stdout).to.contain("Campaign: 6 runs at 1 point: 5 complete, 1 failed");
    expect(ok.stdout).to.contain(`Report: ${path.join(dir, "report.html")}`);
    const broken = path.join(tmp, "broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, "campaign.json"), JSON.stringify({ spec: doc.spec, points: doc.points }));
    const bad = cliIn(fixture("testbed"), ["sim-report", broken]);
    expect(bad.status, bad.output).to.equal(2);
    expect(bad.stderr).to.contain(`Error in plugin hardhat-tokenspice: ${path.join(broken, "campaign.json")}: "runs" is not an array.`);
  });
});
