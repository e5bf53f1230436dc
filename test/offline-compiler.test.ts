import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { HardhatPluginError } from "hardhat/plugins";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { chooseSolc, findInstalledSolcs, validateSolcPackages, type InstalledSolc } from "../src/hardhat/offline-compiler";
import { ROOT, errorOf, fixture, useEnvironment } from "./helpers";

/** The version of an npm package installed in this repository. */
const installedVersion = (pkg: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;

describe("offline compilation", function () {
  describe("finding npm solc packages (aliases, the config map, the plain solc)", () => {
    let tmp: string;
    let project: string;
    /** Writes a fake npm package: a package.json and, for solc, an (empty) soljson.js. */
    const fakePackage = (dir: string, name: string, version: string) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version }));
      if (name === "solc") fs.writeFileSync(path.join(dir, "soljson.js"), "");
    };
    const summary = (solcs: InstalledSolc[]) => solcs.map((s) => `${s.via} ${s.name} ${s.version}`);

    before(() => {
      tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-solcs-")));
      project = path.join(tmp, "project");
      fs.mkdirSync(project);
      fs.writeFileSync(
        path.join(project, "package.json"),
        JSON.stringify({
          devDependencies: { "solc-0.5.16": "npm:solc@0.5.16", solc: "0.7.6", "left-pad": "1.0.0", "solc-0.4.11": "npm:solc@0.4.11" }, // the last one not installed
          dependencies: { "old-compiler": "npm:solc@0.6.12" }, // any name: it is the installed package.json's "name" that counts
        }),
      );
      fakePackage(path.join(tmp, "node_modules", "solc-0.5.16"), "solc", "0.5.16"); // hoisted above the project, as in a monorepo
      fakePackage(path.join(project, "node_modules", "old-compiler"), "solc", "0.6.12");
      fakePackage(path.join(project, "node_modules", "solc"), "solc", "0.7.6");
      fakePackage(path.join(project, "node_modules", "left-pad"), "left-pad", "1.0.0");
      fakePackage(path.join(project, "node_modules", "solc-0.4.26"), "solc", "0.4.26"); // installed, not declared
      fakePackage(path.join(tmp, "vendor", "solc-0.4.26"), "solc", "0.4.26");
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("finds the config map's packages, npm aliases by their installed name, the project's solc and the plugin's, in that order", () => {
      const solcs = findInstalledSolcs(project, { "0.4.26": "../vendor/solc-0.4.26" });
      expect(summary(solcs)).to.deep.equal([
        "config ../vendor/solc-0.4.26 0.4.26",
        "alias old-compiler 0.6.12", // dependencies, then devDependencies
        "alias solc-0.5.16 0.5.16",
        "solc solc 0.7.6",
        `plugin solc ${installedVersion("solc")}`,
      ]);
      expect(solcs[2].dir).to.equal(path.join(tmp, "node_modules", "solc-0.5.16"));
      expect(solcs[2].soljsonPath).to.equal(path.join(tmp, "node_modules", "solc-0.5.16", "soljson.js"));
      // without the map, an installed but undeclared package is not used
      expect(summary(findInstalledSolcs(project)).map((s) => s.split(" ")[2])).to.deep.equal(["0.6.12", "0.5.16", "0.7.6", installedVersion("solc")]);
    });

    it("takes a package name in the map, and lists a folder found twice once", () => {
      const solcs = findInstalledSolcs(project, { "0.4.26": "solc-0.4.26", "0.5.16": "solc-0.5.16" });
      expect(summary(solcs).slice(0, 3)).to.deep.equal(["config solc-0.4.26 0.4.26", "config solc-0.5.16 0.5.16", "alias old-compiler 0.6.12"]);
      expect(solcs.filter((s) => s.version === "0.5.16")).to.have.length(1);
    });

    it("refuses a map entry that is missing, not solc, or another version, saying which and what to install", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ "0.4.26": "solc-0426" }, /solcPackages\["0\.4\.26"\] = "solc-0426": no package "solc-0426" is installed\. Install it with `npm install --save-dev solc-0426@npm:solc@0\.4\.26`/],
        [{ "0.4.26": "./nowhere" }, /solcPackages\["0\.4\.26"\] = "\.\/nowhere": there is no folder .*nowhere/],
        [{ "1.0.0": "left-pad" }, /holds the npm package "left-pad", not "solc"/],
        [{ "0.5.17": "solc-0.5.16" }, /solcPackages\["0\.5\.17"\] = "solc-0\.5\.16": that package is solc 0\.5\.16, not 0\.5\.17.*npm install --save-dev solc-0\.5\.17@npm:solc@0\.5\.17/],
      ];
      for (const [map, message] of cases) {
        const error = await errorOf(async () => findInstalledSolcs(project, map));
        expect(error, JSON.stringify(map)).to.be.instanceOf(HardhatPluginError);
        expect(error.message).to.match(message);
      }
    });

    it("validates the map's shape in config", async () => {
      expect(validateSolcPackages(undefined)).to.deep.equal({});
      expect(validateSolcPackages({ "0.5.16": "solc-0.5.16" })).to.deep.equal({ "0.5.16": "solc-0.5.16" });
      expect((await errorOf(async () => validateSolcPackages({ "^0.5.16": "solc-0.5.16" }))).message).to.match(/"\^0\.5\.16" is not a compiler version/);
      expect((await errorOf(async () => validateSolcPackages({ "0.5.16": 5 }))).message).to.match(/solcPackages\["0\.5\.16"\] must be a package name/);
      expect((await errorOf(async () => validateSolcPackages(["solc-0.5.16"]))).message).to.match(/must map compiler versions/);
    });

    it("chooses the package whose version equals the job's; on none, lists what it found and the alias install command", async () => {
      const solcs = findInstalledSolcs(project);
      expect(chooseSolc("0.6.12", solcs).name).to.equal("old-compiler");
      const error = await errorOf(async () => chooseSolc("0.8.20", solcs, new Error("getaddrinfo ENOTFOUND binaries.soliditylang.org")));
      expect(error).to.be.instanceOf(HardhatPluginError);
      expect(error.message).to.contain('Cannot get solc 0.8.20: the compiler download failed, and no installed npm "solc" package is 0.8.20. Found: ');
      expect(error.message).to.contain(`solc 0.5.16 (npm alias "solc-0.5.16", ${path.join(tmp, "node_modules", "solc-0.5.16")})`);
      expect(error.message).to.contain('solc 0.7.6 ("solc", ');
      expect(error.message).to.contain("\n  npm install --save-dev solc-0.8.20@npm:solc@0.8.20\n");
      expect(error.message).to.contain('tokenspice: { solcPackages: { "0.8.20": "<package name or path>" } }');
      const none = await errorOf(async () => chooseSolc("0.5.16", []));
      expect(none.message).to.match(/^Cannot get solc 0\.5\.16: no npm "solc" package is installed\. .*\n {2}npm install --save-dev solc-0\.5\.16@npm:solc@0\.5\.16\n/);
      expect(none.message).not.to.contain("Or compile these sources"); // nothing of the same minor version to suggest
      expect((await errorOf(async () => chooseSolc("0.7.1", solcs))).message).to.contain("Or compile these sources with 0.7.6");
    });
  });

  describe("in a project on 0.8.28 (the plugin's own solc)", () => {
    useEnvironment(fixture("testbed"));
    let mode: string;
    beforeEach(function () {
      mode = this.hre.config.tokenspice.offlineCompiler;
      this.hre.config.tokenspice.offlineCompiler = "always"; // as `tokenspice: { offlineCompiler: "always" }` in config
    });
    afterEach(function () {
      this.hre.config.tokenspice.offlineCompiler = mode as never;
    });

    it("compiles with the npm solc package's solcjs when its version matches", async function () {
      const build = await this.hre.run(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, { solcVersion: "0.8.28", quiet: true });
      expect(build).to.include({ version: "0.8.28", isSolcJs: true });
      expect(build.longVersion).to.match(/^0\.8\.28\+commit\.[0-9a-f]{8}$/);
      expect(build.compilerPath).to.match(/solc[/\\]soljson\.js$/);
    });

    it("on a version mismatch, names the solc packages it found and the npm alias to install", async function () {
      const error = await errorOf(() => this.hre.run(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, { solcVersion: "0.8.20", quiet: true }));
      expect(error).to.be.instanceOf(HardhatPluginError);
      expect(error.message).to.match(/Cannot get solc 0\.8\.20: no installed npm "solc" package is 0\.8\.20\. Found: solc 0\.5\.16 \(npm alias "solc-0\.5\.16", .*solc 0\.8\.28 /);
      expect(error.message).to.contain("npm install --save-dev solc-0.8.20@npm:solc@0.8.20");
      expect(error.message).to.contain("Or compile these sources with 0.8.28"); // the same minor version: a likely fit
      expect(error.message).to.contain("pragma solidity ^0.8.28;");
    });

    it("defaults to falling back only when the download fails, with no version map", function () {
      expect(mode).to.equal("auto");
      expect(this.hre.config.tokenspice.solcPackages).to.deep.equal({});
    });
  });

  describe("in a project with sources pinned to solc 0.5.16 and 0.6.12 (npm aliases)", function () {
    useEnvironment(fixture("old-solc"));

    it("compiles each source with its own old solcjs", async function () {
      this.timeout(300_000);
      await this.hre.run("compile", { quiet: true, force: true }); // not from the cache: the subtask runs
      for (const [name, version] of [
        ["Tally05", "0.5.16"],
        ["Tally06", "0.6.12"],
      ]) {
        const info = await this.hre.artifacts.getBuildInfo(`contracts/${name}.sol:${name}`);
        expect(info?.solcVersion, name).to.equal(version);
        expect(info?.solcLongVersion, name).to.match(new RegExp(`^${version.replace(/\./g, "\\.")}\\+commit\\.[0-9a-f]{8}$`));
        expect(info?.output.contracts[`contracts/${name}.sol`][name].evm.bytecode.object).to.match(/^[0-9a-f]{100,}$/);
      }
    });

    it("gives bytecode that deploys and runs with the old compilers' semantics", async function () {
      const ethers = this.hre.ethers;
      const max = 2n ** 256n - 1n;
      const t05 = await ethers.deployContract("Tally05");
      await (await t05.add(40n)).wait();
      await (await t05.add(2n)).wait();
      expect(await t05.total()).to.equal(42n);
      expect(await t05.wrappingIncrement(max)).to.equal(0n); // no checked arithmetic before 0.8
      const block = await ethers.provider.getBlock("latest");
      expect((await t05.stamp()) >= BigInt(block!.timestamp)).to.equal(true); // `now` (gone since 0.7): the call's block time

      const t06 = await ethers.deployContract("Tally06");
      expect(await t06.tryAdd.staticCall(0n)).to.deep.equal([0n, "zero"]); // try/catch of a revert reason (0.6)
      await (await t06.tryAdd(7n)).wait();
      expect(await t06.total()).to.equal(7n);
      expect(await t06.wrappingIncrement(max)).to.equal(0n);
    });
  });
});
