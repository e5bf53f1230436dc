import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { readJson } from "./helpers";

// examples/no-hardhat/run.js runs a campaign and a verify from a plain Node process: the package's
// public API (hardhat-tokenspice/core, here its sources through ts-node), solc-js and an EDR
// provider it makes itself. A guard preloaded into the process refuses any Hardhat module.

const ROOT = path.join(__dirname, "..");

function runExample(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "-r", path.join(__dirname, "fixtures", "no-hardhat", "guard.js"), path.join(ROOT, "examples", "no-hardhat", "run.js"), out],
    {
      cwd: ROOT,
      env: { ...process.env, TOKENSPICE_MODULE: path.join(ROOT, "src", "core.ts"), TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("examples/no-hardhat: a campaign and a verify from a plain Node script", function () {
  this.timeout(240_000);
  let out: string;
  let result: { code: number | null; stdout: string; stderr: string };
  before(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-no-hardhat-"));
    result = await runExample(out);
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("exits 0 having loaded no Hardhat module", () => {
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr.trim().split("\n").at(-1)).to.equal("hardhat modules loaded: []");
  });

  it("writes the campaign: 2 points × 3 replicates on the EDR chain, every run complete, its outputs and report", () => {
    expect(result.stdout).to.contain("campaign: 6 of 6 runs complete, 0 failed, in campaign/");
    const campaign = path.join(out, "campaign");
    const doc = readJson(path.join(campaign, "campaign.json"));
    expect(doc.runs).to.have.length(6);
    expect(doc.points.map((p: { varying: unknown }) => p.varying)).to.have.deep.members([{ savers: 2 }, { savers: 4 }]);
    for (const file of ["points.csv", "bands.csv", "runs.csv", "campaign.duckdb", "report.html"]) expect(fs.existsSync(path.join(campaign, file)), file).to.equal(true);
    // each run deployed the Jar on the chain and recorded it, named from the artifacts folder
    const manifest = readJson(path.join(campaign, doc.runs[0].dir, "manifest.json"));
    expect(manifest.status).to.equal("complete");
    expect(manifest.deployments).to.have.length(1);
    expect(manifest.deployments[0]).to.include({ source: "artifacts/Jar.json" });
    expect(manifest.deployments[0].compiler).to.match(/^0\.8\.28\+commit/);
    expect(manifest.network).to.deep.equal({ name: "custom", chainId: 31337 });
    const totals = fs
      .readFileSync(path.join(campaign, "points.csv"), "utf8")
      .trim()
      .split("\n")
      .filter((l) => l.includes(",total,"));
    expect(totals).to.have.length(2);
  });

  it("writes the verify: its verdict as printed, its search file and report", () => {
    const search = readJson(path.join(out, "verify", "search.json"));
    expect(search).to.include({ tool: "hardhat-tokenspice", kind: "verify", seed: 1, steps: 10 });
    const y = search.result.yield;
    expect(y.n).to.be.within(20, 60);
    expect(result.stdout).to.contain(`verify: ${y.k} of ${y.n} runs met "total final >= 5"`);
    expect(result.stdout).to.contain(`: ${String(search.result.verdict).toUpperCase()}\n`);
    expect(fs.existsSync(path.join(out, "verify", "report.html"))).to.equal(true);
  });
});
