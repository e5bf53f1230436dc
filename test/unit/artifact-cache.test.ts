import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { loadArtifact } from "../../src/engine/artifacts";

const artifact = (name: string, bytecode: string) => JSON.stringify({ contractName: name, abi: [{ type: "function", name: "f", inputs: [], outputs: [], stateMutability: "view" }], bytecode });

describe("loadArtifact's cache of artifact files", function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-cache-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads an unchanged file once: the same artifact object each time", function () {
    fs.writeFileSync(path.join(dir, "A.json"), artifact("A", "0x6001"));
    const first = loadArtifact("A.json", dir);
    expect(loadArtifact("A.json", dir)).to.equal(first);
    expect(first.bytecode).to.equal("0x6001");
  });

  it("reads the file again once it changed (another size, or another mtime)", function () {
    const file = path.join(dir, "A.json");
    fs.writeFileSync(file, artifact("A", "0x6001"));
    const first = loadArtifact("A.json", dir);
    fs.writeFileSync(file, artifact("A", "0x600160"));
    expect(loadArtifact("A.json", dir).bytecode).to.equal("0x600160");
    fs.writeFileSync(file, artifact("A", "0x600161")); // same size: only the mtime tells
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(file, later, later);
    expect(loadArtifact("A.json", dir).bytecode).to.equal("0x600161");
    expect(first.bytecode).to.equal("0x6001"); // what a caller holds is never changed under it
  });

  it("fails as before once a cached file is gone", function () {
    const file = path.join(dir, "A.json");
    fs.writeFileSync(file, artifact("A", "0x6001"));
    loadArtifact("A.json", dir);
    fs.rmSync(file);
    expect(() => loadArtifact("A.json", dir)).to.throw(/No artifact at "A.json"/);
  });

  it("keeps projects apart: the same relative path in two projects is two artifacts", function () {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-cache-"));
    try {
      fs.writeFileSync(path.join(dir, "A.json"), artifact("A", "0x6001"));
      fs.writeFileSync(path.join(other, "A.json"), artifact("A", "0x6002"));
      expect(loadArtifact("A.json", dir).bytecode).to.equal("0x6001");
      expect(loadArtifact("A.json", other).bytecode).to.equal("0x6002");
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
