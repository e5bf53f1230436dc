import fs from "fs";
import os from "os";
import path from "path";
import lockfile from "proper-lockfile";

/** The lock directory in a run or campaign folder while a process writes it. */
export const LOCK_NAME = ".tokenspice.lock";

/** Inside the lock directory: which process holds it ({ pid, host }). */
const OWNER_FILE = "owner.json";

/**
 * A lock not refreshed for this long (ms) belongs to a process that is gone, wherever it ran.
 * proper-lockfile refreshes the lock directory's mtime every staleMs / 2.
 */
export const LOCK_STALE_MS = 30_000;

export interface FolderLock {
  release(): void;
}

/**
 * Takes `dir`'s write lock: proper-lockfile's lock directory (mkdir is atomic, on local disks and
 * NFS alike; its mtime refreshed while held), with an owner file naming the process. A lock left
 * by a process that died on this machine (SIGKILL, the OOM killer, a closed terminal) is taken over
 * at once, so `--resume` right after a kill works; one whose owner ran elsewhere (a preempted pod on
 * a shared volume) is taken over once it has not been refreshed for LOCK_STALE_MS.
 *
 * @returns the lock, or null when a live process holds it (the caller names the error)
 * @throws the file system's error when the folder cannot hold a lock
 */
export function lockFolder(dir: string, onCompromised: (error: Error) => void = () => undefined): FolderLock | null {
  const lockDir = path.join(dir, LOCK_NAME);
  if (fs.existsSync(lockDir) && isAbandoned(lockDir)) fs.rmSync(lockDir, { recursive: true, force: true });
  let release: () => void;
  try {
    release = lockfile.lockSync(dir, { lockfilePath: lockDir, stale: LOCK_STALE_MS, realpath: false, onCompromised });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") return null;
    throw error;
  }
  fs.writeFileSync(path.join(lockDir, OWNER_FILE), JSON.stringify({ pid: process.pid, host: os.hostname() }));
  return {
    release() {
      // proper-lockfile removes its directory with rmdir: empty it first.
      fs.rmSync(path.join(lockDir, OWNER_FILE), { force: true });
      try {
        release();
      } catch {
        // already released, or compromised: nothing of ours is left to free
      }
    },
  };
}

/** True when the lock's owner is a dead process on this host, or the lock has not been refreshed for LOCK_STALE_MS. */
function isAbandoned(lockDir: string): boolean {
  try {
    if (Date.now() - fs.statSync(lockDir).mtimeMs > LOCK_STALE_MS) return true;
    const owner = JSON.parse(fs.readFileSync(path.join(lockDir, OWNER_FILE), "utf8")) as { pid?: unknown; host?: unknown };
    if (owner.host !== os.hostname() || typeof owner.pid !== "number") return false;
    return !processIsAlive(owner.pid);
  } catch {
    // No owner file (an older lock, or one being taken right now): leave it to the mtime.
    return false;
  }
}

/** True while process `pid` exists (one of another user's counts: kill(pid, 0) says EPERM). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}
