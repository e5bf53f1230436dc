import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { HardhatPluginError } from "hardhat/plugins";
import { ROOT, errorOf, useEnvironment } from "./helpers";

const hardhatBin = path.join(ROOT, "node_modules", ".bin", "hardhat");

/** `npx hardhat <args>` in the repo's example project, as a user runs it (not a terminal: plain progress lines). */
function cli(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(hardhatBin, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  // eslint-disable-next-line no-control-regex
  return { status: r.status, output: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "") };
}

/** Runs `fn` with console.log captured; returns what it printed. */
async function captureLog(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return lines.join("\n");
}

describe("npx hardhat sim (token-flow in the example project)", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-task-"));
  const out = (name: string) => path.join(tmp, name);
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe("from the command line", () => {
    it("runs, writes every file, and repeats byte for byte with the printed command", function () {
      this.timeout(180_000);
      const a = cli(["sim", "token-flow", "--seed", "7", "--steps", "30", "--out", out("a")]);
      expect(a.status, a.output).to.equal(0);
      expect(a.output).to.match(/token-flow: tick 3\/30 \(10%\)/);
      expect(a.output).to.match(/Files in .*\/a:/);
      for (const f of ["kpis.csv", "reverts.csv", "result.json", "manifest.json"]) expect(fs.existsSync(path.join(out("a"), f)), f).to.equal(true);
      const manifest = JSON.parse(fs.readFileSync(path.join(out("a"), "manifest.json"), "utf8"));
      expect(manifest).to.include({ seed: 7, steps: 30, status: "complete", blockTime: "tick" });
      expect(manifest.network).to.include({ name: "hardhat", chainId: 31337, blockTime: "tick" });
      expect(manifest.versions).to.include.keys("hardhat-tokenspice", "hardhat", "solc", "node");
      expect(a.output).to.contain(`Reproduce: ${manifest.command}`);

      const replay = manifest.command.replace(/^npx hardhat /, "").split(" ");
      const b = cli([...replay, "--out", out("b")]);
      expect(b.status, b.output).to.equal(0);
      const csv = (d: string) => fs.readFileSync(path.join(out(d), "kpis.csv"));
      expect(csv("a").equals(csv("b"))).to.equal(true);
      expect(csv("a").toString().split("\n")[0]).to.equal("tick,timestamp,totalSupply,emitted,burned,holdersWithBalance,giniOfBalances,mood,reverts");
      expect(csv("a").toString().trim().split("\n")).to.have.length(32); // header + ticks 0..30
    });

    it("exits non-zero with one clear error for an unknown netlist", function () {
      const r = cli(["sim", "token-flo", "--no-compile"]);
      expect(r.status).to.not.equal(0);
      expect(r.output).to.match(/Error in plugin hardhat-tokenspice: Unknown netlist "token-flo" .*Known netlists: .*\btoken-flow\b/);
    });

    it("exits non-zero with a readable diff when KPIs leave the committed baseline", function () {
      this.timeout(120_000);
      const file = out("baseline.json");
      const write = cli(["sim", "token-flow", "--steps", "5", "--seed", "2", "--params", "holders=5", "--baseline", file, "--update-baseline", "--quiet", "--no-compile"]);
      expect(write.status, write.output).to.equal(0);
      const baseline = JSON.parse(fs.readFileSync(file, "utf8"));
      baseline.kpis.totalSupply.final = (BigInt(baseline.kpis.totalSupply.final) * 2n).toString();
      fs.writeFileSync(file, JSON.stringify(baseline));
      const check = cli(["sim", "token-flow", "--baseline", file, "--quiet", "--no-compile"]);
      expect(check.status).to.not.equal(0);
      expect(check.output).to.match(/1 of 28 KPI values outside tolerance/);
      expect(check.output).to.match(/│ totalSupply +│ final │/);
      expect(check.output).to.contain(`update it: npx hardhat sim token-flow --baseline ${file} --update-baseline`);
    });

    it("exits non-zero and overwrites nothing when --out holds a run", function () {
      const before = fs.readFileSync(path.join(out("a"), "kpis.csv"));
      const r = cli(["sim", "token-flow", "--seed", "8", "--steps", "2", "--out", out("a"), "--no-compile"]);
      expect(r.status).to.not.equal(0);
      expect(r.output).to.match(/already holds a run \(netlist "token-flow", seed 7.*--force/);
      expect(fs.readFileSync(path.join(out("a"), "kpis.csv")).equals(before)).to.equal(true);
    });
  });

  describe("in process", () => {
    useEnvironment(ROOT);
    const sim = (hre: Mocha.Context["hre"], args: Record<string, unknown>) => hre.run("sim", { netlist: "token-flow", steps: 2, seed: 1, noCompile: true, quiet: true, ...args });

    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "an unknown param",
        { params: "halfLife=3" },
        /Unknown param "halfLife" for netlist "token-flow"\. Known params: holders \(int in \[1, 500\], ~lognormal\(mu 3\.912, sigma 0\.6931; median 50\)\)/,
      ],
      ["a value of the wrong type", { params: "holders=many" }, /Param "holders" of netlist "token-flow": "many" is not a decimal integer\. Valid: int in \[1, 500\]/],
      ["a float where an int is due", { params: "holders=2.5" }, /"2\.5" is not a decimal integer/],
      ["a value out of range", { params: "transferProbability=1.5" }, /Param "transferProbability" .*1\.5 is out of range\. Valid: float in \[0, 1\]/],
      ["malformed --params", { params: "holders:3" }, /Malformed --params "holders:3": "holders:3" is not k=v/],
      ["a negative seed", { seed: -1 }, /Seed -1 is not valid: use an integer in \[0, 4294967295\]/],
      ["zero steps", { steps: 0 }, /Steps 0 is not valid: use a positive integer/],
    ];
    for (const [what, args, message] of cases) {
      it(`refuses ${what} with a HardhatPluginError, writing nothing`, async function () {
        const dir = out(`bad-${what.replace(/\W+/g, "-")}`);
        const error = await errorOf(() => sim(this.hre, { ...args, out: dir }));
        expect(error).to.be.instanceOf(HardhatPluginError);
        expect(error.message).to.match(message);
        expect(fs.existsSync(dir), "no output folder").to.equal(false);
      });
    }

    it("overwrites a run only with --force", async function () {
      const dir = out("forced");
      await sim(this.hre, { out: dir, seed: 1 });
      await errorOf(() => sim(this.hre, { out: dir, seed: 2 }));
      expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).seed).to.equal(1);
      await sim(this.hre, { out: dir, seed: 2, force: true });
      expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).seed).to.equal(2);
    });

    it("chooses and prints a seed when none is given, into a fresh folder per run", async function () {
      const printed = await captureLog(() => sim(this.hre, { seed: undefined, quiet: false }));
      const seed = Number(printed.match(/seed (\d+) \(chosen at random; pass --seed to fix it\)/)?.[1]);
      expect(Number.isInteger(seed)).to.equal(true);
      const folder = printed.match(/Files in (.*):/)?.[1] ?? "";
      expect(folder).to.match(new RegExp(`sim-results/token-flow/.*-seed${seed}$`));
      expect(JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8")).seed).to.equal(seed);
      fs.rmSync(folder, { recursive: true });
    });

    it("--quiet prints only the output folder", async function () {
      const printed = await captureLog(() => sim(this.hre, { out: out("quiet") }));
      expect(printed).to.equal(out("quiet"));
    });

    it("--list shows every netlist with its params", async function () {
      const printed = await captureLog(() => this.hre.run("sim", { list: true, noCompile: true }));
      expect(printed).to.match(/^token-flow — An ERC20 emitted on a half-life schedule/m);
      expect(printed).to.match(/--params halfLifeDays=90 {2}int in \[1, 36500\], controllable — Days for half of what remains to be emitted/);
    });

    describe("--baseline", () => {
      it("writes a baseline, then passes when the run repeats it", async function () {
        const file = out("in-process-baseline.json");
        await sim(this.hre, { steps: 3, seed: 4, params: "holders=3", baseline: file, updateBaseline: true });
        const written = JSON.parse(fs.readFileSync(file, "utf8"));
        expect(written.run).to.deep.include({ seed: 4, steps: 3 });
        expect(written.run.params.holders).to.equal(3);
        const printed = await captureLog(() => sim(this.hre, { steps: undefined, seed: undefined, baseline: file }));
        expect(printed).to.match(/all 28 KPI values within tolerance/);
      });

      it("keeps the tolerances a baseline file was given when updating it", async function () {
        const file = out("tolerant-baseline.json");
        await sim(this.hre, { steps: 2, seed: 4, params: "holders=2", baseline: file, updateBaseline: true });
        const edited = JSON.parse(fs.readFileSync(file, "utf8"));
        edited.kpiTolerances = { mood: { absolute: 0.5 } };
        fs.writeFileSync(file, JSON.stringify(edited));
        await sim(this.hre, { steps: undefined, seed: undefined, baseline: file, updateBaseline: true });
        expect(JSON.parse(fs.readFileSync(file, "utf8")).kpiTolerances).to.deep.equal({ mood: { absolute: 0.5 } });
      });

      for (const [what, args, message] of [
        ["a missing baseline file", { baseline: "nope.json" }, /Baseline .*nope\.json does not exist\. Write it with: npx hardhat sim token-flow --baseline nope\.json --update-baseline/],
        ["--update-baseline alone", { updateBaseline: true }, /--update-baseline needs --baseline <file>/],
      ] as const) {
        it(`refuses ${what}`, async function () {
          const error = await errorOf(() => sim(this.hre, { ...args }));
          expect(error).to.be.instanceOf(HardhatPluginError);
          expect(error.message).to.match(message);
        });
      }

      it("refuses flags that would change the baseline's run", async function () {
        const file = out("in-process-baseline.json");
        const error = await errorOf(() => sim(this.hre, { seed: 99, baseline: file }));
        expect(error.message).to.match(/A baseline check repeats the baseline's own run \(seed 4, steps 3, its params\)/);
      });
    });

    it("reaches hre.tokenspice.list() and run() with typed params", async function () {
      const info = (await this.hre.tokenspice.list()).find((n) => n.name === "token-flow")!;
      expect(info.description).to.match(/half-life schedule/);
      expect(info.kpis).to.include.members(["totalSupply", "burned", "holdersWithBalance", "giniOfBalances", "reverts"]);
      const r = await this.hre.tokenspice.run("token-flow", { seed: 3, steps: 5, params: { holders: 4 } });
      expect(r.params.holders).to.equal(4);
      expect(r.kpi("holdersWithBalance").max()).to.be.at.most(4);
      // conservation: supply = emitted - burned at every sample
      const [supply, emitted, burned] = ["totalSupply", "emitted", "burned"].map((k) => r.kpi<bigint>(k).values);
      supply.forEach((s, i) => expect(s).to.equal(emitted[i] - burned[i]));
    });
  });
});
