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
    total: ({ world }) => world.jar.total(),
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

describe("the packed plugin in a fresh Hardhat project", function () {
  this.timeout(600_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-pack-"));
  const project = path.join(work, "project");
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("installs from `npm pack` and runs a netlist written against the README", function () {
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    const tarball = path.join(work, packed[0].filename);
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
    expect(files).to.include.members(["dist/src/index.js", "dist/src/index.d.ts", "dist/tasks/sim.js", "README.md", "package.json"]);
    expect(files.some((f) => f.startsWith("test/") || f.startsWith("sims/"))).to.equal(false);

    fs.mkdirSync(path.join(project, "contracts"), { recursive: true });
    fs.mkdirSync(path.join(project, "sims", "jar"), { recursive: true });
    const dev: Record<string, string> = { "hardhat-tokenspice": `file:${tarball}` };
    for (const pkg of ["hardhat", "ethers", "@nomicfoundation/hardhat-ethers", "@typechain/hardhat", "@typechain/ethers-v6", "typechain", "typescript", "ts-node", "@types/node"]) {
      dev[pkg] = installed(pkg);
    }
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, devDependencies: dev }, null, 2));
    fs.writeFileSync(path.join(project, "hardhat.config.ts"), CONFIG);
    fs.writeFileSync(path.join(project, "tsconfig.json"), TSCONFIG);
    fs.writeFileSync(path.join(project, "contracts", "Jar.sol"), CONTRACT);
    fs.writeFileSync(path.join(project, "sims", "jar", "netlist.ts"), NETLIST);

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
  });
});
