import { spawn, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { ROOT, cliIn, expectSameCampaignFiles, fixture } from "./helpers";

/**
 * Hardhat 3, for real: the fixture project test/fixture-projects/hardhat3 (ESM, its own lockfile,
 * this repo's `npm pack` tarball installed into it by scripts/install-hardhat3-fixture.sh) on Node 22 from tools/node22, run
 * through scripts/with-node22.sh. CI installs both (.ci/run). Without them this file is skipped,
 * saying why and how to install them.
 */
const HH3 = fixture("hardhat3");
const WITH_NODE22 = path.join(ROOT, "scripts", "with-node22.sh");
const node22 = path.join(ROOT, "tools", "node22", "node_modules", ".bin", "node");
const installed = path.join(HH3, "node_modules", "hardhat", "package.json");
const missing = !fs.existsSync(node22)
  ? "Node 22 tooling is absent (tools/node22: run `npm ci --prefix tools/node22 --ignore-scripts`)"
  : !fs.existsSync(installed)
    ? "the Hardhat 3 fixture is not installed (run `scripts/install-hardhat3-fixture.sh`)"
    : undefined;

/** Offline: an empty compiler cache and no way out, so only an npm solc the config hook filled in can compile. */
const offline = (tmp: string): NodeJS.ProcessEnv => ({ XDG_CACHE_HOME: path.join(tmp, "cache"), HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" });

function hh3(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(WITH_NODE22, ["npx", "hardhat", ...args], { cwd: HH3, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", ...env } });
  return { status: r.status, output: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

const FILES = ["kpis.csv", "reverts.csv", "result.json"];

/** An HH2 project beside the testbed (its config imports the plugin's source) holding the HH3 fixture's Jar and jar netlist. */
function hardhat2JarProject(): string {
  const dir = fixture(path.join(".tmp", "hh2-jar"));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "contracts"), { recursive: true });
  fs.mkdirSync(path.join(dir, "sims", "jar"), { recursive: true });
  fs.copyFileSync(path.join(HH3, "contracts", "Jar.sol"), path.join(dir, "contracts", "Jar.sol"));
  const netlist = fs.readFileSync(path.join(HH3, "sims", "jar", "netlist.ts"), "utf8");
  fs.writeFileSync(path.join(dir, "sims", "jar", "netlist.ts"), netlist.replace('"hardhat-tokenspice/dist/src/api.js"', '"../../../../../../src/api"'));
  const config = fs.readFileSync(fixture(path.join("testbed", "hardhat.config.ts")), "utf8");
  fs.writeFileSync(path.join(dir, "hardhat.config.ts"), config.replace('"../../../src/index"', '"../../../../src/index"'));
  return dir;
}

/** Where a shipped model (sims/token-flow and its contract) is copied into the fixture for the tests, and removed after. */
const SHIPPED_COPIES = [path.join(HH3, "sims", "token-flow"), path.join(HH3, "contracts", "shipped")];

/**
 * Copies sims/token-flow into the fixture as a user would (its imports of the plugin's source become
 * `hardhat-tokenspice/api`) with its contract, which the fixture's config compiles as this repo's
 * Hardhat 2 config does (optimizer 200 runs, evm target paris).
 */
function copyShippedModel(): void {
  const [sims, contracts] = SHIPPED_COPIES;
  fs.mkdirSync(sims, { recursive: true });
  fs.mkdirSync(contracts, { recursive: true });
  for (const f of fs.readdirSync(path.join(ROOT, "sims", "token-flow")).filter((f) => f.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(ROOT, "sims", "token-flow", f), "utf8");
    fs.writeFileSync(path.join(sims, f), text.split('"../../src/api"').join('"hardhat-tokenspice/api"'));
  }
  fs.copyFileSync(path.join(ROOT, "contracts", "EmissionToken.sol"), path.join(contracts, "EmissionToken.sol"));
}

describe("Hardhat 3 (test/fixture-projects/hardhat3 on Node 22)", function () {
  this.timeout(240_000);
  let tmp: string;

  before(function () {
    if (missing !== undefined) {
      console.warn(`    Hardhat 3 tests skipped: ${missing}.`);
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-hh3-"));
    copyShippedModel();
    const build = hh3(["build", "--force"], offline(tmp));
    expect(build.status, build.output).to.equal(0);
    expect(build.output).to.match(/Compiled 3 Solidity files with solc 0\.8\.28/);
  });

  after(() => {
    for (const dir of SHIPPED_COPIES) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs the Testbed's pokes netlist byte for byte as Hardhat 2 does (kpis.csv, reverts.csv, result.json)", () => {
    const hh3Out = path.join(tmp, "pokes-hh3");
    const hh2Out = path.join(tmp, "pokes-hh2");
    const r3 = hh3(["sim", "pokes", "--seed", "3", "--out", hh3Out]);
    expect(r3.status, r3.output).to.equal(0);
    const r2 = cliIn(fixture("testbed"), ["sim", "pokes", "--seed", "3", "--out", hh2Out, "--quiet", "--no-report"]);
    expect(r2.status, r2.output).to.equal(0);
    for (const file of FILES) expect(fs.readFileSync(path.join(hh3Out, file), "utf8"), file).to.equal(fs.readFileSync(path.join(hh2Out, file), "utf8"));
  });

  it("`npx hardhat sim jar --seed 1` matches Hardhat 2 except reverts' txHash, which hashes each side's fee fields", () => {
    const hh3Out = path.join(tmp, "jar-hh3");
    const hh2Out = path.join(tmp, "jar-hh2");
    const r3 = hh3(["sim", "jar", "--seed", "1", "--out", hh3Out]);
    expect(r3.status, r3.output).to.equal(0);
    expect(r3.output).to.contain(`Files in ${hh3Out}`);
    const r2 = cliIn(hardhat2JarProject(), ["sim", "jar", "--seed", "1", "--out", hh2Out, "--quiet", "--no-report"]);
    expect(r2.status, r2.output).to.equal(0);
    for (const file of ["kpis.csv", "result.json"]) expect(fs.readFileSync(path.join(hh3Out, file), "utf8"), file).to.equal(fs.readFileSync(path.join(hh2Out, file), "utf8"));
    // Pinned difference (docs/how-to/hardhat3.md): Hardhat 2's EDR fills maxFeePerGas = 2 × next base fee + 1 gwei;
    // the plugin's Hardhat 3 chain sends 2 × genesis base fee + 1 gwei (no extra request per send). Same gas price paid.
    const rows = (dir: string) => parse<Record<string, string>>(fs.readFileSync(path.join(dir, "reverts.csv"), "utf8"), { columns: true });
    const [a, b] = [rows(hh2Out), rows(hh3Out)];
    expect(a.length).to.be.greaterThan(0);
    expect(b.map(({ txHash: _, ...rest }) => rest)).to.deep.equal(a.map(({ txHash: _, ...rest }) => rest));
    b.forEach((row, i) => expect(row.txHash, `row ${i}`).to.not.equal(a[i].txHash));
  });

  it("runs a shipped model (sims/token-flow, copied in) as this repo's Hardhat 2 does, but for the pinned differences", () => {
    const hh3Out = path.join(tmp, "token-flow-hh3");
    const hh2Out = path.join(tmp, "token-flow-hh2");
    const r3 = hh3(["sim", "token-flow", "--seed", "2", "--steps", "20", "--out", hh3Out, "--quiet", "--no-report", "--no-compile"]);
    expect(r3.status, r3.output).to.equal(0);
    const r2 = cliIn(ROOT, ["sim", "token-flow", "--seed", "2", "--steps", "20", "--out", hh2Out, "--quiet", "--no-report"]);
    expect(r2.status, r2.output).to.equal(0);
    const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8");
    expect(read(hh3Out, "kpis.csv")).to.equal(read(hh2Out, "kpis.csv"));
    // Pinned (docs/how-to/hardhat3.md): reverts' txHash, as for the jar; and the setup's gas, by the deploy
    // calldata's bytes: the bytecode ends with a metadata hash of the sources' names, which Hardhat 3 prefixes
    // with "project/". Every transaction after setup uses the same gas.
    const rows = (dir: string) => parse<Record<string, string>>(read(dir, "reverts.csv"), { columns: true }).map(({ txHash: _, ...rest }) => rest);
    expect(rows(hh2Out).length).to.be.greaterThan(0);
    expect(rows(hh3Out)).to.deep.equal(rows(hh2Out));
    const [a, b] = [JSON.parse(read(hh2Out, "result.json")), JSON.parse(read(hh3Out, "result.json"))];
    const setupGas = [Number(a.gasUsed.setup), Number(b.gasUsed.setup)];
    expect(Math.abs(setupGas[0] - setupGas[1]) % 12, "16 − 4 gas per calldata byte that is zero on one side only").to.equal(0);
    expect(Math.abs(setupGas[0] - setupGas[1])).to.be.below(32 * 16);
    for (const r of [a, b]) delete r.gasUsed.setup;
    expect(b).to.deep.equal(a);
  });

  it("the CLI: a campaign on 2 workers; a copy missing a run resumed with --resume; 2 shards merged with sim-merge; sim-report: the same files", () => {
    const spec = ["sim", "pokes", "--no-compile", "--replicates", "2", "--sweep", "pokers=1,2", "--campaign-seed", "4", "--steps", "4"];
    const whole = path.join(tmp, "campaign");
    const r = hh3([...spec, "--workers", "2", "--out", whole]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout).to.match(/4 runs: 4 complete, 0 failed/);
    // A run lost (as a killed campaign leaves it): --resume runs only that one.
    const resumed = path.join(tmp, "campaign-resumed");
    fs.cpSync(whole, resumed, { recursive: true });
    const point = fs.readdirSync(path.join(resumed, "runs")).sort()[0];
    fs.rmSync(path.join(resumed, "runs", point, "r1"), { recursive: true });
    const again = hh3(["sim", "--no-compile", "--resume", resumed, "--workers", "2"]);
    expect(again.status, again.output).to.equal(0);
    expect(again.stdout).to.contain("4 runs (3 had ended before)");
    expectSameCampaignFiles(whole, resumed);
    const shards = [1, 2].map((i) => path.join(tmp, `shard-${i}`));
    shards.forEach((dir, i) => {
      const shard = hh3([...spec, "--workers", "1", "--shard", `${i + 1}/2`, "--out", dir]);
      expect(shard.status, shard.output).to.equal(0);
    });
    const merged = path.join(tmp, "merged");
    const m = hh3(["sim-merge", ...shards, "--out", merged]);
    expect(m.status, m.output).to.equal(0);
    expect(m.stdout).to.match(/Merged 2 folders: 4 runs, 0 failed/);
    expectSameCampaignFiles(whole, merged);
    fs.rmSync(path.join(merged, "report.html"));
    const report = hh3(["sim-report", merged]);
    expect(report.status, report.output).to.equal(0);
    expect(fs.existsSync(path.join(merged, "report.html"))).to.equal(true);
    expectSameCampaignFiles(whole, merged);
  });

  it("sim-verify takes several --spec in one flag (';'): exit 1 when the yield is not shown, 2 for bad input with one message", () => {
    const r = hh3([
      "sim-verify",
      "pokes",
      "--no-compile",
      "--spec",
      "pokes final >= 0; time final > 0",
      "--max-runs",
      "10",
      "--batch",
      "10",
      "--steps",
      "3",
      "--search-seed",
      "1",
      "--out",
      path.join(tmp, "verify"),
    ]);
    expect(r.status, r.output).to.equal(1);
    expect(r.stdout).to.contain("pokes final >= 0 and time final > 0: 10 of 10 runs met it");
    expect(r.output).to.contain("Error in community plugin hardhat-tokenspice: The yield was not shown to reach 0.9973");
    const noSpec = hh3(["sim-verify", "pokes", "--no-compile"]);
    expect(noSpec.status, noSpec.output).to.equal(2);
    expect(noSpec.output).to.contain("sim-verify needs --spec");
    const badCount = hh3(["sim-verify", "pokes", "--no-compile", "--spec", "pokes final >= 0", "--max-runs", "0"]);
    expect(badCount.status, badCount.output).to.equal(2);
    expect(badCount.output).to.contain('--max-runs "0" is not valid: use a whole number, 1 or more.');
    const noOut = hh3(["sim-merge", "a", "b"]);
    expect(noOut.status, noOut.output).to.equal(2);
    expect(noOut.output).to.contain("sim-merge needs --out");
  });

  it("the searches from the CLI: sim-worst-case on 2 workers gives Hardhat 2's answer byte for byte; sim-corners, then sim-optimize on its corners", () => {
    const worst = [
      "sim-worst-case",
      "token-flow",
      "--no-compile",
      "--objective",
      "giniOfBalances final",
      "--worst",
      "max",
      "--over",
      "transferProbability",
      "--budget",
      "11",
      "--replicates",
      "1",
      "--steps",
      "5",
      "--search-seed",
      "3",
    ];
    const hh3Out = path.join(tmp, "worst-hh3");
    const hh2Out = path.join(tmp, "worst-hh2");
    const r3 = hh3([...worst, "--workers", "2", "--out", hh3Out]);
    expect(r3.status, r3.output).to.equal(0);
    expect(r3.stdout).to.match(/Worst giniOfBalances final \(max\): [\d.]+ \(sd 0 over 1 seed\) at \{"transferProbability":[\d.e-]+\}, after 11 runs/);
    const r2 = cliIn(ROOT, [...worst, "--out", hh2Out]);
    expect(r2.status, r2.output).to.equal(0);
    // The same answer, trace and runs: the search file's result (its command names its own --out) and the points table.
    const result = (dir: string) => {
      const { command: _command, ...rest } = JSON.parse(fs.readFileSync(path.join(dir, "search.json"), "utf8")).result;
      return rest;
    };
    expect(result(hh3Out)).to.deep.equal(result(hh2Out));
    expect(fs.readFileSync(path.join(hh3Out, "points.csv"), "utf8")).to.equal(fs.readFileSync(path.join(hh2Out, "points.csv"), "utf8"));

    const cornersOut = path.join(tmp, "corners-hh3");
    const corners = hh3([
      "sim-corners",
      "token-flow",
      "--no-compile",
      "--objective",
      "giniOfBalances final max",
      "--over",
      "transferProbability",
      "--budget",
      "11",
      "--replicates",
      "1",
      "--steps",
      "5",
      "--out",
      cornersOut,
    ]);
    expect(corners.status, corners.output).to.equal(0);
    const cornersFile = JSON.parse(fs.readFileSync(path.join(cornersOut, "corners.json"), "utf8"));
    expect(cornersFile.corners.map((c: { name: string }) => c.name)).to.deep.equal(["nominal", "giniOfBalances final max"]);
    const optimize = hh3([
      "sim-optimize",
      "token-flow",
      "--no-compile",
      "--objective",
      "burned final",
      "--goal",
      "min",
      "--constraint",
      "holdersWithBalance final >= 1; giniOfBalances final <= 1",
      "--over",
      "halfLifeDays",
      "--corners",
      path.join(cornersOut, "corners.json"),
      "--budget",
      "22",
      "--replicates",
      "1",
      "--steps",
      "5",
      "--out",
      path.join(tmp, "optimize-hh3"),
    ]);
    expect(optimize.status, optimize.output).to.equal(0);
    const best = /Best design: \{"halfLifeDays":\d+\}; burned final [\d.e+]+ \(mean over corners and seeds\), after (\d+) runs/.exec(optimize.stdout);
    expect(best, optimize.stdout).to.not.equal(null);
    const runs = JSON.parse(fs.readFileSync(path.join(tmp, "optimize-hh3", "search.json"), "utf8")).result.runs;
    expect(runs).to.equal(Number(best![1]));
    expect(runs % 2).to.equal(0); // each candidate on both corners
    expect(runs).to.be.at.most(22);
  });

  it("sim-sensitivity: Sobol' indices over --over, ranked, in its search file; 2 for a method it does not know", () => {
    const out = path.join(tmp, "sensitivity");
    const r = hh3(["sim-sensitivity", "pokes", "--no-compile", "--over", "pokers,failAt", "--objective", "pokes final", "--samples", "4", "--steps", "3", "--search-seed", "1", "--out", out]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout).to.contain("Sensitivity (sobol, N = 4 base samples, 16 runs; 95% bootstrap intervals, 1000 resamples):");
    const search = JSON.parse(fs.readFileSync(path.join(out, "search.json"), "utf8"));
    expect(search.kind).to.equal("sensitivity");
    const rows = search.result.outputs[0].sobol.indices;
    // no failAt drawn (0 to 1000) falls in the 3 ticks run: pokes does not depend on it
    expect(rows.map((x: { param: string }) => x.param)).to.deep.equal(["pokers", "failAt"]);
    expect(rows[1].ST.value).to.equal(0);
    expect(fs.existsSync(path.join(out, "report.html"))).to.equal(true);
    const bad = hh3(["sim-sensitivity", "pokes", "--no-compile", "--objective", "pokes final", "--method", "fast"]);
    expect(bad.status, bad.output).to.equal(2);
    expect(bad.output).to.contain("--method");
  });

  it("sim-compare takes --a and --b by name and several --kpi in one flag (';'); a missing --b is exit 2", () => {
    const cmp = hh3([
      "sim-compare",
      "pokes",
      "--no-compile",
      "--a",
      "pokers=2",
      "--b",
      "pokers=4",
      "--kpi",
      "pokes final;time final",
      "--replicates",
      "3",
      "--steps",
      "3",
      "--search-seed",
      "1",
      "--out",
      path.join(tmp, "compare"),
    ]);
    expect(cmp.status, cmp.output).to.equal(0);
    expect(cmp.stdout).to.match(/pokes final: B − A = [\d.]+, 95% interval .*: B HIGHER/);
    expect(cmp.stdout).to.contain("time final: B − A = 0, 95% interval [0, 0]");
    const noB = hh3(["sim-compare", "pokes", "--no-compile", "--a", "pokers=2"]);
    expect(noB.status, noB.output).to.equal(2);
    expect(noB.output).to.contain("sim-compare needs --b");
  });

  it("sim-calibrate fit: GBM from the shipped ETH/USD year to calibration.json; 2 and the row and column for a bad file", () => {
    const out = path.join(tmp, "calibration.json");
    const r = hh3(["sim-calibrate", "fit", "--data", path.join(ROOT, "sims", "amm", "data", "eth-usd-daily.csv"), "--time", "date", "--value", "close", "--gbm", "--out", out]);
    expect(r.status, r.output).to.equal(0);
    expect(r.stdout).to.contain("GBM on 360 log returns over 1.00 years:").and.contain("Use it: --params drift=2.745,volatility=1.065");
    expect(JSON.parse(fs.readFileSync(out, "utf8")).data.sha256).to.match(/^[0-9a-f]{64}$/);
    const badFile = path.join(tmp, "bad.csv");
    fs.writeFileSync(badFile, "date,close\n2021-01-01,1\n2021-01-02,x\n");
    const bad = hh3(["sim-calibrate", "fit", "--data", badFile, "--time", "date", "--value", "close", "--gbm", "--out", path.join(tmp, "bad.json")]);
    expect(bad.status, bad.output).to.equal(2);
    expect(bad.output).to.contain('row 2, column "close": "x" is not a finite number');
  });

  it("runs on a JSON-RPC node with --network (a `hardhat node`), with the in-process run's KPIs and result", async () => {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    // Its own process group, ended by its id when done (npx runs Hardhat in a child of its own).
    const node = spawn(WITH_NODE22, ["npx", "hardhat", "node", "--port", String(port)], { cwd: HH3, detached: true, env: { ...process.env, FORCE_COLOR: "0" } });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        node.stdout.on("data", (d) => {
          out += d;
          if (out.includes("Started HTTP")) resolve();
        });
        node.on("exit", (code) => reject(new Error(`hardhat node exited (${code}): ${out}`)));
      });
      const rpcOut = path.join(tmp, "jar-rpc");
      const r = hh3(["--config", "hardhat.rpc.config.ts", "--network", "rpc", "sim", "jar", "--seed", "1", "--out", rpcOut], { TOKENSPICE_RPC_URL: `http://127.0.0.1:${port}` });
      expect(r.status, r.output).to.equal(0);
      const local = path.join(tmp, "jar-local");
      expect(hh3(["sim", "jar", "--seed", "1", "--out", local]).status).to.equal(0);
      for (const file of ["kpis.csv", "result.json"]) expect(fs.readFileSync(path.join(rpcOut, file), "utf8"), file).to.equal(fs.readFileSync(path.join(local, file), "utf8"));
      const manifest = JSON.parse(fs.readFileSync(path.join(rpcOut, "manifest.json"), "utf8"));
      expect(JSON.stringify(manifest)).to.contain('"name":"rpc"');
    } finally {
      process.kill(-node.pid!, "SIGTERM");
    }
  });

  it("forks a `hardhat node` with --fork through the recorder, then reruns offline with the node stopped, byte for byte", async () => {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const node = spawn(WITH_NODE22, ["npx", "hardhat", "node", "--port", String(port)], { cwd: HH3, detached: true, env: { ...process.env, FORCE_COLOR: "0" } });
    const bundle = path.join(tmp, "fork-bundle");
    const recorded = path.join(tmp, "jar-fork");
    let nodeRunning = true;
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        node.stdout.on("data", (d) => {
          out += d;
          if (out.includes("Started HTTP")) resolve();
        });
        node.on("exit", (code) => reject(new Error(`hardhat node exited (${code}): ${out}`)));
      });
      const url = `http://127.0.0.1:${port}/v2/PathKey0123456789abcdef?apikey=SECRET123`;
      const r = hh3(["sim", "jar", "--seed", "1", "--out", recorded, "--fork", url, "--fork-block", "0", "--fork-bundle", bundle]);
      expect(r.status, r.output).to.equal(0);
      const manifest = JSON.parse(fs.readFileSync(path.join(recorded, "manifest.json"), "utf8"));
      expect(manifest.network.fork).to.deep.include({ url: `http://127.0.0.1:${port}`, chainId: 31337, blockNumber: 0 });
      expect(manifest.forkBundle.upstreamRequests).to.be.greaterThan(2);
      process.kill(-node.pid!, "SIGTERM");
      nodeRunning = false;
      const offline = path.join(tmp, "jar-fork-offline");
      const o = hh3(["sim", "jar", "--seed", "1", "--out", offline, "--offline", "--fork-block", "0", "--fork-bundle", bundle]);
      expect(o.status, o.output).to.equal(0);
      for (const file of FILES) expect(fs.readFileSync(path.join(offline, file), "utf8"), file).to.equal(fs.readFileSync(path.join(recorded, file), "utf8"));
      expect(JSON.parse(fs.readFileSync(path.join(offline, "manifest.json"), "utf8")).forkBundle).to.include({ offline: true, upstreamRequests: 0, hash: manifest.forkBundle.hash });
      for (const text of [
        r.output,
        o.output,
        ...[recorded, offline, bundle].flatMap((d) =>
          (fs.readdirSync(d, { recursive: true }) as string[])
            .map((f) => path.join(d, f))
            .filter((f) => fs.statSync(f).isFile())
            .map((f) => fs.readFileSync(f, "latin1")),
        ),
      ]) {
        expect(text).to.not.contain("SECRET123").and.not.contain("PathKey0123456789abcdef");
      }
    } finally {
      if (nodeRunning) process.kill(-node.pid!, "SIGTERM");
    }
  });

  it("hre.tokenspice runs on the plugin's own chain (no accounts, automine, genesis 2020-01-01, no eth_feeHistory per send); connection.tokenspice on the connection's", () => {
    const r = hh3(["run", "--no-compile", "scripts/programmatic.ts"]);
    expect(r.status, r.output).to.equal(0);
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line, r.output).to.not.equal(undefined);
    const got = JSON.parse(line!.slice("RESULT ".length));
    expect(got.network).to.include({ name: "default", chainId: 31337, blockTime: "tick" });
    expect(got.genesis).to.equal(Date.UTC(2020, 0, 1) / 1000);
    expect(got.edrCacheEnv).to.deep.equal([null, null]);
    expect(got.accounts).to.deep.equal([]);
    expect(got.automine).to.equal(true);
    expect(got.total.connection).to.equal(got.total.hre);
    expect(got.reverts.connection).to.equal(got.reverts.hre);
    // Same run on both chains: the engine's own eth_feeHistory requests are equal; Hardhat 3 adds one per send only on the user's connection.
    expect(got.simChain.sends).to.be.greaterThan(0);
    expect(got.connection.feeHistory - got.connection.sends).to.equal(got.simChain.feeHistory);
  });

  it("runs a campaign on 2 worker processes, each booting Hardhat 3, with runs byte-identical to 1 worker's, and a verification", () => {
    const r = hh3(["run", "--no-compile", "scripts/campaign.ts"]);
    expect(r.status, r.output).to.equal(0);
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line, r.output).to.not.equal(undefined);
    const got = JSON.parse(line!.slice("RESULT ".length));
    expect(got).to.deep.include({ runs: [4, 4], failures: [0, 0], identical: true, runsCsvIdentical: true });
    // Every job of the 2-worker campaign ran in a worker process (1 or 2: the first booted may take them all); 0 is this process.
    expect(got.workers[0]).to.have.length.greaterThan(0);
    got.workers[0].forEach((w: number) => expect([1, 2]).to.include(w));
    expect(got.workers[1]).to.deep.equal([0]);
    expect(got.verify).to.deep.equal({ verdict: "pass", met: 8, of: 8 });
  });

  it("`npx hardhat test` runs the user's mocha and node:test suites (KPI tests, chai series assertions, fast-check properties) and the netlists' checks (the tokenspice runner)", () => {
    const r = hh3(["test", "--no-compile"]);
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.contain("runs with hre.tokenspice");
    expect(r.output).to.contain("checks a KPI property over greed with fast-check");
    expect(r.output).to.contain("refuses an unknown netlist with a plugin error that keeps its code");
    expect(r.output).to.contain("Running tokenspice netlist checks");
    expect(r.output).to.match(/✔ the total never goes negative, whatever the greed \(4 runs, fast-check seed 3\)/);
    expect(r.output).to.contain("runs on a connection's chain with connection.tokenspice: the total never negative");
    expect(r.output).to.contain("Running node:test tests");
    expect(r.output.split("checks a KPI property over greed with fast-check")).to.have.length(3); // in the mocha suite and in the node:test one
    expect(r.output).to.match(/\b6 passing \(3 mocha, 2 nodejs, 1 tokenspice\)/);
    expect(r.output).to.not.match(/failing/);
  });

  it("`npx hardhat test <checks file>` goes to the tokenspice runner: a failing check is reported with its shrunk case, exit code 1", () => {
    const file = path.join(HH3, "sims", "pokes.checks.ts");
    fs.writeFileSync(
      file,
      `import { defineChecks } from "hardhat-tokenspice/api";\nexport default defineChecks({ "pokers never throw": { params: { failAt: 3 }, invariant: () => true, steps: 5, runs: 2, seed: 1 } });\n`,
    );
    try {
      const r = hh3(["test", "sims/pokes.checks.ts", "--no-compile"]);
      expect(r.status, r.output).to.equal(1);
      expect(r.output).to.not.contain("Running Mocha tests");
      expect(r.output).to.contain("1) pokes: pokers never throw");
      expect(r.output).to.match(/Netlist "pokes": .*boom/);
      expect(r.output).to.match(/reproduce\s+npx hardhat sim pokes --seed 0 --steps 5 --params pokers=1,failAt=3,slowEvery=0/);
      expect(r.output).to.match(/\b1 failing \(1 tokenspice\)/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("compiles offline with an old solc from an npm alias (solc-0.5.16), which the build info records", () => {
    const r = hh3(["--config", "hardhat.old-solc.config.ts", "build", "--force"], offline(tmp));
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.contain("Compiled 1 Solidity file with solc 0.5.16");
    const dir = path.join(HH3, "artifacts-old", "build-info");
    const info = fs.readdirSync(dir).find((f) => f.endsWith(".json") && !f.endsWith(".output.json"));
    expect(JSON.parse(fs.readFileSync(path.join(dir, info!), "utf8"))).to.include({ solcVersion: "0.5.16", solcLongVersion: "0.5.16+commit.9c3226ce" });
  });

  it("a netlist importing the package root (the Hardhat 2 entry) is refused with one error naming hardhat-tokenspice/api (HARDHAT_VERSION_MISMATCH)", () => {
    const file = path.join(HH3, "sims", "root-import.ts");
    fs.writeFileSync(
      file,
      'import { defineNetlist } from "hardhat-tokenspice";\nexport default defineNetlist({ description: "x", time: { steps: 1, stepSeconds: 1 }, async setup() { return { world: {}, agents: [] }; }, kpis: {} });\n',
    );
    try {
      const r = hh3(["sim", "root-import", "--no-compile"]);
      expect(r.status, r.output).to.equal(2);
      expect(r.output).to.contain("This project has Hardhat 3.18.0, and this is hardhat-tokenspice's Hardhat 2 entry.");
      expect(r.output).to.contain('import the model API (defineNetlist, Agent, param, defineChecks) in netlists from "hardhat-tokenspice/api"');
      expect(r.output).to.not.contain("internal/core/errors");
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("validates tokenspice settings with Hardhat 3's config, each problem at its path", () => {
    const r = hh3(["--config", "hardhat.bad-tokenspice.config.ts", "build"]);
    expect(r.status).to.not.equal(0);
    expect(r.output).to.contain("HHE15: Invalid config");
    expect(r.output).to.contain('config.tokenspice.offlineCompiler: Expected "auto", "always" or "never", got "sometimes"');
    expect(r.output).to.contain("config.tokenspice.checkRuns: Expected a positive integer, got 0");
    expect(r.output).to.contain("config.tokenspice.outDir: Expected a string, got 7");
  });

  it("refuses a solc version no npm package provides, naming the package to install (COMPILER_UNAVAILABLE)", () => {
    const r = hh3(["--config", "hardhat.missing-solc.config.ts", "build"]);
    expect(r.status).to.not.equal(0);
    expect(r.output).to.contain("Error in community plugin hardhat-tokenspice: Cannot get solc 0.8.30");
    expect(r.output).to.contain("npm install --save-dev solc-0.8.30@npm:solc@0.8.30");
  });
});
