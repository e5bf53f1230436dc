import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { LOCK_NAME, lockFolder } from "../../src/output/folder-lock";
import { waitFor } from "../helpers";

/** Starts a Node process that takes `dir`'s lock and then waits; resolves once the lock is held. */
async function holdLockInChild(dir: string) {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", `
    const { lockFolder } = require(${JSON.stringify(path.resolve(__dirname, "../../src/output/folder-lock"))});
    if (!lockFolder(${JSON.stringify(dir)})) process.exit(3);
    setInterval(() => undefined, 1000);
  `], { stdio: "ignore" });
  await waitFor("the child to hold the lock", () => fs.existsSync(path.join(dir, LOCK_NAME, "owner.json")), 60_000);
  return child;
}

describe("folder lock", function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-lock-"));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("is refused while another live process holds it", async function () {
    const dir = tmp();
    const child = await holdLockInChild(dir);
    try {
      expect(lockFolder(dir)).to.equal(null);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("is taken over at once from a process that was SIGKILLed, without waiting for it to go stale", async function () {
    const dir = tmp();
    const child = await holdLockInChild(dir);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(fs.existsSync(path.join(dir, LOCK_NAME)), "the dead process's lock is still there").to.equal(true);
    const lock = lockFolder(dir);
    expect(lock).to.not.equal(null);
    expect(lockFolder(dir), "held by this process now").to.equal(null);
    lock!.release();
    expect(fs.existsSync(path.join(dir, LOCK_NAME))).to.equal(false);
  });

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
});
