import { expect } from "chai";
import fs from "fs";
import { split as shellSplit } from "shlex";
import os from "os";
import path from "path";
import { startTestbedUpstream, type LoopbackUpstream } from "./fork-upstream";
import { expectSameCampaignFiles, fixture, spawnCli, type CliResult } from "./helpers";

const testbed = fixture("testbed");
const KEY = "SECRET123";
const PATH_KEY = "PathKey0123456789abcdef";

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): [string, string][] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => [f, fs.readFileSync(f, "latin1")]);
}

function expectNoKey(what: string, text: string): void {
  expect(text, what).to.not.contain(KEY).and.not.contain(PATH_KEY);
}

const manifestOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));

/**
 * `sim --fork`: a "live chain" on loopback (an in-process Hardhat network over HTTP that deployed and
 * poked a Testbed; test/fork-upstream.ts), forked at its head through the plugin's recorder, then the
 * same run offline from the bundle. The CLI runs in a child process; the upstream answers from this one.
 */
describe("sim --fork: a pinned fork recorded into a bundle, and rerun offline", function () {
  this.timeout(240_000);
  let upstream: LoopbackUpstream;
  let block: number;
  let tmp: string;
  let url: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => spawnCli(testbed, args, env).done;

  before(async function () {
    upstream = await startTestbedUpstream({ pokes: 3 });
    block = await upstream.head();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-fork-"));
    url = upstream.url(`/v2/${PATH_KEY}?apikey=${KEY}`);
  });
  after(async function () {
    await upstream?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("records through a misbehaving upstream, reruns offline byte for byte with zero upstream requests, and writes the key nowhere", async function () {
    const bundle = path.join(tmp, "bundle");
    const recorded = path.join(tmp, "recorded");
    // The first requests fail in every way an upstream does: each is retried (config: 500 ms timeout, 20 ms backoff).
    upstream.faults = ["429", "-32005", "timeout", "malformed", "503"];
    const first = await cli(["--config", "hardhat.forkrec.config.ts", "sim", "forked", "--seed", "7", "--out", recorded, "--no-compile"], {
      TOKENSPICE_FORK_URL: url,
      TOKENSPICE_FORK_BLOCK: String(block),
      TOKENSPICE_FORK_BUNDLE: bundle,
    });
    expect(first.status, first.output).to.equal(0);
    expect(upstream.faults).to.deep.equal([]);
    const firstRequests = upstream.requests;
    const m1 = manifestOf(recorded);
    expect(m1.status).to.equal("complete");
    expect(m1.network.fork).to.deep.include({ url: `http://127.0.0.1:${new URL(url).port}`, chainId: 31337, blockNumber: block });
    expect(m1.network.fork.blockHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(m1.forkBundle).to.deep.include({ offline: false, upstreamRequests: firstRequests, upstreamRetries: 5 });
    expect(m1.forkBundle.hash).to.match(/^sha256:[0-9a-f]{64}$/);
    // The upstream's state is what the run started from: its 3 pokes, then the agents'.
    const kpis = fs.readFileSync(path.join(recorded, "kpis.csv"), "utf8").trim().split("\n");
    expect(kpis[1].split(",")[2]).to.equal("3");
    for (const method of ["eth_getStorageAt", "eth_getCode", "eth_getBalance", "eth_getTransactionCount", "eth_getBlockByNumber", "eth_chainId"]) {
      expect(upstream.byMethod[method], method).to.be.greaterThan(0);
    }

    upstream.resetCounts();
    const offline = path.join(tmp, "offline");
    const second = await cli(["sim", "forked", "--seed", "7", "--out", offline, "--no-compile", "--offline", "--fork-bundle", bundle, "--fork-block", String(block)]);
    expect(second.status, second.output).to.equal(0);
    expect(upstream.requests).to.equal(0);
    for (const file of ["kpis.csv", "reverts.csv", "result.json"]) {
      expect(fs.readFileSync(path.join(offline, file), "utf8"), file).to.equal(fs.readFileSync(path.join(recorded, file), "utf8"));
    }
    const m2 = manifestOf(offline);
    expect(m2.network.fork).to.deep.equal(m1.network.fork);
    expect(m2.forkBundle).to.deep.include({ offline: true, upstreamRequests: 0, hash: m1.forkBundle.hash, entries: m1.forkBundle.entries });
    expect(m2.forkBundle.fromBundle).to.equal(m2.forkBundle.reads);
    expect(second.stdout).to.contain(`--fork-bundle ${bundle} --offline`);
    expect(fs.readFileSync(path.join(offline, "report.html"), "utf8"))
      .to.contain(`forked at block ${block} of chain 31337`)
      .and.contain(`fork bundle ${m1.forkBundle.hash.slice(0, 19)}…`);

    for (const [what, text] of [["stdout/stderr of the recorded run", first.output], ["stdout/stderr of the offline run", second.output], ...filesUnder(tmp)]) expectNoKey(what, text);
  });

  it("names the read an offline run needs and its bundle lacks, and records the failure", async function () {
    const bundle = path.join(tmp, "bundle");
    const out = path.join(tmp, "more-pokers");
    upstream.resetCounts();
    // Two more pokers: two wallets the recorded run never read.
    const r = await cli(["sim", "forked", "--seed", "7", "--params", "pokers=4", "--out", out, "--no-compile", "--offline", "--fork-bundle", bundle, "--fork-block", String(block)]);
    expect(r.status, r.output).to.equal(2);
    expect(r.stderr).to.match(/The run is offline and its fork bundle .* does not hold a read the simulation network needed: eth_get\w+ \["0x[0-9a-f]{40}",/);
    expect(upstream.requests).to.equal(0);
    const m = manifestOf(out);
    expect(m).to.deep.include({ status: "failed", errorCode: "FORK_READ_MISSING" });
    expect(m.errorDetails.method).to.match(/^eth_get/);
  });

  it("stops a run whose reads spend the request budget with FORK_BUDGET_SPENT, keeping what was read", async function () {
    const bundle = path.join(tmp, "budget-bundle");
    const out = path.join(tmp, "budget");
    upstream.resetCounts();
    const r = await cli(["sim", "forked", "--seed", "7", "--out", out, "--no-compile", "--fork", url, "--fork-block", String(block), "--fork-bundle", bundle, "--fork-budget", "12"]);
    expect(r.status, r.output).to.equal(2);
    expect(r.stderr).to.match(/The fork's upstream \(--fork http:\/\/127\.0\.0\.1:\d+\) stopped: its request budget of 12 is spent \(12 requests sent, 0 of them retries\) with eth_\w+ still to read/);
    // Never more than the budget (a request counted may still wait for its rate-limit slot when the run ends).
    expect(upstream.requests).to.be.within(3, 12);
    const m = manifestOf(out);
    expect(m).to.deep.include({ status: "failed", errorCode: "FORK_BUDGET_SPENT" });
    expect(m.forkBundle.upstreamRequests).to.equal(12);
    expect(m.forkBundle.entries).to.be.within(3, 12);
    expectNoKey("stderr", r.output);
  });

  it("runs a campaign on the fork with 2 workers recording into one bundle; 2 offline shards of it merge byte-identical", async function () {
    const bundle = path.join(tmp, "campaign-bundle");
    const campaign = ["sim", "forked", "--replicates", "4", "--campaign-seed", "5", "--no-compile", "--quiet"];
    const recorded = await cli([...campaign, "--workers", "2", "--out", path.join(tmp, "c-recorded"), "--fork", url, "--fork-block", String(block), "--fork-bundle", bundle]);
    expect(recorded.status, recorded.output).to.equal(0);
    upstream.resetCounts();
    const shards = [1, 2].map((i) => path.join(tmp, `c-shard${i}`));
    for (const [i, out] of shards.entries()) {
      const r = await cli([...campaign, "--workers", "1", "--shard", `${i + 1}/2`, "--out", out, "--offline", "--fork-bundle", bundle, "--fork-block", String(block)]);
      expect(r.status, r.output).to.equal(0);
    }
    expect(upstream.requests).to.equal(0);
    const merged = path.join(tmp, "c-merged");
    const m = await cli(["sim-merge", ...shards, "--out", merged]);
    expect(m.status, m.output).to.equal(0);
    expectSameCampaignFiles(path.join(tmp, "c-recorded"), merged);
    const run = manifestOf(path.join(merged, "runs", fs.readdirSync(path.join(merged, "runs"))[0], "r0"));
    expect(run.forkBundle).to.include({ offline: true, upstreamRequests: 0 });
    // campaign.json names the bundle every worker recorded into (byte-identical in the merge, above), and so does the report.
    const bundleJson = JSON.parse(fs.readFileSync(path.join(bundle, "bundle.json"), "utf8"));
    const campaignJson = JSON.parse(fs.readFileSync(path.join(merged, "campaign.json"), "utf8"));
    expect(campaignJson.forkBundle).to.deep.equal({ hash: bundleJson.hash, entries: bundleJson.entries });
    expect(run.forkBundle.hash).to.equal(bundleJson.hash);
    expect(fs.readFileSync(path.join(merged, "report.html"), "utf8")).to.contain(`<code>${bundleJson.hash}</code>`);
    // Every run's command reruns it from the bundle, offline (runs.csv, campaign.json and its manifest say the same); the first one, run, gives its files.
    const commands = campaignJson.runs.map((r: { command: string }) => r.command) as string[];
    for (const command of commands) expect(command).to.match(new RegExp(`--fork-block ${block} --fork-bundle \\S*campaign-bundle --offline$`));
    expect(fs.readFileSync(path.join(merged, "runs.csv"), "utf8")).to.contain(commands[0]);
    const first = campaignJson.runs[0] as { command: string; dir: string };
    const again = path.join(tmp, "c-again");
    const rerun = await cli([...shellSplit(first.command).slice(2), "--out", again, "--no-compile"]);
    expect(rerun.status, rerun.output).to.equal(0);
    for (const file of ["kpis.csv", "reverts.csv", "result.json"]) expect(fs.readFileSync(path.join(again, file), "utf8"), file).to.equal(fs.readFileSync(path.join(merged, first.dir, file), "utf8"));
    for (const [what, text] of [["recorded campaign's output", recorded.output], ...filesUnder(path.join(tmp, "c-recorded")), ...filesUnder(bundle)]) expectNoKey(what, text);
  });

  it("runs sim-verify on the fork with 2 workers recording into one bundle, then offline from it: the same runs, no upstream request", async function () {
    const bundle = path.join(tmp, "verify-bundle");
    const verify = ["sim-verify", "forked", "--spec", "pokes final >= 3", "--target", "0.5", "--max-runs", "6", "--batch", "6", "--search-seed", "11", "--no-compile"];
    const recordedDir = path.join(tmp, "v-recorded");
    const recorded = await cli([...verify, "--workers", "2", "--out", recordedDir, "--fork", url, "--fork-block", String(block), "--fork-bundle", bundle]);
    expect(recorded.status, recorded.output).to.equal(0);
    upstream.resetCounts();
    const offlineDir = path.join(tmp, "v-offline");
    const offline = await cli([...verify, "--workers", "1", "--out", offlineDir, "--offline", "--fork-bundle", bundle, "--fork-block", String(block)]);
    expect(offline.status, offline.output).to.equal(0);
    expect(upstream.requests).to.equal(0);
    const searchOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "search.json"), "utf8"));
    const [a, b] = [searchOf(recordedDir), searchOf(offlineDir)];
    expect(a.result.yield).to.include({ n: 6, k: 6 });
    expect(b.result).to.deep.equal(a.result);
    const bundleJson = JSON.parse(fs.readFileSync(path.join(bundle, "bundle.json"), "utf8"));
    expect(a.forkBundle).to.deep.equal({ hash: bundleJson.hash, entries: bundleJson.entries });
    expect(b.forkBundle).to.deep.equal(a.forkBundle);
    // Every run read the fork's history (its 3 pokes) and ran the same offline, file for file.
    const runs = (fs.readdirSync(path.join(recordedDir, "runs"), { recursive: true }) as string[]).filter((f) => f.endsWith("kpis.csv"));
    expect(runs).to.have.length(6);
    for (const f of runs) expect(fs.readFileSync(path.join(offlineDir, "runs", f), "utf8"), f).to.equal(fs.readFileSync(path.join(recordedDir, "runs", f), "utf8"));
    const manifests = runs.map((f) => manifestOf(path.join(recordedDir, "runs", path.dirname(f))));
    expect(manifests.every((m) => m.forkBundle?.offline === false && m.network.fork.blockNumber === block)).to.equal(true);
    for (const [what, text] of [["recorded search's output", recorded.output], ...filesUnder(recordedDir)]) expectNoKey(what, text);
  });

  it("ends a fork that cannot be used in one clear error before any run, with nothing written", async function () {
    const out = path.join(tmp, "refused");
    const bundle = path.join(tmp, "refused-bundle");
    const cases: [string[], RegExp][] = [
      [["--fork", url, "--fork-block", String(block + 100)], /has no block \d+: its head is block \d+; fork at a block that was mined/],
      [["--fork", url, "--fork-block", String(block), "--fork-chain-id", "1"], /its chain id is 31337, not the 1 asked for/],
    ];
    for (const [flags, why] of cases) {
      const r = await cli(["sim", "forked", "--seed", "1", "--out", out, "--fork-bundle", bundle, "--no-compile", ...flags]);
      expect(r.status, r.output).to.equal(2);
      expect(r.stderr).to.match(why);
      expectNoKey("stderr", r.output);
      expect(fs.existsSync(out), "out").to.equal(false);
      expect(fs.existsSync(bundle), "bundle").to.equal(false);
    }
  });
});
