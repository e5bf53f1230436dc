import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { recordedIn } from "../../src/cli";
import { TokenspicePluginError } from "../../src/hardhat/errors";

describe("the command line's 'Everything recorded before the failure is in …' line", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-recorded-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const before = (file: string) => {
    const old = new Date(performance.timeOrigin - 60_000); // written by an earlier command
    fs.utimesSync(file, old, old);
  };

  it("is not printed for a refused --out (details.dir), nor for a folder holding only an earlier command's files", () => {
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    before(path.join(dir, "notes.txt"));
    expect(recordedIn(new TokenspicePluginError("OUT_NOT_A_RUN", "refused", { dir }))).to.equal(undefined);
    fs.writeFileSync(path.join(dir, "manifest.json"), "{}");
    before(path.join(dir, "manifest.json"));
    // even an error that names the folder as outDir (a refusal written before this rule) says nothing
    expect(recordedIn(new TokenspicePluginError("OPTION_INVALID", "refused", { outDir: dir }))).to.equal(undefined);
    expect(recordedIn(new TokenspicePluginError("OUT_LOCKED", "refused", { outDir: path.join(dir, "missing") }))).to.equal(undefined);
  });

  it("is printed for a folder this process wrote, naming the file that says how it ended", () => {
    fs.writeFileSync(path.join(dir, "manifest.json"), "{}");
    expect(recordedIn(new TokenspicePluginError("AGENT_FAILED", "threw", { outDir: dir }))).to.deep.equal({ dir, file: "manifest.json" });
    fs.rmSync(path.join(dir, "manifest.json"));
    fs.writeFileSync(path.join(dir, "status.json"), "{}");
    expect(recordedIn(new TokenspicePluginError("IO_ERROR", "disk full", { outDir: dir }))).to.deep.equal({ dir, file: "status.json" });
    expect(recordedIn(new TokenspicePluginError("CAMPAIGN_FAILED", "its own message names the folder", { outDir: dir }))).to.equal(undefined);
  });
});
