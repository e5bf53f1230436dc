import { execFileSync } from "child_process";
import path from "path";
import { expect } from "chai";
import { fixture } from "./helpers";

// The KPI series assertions as a project gets them: Hardhat loads the plugin, which registers them
// with the project's chai (the assertions themselves: test/unit/chai-assertions.test.ts).
describe("KPI series assertions, in a Hardhat project", () => {
  it("are registered when the plugin loads", function () {
    this.timeout(60_000);
    const script = `require("ts-node/register/transpile-only"); process.chdir(${JSON.stringify(fixture("testbed"))}); require("hardhat"); const chai = require("chai"); console.log(["nonDecreasing", "never", "dropBelow"].every((k) => k in chai.Assertion.prototype));`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, ".."), encoding: "utf8" });
    expect(out.trim().split("\n").at(-1)).to.equal("true");
  });
});
