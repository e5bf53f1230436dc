/**
 * The search file (`search.json` in a design-loop search's folder): what the search was (its kind,
 * netlist, seed, steps, fixed params and command) and its result. Written when the search ends;
 * its report and `sim-report` read it back.
 */
import fs from "fs";
import path from "path";
import { toJson } from "../json";
import { SEARCH_KINDS, isSearchKind, type SearchKind } from "../search-kinds";
import { MANIFEST_TOOL } from "./run-manifest";
import { formatError, isObject, readJsonOrUndefined } from "./read";

/** The search file's name in a search's folder. */
export const SEARCH_FILE = "search.json";

/** What the search file holds, as `hre.tokenspice`'s searches write it. */
export interface SearchDocument {
  tool: typeof MANIFEST_TOOL;
  kind: SearchKind;
  netlist: string;
  /** The search seed every run's seed derives from. */
  seed: number;
  steps: number;
  /** The params the caller fixed, typed. */
  params: Record<string, unknown>;
  /** The command line that ran the search (absent when it was run from code). */
  command?: string;
  /** The kind's result (src/search/registry.ts's `SearchResultByKind`); non-finite numbers as text. */
  result: any;
  /** A search on a fork (`--fork`, `tokenspice.fork`): its bundle's hash (`sha256:…`) and entries once its runs ended (as a campaign file's `forkBundle`). */
  forkBundle?: { hash: string; entries: number };
}

/** The search file of the search in `dir`. */
export function searchFilePath(dir: string): string {
  return path.join(dir, SEARCH_FILE);
}

/** True when `dir` holds a search file. */
export function hasSearchFile(dir: string): boolean {
  return fs.existsSync(searchFilePath(dir));
}

/** "a, b, c or d". */
function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/**
 * Reads and checks the search file in `dir`: ours (`tool`), of a known kind, with its netlist and a
 * result.
 * @throws TokenspiceError SEARCH_FILE_INVALID naming the file: missing, unreadable, not JSON, or not a search's
 */
export function readSearchFile(dir: string): SearchDocument {
  const file = searchFilePath(dir);
  const doc = readJsonOrUndefined(file, "SEARCH_FILE_INVALID");
  if (doc === undefined) throw formatError("SEARCH_FILE_INVALID", file, `does not exist (${dir} is not a search's folder)`);
  if (!isObject(doc) || doc.tool !== MANIFEST_TOOL || !isSearchKind(doc.kind) || typeof doc.netlist !== "string" || doc.result === undefined) {
    throw formatError("SEARCH_FILE_INVALID", file, `is not a search's (it needs tool "${MANIFEST_TOOL}", kind ${orList(SEARCH_KINDS)}, netlist and result)`);
  }
  if (!Number.isSafeInteger(doc.seed) || !Number.isSafeInteger(doc.steps)) throw formatError("SEARCH_FILE_INVALID", file, '"seed" and "steps" are not integers');
  return doc as SearchDocument;
}

/** Writes the search file into `dir` (`toJson`). Throws what the file system throws. */
export function writeSearchFile(dir: string, doc: SearchDocument): void {
  fs.writeFileSync(searchFilePath(dir), toJson(doc));
}
