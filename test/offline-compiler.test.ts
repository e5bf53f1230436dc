import { expect } from "chai";
import { HardhatPluginError } from "hardhat/plugins";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { errorOf, fixture, useEnvironment } from "./helpers";

describe("offline compilation", function () {
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

  it("on a version mismatch, says which solc to install or which pragma to use", async function () {
    const error = await errorOf(() => this.hre.run(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, { solcVersion: "0.8.20", quiet: true }));
    expect(error).to.be.instanceOf(HardhatPluginError);
    expect(error.message).to.match(/Cannot get solc 0\.8\.20: the installed npm "solc" package is 0\.8\.28\. Either run `npm install --save-dev solc@0\.8\.20`, or set `solidity\.version` to "0\.8\.28".*pragma solidity \^0\.8\.28;/);
  });

  it("defaults to falling back only when the download fails", function () {
    expect(mode).to.equal("auto");
  });
});
