import fs from "fs";
import path from "path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

// The Hardhat 3 fixture installs this package from its npm pack tarball with `npm ci`, which installs
// what the fixture's lockfile says: a dependency added to the root and missing there would be absent
// in the fixture, and only the Hardhat 3 tests would notice (as a failed import, minutes in).
describe("the Hardhat 3 fixture's lockfile", () => {
  it("locks this package with the root package.json's dependencies (else: scripts/install-hardhat3-fixture.sh --update-lock)", () => {
    const root = read("package.json");
    const locked = read("test/fixture-projects/hardhat3/package-lock.json").packages["node_modules/hardhat-tokenspice"];
    expect(locked.dependencies).to.deep.equal(root.dependencies);
    expect(locked.peerDependencies).to.deep.equal(root.peerDependencies);
    expect(locked.integrity, "a hash of the tarball would fail the next build's npm ci").to.equal(undefined);
  });
});
