import { randomUUID } from "crypto";
import fs from "fs";
import os from "os";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";

type ProperLockfile = typeof import("proper-lockfile");

/**
 * proper-lockfile, loaded when a lock is first taken. Not at import: it installs signal-exit's
 * process signal handlers as it loads, and Hardhat 2 unloads and reloads a plugin's modules on
 * every `resetHardhatContext()`, so an eager import added a set of handlers per environment (and
 * Node's listener-leak warning after ten) to a process that never wrote a folder.
 */
const lockfile = (): ProperLockfile => require("proper-lockfile") as ProperLockfile;

/** The lock directory in a run, campaign, merge or search folder while a process writes it. */
export const LOCK_NAME = ".tokenspice.lock";

/** Inside the lock directory: which process holds it (`LockOwner`). */
const OWNER_FILE = "owner.json";

/** Taken for the few milliseconds in which a process removes an abandoned lock (one remover at a time). */
const TAKEOVER_NAME = `${LOCK_NAME}.takeover`;

/**
 * A lock of a process on another host not refreshed for this long (ms) belongs to a process that is
 * gone. A lock of a process on this host is judged by its pid alone, never by its age.
 */
export const LOCK_STALE_MS = 30_000;

/** How often (ms) the holder refreshes its lock directory's mtime (proper-lockfile's `update`). */
export const LOCK_UPDATE_MS = 15_000;

/** What `owner.json` in the lock directory holds. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Unique to this taking of the lock: a release removes the lock only while it holds its own token. */
  token: string;
  /** The process's start time as Linux counts it (/proc/<pid>/stat field 22), to tell a reused pid; absent elsewhere. */
  start?: string;
}

/** The lock's clocks (ms): the defaults, or short ones in tests. proper-lockfile refreshes no faster than every 1,000 ms. */
export interface LockTiming {
  staleMs: number;
  updateMs: number;
}

const DEFAULT_TIMING: LockTiming = { staleMs: LOCK_STALE_MS, updateMs: LOCK_UPDATE_MS };

/** A folder's lock, held from `lockFolder` until `release()` (refreshed meanwhile every `updateMs`). */
export interface FolderLock {
  /** Removes the lock directory, if it is still this lock's (idempotent; never throws). */
  release(): void;
}

/** True for a folder entry that belongs to the lock (its directory, or a takeover in progress), not to the folder's contents. */
export function isLockEntry(name: string): boolean {
  return name === LOCK_NAME || name.startsWith(`${LOCK_NAME}.`);
}

/**
 * Takes `dir`'s write lock: proper-lockfile's lock directory (mkdir is atomic, on local disks and
 * NFS alike; its mtime refreshed every `updateMs` while held), holding `owner.json` (pid, host, a
 * token). Writing the owner file would change the directory's mtime, which proper-lockfile reads as
 * the lock being taken from it: the mtime is set back to what proper-lockfile recorded.
 *
 * Whether a lock someone else holds may be taken over:
 * - its owner runs on this host: only once that pid is gone (or now belongs to a process started
 *   later); a live owner keeps its lock whatever its age, so a paused process, a suspended laptop
 *   or a clock step never loses it. A dead owner's lock (SIGKILL, the OOM killer, a closed
 *   terminal) is taken at once, so `--resume` right after a kill works;
 * - its owner runs on another host (a preempted pod on a shared volume), or it names none (being
 *   taken this instant, or left by an older version): once its mtime is `staleMs` old.
 * Proper-lockfile's own age rule is off (`stale: Infinity`). An abandoned lock is removed under a
 * second lock (`.tokenspice.lock.takeover`), so of two processes taking it over at once, one gets it.
 *
 * @param onCompromised called when the lock is found taken from this process (its directory removed,
 *   or replaced by another host's process after it went unrefreshed for `staleMs`)
 * @returns the lock, or null when a live process holds it (the caller names the error)
 * @throws the file system's error when the folder cannot hold a lock
 */
export function lockFolder(dir: string, onCompromised: (error: Error) => void = () => undefined, timing: LockTiming = DEFAULT_TIMING): FolderLock | null {
  const lockDir = path.join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 20; attempt++) {
    let release: () => void;
    try {
      release = lockfile().lockSync(dir, { lockfilePath: lockDir, stale: Infinity, update: timing.updateMs, realpath: false, onCompromised });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
      const seen = inspectLock(lockDir, timing.staleMs);
      if (seen === "gone") continue;
      if (seen === "held") return null;
      if (!removeAbandoned(dir, lockDir, timing.staleMs)) pause(5 * (attempt + 1)); // another process is removing it right now
      continue;
    }
    return ownLock(lockDir, release);
  }
  return null;
}

/** Writes the owner file into a lock just taken, leaving the directory's mtime as proper-lockfile recorded it. */
function ownLock(lockDir: string, release: () => void): FolderLock {
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), token: randomUUID(), ...(processStart(process.pid) ? { start: processStart(process.pid) } : {}) };
  const ownerFile = path.join(lockDir, OWNER_FILE);
  try {
    const taken = fs.statSync(lockDir);
    fs.writeFileSync(ownerFile, JSON.stringify(owner));
    fs.utimesSync(lockDir, taken.atime, taken.mtime);
  } catch (error) {
    fs.rmSync(ownerFile, { force: true });
    try {
      release();
    } catch {
      // nothing more to free
    }
    throw error;
  }
  let released = false;
  const lock: FolderLock = {
    release() {
      if (released) return;
      released = true;
      forget(lock);
      // A lock taken over from us (another host, after it went stale) is the new owner's: leave it.
      if (readOwner(lockDir)?.token !== owner.token) return;
      try {
        fs.rmSync(ownerFile, { force: true }); // proper-lockfile removes its directory with rmdir: empty it first
        release();
      } catch {
        // compromised (proper-lockfile let go of it), but the directory and its token are ours
        fs.rmSync(lockDir, { recursive: true, force: true });
      }
    },
  };
  remember(lock);
  return lock;
}

/**
 * Locks this process holds, released however it ends short of SIGKILL: on exit (process.exit, an
 * uncaught error) and on a SIGINT, SIGTERM or SIGHUP that no other listener keeps, through the copy of
 * signal-exit proper-lockfile uses for its own cleanup (which cannot remove a directory holding the
 * owner file). A lock left by a process killed outright is taken over at once on this host.
 */
const held = new Set<FolderLock>();
let hooked = false;

function remember(lock: FolderLock): void {
  held.add(lock);
  if (hooked) return;
  hooked = true;
  const releaseAll = () => [...held].forEach((l) => l.release());
  try {
    const lockfileDir = path.dirname(require.resolve("proper-lockfile"));
    const signalExit = require(require.resolve("signal-exit", { paths: [lockfileDir] }));
    (typeof signalExit === "function" ? signalExit : signalExit.onExit)(releaseAll);
  } catch {
    process.on("exit", releaseAll); // no signal-exit where proper-lockfile expects it: exits only
  }
}

function forget(lock: FolderLock): void {
  held.delete(lock);
}

/**
 * Makes `dir` (when missing) and takes its lock for `what` ("sim-merge: --out", "The search folder"),
 * or refuses before writing anything; the folder is `details.dir`.
 *
 * @returns the lock's release
 * @throws TokenspiceError OUT_UNUSABLE when the folder cannot be made or locked; OUT_LOCKED when a live process holds it
 */
export function lockOrRefuse(dir: string, what: string, onCompromised?: (error: Error) => void): () => void {
  let lock: FolderLock | null;
  try {
    fs.mkdirSync(dir, { recursive: true });
    lock = lockFolder(dir, onCompromised);
  } catch (error) {
    throw new TokenspiceError("OUT_UNUSABLE", `${what} ${dir} cannot be written: ${messageOf(error)}. Nothing was written.`, { dir }, error);
  }
  if (lock === null) {
    throw new TokenspiceError("OUT_LOCKED", `${what} ${dir} is being written by another process (${describeLockOwner(dir)}). Nothing was written.`, { dir });
  }
  return () => lock.release();
}

/**
 * Whether `dir`'s lock is held by a live process right now (for readers: a status saying "running"
 * is true only while its writer holds the folder). The same rules as `lockFolder`.
 */
export function folderLockHeld(dir: string, staleMs = LOCK_STALE_MS): boolean {
  return inspectLock(path.join(dir, LOCK_NAME), staleMs) === "held";
}

/** Who holds `dir`'s lock, in words for an OUT_LOCKED message ("process 4242 on this host holds its lock .tokenspice.lock"). */
export function describeLockOwner(dir: string, staleMs = LOCK_STALE_MS): string {
  const lockDir = path.join(dir, LOCK_NAME);
  const owner = readOwner(lockDir);
  if (owner?.host === os.hostname()) return `process ${owner.pid} on this host holds its lock ${LOCK_NAME}`;
  const rule = `it is taken over once not refreshed for ${staleMs / 1000} s`;
  if (owner) return `process ${owner.pid} on host ${owner.host} holds its lock ${LOCK_NAME}; ${rule}`;
  return `its lock ${LOCK_NAME} names no process (being taken right now, or left by an older version); ${rule}`;
}

/** "held" by a live process, "abandoned" (taken over by the rules of `lockFolder`), or "gone" (no lock). */
function inspectLock(lockDir: string, staleMs: number): "held" | "abandoned" | "gone" {
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(lockDir).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  const owner = readOwner(lockDir);
  if (owner && owner.host === os.hostname()) return ownerAlive(owner) ? "held" : "abandoned";
  return Date.now() - mtimeMs > staleMs ? "abandoned" : "held";
}

/**
 * Removes an abandoned lock under the takeover lock, having checked again that it is abandoned (it
 * may have been removed and taken by a live process since). False when another process holds the
 * takeover lock (a takeover lock older than `staleMs` is left by a process that died inside it, and
 * removed).
 */
function removeAbandoned(dir: string, lockDir: string, staleMs: number): boolean {
  const takeover = path.join(dir, TAKEOVER_NAME);
  try {
    fs.mkdirSync(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    try {
      if (Date.now() - fs.statSync(takeover).mtimeMs > staleMs) fs.rmdirSync(takeover);
    } catch {
      // removed meanwhile
    }
    return false;
  }
  try {
    if (inspectLock(lockDir, staleMs) === "abandoned") fs.rmSync(lockDir, { recursive: true, force: true });
  } finally {
    fs.rmSync(takeover, { recursive: true, force: true });
  }
  return true;
}

function readOwner(lockDir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(lockDir, OWNER_FILE), "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? (owner as LockOwner) : undefined;
  } catch {
    return undefined; // none yet (being taken this instant), or an older version's lock
  }
}

/** A same-host owner is alive while its pid exists and (where Linux says) started when the owner did. */
function ownerAlive(owner: LockOwner): boolean {
  if (!processIsAlive(owner.pid)) return false;
  const start = owner.start === undefined ? undefined : processStart(owner.pid);
  return start === undefined || start === owner.start;
}

/** A process's start time in clock ticks since boot (Linux /proc/<pid>/stat field 22), or undefined where unknown. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Blocks this thread for `ms` (a takeover in another process lasts a few ms; the lock API is synchronous). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
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
