/**
 * A fork bundle: every read the simulation network made of a forked chain's state, on disk, keyed by
 * a hash of the request, so that later runs (and other machines) fork from it instead of the
 * upstream node, and `--offline` runs fork from it alone.
 *
 * Layout of a bundle folder (format 1):
 *
 *     <bundle>/
 *       bundle.json                 the bundle's manifest (below)
 *       entries/<kk>/<key>.json     one JSON-RPC read and its answer
 *
 * - `key` is the SHA-256 (hex) of the request's canonical JSON `{"method":…,"params":[…]}` (object
 *   keys sorted at every depth, no spaces; the JSON-RPC `id` and `jsonrpc` left out), and `kk` its
 *   first two hex digits (as git fans out objects: no folder of tens of thousands of files).
 * - An entry file is the canonical JSON of `{"method","params","result"}` and a newline: only
 *   successful answers are stored (an error answer may be the upstream's passing trouble).
 * - `bundle.json`: `{ tool, kind: "fork-bundle", format: 1, chainId, blockNumber, blockHash,
 *   recordedFrom, entries, hash }`, where `recordedFrom` is the upstream's URL redacted
 *   (src/output/secrets.ts: no key) and `hash` is `sha256:` and the SHA-256 of
 *   `tokenspice-fork-bundle/1\n<chainId>\n<blockNumber>\n<blockHash>\n` followed by one line
 *   `<key> <SHA-256 of the entry file's bytes>\n` per entry in key order. No times and no absolute
 *   paths: the same reads give the same bytes, so a bundle can be committed, diffed and shipped.
 *
 * Loading checks every entry: its file name must be the hash of the request it holds, and the
 * bundle's hash the hash of what is there (FORK_BUNDLE_INVALID naming the file otherwise). Entries
 * are written as they arrive (write to a temporary file, then rename: a crash never leaves half an
 * entry), and `bundle.json` when the bundle is saved, so two processes adding to one bundle never
 * corrupt it (the last `save` counts every entry in the folder).
 */
import { createHash } from "crypto";
import fs from "fs";
import path from "path";
import { TokenspiceError, messageOf } from "../errors";

/** The bundle's manifest's file name. */
export const BUNDLE_FILE = "bundle.json";
/** The folder of entries in a bundle. */
export const ENTRIES_DIR = "entries";
/** What a claim's file name ends with (`ForkBundle.claim`): a read another process is fetching. Not part of the bundle. */
const PENDING = ".pending";
/** The bundle format this version writes and reads. */
export const BUNDLE_FORMAT = 1;

/** One JSON-RPC read: method and params (as the simulation network sent them). */
export interface ForkRead {
  method: string;
  params: unknown[];
}

/** What identifies the forked state: chain id of the upstream, pinned block number and its hash. */
export interface ForkPoint {
  chainId: number;
  blockNumber: number;
  /** 0x-prefixed, 32 bytes. */
  blockHash: string;
}

/** `bundle.json`. */
export interface BundleManifest extends ForkPoint {
  tool: "hardhat-tokenspice";
  kind: "fork-bundle";
  format: number;
  /** The upstream's URL, redacted (scheme, registrable domain, port). */
  recordedFrom: string | null;
  entries: number;
  /** `sha256:<hex>`: see the module's comment. */
  hash: string;
}

/**
 * JSON with object keys sorted at every depth and no whitespace: the same value always gives the
 * same text (what keys and hashes are computed over).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/** The key of a read: SHA-256 (hex) of its canonical `{"method","params"}`. */
export function readKey(read: ForkRead): string {
  return sha256(canonicalJson({ method: read.method, params: read.params ?? [] }));
}

/** The text of a read as messages show it: `eth_getStorageAt ["0xabc…","0x0","0x10"]`. */
export function describeRead(read: ForkRead): string {
  return `${read.method} ${JSON.stringify(read.params ?? [])}`;
}

interface Entry {
  read: ForkRead;
  result: unknown;
  /** SHA-256 of the entry file's bytes. */
  fileHash: string;
}

function entryText(read: ForkRead, result: unknown): string {
  return canonicalJson({ method: read.method, params: read.params ?? [], result }) + "\n";
}

function invalid(dir: string, why: string, details: Record<string, unknown> = {}, cause?: unknown): TokenspiceError {
  return new TokenspiceError("FORK_BUNDLE_INVALID", `The fork bundle ${dir} ${why}`, { bundle: dir, ...details }, cause);
}

/**
 * A fork bundle in memory, backed by its folder. `open` reads what is there (checked); `put` adds a
 * read (written at once); `save` writes `bundle.json`.
 */
export class ForkBundle {
  private readonly entries = new Map<string, Entry>();
  /** Entries added by this process (for counts in messages and the manifest). */
  added = 0;

  private constructor(
    readonly dir: string,
    readonly point: ForkPoint,
    private recordedFrom: string | null,
  ) {}

  /**
   * The bundle in `dir`: read and checked when it holds one, else empty (nothing is written until
   * the first `put` or `save`).
   * @throws TokenspiceError FORK_BUNDLE_INVALID when `dir` is a file, holds something that is not a
   *   bundle, an entry whose name is not its request's hash, a hash that does not match, or a bundle
   *   of another chain id, block or block hash than `point`; with `mustExist`, when it holds no bundle
   */
  static open(dir: string, point: ForkPoint | undefined, options: { mustExist?: boolean; recordedFrom?: string | null } = {}): ForkBundle {
    const abs = path.resolve(dir);
    const manifestFile = path.join(abs, BUNDLE_FILE);
    let manifest: BundleManifest | undefined;
    if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) throw invalid(abs, "is a file, not a bundle folder.");
    // Never write a bundle into a folder of something else (a project, a run).
    const foreign = fs.existsSync(abs) ? fs.readdirSync(abs).filter((f) => f !== BUNDLE_FILE && f !== ENTRIES_DIR && !f.endsWith(".tmp")) : [];
    if (foreign.length > 0)
      throw invalid(abs, `holds ${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}, which are not a fork bundle's (${BUNDLE_FILE}, ${ENTRIES_DIR}/): give an empty or new folder.`);
    if (fs.existsSync(manifestFile)) manifest = readManifest(abs, manifestFile);
    else if (options.mustExist) {
      throw invalid(abs, `holds no ${BUNDLE_FILE}: --offline forks from a bundle recorded before (a run with --fork <url> --fork-bundle ${abs} records one).`);
    } else if (fs.existsSync(path.join(abs, ENTRIES_DIR)) && point === undefined) {
      throw invalid(abs, `holds entries but no ${BUNDLE_FILE} (a recording that did not finish).`);
    }
    const at = manifest ?? point;
    if (at === undefined) throw invalid(abs, `holds no ${BUNDLE_FILE}.`);
    if (manifest && point) {
      for (const field of ["chainId", "blockNumber", "blockHash"] as const) {
        if (String(manifest[field]).toLowerCase() !== String(point[field]).toLowerCase()) {
          throw invalid(
            abs,
            `was recorded at chain id ${manifest.chainId}, block ${manifest.blockNumber} (hash ${manifest.blockHash}), but the fork is chain id ${point.chainId}, block ${point.blockNumber} (hash ${point.blockHash}): ` +
              `use another --fork-bundle folder for this fork.`,
            { field, recorded: manifest[field], fork: point[field] },
          );
        }
      }
    }
    const bundle = new ForkBundle(abs, { chainId: at.chainId, blockNumber: at.blockNumber, blockHash: at.blockHash }, manifest?.recordedFrom ?? options.recordedFrom ?? null);
    bundle.readEntries();
    if (manifest && bundle.hash() !== manifest.hash) {
      // Entries added by a run that did not save are fine (each is checked); a changed or removed one is not.
      const listed = manifest.entries;
      if (bundle.entries.size <= listed) {
        throw invalid(
          abs,
          `does not match its hash: ${BUNDLE_FILE} says ${manifest.hash} over ${listed} entries, its ${bundle.entries.size} entries hash to ${bundle.hash()} (an entry was changed or removed).`,
          {
            expected: manifest.hash,
            actual: bundle.hash(),
          },
        );
      }
    }
    return bundle;
  }

  /**
   * The recorded answer to `read`, or undefined. A read this process has not seen is looked for in
   * the folder too: another process forking the same bundle (a campaign's other worker, a shard)
   * may have recorded it since, and then the upstream is not asked again.
   * @throws TokenspiceError FORK_BUNDLE_INVALID for an entry file on disk that is not the read's
   */
  get(read: ForkRead): { result: unknown } | undefined {
    const key = readKey(read);
    const entry = this.entries.get(key) ?? this.readEntryFile(path.dirname(this.entryFile(key)), `${key}.json`);
    return entry === undefined ? undefined : { result: entry.result };
  }

  has(read: ForkRead): boolean {
    return this.entries.has(readKey(read));
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Adds a read and its answer, written to the folder at once (atomically).
   * @throws TokenspiceError IO_ERROR when the folder cannot be written
   */
  put(read: ForkRead, result: unknown): void {
    const key = readKey(read);
    if (this.entries.has(key)) return;
    const text = entryText(read, result);
    const file = this.entryFile(key);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeAtomic(file, text);
    } catch (error) {
      throw new TokenspiceError("IO_ERROR", `Cannot write the fork bundle entry ${file}: ${messageOf(error)}`, { bundle: this.dir }, error);
    }
    this.entries.set(key, { read: { method: read.method, params: read.params ?? [] }, result, fileHash: sha256(text) });
    this.added++;
  }

  /**
   * Claims `read` for this process, about to fetch it, so that other processes forking the bundle
   * at the same time (a campaign's workers) wait for its entry instead of fetching it too: a
   * `<key>.json.pending` file beside where the entry goes, made exclusively. True when the claim is
   * this process's (or the folder cannot hold one: fetch anyway), false while another process's
   * claim younger than `staleMs` stands (an older one, left by a process that died, is taken over).
   */
  claim(read: ForkRead, staleMs: number): boolean {
    const file = `${this.entryFile(readKey(read))}${PENDING}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.closeSync(fs.openSync(file, "wx"));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") return true;
        try {
          if (Date.now() - fs.statSync(file).mtimeMs < staleMs) return false;
          fs.rmSync(file, { force: true }); // stale: its process died with the read claimed
        } catch {
          // gone meanwhile: try again
        }
      }
    }
    return true;
  }

  /** True while some process's claim on `read` stands (its file exists). */
  claimed(read: ForkRead): boolean {
    return fs.existsSync(`${this.entryFile(readKey(read))}${PENDING}`);
  }

  /** Drops this process's claim on `read` (after its entry was written, or its fetch failed). */
  release(read: ForkRead): void {
    fs.rmSync(`${this.entryFile(readKey(read))}${PENDING}`, { force: true });
  }

  /** `sha256:<hex>` over the fork point and every entry (see the module's comment). */
  hash(): string {
    const h = createHash("sha256");
    h.update(`tokenspice-fork-bundle/${BUNDLE_FORMAT}\n${this.point.chainId}\n${this.point.blockNumber}\n${this.point.blockHash.toLowerCase()}\n`);
    for (const key of [...this.entries.keys()].sort()) h.update(`${key} ${this.entries.get(key)!.fileHash}\n`);
    return `sha256:${h.digest("hex")}`;
  }

  /** The manifest as `save` writes it. */
  manifest(): BundleManifest {
    return {
      tool: "hardhat-tokenspice",
      kind: "fork-bundle",
      format: BUNDLE_FORMAT,
      chainId: this.point.chainId,
      blockNumber: this.point.blockNumber,
      blockHash: this.point.blockHash.toLowerCase(),
      recordedFrom: this.recordedFrom,
      entries: this.entries.size,
      hash: this.hash(),
    };
  }

  /**
   * Writes `bundle.json` (first reading entries other processes added, so it counts them all).
   * @throws TokenspiceError IO_ERROR when the folder cannot be written
   */
  save(): BundleManifest {
    this.readEntries();
    const manifest = this.manifest();
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      writeAtomic(path.join(this.dir, BUNDLE_FILE), JSON.stringify(manifest, null, 2) + "\n");
    } catch (error) {
      throw new TokenspiceError("IO_ERROR", `Cannot write the fork bundle ${this.dir}: ${messageOf(error)}`, { bundle: this.dir }, error);
    }
    return manifest;
  }

  private entryFile(key: string): string {
    return path.join(this.dir, ENTRIES_DIR, key.slice(0, 2), `${key}.json`);
  }

  /** Reads every entry file in the folder not yet in memory, checking each. */
  private readEntries(): void {
    const root = path.join(this.dir, ENTRIES_DIR);
    if (!fs.existsSync(root)) return;
    for (const fan of fs.readdirSync(root, { withFileTypes: true })) {
      const fanDir = path.join(root, fan.name);
      if (!fan.isDirectory() || !/^[0-9a-f]{2}$/.test(fan.name)) throw invalid(this.dir, `holds ${path.join(ENTRIES_DIR, fan.name)}, which is not an entry folder (two hex digits).`);
      for (const file of fs.readdirSync(fanDir, { withFileTypes: true })) {
        if (file.name.endsWith(".tmp") || file.name.endsWith(PENDING)) continue; // another process's write or fetch in progress
        const key = file.name.replace(/\.json$/, "");
        if (this.entries.has(key)) continue;
        const rel = path.join(ENTRIES_DIR, fan.name, file.name);
        if (!file.isFile() || !/^[0-9a-f]{64}\.json$/.test(file.name) || !key.startsWith(fan.name)) throw invalid(this.dir, `holds ${rel}, which is not an entry (<sha256>.json, a plain file).`);
        this.readEntryFile(fanDir, file.name);
      }
    }
  }

  /**
   * Reads and checks one entry file (`<fanDir>/<key>.json`) into memory; undefined when there is none.
   * @throws TokenspiceError FORK_BUNDLE_INVALID naming the file: not JSON, not a read, named after another read, not canonical
   */
  private readEntryFile(fanDir: string, name: string): Entry | undefined {
    const key = name.replace(/\.json$/, "");
    const rel = path.join(ENTRIES_DIR, path.basename(fanDir), name);
    let text: string;
    try {
      text = fs.readFileSync(path.join(fanDir, name), "utf8");
    } catch {
      return undefined; // not recorded (yet)
    }
    let parsed: { method?: unknown; params?: unknown; result?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw invalid(this.dir, `holds ${rel}, which is not JSON.`, { entry: rel }, error);
    }
    if (typeof parsed?.method !== "string" || !Array.isArray(parsed.params) || !("result" in parsed))
      throw invalid(this.dir, `holds ${rel}, which is not a read (method, params, result).`, { entry: rel });
    const read = { method: parsed.method, params: parsed.params };
    if (readKey(read) !== key) throw invalid(this.dir, `holds ${rel}, whose name is not the hash of the read it holds (${describeRead(read)}): it was changed.`, { entry: rel });
    if (entryText(read, parsed.result) !== text) throw invalid(this.dir, `holds ${rel}, which is not in canonical form: it was changed.`, { entry: rel });
    const entry = { read, result: parsed.result, fileHash: sha256(text) };
    this.entries.set(key, entry);
    return entry;
  }
}

function readManifest(dir: string, file: string): BundleManifest {
  let m: Partial<BundleManifest>;
  try {
    m = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw invalid(dir, `has a ${BUNDLE_FILE} that is not JSON.`, {}, error);
  }
  if (m?.tool !== "hardhat-tokenspice" || m.kind !== "fork-bundle") throw invalid(dir, `has a ${BUNDLE_FILE} that is not a hardhat-tokenspice fork bundle's (tool, kind).`);
  if (m.format !== BUNDLE_FORMAT) throw invalid(dir, `is of format ${String(m.format)}; this version reads format ${BUNDLE_FORMAT}.`);
  if (!Number.isSafeInteger(m.chainId) || !Number.isSafeInteger(m.blockNumber) || typeof m.blockHash !== "string" || typeof m.hash !== "string" || !Number.isSafeInteger(m.entries)) {
    throw invalid(dir, `has a ${BUNDLE_FILE} without chainId, blockNumber, blockHash, entries and hash.`);
  }
  return m as BundleManifest;
}

/** Writes `text` to `file` through a temporary file in the same folder and a rename. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
