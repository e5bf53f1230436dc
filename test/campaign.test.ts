import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { TokenspicePluginError } from "../src/hardhat/errors";
import { lockFolder } from "../src/output/folder-lock";
import { errorOf, expectSameCampaignFiles as expectSameFiles, fixture, readJson, useEnvironment } from "./helpers";
import { query, snapshot, storeContents } from "./campaign-fixtures";

describe("campaigns (testbed fixture project)", function () {
  this.timeout(300_000);
  useEnvironment(fixture("testbed"));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-campaign-"));
  const out = (name: string) => path.join(tmp, name);
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const spec = { runs: 3, sweep: { withdrawPerTick: [100, 600] }, seed: 11, steps: 10 };

  it("runs every point's replicates with derived seeds, writes campaign.json and a folder per run", async function () {
    const c = await this.hre.tokenspice.campaign("treasury", { ...spec, out: out("one") });
    expect(c.points.map((p) => p.varying)).to.deep.equal([{ withdrawPerTick: 100 }, { withdrawPerTick: 600 }]);
    expect(c.runs).to.have.length(6);
    expect(c.failures).to.deep.equal([]);
    const file = readJson(path.join(out("one"), "campaign.json"));
    expect(file).to.include({ tool: "hardhat-tokenspice", kind: "campaign" });
    expect(file.command).to.equal("npx hardhat sim treasury --runs 3 --campaign-seed 11 --steps 10 --sweep withdrawPerTick=100,600");
    for (const run of file.runs) {
      const manifest = readJson(path.join(out("one"), run.dir, "manifest.json"));
      expect([manifest.status, manifest.seed], run.key).to.deep.equal(["complete", run.seed]);
      expect(manifest.command).to.equal(run.command);
    }
    // a run of the campaign is the run its command makes
    const alone = await this.hre.tokenspice.run("treasury", { seed: file.runs[4].seed, steps: 10, params: file.runs[4].spec.params });
    expect(alone.kpi("balance").values).to.deep.equal(c.runs[4].kpi("balance").values);
  });

  it("gives bands across replicates as Series the chai assertions take, finals, and probabilities with a Wilson interval", async function () {
    const c = await this.hre.tokenspice.campaign("treasury", { ...spec, out: out("stats") });
    const low = c.kpi("balance", { withdrawPerTick: 100 });
    const median = low.band(0.5);
    expect(median.ticks).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(median.values[10]).to.equal(10_000 - 10 * 100);
    expect(low.finals()).to.deep.equal([9_000n, 9_000n, 9_000n]);
    expect(c.kpi("balance", { withdrawPerTick: 600 }).band(0.05)).to.never.riseAbove(10_000);
    const p = c.probability((r) => r.kpi<bigint>("balance").final() >= 5_000n);
    expect([p.k, p.n]).to.deep.equal([3, 6]); // 600 a tick breaks the floor's check in every replicate
    expect(p.lo).to.be.below(0.5).and.above(0.1);
    expect(p.hi).to.be.above(0.5).and.below(0.9);
    const e = await errorOf(async () => c.kpi("balance"));
    expect(e.message).to.match(/The campaign has 2 points: name one/);
  });

  it("with commonSeeds, compares points on the same draws: replicate r has one seed everywhere, and the command repeats it", async function () {
    const c = await this.hre.tokenspice.campaign("treasury", { ...spec, commonSeeds: true, out: out("common") });
    const file = readJson(path.join(out("common"), "campaign.json"));
    expect(file.command).to.equal("npx hardhat sim treasury --runs 3 --campaign-seed 11 --steps 10 --sweep withdrawPerTick=100,600 --common-seeds");
    for (const r of [0, 1, 2]) expect(new Set(c.runs.filter((run) => run.run.replicate === r).map((run) => run.seed)).size).to.equal(1);
    expect(file.spec.commonSeeds).to.equal(true);
    // the report says whether points share seeds, with and without
    const report = (name: string) => fs.readFileSync(path.join(out(name), "report.html"), "utf8");
    expect(report("common")).to.match(/seeds across points<\/th><td>common to every point \(--common-seeds\)/);
    await this.hre.tokenspice.campaign("treasury", { ...spec, out: out("own-seeds") });
    expect(report("own-seeds")).to.match(/seeds across points<\/th><td>each point its own: .*to compare points, use --common-seeds/);
  });

  it("records a failed run and goes on; the result lists it with its error and command", async function () {
    const c = await this.hre.tokenspice.campaign("faults", { runs: 2, sweep: { mode: ["ok", "throwString"] }, seed: 3, steps: 3, out: out("failing") });
    expect(c.runs).to.have.length(4);
    expect(c.failures.map((f) => f.params.mode)).to.deep.equal(["throwString", "throwString"]);
    expect(c.failures[0].outcome.error?.code).to.equal("AGENT_FAILED");
    expect(c.failures[0].command).to.match(/^npx hardhat sim faults --seed \d+ --steps 3 --params mode=throwString,/);
  });

  it("resumes: runs only the runs that had not ended, and ends with the same files", async function () {
    await this.hre.tokenspice.campaign("treasury", { ...spec, out: out("resumed") });
    const file = readJson(path.join(out("resumed"), "campaign.json"));
    // as if the process had been killed: two runs never ended
    for (const run of file.runs.slice(1, 3)) fs.rmSync(path.join(out("resumed"), run.dir), { recursive: true });
    const started: string[] = [];
    const summary = await this.hre.tokenspice.campaignInternal("treasury", { out: out("resumed"), resume: true, events: { onStart: (key) => void started.push(key) } });
    expect(started).to.deep.equal(file.runs.slice(1, 3).map((r: { key: string }) => r.key));
    expect(summary.skipped).to.equal(4);
    expectSameFiles(out("one"), out("resumed"));
  });

  it("three shards merged give the files of one campaign", async function () {
    for (let i = 1; i <= 3; i++) await this.hre.tokenspice.campaign("treasury", { ...spec, out: out(`shard-${i}`), shard: { index: i, count: 3 } });
    const sizes = [1, 2, 3].map((i) => fs.readdirSync(path.join(out(`shard-${i}`), "runs")).flatMap((p) => fs.readdirSync(path.join(out(`shard-${i}`), "runs", p))).length);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(6);
    const merged = await this.hre.tokenspice.merge(
      [1, 2, 3].map((i) => out(`shard-${i}`)),
      out("merged"),
    );
    expect([merged.runs, merged.duplicates.length, merged.failed.length]).to.deep.equal([6, 0, 0]);
    expectSameFiles(out("one"), out("merged"));
  });

  it("writes the outputs sim-report rebuilds from the folder, byte for byte: the report and the store carry the command, versions and spec hash", async function () {
    for (const name of ["one", "merged"]) {
      const file = readJson(path.join(out(name), "campaign.json"));
      const copy = out(`${name}-rebuilt`);
      fs.mkdirSync(copy);
      fs.copyFileSync(path.join(out(name), "campaign.json"), path.join(copy, "campaign.json"));
      fs.cpSync(path.join(out(name), "runs"), path.join(copy, "runs"), { recursive: true });
      await this.hre.run("sim-report", { dir: copy });
      const written = snapshot(out(name));
      const rebuilt = snapshot(copy);
      for (const f of ["report.html", "bands.csv", "points.csv", "runs.csv"]) expect(rebuilt.get(f)!.equals(written.get(f)!), `${name}: ${f}`).to.equal(true);
      expect(await storeContents(path.join(out(name), "campaign.duckdb")), name).to.deep.equal(await storeContents(path.join(copy, "campaign.duckdb")));
      const html = written.get("report.html")!.toString("utf8");
      expect(html, name).to.contain(`<code id="command">${file.command}</code>`).and.to.contain(file.specHash).and.to.contain(`hardhat ${file.versions.hardhat}`);
      expect(html).not.to.contain("records no command");
      const [row] = await query(path.join(out(name), "campaign.duckdb"), "SELECT command, spec_hash FROM campaign");
      expect(row, name).to.deep.equal({ command: file.command, spec_hash: file.specHash });
    }
  });

  it("refuses bad specs before any run, and a merge of different campaigns or with runs missing", async function () {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ runs: 0 }, "OPTION_INVALID", /--runs 0 is not valid/],
      [{ sweep: { nope: [1] } }, "PARAM_UNKNOWN", /unknown param "nope"/],
      [{ sweep: { withdrawPerTick: [5000] } }, "PARAM_INVALID", /5000 is out of range/],
      [{ sweep: { withdrawPerTick: [] } }, "OPTION_INVALID", /has no values/],
      [{ sample: { method: "lhs", samples: 4, over: ["withdrawPerTick", "nope"] } }, "PARAM_UNKNOWN", /--over: unknown param "nope"/],
      [{ shard: { index: 4, count: 3 } }, "OPTION_INVALID", /Shard 4\/3 is not valid/],
    ];
    for (const [options, code, message] of cases) {
      const dir = out(`bad-${code}-${Object.keys(options)[0]}`);
      const e = (await errorOf(() => this.hre.tokenspice.campaign("treasury", { steps: 2, seed: 1, ...options, out: dir }))) as TokenspicePluginError;
      expect([e.code, e.message], JSON.stringify(options)).to.satisfy(([c, m]: [string, string]) => c === code && message.test(m));
      expect(fs.existsSync(dir), "nothing written").to.equal(false);
    }
    await this.hre.tokenspice.campaign("treasury", { runs: 1, seed: 1, steps: 2, out: out("other") });
    const mixed = (await errorOf(() => this.hre.tokenspice.merge([out("one"), out("other")], out("mixed")))) as TokenspicePluginError;
    expect(mixed.message).to.match(/the folders hold different campaigns/);
    const partial = (await errorOf(() => this.hre.tokenspice.merge([out("shard-1"), out("shard-2")], out("partial")))) as TokenspicePluginError;
    expect(partial.code).to.equal("MERGE_INCOMPLETE");
    expect(fs.existsSync(out("partial")), "a refused merge touches no --out").to.equal(false);
  });

  it("a campaign's, a merge's and a search's folder is refused while a live process writes it; released after", async function () {
    const held = out("held");
    fs.mkdirSync(held);
    const lock = lockFolder(held)!;
    const refused = [
      await errorOf(() => this.hre.tokenspice.campaign("treasury", { runs: 1, seed: 1, steps: 2, out: held })),
      await errorOf(() =>
        this.hre.tokenspice.merge(
          [1, 2, 3].map((i) => out(`shard-${i}`)),
          held,
        ),
      ),
      await errorOf(() => this.hre.tokenspice.verify("treasury", { spec: "balance final >= 0", seed: 1, steps: 2, out: held })),
    ] as TokenspicePluginError[];
    for (const e of refused) {
      expect([e.code, e.details], e.message).to.deep.equal(["OUT_LOCKED", { dir: held }]);
      expect(e.message).to.contain(`process ${process.pid} on this host holds its lock`);
    }
    expect(fs.readdirSync(held), "nothing written").to.deep.equal([".tokenspice.lock"]);
    lock.release();
    await this.hre.tokenspice.merge(
      [1, 2, 3].map((i) => out(`shard-${i}`)),
      held,
    );
    await this.hre.tokenspice.campaign("treasury", { ...spec, out: out("one"), resume: true });
    for (const dir of [held, out("one")])
      expect(
        fs.readdirSync(dir).filter((f) => f.startsWith(".tokenspice.lock")),
        dir,
      ).to.deep.equal([]);
  });

  it("a search never writes among files that are not a search's, and says nothing was written", async function () {
    const notes = out("notes");
    fs.mkdirSync(notes);
    fs.writeFileSync(path.join(notes, "notes.txt"), "mine");
    const e = (await errorOf(() => this.hre.tokenspice.verify("treasury", { spec: "balance final >= 0", seed: 1, steps: 2, out: notes }))) as TokenspicePluginError;
    expect([e.code, e.details]).to.deep.equal(["OUT_NOT_A_RUN", { dir: notes, entries: ["notes.txt"] }]);
    expect(e.message).to.match(/holds files that are not a hardhat-tokenspice search \(notes\.txt\)\. Nothing was written/);
    expect(fs.readdirSync(notes)).to.deep.equal(["notes.txt"]);
  });
});
