import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { cliIn, expectSameCampaignFiles, fixture, readJson, spawnCli, waitFor } from "./helpers";

/**
 * Campaigns as a user runs them from the command line, each step its own `npx hardhat` process:
 * one machine with two worker processes, three shard processes and `sim-merge`, and a campaign
 * SIGKILLed mid-way and resumed must all write the same bytes (timings, locks and the DuckDB
 * file's layout aside; see expectSameCampaignFiles).
 */
describe("campaigns from the command line (testbed fixture project)", function () {
  this.timeout(600_000);
  const project = fixture("testbed");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-campaign-cli-"));
  const out = (name: string) => path.join(tmp, name);
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // Four replicates of two points, 40 ticks each: long enough to kill the campaign between runs.
  const spec = ["sim", "treasury", "--runs", "4", "--sweep", "withdrawPerTick=100,600", "--campaign-seed", "11", "--steps", "40", "--no-compile"];

  const completeRuns = (dir: string): number => {
    const campaign = readJson(path.join(dir, "campaign.json"));
    if (!campaign) return 0;
    return campaign.runs.filter((r: { dir: string }) => readJson(path.join(dir, r.dir, "manifest.json"))?.status === "complete").length;
  };

  it("one process with 2 workers, and 3 shard processes merged, write the same files", function () {
    const two = cliIn(project, [...spec, "--workers", "2", "--out", out("two-workers")]);
    expect(two.status, two.output).to.equal(0);
    expect(fs.existsSync(path.join(out("two-workers"), "bands.csv"))).to.equal(true);
    // the end of a campaign: the final KPIs' p5, median and p95 per point, and where the report is
    expect(two.stdout).to.match(/KPI \(final\) +│ +p5 +│ +median +│ +p95 +│ +runs/);
    expect(two.stdout).to.match(/withdrawPerTick=100 +│ +balance +│ +6,000 +│ +6,000 +│ +6,000 +│ +4/);
    expect(two.stdout).to.contain(`Report: ${path.join(out("two-workers"), "report.html")}`);
    for (let i = 1; i <= 3; i++) {
      const shard = cliIn(project, [...spec, "--workers", "1", "--shard", `${i}/3`, "--out", out(`shard-${i}`)]);
      expect(shard.status, shard.output).to.equal(0);
      // a shard holds its slice of the runs and no aggregates: those need every run
      expect(fs.existsSync(path.join(out(`shard-${i}`), "bands.csv")), `shard ${i}`).to.equal(false);
      expect(shard.stdout).not.to.contain("KPI (final)");
    }
    const merged = cliIn(project, ["sim-merge", out("shard-1"), out("shard-2"), out("shard-3"), "--out", out("merged")]);
    expect(merged.status, merged.output).to.equal(0);
    expect(merged.stdout).to.match(/Merged 3 folders: 8 runs, 0 failed/);
    expect(merged.stdout).to.match(/withdrawPerTick=100 +│ +balance +│ +6,000 +│/).and.to.contain(`Report: ${path.join(out("merged"), "report.html")}`);
    expectSameCampaignFiles(out("two-workers"), out("merged"));
  });

  it("a campaign SIGKILLed mid-way and resumed with --resume writes the files of an uninterrupted one", async function () {
    const dir = out("killed");
    const { child, done } = spawnCli(project, [...spec, "--workers", "1", "--out", dir]);
    await waitFor("two runs to complete", () => completeRuns(dir) >= 2, 300_000);
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).to.equal("SIGKILL");
    const before = completeRuns(dir);
    expect(before, "the kill came after the last run: nothing left to resume").to.be.below(8);
    expect(fs.existsSync(path.join(dir, "bands.csv"))).to.equal(false);

    const resumed = cliIn(project, ["sim", "--resume", dir, "--workers", "1", "--no-compile"]);
    expect(resumed.status, resumed.output).to.equal(0);
    expect(resumed.output).to.match(new RegExp(`${before} had ended before`));
    expectSameCampaignFiles(out("two-workers"), dir);
  });
});
