import fs from "fs";
import path from "path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("package.json, as an installer reads it", () => {
  it("builds dist/ on prepare: the one script npm runs for a git dependency (and before pack and publish)", () => {
    // pacote's DirFetcher runs only `prepare` when it packs a git clone; `prepack` is run by npm
    // pack and publish alone, so a build there left a git install without dist/.
    expect(pkg.scripts.prepare).to.equal("npm run build");
    expect(pkg.scripts.prepack, "a second build on pack").to.equal(undefined);
    expect(pkg.main.startsWith("dist/")).to.equal(true);
  });

  it("claims the Node versions the Hardhat 2 it peers on supports, no more", () => {
    // Hardhat 2 warns on any Node outside this list; its EDR runtime declares its own minimum.
    const { SUPPORTED_NODE_VERSIONS } = require(path.join(ROOT, "node_modules/hardhat/internal/cli/constants.js"));
    expect(pkg.engines.node.split(" || ")).to.deep.equal(SUPPORTED_NODE_VERSIONS);
    const edr = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@nomicfoundation/edr/package.json"), "utf8")).engines.node as string;
    const edrMajor = Number(/>=\s*(\d+)/.exec(edr)![1]);
    for (const range of SUPPORTED_NODE_VERSIONS as string[]) expect(Number(/\^(\d+)\./.exec(range)![1]), range).to.be.at.least(edrMajor);
  });
});
