import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import pidtree from "pidtree";
import { split as shellSplit } from "shlex";
import { processIsAlive } from "../src/output/folder-lock";
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
  const spec = ["sim", "treasury", "--replicates", "4", "--sweep", "withdrawPerTick=100,600", "--campaign-seed", "11", "--steps", "40", "--no-compile"];

  /** True once `pid` is gone or a zombie (an orphan is reaped by whoever adopted it, maybe never). */
  const hasExited = (pid: number): boolean => {
    try {
      return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z") ?? true;
    } catch {
      return !processIsAlive(pid); // no /proc entry: gone (or no /proc on this system)
    }
  };
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
    // 4 replicates at each of 2 points: 16 a point, 32 runs, would halve the estimates' intervals.
    expect(two.stdout).to.contain(
      "Precision: each point's percentiles and mean come from 4 replicates; their intervals narrow as 1/√n, so 16 replicates a point (--replicates 16, 32 runs) would halve them",
    );
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
    expect(merged.stdout)
      .to.match(/withdrawPerTick=100 +│ +balance +│ +6,000 +│/)
      .and.to.contain(`Report: ${path.join(out("merged"), "report.html")}`);
    expectSameCampaignFiles(out("two-workers"), out("merged"));
  });

  it("a campaign SIGKILLed mid-way and resumed with --resume writes the files of an uninterrupted one", async function () {
    const dir = out("killed");
    const { child, done } = spawnCli(project, [...spec, "--workers", "1", "--out", dir]);
    await waitFor("two runs to complete", () => completeRuns(dir) >= 2, 300_000);
    // The worker outlives the killed process by the time it takes to see its IPC channel close, and
    // may finish the run it holds meanwhile: count the runs only once every descendant has exited.
    const descendants = await pidtree(child.pid!);
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).to.equal("SIGKILL");
    await waitFor("the killed campaign's workers to exit", () => descendants.every(hasExited), 60_000);
    const before = completeRuns(dir);
    expect(before, "the kill came after the last run: nothing left to resume").to.be.below(8);
    expect(fs.existsSync(path.join(dir, "bands.csv"))).to.equal(false);

    const resumed = cliIn(project, ["sim", "--resume", dir, "--workers", "1", "--no-compile"]);
    expect(resumed.status, resumed.output).to.equal(0);
    expect(resumed.output).to.match(new RegExp(`${before} had ended before`));
    expectSameCampaignFiles(out("two-workers"), dir);
  });

  it("with --config: every command carries it, and the advice met by a shard's folder resumes that shard", function () {
    // F39's kind: a second config (its own chain id) beside the project's, as projects keep one per chain.
    const config = path.join(project, "hardhat.chain-h15.config.ts");
    fs.writeFileSync(config, `import base from "./hardhat.config";\nexport default { ...base, networks: { hardhat: { chainId: 1 } } };\n`);
    try {
      const dir = out("config-shard");
      const args = [
        "--config",
        "hardhat.chain-h15.config.ts",
        "sim",
        "treasury",
        "--runs",
        "2",
        "--sweep",
        "withdrawPerTick=100,600",
        "--campaign-seed",
        "5",
        "--steps",
        "5",
        "--shard",
        "1/2",
        "--workers",
        "1",
        "--no-compile",
      ];
      const first = cliIn(project, [...args, "--out", dir]);
      expect(first.status, first.output).to.equal(0);
      // --runs is --replicates' old name: it still works, with one warning on stderr
      expect(first.stderr).to.contain("Warning: --runs is deprecated: use --replicates (same meaning).");
      const campaign = readJson(path.join(dir, "campaign.json"));
      expect(campaign.spec.network).to.include({ chainId: 1, config: "hardhat.chain-h15.config.ts" });
      expect(campaign.command).to.match(/^npx hardhat --config hardhat\.chain-h15\.config\.ts sim treasury --runs 2 /);
      const done = campaign.runs.filter((r: { dir: string }) => fs.existsSync(path.join(dir, r.dir, "manifest.json")));
      expect(done.length, "shard 1 of 2 holds some runs, not all").to.be.within(1, campaign.runs.length - 1);
      // One run's command, run as printed, gives the run's bytes (on chain 1, not 31337).
      const again = cliIn(project, [...shellSplit(done[0].command).slice(2), "--no-compile", "--quiet", "--out", out("config-run")]);
      expect(again.status, again.output).to.equal(0);
      expect(fs.readFileSync(path.join(out("config-run"), "kpis.csv"), "utf8")).to.equal(fs.readFileSync(path.join(dir, done[0].dir, "kpis.csv"), "utf8"));
      expect(readJson(path.join(out("config-run"), "manifest.json")).network).to.include({ chainId: 1, config: "hardhat.chain-h15.config.ts" });

      // The shard's folder met again: the advice is the command that resumes this shard, with its config.
      // (one of its runs cut off, as a kill leaves it: its manifest still says running)
      const manifest = path.join(dir, done[0].dir, "manifest.json");
      fs.writeFileSync(manifest, JSON.stringify({ ...readJson(manifest), status: "running" }));
      const refused = cliIn(project, [...args, "--out", dir]);
      expect(refused.status, refused.output).to.equal(2);
      const advised = /Continue it with (npx hardhat .*?), overwrite it/.exec(refused.output)?.[1];
      expect(advised, refused.output).to.equal(`npx hardhat --config hardhat.chain-h15.config.ts sim --resume ${dir} --shard 1/2`);
      const resumed = cliIn(project, [...shellSplit(advised!).slice(2), "--workers", "1", "--no-compile"]);
      expect(resumed.status, resumed.output).to.equal(0);
      expect(resumed.output).to.match(new RegExp(`${done.length} runs \\(${done.length - 1} had ended before\\)`));
      const after = campaign.runs.filter((r: { dir: string }) => fs.existsSync(path.join(dir, r.dir, "manifest.json")));
      expect(after.map((r: { key: string }) => r.key)).to.deep.equal(done.map((r: { key: string }) => r.key));
    } finally {
      fs.rmSync(config, { force: true });
    }
  });
});
