import fs from "fs";
import path from "path";
import { expect } from "chai";
import { tempDirs } from "./temp-dirs";
import { LOCK_NAME, lockFolder } from "../../src/output/folder-lock";

// Locks another process holds or takes: test/folder-lock.test.ts.
describe("folder lock", function () {
  const tmp = tempDirs("tokenspice-lock-");

  it("is taken over from an owner on another host only once it is stale", function () {
    const dir = tmp();
    const lockDir = path.join(dir, LOCK_NAME);
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, "owner.json"), JSON.stringify({ pid: 1, host: "another-pod" }));
    expect(lockFolder(dir), "fresh, owner elsewhere").to.equal(null);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockDir, old, old);
    const lock = lockFolder(dir);
    expect(lock, "stale").to.not.equal(null);
    lock!.release();
  });

  it("on release, leaves alone a lock another host's process took over from it", function () {
    const dir = tmp();
    const lockDir = path.join(dir, LOCK_NAME);
    const lock = lockFolder(dir)!;
    fs.rmSync(lockDir, { recursive: true });
    fs.mkdirSync(lockDir);
    const theirs = JSON.stringify({ pid: 1, host: "another-pod", token: "theirs" });
    fs.writeFileSync(path.join(lockDir, "owner.json"), theirs);
    lock.release();
    expect(fs.readFileSync(path.join(lockDir, "owner.json"), "utf8")).to.equal(theirs);
  });
});
