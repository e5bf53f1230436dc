import { execFileSync, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { ROOT } from "./helpers";

/** The version this repo has installed, so the fresh project installs the same from npm's cache. */
const installed = (pkg: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;

const CONTRACT = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Jar {
    error Empty();
    mapping(address => uint256) public coins;
    uint256 public total;

    function put(uint256 n) external {
        coins[msg.sender] += n;
        total += n;
    }

    function take(uint256 n) external {
        if (coins[msg.sender] < n) revert Empty();
        coins[msg.sender] -= n;
        total -= n;
    }
}
`;

// A flaw for the README's "Testing tokenomics": the cap is checked before adding. Two savers putting
// `deposit` a tick for 10 ticks (20 puts) push the total past 100 exactly when deposit >= 6.
const CAPPED = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract CappedJar {
    uint256 public constant CAP = 100;
    uint256 public total;

    function put(uint256 n) external {
        require(total <= CAP, "jar is full"); // the flaw: should be total + n <= CAP
        total += n;
    }
}
`;

// The package's schedule library, imported from npm as a user's contract does.
const HALF_LIFE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {RampedExp} from "hardhat-tokenspice/contracts/schedules/RampedExp.sol";

contract HalfLife {
    function vestedFraction(uint64 halfLife, uint256 t) external pure returns (uint256) {
        return RampedExp.fraction(RampedExp.curve(RampedExp.exponential(halfLife)), t);
    }
}
`;

const CAPPED_NETLIST = `import { Agent, defineNetlist, param, type StepContext } from "hardhat-tokenspice";
import { CappedJar__factory, type CappedJar } from "../typechain-types";

type World = { jar: CappedJar };
type Params = { deposit: number };

class Saver extends Agent<World, Params> {
  async step({ world, params }: StepContext<World, Params>) {
    await world.jar.connect(this.wallet.signer).put(params.deposit);
  }
}

export default defineNetlist({
  description: "Two savers fill a capped jar",
  params: { deposit: param.int({ default: 1, min: 0, max: 50 }) },
  time: { steps: 10, stepSeconds: 3600 },
  async setup({ deploy, wallet }) {
    const jar = await deploy(CappedJar__factory);
    return { world: { jar }, agents: [new Saver(await wallet("a")), new Saver(await wallet("b"))] };
  },
  kpis: { total: ({ world }) => world.jar.total() },
});
`;

const CAPPED_TEST = `import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { PropertyFailedError, RampedExp } from "hardhat-tokenspice";

describe("the package's RampedExp schedule", () => {
  it("compiles from hardhat-tokenspice/contracts and equals the TypeScript reference", async () => {
    const c = await hre.ethers.deployContract("HalfLife");
    const day = 86_400n;
    expect(await c.vestedFraction(365n * day, 365n * day)).to.equal(RampedExp.WAD / 2n);
    for (const t of [0n, 1n, 100n * day, 1000n * day]) {
      expect(await c.vestedFraction(365n * day, t)).to.equal(RampedExp.fraction(RampedExp.curve(RampedExp.exponential(365n * day)), t));
    }
  });
});

describe("capped jar tokenomics", () => {
  it("finds the smallest deposit that overfills the jar", async () => {
    let failure: PropertyFailedError | undefined;
    try {
      await hre.tokenspice.check("capped", {
        params: { deposit: fc.integer({ min: 0, max: 50 }) },
        invariant: (s) => s.kpi<bigint>("total") <= 100n,
        runs: 30,
        seed: 1,
      });
    } catch (error) {
      failure = error as PropertyFailedError;
    }
    expect(failure?.params.deposit, failure?.message).to.equal(6);
    console.log("REPORT " + JSON.stringify({ deposit: failure!.params.deposit, tick: failure!.failure.tick, command: failure!.command, replay: failure!.replay }));
  });

  it("holds below the threshold, and the series assertions work", async () => {
    const r = await hre.tokenspice.run("capped", { seed: 1, params: { deposit: 5 } });
    expect(r.kpi("total")).to.be.nonDecreasing;
    expect(r.kpi("total")).to.never.riseAbove(100n);
    expect(r.kpi("total")).to.end.closeTo(100n, 0n);
  });
});
`;

// Written from the README's netlist API, importing the package by name as a user does.
const NETLIST = `import { Agent, defineNetlist, param, type StepContext } from "hardhat-tokenspice";
import { Jar__factory, type Jar } from "../../typechain-types";

type World = { jar: Jar };
type Params = { greed: number };

class Saver extends Agent<World, Params> {
  async step({ world, params, rng }: StepContext<World, Params>) {
    const jar = world.jar.connect(this.wallet.signer);
    if (rng() < params.greed) await jar.take(rng.int(1, 5));
    else await jar.put(rng.int(1, 3));
  }
}

export default defineNetlist({
  description: "Savers put coins in a jar and sometimes take too many",
  params: { greed: param.float({ default: 0.4, min: 0, max: 1, doc: "Chance to take instead of put" }) },
  time: { steps: 10, stepSeconds: 86_400 },
  async setup({ deploy, wallet }) {
    const jar = await deploy(Jar__factory);
    return { world: { jar }, agents: [new Saver(await wallet("alice")), new Saver(await wallet("bob"))] };
  },
  kpis: {
    total: { value: ({ world }) => world.jar.total(), label: "Coins in the jar", unit: "coins", doc: "Jar.total()" },
    reverts: ({ reverts }) => reverts,
  },
});
`;

// What `npx hardhat init` writes for a TypeScript project.
const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "es2020", module: "commonjs", esModuleInterop: true, forceConsistentCasingInFileNames: true, strict: true, skipLibCheck: true, resolveJsonModule: true },
});

const CONFIG = `import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-ethers";
import "@typechain/hardhat";
import "hardhat-tokenspice";

const config: HardhatUserConfig = { solidity: "0.8.28" };
export default config;
`;

// The worker backend from the packed dist/: its worker entry (dist/src/hardhat/campaign-worker.js)
// boots this TypeScript project's Hardhat (ts-node registered by hardhat/register, as the CLI does).
const WORKERS_SCRIPT = `import fs from "fs";
import path from "path";
import hre from "hardhat";
import { createInProcessBackend, createWorkerBackend } from "hardhat-tokenspice/dist/src/hardhat/campaign-backends";

async function main() {
  const specs = await Promise.all([1, 2, 3].map((seed) => hre.tokenspice.plan("jar", { seed })));
  const jobs = (dir: string) => specs.map((spec, i) => ({ key: "r" + i, spec, out: path.resolve("campaign-runs", dir, "r" + i) }));
  const pool = createWorkerBackend(hre, { workers: 2 });
  const outcomes = await pool.run(jobs("workers"));
  await pool.close();
  const inProcess = await createInProcessBackend(hre).run(jobs("in-process"));
  const files = (dir: string) => jobs(dir).map((j) => ["kpis.csv", "reverts.csv", "result.json"].map((f) => fs.readFileSync(path.join(j.out, f), "utf8")));
  console.log("WORKERS " + JSON.stringify({ outcomes, inProcess, same: JSON.stringify(files("workers")) === JSON.stringify(files("in-process")), workers: pool.pids.length }));
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
`;

// A published protocol as the README's "Simulating a deployed protocol" shows it: Uniswap V2's
// factory and pair from @uniswap/v2-core's own artifacts (solc 0.5.16 bytecode, no compiler),
// the pair reached with at(), two tokens of the project's own.
const TOKEN = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Token {
    mapping(address => uint256) public balanceOf;

    function mint(address to, uint256 n) external {
        balanceOf[to] += n;
    }

    function transfer(address to, uint256 n) external returns (bool) {
        require(balanceOf[msg.sender] >= n, "balance");
        balanceOf[msg.sender] -= n;
        balanceOf[to] += n;
        return true;
    }
}
`;

const PAIR_NETLIST = `import { Agent, defineNetlist, type StepContext } from "hardhat-tokenspice";
import { Token__factory, type Token } from "../typechain-types";

const V2 = "@uniswap/v2-core/build/";
const E18 = 10n ** 18n;
type World = { pair: string; token0: Token; reserves: () => Promise<[bigint, bigint]> };

/** Sells token0 for token1 on the pair: sends its tokens, then asks for the amount out V2's 0.3% formula gives. */
class Trader extends Agent<World> {
  greedy = false;
  async step({ world, at, rng }: StepContext<World>) {
    const pair = at(V2 + "UniswapV2Pair.json", world.pair);
    const [r0, r1] = await world.reserves();
    const amountIn = E18 * BigInt(1 + Math.floor(rng() * 10));
    const out = (amountIn * 997n * r1) / (r0 * 1000n + amountIn * 997n);
    await world.token0.connect(this.wallet.signer).transfer(world.pair, amountIn);
    await pair.swap(0n, this.greedy ? out + 1n : out, this.wallet.address, "0x");
  }
}
class Greedy extends Trader {
  greedy = true;
}

export default defineNetlist({
  description: "Uniswap V2's published pair, traded",
  params: {},
  time: { steps: 5, stepSeconds: 3600 },
  async setup({ deploy, deployArtifact, at, deployer, wallet }) {
    const a = await deploy(Token__factory);
    const b = await deploy(Token__factory);
    const [addressA, addressB] = [await a.getAddress(), await b.getAddress()];
    const factory = await deployArtifact(V2 + "UniswapV2Factory.json", [deployer.address]);
    await (await factory.createPair(addressA, addressB)).wait();
    const pairAddress: string = await factory.getPair(addressA, addressB);
    const pair = at(V2 + "UniswapV2Pair.json", pairAddress);
    const [token0, token1] = BigInt(addressA) < BigInt(addressB) ? [a, b] : [b, a];
    await token0.mint(pairAddress, 1000n * E18);
    await token1.mint(pairAddress, 1000n * E18);
    await pair.mint(deployer.address);
    const honest = await wallet("honest");
    const greedy = await wallet("greedy");
    await token0.mint(honest.address, 1000n * E18);
    await token0.mint(greedy.address, 1000n * E18);
    const reserves = async () => {
      const [r0, r1] = await pair.getReserves();
      return [BigInt(r0), BigInt(r1)] as [bigint, bigint];
    };
    return { world: { pair: pairAddress, token0, reserves }, agents: [new Trader(honest), new Greedy(greedy)] };
  },
  kpis: {
    reserve0: async ({ world }) => (await world.reserves())[0],
    k: async ({ world }) => {
      const [r0, r1] = await world.reserves();
      return r0 * r1;
    },
  },
});
`;

describe("the packed plugin in a fresh Hardhat project", function () {
  this.timeout(600_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-pack-"));
  const project = path.join(work, "project");
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("installs from `npm pack` and runs a netlist written against the README", function () {
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    const tarball = path.join(work, packed[0].filename);
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
    expect(files).to.include.members(["dist/src/index.js", "dist/src/index.d.ts", "dist/tasks/sim.js", "dist/tasks/sim-report.js", "dist/src/report/html.js", "README.md", "package.json"]);
    expect(files).to.include("contracts/schedules/RampedExp.sol");
    expect(files, "the README links into docs/").to.include.members(["docs/README.md", "docs/reference/cli.md", "docs/reference/errors.md"]);
    expect(files.some((f) => f.startsWith("test/") || f.startsWith("sims/") || (f.startsWith("contracts/") && !f.startsWith("contracts/schedules/")))).to.equal(false);

    fs.mkdirSync(path.join(project, "contracts"), { recursive: true });
    fs.mkdirSync(path.join(project, "sims", "jar"), { recursive: true });
    const dev: Record<string, string> = { "hardhat-tokenspice": `file:${tarball}` };
    for (const pkg of [
      "hardhat",
      "ethers",
      "@nomicfoundation/hardhat-ethers",
      "@typechain/hardhat",
      "@typechain/ethers-v6",
      "typechain",
      "typescript",
      "ts-node",
      "@types/node",
      "fast-check",
      "chai",
      "@types/chai",
      "@types/mocha",
      "@uniswap/v2-core",
    ]) {
      dev[pkg] = installed(pkg);
    }
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, devDependencies: dev }, null, 2));
    fs.writeFileSync(path.join(project, "hardhat.config.ts"), CONFIG);
    fs.writeFileSync(path.join(project, "tsconfig.json"), TSCONFIG);
    fs.writeFileSync(path.join(project, "contracts", "Jar.sol"), CONTRACT);
    fs.writeFileSync(path.join(project, "sims", "jar", "netlist.ts"), NETLIST);
    fs.writeFileSync(path.join(project, "contracts", "CappedJar.sol"), CAPPED);
    fs.writeFileSync(path.join(project, "contracts", "HalfLife.sol"), HALF_LIFE);
    fs.writeFileSync(path.join(project, "sims", "capped.ts"), CAPPED_NETLIST);
    fs.writeFileSync(path.join(project, "contracts", "Token.sol"), TOKEN);
    fs.writeFileSync(path.join(project, "sims", "pair.ts"), PAIR_NETLIST);
    fs.mkdirSync(path.join(project, "test"));
    fs.writeFileSync(path.join(project, "test", "capped.tokenomics.ts"), CAPPED_TEST);

    const install = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: project, encoding: "utf8" });
    expect(install.status, install.stderr).to.equal(0);

    const sim = spawnSync(path.join(project, "node_modules", ".bin", "hardhat"), ["sim", "jar", "--seed", "5"], { cwd: project, encoding: "utf8" });
    const output = `${sim.stdout}${sim.stderr}`;
    expect(sim.status, output).to.equal(0);
    const folder = output.match(/Files in (.*):/)?.[1] ?? "";
    expect(folder).to.contain(path.join(project, "sim-results", "jar"));
    const rows = fs.readFileSync(path.join(folder, "kpis.csv"), "utf8").trim().split("\n");
    expect(rows[0]).to.equal("tick,timestamp,total,reverts");
    expect(rows).to.have.length(12);
    const reverts = fs.readFileSync(path.join(folder, "reverts.csv"), "utf8");
    expect(reverts).to.match(/Jar\.take,Empty\(\)/);
    // charts and the report, with the installed echarts and resvg; sim-report rebuilds them in a copy
    expect(output).to.contain(`Report: ${path.join(folder, "report.html")}`);
    expect(output).to.match(/│ total +│ +\d+ coins │/);
    expect(fs.readdirSync(path.join(folder, "plots")).sort()).to.deep.equal(["reverts.png", "reverts.svg", "total.png", "total.svg"]);
    const copy = path.join(work, "copied-run");
    fs.mkdirSync(copy);
    for (const f of ["kpis.csv", "reverts.csv", "result.json", "manifest.json"]) fs.copyFileSync(path.join(folder, f), path.join(copy, f));
    const rebuilt = spawnSync(path.join(project, "node_modules", ".bin", "hardhat"), ["sim-report", copy], { cwd: project, encoding: "utf8" });
    expect(rebuilt.status, rebuilt.stdout + rebuilt.stderr).to.equal(0);
    expect(fs.readFileSync(path.join(copy, "report.html"), "utf8")).to.equal(fs.readFileSync(path.join(folder, "report.html"), "utf8"));

    // The README's "Testing tokenomics", in that project's own test suite: the exact threshold,
    // a reproduce command that reproduces it.
    const test = spawnSync(path.join(project, "node_modules", ".bin", "hardhat"), ["test"], { cwd: project, encoding: "utf8" });
    const testOutput = `${test.stdout}${test.stderr}`;
    expect(test.status, testOutput).to.equal(0);
    expect(testOutput).to.match(/3 passing/);
    const report = JSON.parse(testOutput.match(/REPORT (.*)/)![1]);
    expect(report).to.include({ deposit: 6, tick: 9 });
    const args = (report.command as string).replace(/^npx hardhat /, "").split(" ");
    const reproduced = spawnSync(path.join(project, "node_modules", ".bin", "hardhat"), [...args, "--no-compile"], { cwd: project, encoding: "utf8" });
    expect(reproduced.status, reproduced.stdout + reproduced.stderr).to.equal(0);
    const totals = fs
      .readFileSync(path.join(reproduced.stdout.match(/Files in (.*):/)![1], "kpis.csv"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(",")[2]);
    // tick 9: the first put (96 -> 102) passes the flawed check, the second is refused; then all are
    expect(totals.slice(1)).to.deep.equal(["0", "12", "24", "36", "48", "60", "72", "84", "96", "102", "102"]);
  });

  it("resolves every path of the package's exports map, and the Hardhat-free API loads without Hardhat", function () {
    if (!fs.existsSync(path.join(project, "node_modules", "hardhat-tokenspice"))) this.skip(); // the install above failed
    const pkg = path.join(project, "node_modules", "hardhat-tokenspice");
    const resolved: Record<string, string> = {
      "hardhat-tokenspice": "dist/src/index.js",
      "hardhat-tokenspice/api": "dist/src/api.js",
      "hardhat-tokenspice/core": "dist/src/core.js",
      "hardhat-tokenspice/package.json": "package.json",
      "hardhat-tokenspice/contracts/schedules/RampedExp.sol": "contracts/schedules/RampedExp.sol",
      "hardhat-tokenspice/dist/src/api": "dist/src/api.js",
      "hardhat-tokenspice/dist/src/api.js": "dist/src/api.js",
      "hardhat-tokenspice/dist/src/hardhat/campaign-backends": "dist/src/hardhat/campaign-backends.js",
    };
    const script = `const out = {}; for (const id of ${JSON.stringify(Object.keys(resolved))}) out[id] = require.resolve(id); const api = require("hardhat-tokenspice/api"); out.api = { DAY: api.DAY, defineNetlist: typeof api.defineNetlist, hardhat: Object.keys(require.cache).some((f) => f.includes("/node_modules/hardhat/")) }; console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    for (const [id, file] of Object.entries(resolved)) expect(fs.realpathSync(out[id]), id).to.equal(fs.realpathSync(path.join(pkg, file)));
    expect(out.api).to.deep.equal({ DAY: 86_400, defineNetlist: "function", hardhat: false });
    // what the exports map names for each path's types exists in the tarball
    const exportsMap = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).exports;
    for (const key of [".", "./api", "./core"]) expect(fs.existsSync(path.join(pkg, exportsMap[key].types)), `${key} types`).to.equal(true);
  });

  it("runs examples/no-hardhat from the installed package (hardhat-tokenspice/core on EDR), loading no Hardhat module", function () {
    if (!fs.existsSync(path.join(project, "node_modules", "hardhat-tokenspice"))) this.skip(); // the install above failed
    const out = path.join(project, "no-hardhat-results");
    const guard = path.join(ROOT, "test", "fixtures", "no-hardhat", "guard.js");
    const example = path.join(project, "node_modules", "hardhat-tokenspice", "examples", "no-hardhat", "run.js");
    const env = { ...process.env };
    delete env.TOKENSPICE_MODULE;
    const r = spawnSync(process.execPath, ["-r", guard, example, out], { cwd: project, encoding: "utf8", env });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr.trim().split("\n").at(-1)).to.equal("hardhat modules loaded: []");
    expect(r.stdout).to.contain("campaign: 6 of 6 runs complete, 0 failed, in campaign/");
    expect(r.stdout).to.match(/^verify: \d+ of \d+ runs met "total final >= 5"/m);
    for (const file of ["campaign/campaign.json", "campaign/report.html", "verify/search.json", "verify/report.html"]) expect(fs.existsSync(path.join(out, file)), file).to.equal(true);
  });

  it("drives Uniswap V2's published bytecode with deployArtifact and at(), as the README shows: reverts named, deployments recorded", function () {
    if (!fs.existsSync(path.join(project, "node_modules", "hardhat-tokenspice"))) this.skip(); // the install above failed
    const out = path.join(work, "pair-run");
    const sim = spawnSync(path.join(project, "node_modules", ".bin", "hardhat"), ["sim", "pair", "--seed", "2", "--out", out, "--no-report"], { cwd: project, encoding: "utf8" });
    expect(sim.status, sim.stdout + sim.stderr).to.equal(0);
    // the greedy trader's swap, one wei too many out, is refused by the pair's own check, named by contract and method
    const reverts = fs.readFileSync(path.join(out, "reverts.csv"), "utf8").trim().split("\n").slice(1);
    expect(reverts).to.have.length(5);
    for (const row of reverts) expect(row).to.match(/^\d,greedy,0x[0-9a-fA-F]{40},0x[0-9a-fA-F]{40},UniswapV2Pair\.swap,UniswapV2: K,/);
    // k never falls (the fee stays in the pool), and the honest trades moved the reserves
    const rows = fs
      .readFileSync(path.join(out, "kpis.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    const k = rows.map((r) => BigInt(r[3]));
    for (let i = 1; i < k.length; i++) expect(k[i] >= k[i - 1], `k at tick ${i}`).to.equal(true);
    expect(BigInt(rows.at(-1)![2]) > BigInt(rows[0][2])).to.equal(true);
    const deployments: { name: string; source: string }[] = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")).deployments;
    const v2 = installed("@uniswap/v2-core");
    // what the run deployed: the two tokens from source, the factory from the package (the pair is the factory's CREATE2 copy)
    expect(deployments.map((d) => d.source)).to.deep.equal(["contracts/Token.sol", "contracts/Token.sol", `@uniswap/v2-core@${v2}/build/UniswapV2Factory.json`]);
  });

  it("runs a campaign's jobs in worker processes from dist/, with the files of in-process runs", function () {
    if (!fs.existsSync(path.join(project, "node_modules", "hardhat-tokenspice"))) this.skip(); // the install above failed
    fs.mkdirSync(path.join(project, "scripts"), { recursive: true });
    fs.writeFileSync(path.join(project, "scripts", "workers.ts"), WORKERS_SCRIPT);
    const r = spawnSync(path.join(project, "node_modules", ".bin", "hardhat"), ["run", "--no-compile", "scripts/workers.ts"], { cwd: project, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout.match(/WORKERS (.*)/)![1]);
    const complete = ["r0", "r1", "r2"].map((key) => ({ key, status: "complete", error: null, attempts: 1 }));
    expect(report).to.deep.equal({ outcomes: complete, inProcess: complete, same: true, workers: 2 });
  });
});
