import { spawn, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { tempDirs } from "./unit/temp-dirs";
import { LOCK_NAME, folderLockHeld, lockFolder } from "../src/output/folder-lock";
import { waitFor } from "./helpers";

/** Starts a Node process that takes `dir`'s lock and then waits; resolves once the lock is held. */
async function holdLockInChild(dir: string) {
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      "-e",
      `
    const { lockFolder } = require(${JSON.stringify(path.resolve(__dirname, "../src/output/folder-lock"))});
    if (!lockFolder(${JSON.stringify(dir)})) process.exit(3);
    setInterval(() => undefined, 1000);
  `,
    ],
    { stdio: "ignore" },
  );
  await waitFor("the child to hold the lock", () => fs.existsSync(path.join(dir, LOCK_NAME, "owner.json")), 60_000);
  return child;
}

/** The pid of a process that has exited (a dead owner on this host). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  return r.pid;
}

/**
 * Starts `count` Node processes that each wait for `go` to exist, then try to take `dir`'s lock at
 * the same moment; each prints "got" or "refused" and keeps what it got until killed.
 */
function contenders(dir: string, go: string, count: number) {
  return Array.from({ length: count }, () => {
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        `
      const fs = require("fs");
      const { lockFolder } = require(${JSON.stringify(path.resolve(__dirname, "../src/output/folder-lock"))});
      process.stdout.write("ready\\n");
      while (!fs.existsSync(${JSON.stringify(go)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      process.stdout.write(lockFolder(${JSON.stringify(dir)}) ? "got\\n" : "refused\\n");
      setInterval(() => undefined, 1000);
    `,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    return { child, out: () => out };
  });
}

// Locks held and taken by other processes, and a lock's refreshes (proper-lockfile's timer, which
// cannot be injected: the test polls for the refresh with a deadline). In-process: test/unit/folder-lock.test.ts.
describe("folder lock, across processes", function () {
  this.timeout(120_000);
  const tmp = tempDirs("tokenspice-lock-");

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

  it("keeps its lock through its refreshes: the owner file it writes does not make it look taken", async function () {
    const dir = tmp();
    const lockDir = path.join(dir, LOCK_NAME);
    const lost: Error[] = [];
    // proper-lockfile's shortest refresh (1 s) instead of 15 s; the same code path.
    const lock = lockFolder(dir, (e) => lost.push(e), { staleMs: 2_000, updateMs: 1_000 })!;
    expect(lock).to.not.equal(null);
    const owner = JSON.parse(fs.readFileSync(path.join(lockDir, "owner.json"), "utf8"));
    expect([owner.pid, owner.host]).to.deep.equal([process.pid, os.hostname()]);
    let mtime = fs.statSync(lockDir).mtimeMs;
    for (let refresh = 1; refresh <= 2; refresh++) {
      const before = mtime;
      await waitFor(`refresh ${refresh} of the lock`, () => (mtime = fs.statSync(lockDir).mtimeMs) !== before || lost.length > 0, 10_000);
      expect(
        lost.map((e) => e.message),
        `after refresh ${refresh}`,
      ).to.deep.equal([]);
    }
    expect(lockFolder(dir), "still held").to.equal(null);
    lock.release();
    expect(fs.readdirSync(dir), "release leaves no lock folder").to.deep.equal([]);
    expect(lost).to.deep.equal([]);
  });

  it("is never taken from a live owner on this host, however old its mtime (paused, a suspended laptop, a clock step)", async function () {
    const dir = tmp();
    const child = await holdLockInChild(dir);
    try {
      child.kill("SIGSTOP"); // paused: it refreshes nothing
      const old = new Date(Date.now() - 24 * 3600_000); // as a clock stepped a day ahead sees it
      fs.utimesSync(path.join(dir, LOCK_NAME), old, old);
      expect(lockFolder(dir), "default stale window").to.equal(null);
      expect(lockFolder(dir, undefined, { staleMs: 2_000, updateMs: 1_000 }), "a short stale window").to.equal(null);
      expect(folderLockHeld(dir)).to.equal(true);
    } finally {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
  });

  it("of several processes taking over a dead owner's lock at the same moment, exactly one gets it", async function () {
    const dir = tmp();
    const lockDir = path.join(dir, LOCK_NAME);
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, "owner.json"), JSON.stringify({ pid: deadPid(), host: os.hostname(), token: "dead" }));
    expect(folderLockHeld(dir), "a dead owner holds nothing").to.equal(false);
    const go = path.join(tmp(), "go");
    const procs = contenders(dir, go, 3);
    try {
      await waitFor("the contenders to be ready", () => procs.every((p) => p.out().includes("ready")), 60_000);
      fs.writeFileSync(go, "");
      await waitFor("every contender's answer", () => procs.every((p) => /got|refused/.test(p.out())), 60_000);
      expect(
        procs.filter((p) => p.out().includes("got")),
        procs.map((p) => p.out()).join(" | "),
      ).to.have.length(1);
      expect(fs.readdirSync(dir), "no takeover left behind").to.deep.equal([LOCK_NAME]);
    } finally {
      for (const p of procs) p.child.kill("SIGKILL");
    }
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`is released by a process ${signal} ends, which still ends by the signal`, async function () {
      const dir = tmp();
      const child = await holdLockInChild(dir);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
      child.kill(signal);
      expect(await exited).to.equal(signal);
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    });
  }
});
