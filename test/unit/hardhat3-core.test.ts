import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { solcPathFor, type InstalledSolc } from "../../src/compiler/npm-solc";
import { hardhatPrefix } from "../../src/runner/run-spec";
import { thrownBy } from "./thrown";

/** A folder that looks like an npm solc package of `version` (package.json + soljson.js). */
function fakeSolc(root: string, folder: string, version: string): InstalledSolc {
  const dir = path.join(root, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "solc", version }));
  fs.writeFileSync(path.join(dir, "soljson.js"), "");
  return { version, name: folder, via: "alias", dir, soljsonPath: path.join(dir, "soljson.js") };
}

describe("the core's parts of the Hardhat 3 adapter", () => {
  describe("solcPathFor: a Hardhat 3 compiler entry's path from the installed npm solc packages", () => {
    let root: string;
    let s0828: InstalledSolc;
    let s0516: InstalledSolc;
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-solc-paths-"));
      s0828 = fakeSolc(root, "solc", "0.8.28");
      s0516 = fakeSolc(root, "solc-0.5.16", "0.5.16");
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));
    const installed = () => [s0828, s0516];
    const none = (): InstalledSolc[] => {
      throw new Error("the installed packages were looked up");
    };

    it("fills in the package of exactly the entry's version (auto and always)", () => {
      expect(solcPathFor("0.5.16", undefined, "auto", installed)).to.equal(s0516.soljsonPath);
      expect(solcPathFor("0.8.28", undefined, "always", installed)).to.equal(s0828.soljsonPath);
    });

    it("auto leaves a version no package provides to Hardhat's download; never looks nothing up", () => {
      expect(solcPathFor("0.8.30", undefined, "auto", installed)).to.equal(undefined);
      expect(solcPathFor("0.8.28", undefined, "never", none)).to.equal(undefined);
    });

    it("always refuses a version no package provides, naming the npm alias to install", () => {
      const error = thrownBy(() => solcPathFor("0.8.30", undefined, "always", installed));
      expect(error.code).to.equal("COMPILER_UNAVAILABLE");
      expect(error.message).to.contain("npm install --save-dev solc-0.8.30@npm:solc@0.8.30");
      expect(error.message).to.contain("Found: solc 0.8.28");
    });

    it("checks a path the user set to an npm solc against the entry's version (Hardhat 3 does not)", () => {
      expect(solcPathFor("0.8.28", s0828.soljsonPath, "always", none)).to.equal(undefined);
      const error = thrownBy(() => solcPathFor("0.8.30", s0828.soljsonPath, "never", none));
      expect(error.code).to.equal("COMPILER_UNAVAILABLE");
      expect(error.message).to.contain("is the npm solc 0.8.28, not 0.8.30");
      expect(error.details).to.deep.include({ version: "0.8.30", found: "0.8.28" });
    });

    it("leaves any other path (a native solc) to the user", () => {
      expect(solcPathFor("0.8.30", path.join(root, "solc-linux-amd64-v0.8.30"), "always", none)).to.equal(undefined);
    });
  });

  describe("hardhatPrefix: commands name --network only where Hardhat would not pick it by itself", () => {
    it('omits Hardhat 3\'s in-process network, named "default"', () => {
      expect(hardhatPrefix({ name: "default" }, { defaultNetwork: "default" })).to.deep.equal(["npx", "hardhat"]);
      expect(hardhatPrefix({ name: "sepolia" }, { defaultNetwork: "default" })).to.deep.equal(["npx", "hardhat", "--network", "sepolia"]);
    });

    it('keeps Hardhat 2\'s rule: "hardhat" omitted only when it is the default network', () => {
      expect(hardhatPrefix({ name: "hardhat" })).to.deep.equal(["npx", "hardhat"]);
      expect(hardhatPrefix({ name: "hardhat" }, { defaultNetwork: "localhost" })).to.deep.equal(["npx", "hardhat", "--network", "hardhat"]);
    });
  });
});
