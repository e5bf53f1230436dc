import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { param } from "../../src/model/params";
import { parseSweep } from "../../src/campaign/axes";
import { readShardOf, runCampaign, runOutcomeOnDisk } from "../../src/campaign/campaign";
import { confinedPath, insideProblem } from "../../src/campaign/folder";
import { mergeCampaigns } from "../../src/campaign/merge";
import { writeSearchOutputs } from "../../src/search/outputs";
import { planCampaign, shardRuns, type CampaignPlan } from "../../src/campaign/plan";
import { campaignCommand } from "../../src/campaign/spec";
import type { CampaignBackend, CampaignSpec, RunJob, RunOutcome } from "../../src/campaign/types";
import { MANIFEST_TOOL } from "../../src/output/run-writer";
import type { RunSpec } from "../../src/runner/run-spec";
import { rejectionOf as errorOf } from "./thrown";

// F17 and its kind: a shard's folder is data from another machine. sim-merge checks every shard in
// full before it writes anything, every path read from a campaign.json stays in its folder, a
// shard's folder resumes that shard, and the commands errors advise are the right ones.

const specs = { drift: param.float({ default: 0.1, min: -1, max: 1 }) };
const spec = (network: CampaignSpec["network"] = { name: "hardhat", chainId: 31337 }): CampaignSpec => ({
  netlist: { name: "f3-basic", file: "sims/f3-basic/netlist.ts" },
  steps: 2,
  params: {},
  runs: 2,
  sweep: [parseSweep("f3-basic", specs, "drift=0.1,0.2")],
  zip: false,
  sample: null,
  seed: 3,
  stepTimeoutMs: 60_000,
  network,
});
const planOf = (c: CampaignSpec): CampaignPlan =>
  planCampaign(c, specs, (params, seed): RunSpec => ({ netlist: c.netlist, params: params, seed, steps: c.steps, stepTimeoutMs: c.stepTimeoutMs, network: c.network }), { stepTimeoutMs: 60_000 });

/** Writes each job's run files as a run would (a manifest that says complete, with its seed); records the keys it ran. */
class FakeBackend implements CampaignBackend {
  ran: string[] = [];
  async run(jobs: RunJob[]): Promise<RunOutcome[]> {
    for (const job of jobs) {
      fs.mkdirSync(job.out, { recursive: true });
      fs.writeFileSync(path.join(job.out, "manifest.json"), JSON.stringify({ tool: MANIFEST_TOOL, status: "complete", seed: job.spec.seed }));
      fs.writeFileSync(path.join(job.out, "kpis.csv"), `tick,timestamp,level\n0,0,${job.spec.seed}\n`);
      fs.writeFileSync(path.join(job.out, "result.json"), "{}");
      fs.writeFileSync(path.join(job.out, "reverts.csv"), "tick\n");
      this.ran.push(job.key);
    }
    return jobs.map((j) => ({ key: j.key, status: "complete", error: null, attempts: 1 }));
  }
  async close(): Promise<void> {}
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.lstatSync(path.join(dir, f)).isFile()).sort();
}

describe("merge and resume trust nothing they read", () => {
  let tmp: string;
  const c = spec();
  const plan = planOf(c);
  const shard = async (i: number, dir = path.join(tmp, `shard-${i}`), campaign = c) => {
    const backend = new FakeBackend();
    await runCampaign({ dir, spec: campaign, plan: planOf(campaign), versions: {}, command: campaignCommand(campaign, { stepTimeoutMs: 60_000 }), backend, shard: { index: i, count: 2 } });
    return backend;
  };
  const editCampaign = (dir: string, edit: (doc: any) => void) => {
    const file = path.join(dir, "campaign.json");
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    edit(doc);
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  };
  const heldRun = (dir: string) => plan.runs.find((r) => fs.existsSync(path.join(dir, r.dir)))!;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-trust-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("a run folder path is confined: no .., no absolute path, no backslash climb, no empty segment", () => {
    for (const bad of ["../shard-1/runs/p/r0", "runs/../../x", "/etc", "C:\\x", "runs\\..\\..\\x", "runs//r0", "./runs/r0", "", "a\0b"]) {
      expect(insideProblem(bad), bad).to.be.a("string");
      expect(() => confinedPath("/base", bad, "run folder", "/base/campaign.json"), bad).to.throw(TokenspiceError, /not inside the campaign folder/);
    }
    expect(insideProblem("runs/p-0123456789ab/r0")).to.equal(undefined);
    expect(confinedPath("/base", "runs/p/r0", "run folder", "f")).to.equal(path.resolve("/base/runs/p/r0"));
  });

  it("refuses a shard whose campaign.json names a run folder outside it (F17), naming the shard's file, with nothing written", async () => {
    await shard(1);
    await shard(2);
    const s1 = path.join(tmp, "shard-1");
    editCampaign(s1, (doc) => {
      const run = doc.runs.find((r: { dir: string }) => fs.existsSync(path.join(s1, r.dir)));
      run.dir = `../shard-1/${run.dir}`;
    });
    const before = filesUnder(tmp);
    fs.mkdirSync(path.join(tmp, "ci"));
    const e = await errorOf(() => mergeCampaigns([s1, path.join(tmp, "shard-2")], path.join(tmp, "ci", "merged"), {}));
    expect(e.code).to.equal("CAMPAIGN_FOLDER_INVALID");
    expect(e.message).to.contain(path.join(s1, "campaign.json")).and.contain("not inside the campaign folder");
    expect(fs.readdirSync(path.join(tmp, "ci"))).to.deep.equal([]);
    expect(filesUnder(tmp)).to.deep.equal(before);
  });

  it("a campaign on a fork writes its bundle's hash into campaign.json once its runs ended; merge keeps it, and refuses shards of different bundles", async () => {
    const bundle = (hash: string) => () => ({ hash, entries: 7 });
    const run = (i: number, dir: string, forkBundle: () => { hash: string; entries: number }) =>
      runCampaign({ dir, spec: c, plan, versions: {}, command: campaignCommand(c, { stepTimeoutMs: 60_000 }), backend: new FakeBackend(), shard: { index: i, count: 2 }, forkBundle });
    const [a, b, other] = ["shard-1", "shard-2", "other-2"].map((d) => path.join(tmp, d));
    await run(1, a, bundle("sha256:aa"));
    await run(2, b, bundle("sha256:aa"));
    await run(2, other, bundle("sha256:bb"));
    expect(JSON.parse(fs.readFileSync(path.join(a, "campaign.json"), "utf8")).forkBundle).to.deep.equal({ hash: "sha256:aa", entries: 7 });
    const e = await errorOf(() => mergeCampaigns([a, other], path.join(tmp, "refused"), {}));
    expect(e.code).to.equal("OPTION_INVALID");
    expect(e.message)
      .to.contain(`sha256:aa in ${fs.realpathSync(a)}`)
      .and.contain(`sha256:bb in ${fs.realpathSync(other)}`)
      .and.contain("--offline --fork-bundle");
    expect(fs.existsSync(path.join(tmp, "refused"))).to.equal(false);
    await mergeCampaigns([a, b], path.join(tmp, "merged"), {});
    expect(JSON.parse(fs.readFileSync(path.join(tmp, "merged", "campaign.json"), "utf8")).forkBundle).to.deep.equal({ hash: "sha256:aa", entries: 7 });
  });

  it("sim-report of a search: a search-runs.json that is not a list of runs, or names a folder outside the search, is refused naming it, with nothing written", async () => {
    const dir = path.join(tmp, "search");
    await runCampaign({ dir, spec: c, plan, versions: {}, command: campaignCommand(c, { stepTimeoutMs: 60_000 }), backend: new FakeBackend() });
    const runs = JSON.parse(fs.readFileSync(path.join(dir, "campaign.json"), "utf8")).runs;
    fs.writeFileSync(path.join(dir, "search.json"), JSON.stringify({ tool: "hardhat-tokenspice", kind: "worst-case", netlist: "f3-basic", seed: 3, steps: 2, params: {}, result: {} }));
    const file = path.join(dir, "search-runs.json");
    for (const bad of [{}, [{ key: 1 }], [{ ...runs[0], dir: `../search/${runs[0].dir}` }, ...runs.slice(1)], [{ ...runs[0], dir: "/etc" }]]) {
      fs.writeFileSync(file, JSON.stringify(bad));
      const before = filesUnder(tmp);
      const e = await errorOf(() => writeSearchOutputs(dir, { png: false }));
      expect(e.code, JSON.stringify(bad)).to.equal("CAMPAIGN_FOLDER_INVALID");
      expect(e.message).to.contain(file);
      expect(filesUnder(tmp)).to.deep.equal(before);
    }
  });

  it("a run folder's end is read back only when its manifest's seed, steps and chain are the run's (a search run again with other --steps)", () => {
    const run = plan.runs[0];
    const folder = path.join(tmp, run.dir);
    fs.mkdirSync(folder, { recursive: true });
    const write = (spec: unknown) => fs.writeFileSync(path.join(folder, "manifest.json"), JSON.stringify({ tool: MANIFEST_TOOL, status: "complete", seed: run.seed, spec }));
    write(run.spec);
    expect(runOutcomeOnDisk(tmp, run)?.status).to.equal("complete");
    write(undefined); // a manifest recording no spec: judged by its seed
    expect(runOutcomeOnDisk(tmp, run)?.status).to.equal("complete");
    write({ ...run.spec, steps: run.spec.steps + 1 });
    expect(runOutcomeOnDisk(tmp, run), "other steps").to.equal(undefined);
    write({ ...run.spec, network: { ...run.spec.network, chainId: 1 } });
    expect(runOutcomeOnDisk(tmp, run), "another chain").to.equal(undefined);
  });

  it("refuses a run folder that is a link out of the shard, or holds one, with nothing written", async () => {
    await shard(1);
    await shard(2);
    const s1 = path.join(tmp, "shard-1");
    const outside = path.join(tmp, "outside");
    fs.mkdirSync(outside);
    const run = heldRun(s1);
    fs.cpSync(path.join(s1, run.dir), outside, { recursive: true });
    fs.rmSync(path.join(s1, run.dir), { recursive: true });
    fs.symlinkSync(outside, path.join(s1, run.dir));
    let e = await errorOf(() => mergeCampaigns([s1, path.join(tmp, "shard-2")], path.join(tmp, "merged"), {}));
    expect(e.code).to.equal("CAMPAIGN_FOLDER_INVALID");
    expect(e.message)
      .to.contain(path.join(fs.realpathSync(s1), "campaign.json"))
      .and.contain("link");
    expect(fs.existsSync(path.join(tmp, "merged"))).to.equal(false);

    fs.rmSync(path.join(s1, run.dir));
    fs.cpSync(outside, path.join(s1, run.dir), { recursive: true });
    fs.symlinkSync("/etc/passwd", path.join(s1, run.dir, "extra.csv"));
    e = await errorOf(() => mergeCampaigns([s1, path.join(tmp, "shard-2")], path.join(tmp, "merged"), {}));
    expect(e.code).to.equal("CAMPAIGN_FOLDER_INVALID");
    expect(e.message).to.contain("holds a link (extra.csv)");
    expect(fs.existsSync(path.join(tmp, "merged"))).to.equal(false);
  });

  it("refuses shards that list different runs under one spec hash, naming the changed shard's file", async () => {
    await shard(1);
    await shard(2);
    const s2 = path.join(tmp, "shard-2");
    editCampaign(s2, (doc) => {
      doc.runs[0].seed += 1;
    });
    const e = await errorOf(() => mergeCampaigns([path.join(tmp, "shard-1"), s2], path.join(tmp, "merged"), {}));
    expect(e.code).to.equal("CAMPAIGN_FOLDER_INVALID");
    expect(e.message).to.contain(path.join(fs.realpathSync(s2), "campaign.json"));
    expect(fs.existsSync(path.join(tmp, "merged"))).to.equal(false);
  });

  it("refuses shards made with different versions, naming each difference and the folders, with nothing written", async () => {
    await shard(1);
    await shard(2);
    const [s1, s2] = [1, 2].map((i) => path.join(tmp, `shard-${i}`));
    editCampaign(s1, (doc) => (doc.versions = { "hardhat-tokenspice": "0.1.0", hardhat: "2.29.1", solc: "0.8.28", node: "v20.20.2" }));
    editCampaign(s2, (doc) => (doc.versions = { "hardhat-tokenspice": "0.1.0", hardhat: "2.28.0", solc: "0.8.28", node: "v22.23.5" }));
    const e = await errorOf(() => mergeCampaigns([s1, s2], path.join(tmp, "merged"), {}));
    expect(e.code).to.equal("MERGE_VERSIONS_DIFFER");
    expect(e.message).to.contain(`hardhat: 2.29.1 in ${fs.realpathSync(s1)}; 2.28.0 in ${fs.realpathSync(s2)}`);
    expect(e.message).to.contain("node: v20.20.2 in");
    expect(e.message).to.not.contain("solc:");
    expect(fs.existsSync(path.join(tmp, "merged"))).to.equal(false);
    // the same versions merge
    editCampaign(s2, (doc) => (doc.versions = { "hardhat-tokenspice": "0.1.0", hardhat: "2.29.1", solc: "0.8.28", node: "v20.20.2" }));
    expect((await mergeCampaigns([s1, s2], path.join(tmp, "merged"), {})).runs).to.equal(plan.runs.length);
  });

  it("refuses an --out that is inside a shard, and merges good shards", async () => {
    await shard(1);
    await shard(2);
    const dirs = [1, 2].map((i) => path.join(tmp, `shard-${i}`));
    expect((await errorOf(() => mergeCampaigns(dirs, path.join(dirs[0], "merged"), {}))).code).to.equal("OPTION_INVALID");
    const merged = await mergeCampaigns(dirs, path.join(tmp, "merged"), {});
    expect(merged.runs).to.equal(plan.runs.length);
    expect(filesUnder(path.join(tmp, "merged")).filter((f) => f.endsWith("manifest.json"))).to.have.length(plan.runs.length);
  });

  it("an incomplete merge leaves a merged campaign already in --out as it was (even with --force), and advises the right commands", async () => {
    const berlin = spec({ name: "hardhat", chainId: 1, hardfork: "berlin", config: "configs/berlin chain.config.ts" });
    await shard(1, undefined, berlin);
    await shard(2, undefined, berlin);
    const dirs = [1, 2].map((i) => path.join(tmp, `shard-${i}`));
    const out = path.join(tmp, "merged");
    await mergeCampaigns(dirs, out, {});
    const before = filesUnder(out);
    // Shard 2 lost a run: the merge must say to resume shard 2 (with its config), and touch nothing.
    const s2 = fs.realpathSync(dirs[1]);
    const lost = heldRun(s2);
    fs.rmSync(path.join(s2, lost.dir, "manifest.json"));
    const e = await errorOf(() => mergeCampaigns(dirs, out, { force: true }));
    expect(e.code).to.equal("MERGE_INCOMPLETE");
    expect(e.message).to.contain(`resume shard 2/2: npx hardhat --config 'configs/berlin chain.config.ts' sim --resume ${s2} --shard 2/2`);
    expect(filesUnder(out)).to.deep.equal(before);
    // Without shard 2's folder: run it, with the campaign's command (its --config and --campaign-seed).
    const e2 = await errorOf(() => mergeCampaigns([dirs[0]], path.join(tmp, "half"), {}));
    expect(e2.message).to.contain("run shard 2/2: npx hardhat --config 'configs/berlin chain.config.ts' sim f3-basic --runs 2 --campaign-seed 3");
    expect(e2.message).to.contain("--shard 2/2 --out shard-2");
    expect(fs.existsSync(path.join(tmp, "half"))).to.equal(false);
  });

  it("resuming a shard's folder resumes that shard, not the whole campaign; another --shard is refused with the right command", async () => {
    await shard(1);
    const s1 = path.join(tmp, "shard-1");
    expect(readShardOf(s1)).to.deep.equal({ index: 1, count: 2 });
    const mine = shardRuns(plan.runs, 1, 2);
    fs.rmSync(path.join(s1, mine[0].dir, "manifest.json"));
    const backend = new FakeBackend();
    const summary = await runCampaign({ dir: s1, spec: c, plan, versions: {}, command: "", backend, resume: true });
    expect(backend.ran).to.deep.equal([mine[0].key]);
    expect([summary.runs, summary.skipped]).to.deep.equal([mine.length, mine.length - 1]);
    expect(readShardOf(s1)).to.deep.equal({ index: 1, count: 2 });
    const e = await errorOf(() => runCampaign({ dir: s1, spec: c, plan, versions: {}, command: "", backend, resume: true, shard: { index: 2, count: 2 } }));
    expect(e.code).to.equal("OPTION_INVALID");
    expect(e.message).to.contain(`npx hardhat sim --resume ${s1} --shard 1/2`);
  });

  it("a campaign of ours already in --out is met with the command that resumes it, its config included", async () => {
    const berlin = spec({ name: "hardhat", chainId: 1, hardfork: "berlin", config: "hardhat.f3berlin.config.ts" });
    await shard(1, undefined, berlin);
    const s1 = path.join(tmp, "shard-1");
    const e = await errorOf(() => runCampaign({ dir: s1, spec: berlin, plan: planOf(berlin), versions: {}, command: "", backend: new FakeBackend() }));
    expect(e.code).to.equal("OUT_HOLDS_RUN");
    expect(e.message).to.contain(`npx hardhat --config hardhat.f3berlin.config.ts sim --resume ${s1} --shard 1/2`);
    // Resumed under the default config: refused, saying where it ran and the command that resumes it there.
    const e2 = await errorOf(() => runCampaign({ dir: s1, spec: c, plan, versions: {}, command: "", backend: new FakeBackend(), resume: true }));
    expect(e2.code).to.equal("OPTION_INVALID");
    expect(e2.message).to.contain("differing: network").and.contain("from config hardhat.f3berlin.config.ts");
    expect(e2.message).to.contain(`npx hardhat --config hardhat.f3berlin.config.ts sim --resume ${s1} --shard 1/2`);
  });
});
