import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { HardhatPluginError } from "hardhat/plugins";
import { lockFolder } from "../src/output/folder-lock";
import { ROOT, errorOf, fixture, quietConsoleLog, useEnvironment } from "./helpers";

const hardhatBin = path.join(ROOT, "node_modules", ".bin", "hardhat");
const RUN_FILES = ["kpis.csv", "reverts.csv", "result.json", "manifest.json"];

function cli(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(hardhatBin, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  // eslint-disable-next-line no-control-regex
  return { status: r.status, output: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "") };
}

const listPlots = (dir: string) => (fs.existsSync(path.join(dir, "plots")) ? fs.readdirSync(path.join(dir, "plots")).sort() : []);

describe("sim writes plots and report.html; sim-report rebuilds them from the files alone", function () {
  this.timeout(180_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-report-cli-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("sim writes an SVG and a PNG per chart and report.html, prints its path, and shows units and sparklines", function () {
    const out = path.join(tmp, "run");
    const r = cli(["sim", "token-flow", "--seed", "3", "--steps", "12", "--out", out]);
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.contain(`Report: ${path.join(out, "report.html")}`);
    expect(r.output).to.match(/│ totalSupply +│ +[\d,.]+ FLOW │ +0 FLOW │/); // 10^18-scaled, with its unit
    expect(r.output).to.match(/│ reverts .*│ [▁▂▃▄▅▆▇█]{13} +│/); // 13 samples: one character each
    expect(listPlots(out)).to.deep.equal(["FLOW_supply", "giniOfBalances", "holdersWithBalance", "mood", "reverts"].flatMap((c) => [`${c}.png`, `${c}.svg`]).sort());
    const svg = fs.readFileSync(path.join(out, "plots", "FLOW_supply.svg"), "utf8");
    expect(svg).to.contain(">Total supply<").and.to.contain(">Emitted<").and.to.contain(">Burned<").and.to.contain(">days<");
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).to.contain(JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")).command);
  });

  it("sim-report rebuilds the same report in a copied folder with no project around it", function () {
    const out = path.join(tmp, "run");
    const copy = path.join(tmp, "copied-elsewhere");
    fs.mkdirSync(copy);
    for (const f of RUN_FILES) fs.copyFileSync(path.join(out, f), path.join(copy, f));
    const r = cli(["sim-report", copy]);
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.contain(`Report: ${path.join(copy, "report.html")}`);
    expect(listPlots(copy)).to.deep.equal(listPlots(out));
    // the report is a function of the run's files alone
    expect(fs.readFileSync(path.join(copy, "report.html"), "utf8")).to.equal(fs.readFileSync(path.join(out, "report.html"), "utf8"));
    for (const f of listPlots(out)) expect(fs.readFileSync(path.join(copy, "plots", f)).equals(fs.readFileSync(path.join(out, "plots", f))), f).to.equal(true);
  });

  it("sim --list shows each KPI's label, unit, decimals, scale, chart and doc", function () {
    const r = cli(["sim", "--list", "--no-compile"]);
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.contain('    totalSupply  Total supply; FLOW, 18 decimals; chart "FLOW supply" — FLOW in existence: emitted minus burned.');
    expect(r.output).to.contain('    poolPrice  Pool price; USD, log scale; chart "Price" — USD per VOL in the pool');
  });

  it("sim-report refuses a folder that is not a run, with one clear error", function () {
    const r = cli(["sim-report", tmp]);
    expect(r.status).to.not.equal(0);
    expect(r.output).to.match(/Error in plugin hardhat-tokenspice: .* is not a run folder: it has no manifest\.json/);
  });

  it("sim-report refuses a folder a live process is writing (its lock held), and rebuilds it once released", function () {
    const out = path.join(tmp, "locked");
    expect(cli(["sim", "token-flow", "--seed", "3", "--steps", "2", "--out", out, "--no-compile"]).status).to.equal(0);
    const report = fs.readFileSync(path.join(out, "report.html"));
    fs.rmSync(path.join(out, "plots"), { recursive: true });
    const lock = lockFolder(out); // this process stands for the run still writing it
    expect(lock).to.not.equal(null);
    try {
      const r = cli(["sim-report", out]);
      expect(r.status, r.output).to.equal(2);
      expect(r.output).to.match(
        /Error in plugin hardhat-tokenspice: sim-report: folder .* is being written by another process \(process \d+ on this host holds its lock \.tokenspice\.lock\)\. Nothing was written\./,
      );
      expect(listPlots(out), "nothing written").to.deep.equal([]);
    } finally {
      lock!.release();
    }
    const r = cli(["sim-report", out]);
    expect(r.status, r.output).to.equal(0);
    expect(listPlots(out)).to.not.deep.equal([]);
    expect(fs.readFileSync(path.join(out, "report.html")).equals(report)).to.equal(true);
    expect(fs.readdirSync(out).filter((f) => f.startsWith(".tokenspice.lock"))).to.deep.equal([]);
  });

  it("--no-report writes neither, and a forced re-run with it leaves no stale report", function () {
    const out = path.join(tmp, "run");
    const r = cli(["sim", "token-flow", "--seed", "4", "--steps", "3", "--out", out, "--force", "--no-report", "--no-compile"]);
    expect(r.status, r.output).to.equal(0);
    expect(r.output).not.to.contain("Report:");
    expect(fs.existsSync(path.join(out, "report.html"))).to.equal(false);
    expect(fs.existsSync(path.join(out, "plots"))).to.equal(false);
    expect(JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")).seed).to.equal(4);
  });
});

describe("a failed run's report (testbed fixture project)", function () {
  this.timeout(120_000);
  useEnvironment(fixture("testbed"));
  quietConsoleLog();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-report-failed-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("sim writes a report of what the run recorded, and still fails with the run's error", async function () {
    const out = path.join(tmp, "failed");
    const error = await errorOf(() => this.hre.run("sim", { netlist: "pokes", seed: 2, params: "failAt=4", out, noCompile: true, quiet: true }));
    expect(error).to.be.instanceOf(HardhatPluginError);
    expect(error.message).to.match(/Agent "poker-0" threw \(netlist "pokes", tick 4, seed 2\): boom/);
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).to.contain("This run failed:");
    expect(html).to.contain("boom");
    expect(html).to.contain('"ticks":[0,1,2,3]'); // the samples taken before tick 4
    expect(listPlots(out)).to.include.members(["pokes.svg", "lastPokeTime.svg", "time.svg"]);
  });

  it("tokenspice.report refuses a folder a live process is writing, as sim-report does", async function () {
    const out = path.join(tmp, "locked");
    await this.hre.run("sim", { netlist: "pokes", seed: 1, steps: 2, out, noCompile: true, quiet: true, noReport: true });
    const lock = lockFolder(out);
    try {
      const error = await errorOf(async () => this.hre.tokenspice.report(out));
      expect((error as any).code).to.equal("OUT_LOCKED");
      expect(fs.existsSync(path.join(out, "report.html"))).to.equal(false);
    } finally {
      lock!.release();
    }
    expect(this.hre.tokenspice.report(out).html).to.equal(path.join(out, "report.html"));
  });

  it("sim never writes a report into a folder holding another run it refused", async function () {
    const out = path.join(tmp, "held");
    await this.hre.run("sim", { netlist: "pokes", seed: 1, steps: 2, out, noCompile: true, quiet: true, noReport: true });
    const error = await errorOf(() => this.hre.run("sim", { netlist: "pokes", seed: 2, params: "failAt=1", out, noCompile: true, quiet: true }));
    expect(error.message).to.match(/already holds a run/);
    expect(fs.existsSync(path.join(out, "report.html"))).to.equal(false);
  });
});
