import fs from "fs";
import path from "path";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import type { Netlist } from "../model/netlist";
import type { ParamSpecs } from "../model/params";
import { NETLIST_EXTENSIONS } from "../runner/netlists";
import type { CheckOptions, TypedCheckOptions } from "./options";
import type { CheckSummary } from "./report";

/**
 * Netlist checks: property checks (the options of `tokenspice.check`) kept in a file beside their
 * netlist, so that a project's checks run as a test suite (`npx hardhat sim-check` on both Hardhat
 * versions, and `npx hardhat test` on Hardhat 3 through its `test tokenspice` runner). A netlist's
 * checks file is `<simsDir>/<netlist>.checks.ts` (beside `<netlist>.ts`) or
 * `<simsDir>/<netlist>/checks.ts` (in the netlist's folder), also .js, .cts and .cjs; it
 * default-exports `defineChecks({ "check name": options, … })`.
 */

const EXTENSIONS = NETLIST_EXTENSIONS;
const CHECKS = Symbol.for("hardhat-tokenspice.checks");

/** What a checks file default-exports: check name → `tokenspice.check` options. Made by `defineChecks`. */
export interface NetlistChecks {
  readonly [CHECKS]: true;
  readonly checks: Readonly<Record<string, CheckOptions>>;
}

/**
 * A netlist's checks, for the default export of its checks file (`sims/<netlist>.checks.ts` or
 * `sims/<netlist>/checks.ts`): each entry is a test named by its key, with the options of
 * `tokenspice.check` (`property`, `invariant`, `params`, `runs`, `steps`, `seed`, …). Given the
 * netlist value first (imported from its file), the params are typed by the netlist's.
 *
 * @throws TokenspiceError CHECK_INVALID for no checks, an empty name or an entry that is not an options object
 */
export function defineChecks<P extends ParamSpecs, W>(netlist: Netlist<P, W>, checks: Record<string, TypedCheckOptions<P>>): NetlistChecks;
export function defineChecks(checks: Record<string, CheckOptions>): NetlistChecks;
export function defineChecks(first: unknown, second?: unknown): NetlistChecks {
  const checks = (second === undefined ? first : second) as Record<string, CheckOptions>;
  if (typeof checks !== "object" || checks === null || Array.isArray(checks) || Object.keys(checks).length === 0) {
    throw new TokenspiceError("CHECK_INVALID", 'defineChecks takes at least one check: defineChecks({ "name": { property, invariant, runs, … } }).');
  }
  for (const [name, options] of Object.entries(checks)) {
    if (name.trim() === "") throw new TokenspiceError("CHECK_INVALID", "defineChecks: a check's name is empty; name each check by what it asserts.");
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new TokenspiceError(
        "CHECK_INVALID",
        `defineChecks: check "${name}" is ${options === null ? "null" : typeof options}; give it the options of tokenspice.check ({ property, invariant, runs, … }).`,
        { check: name },
      );
    }
  }
  return { [CHECKS]: true, checks };
}

function isNetlistChecks(value: unknown): value is NetlistChecks {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CHECKS] === true;
}

/** A checks file and the netlist (by name, in simsDir) its checks are run on. */
export interface ChecksFile {
  netlist: string;
  file: string;
}

/** The netlist a checks file belongs to, from its place in simsDir; undefined when the file is not a checks file there. */
export function checksFileNetlist(simsDir: string, file: string): string | undefined {
  const relative = path.relative(path.resolve(simsDir), path.resolve(file));
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  const ext = EXTENSIONS.find((e) => relative.endsWith(e));
  if (ext === undefined || relative.endsWith(".d.ts")) return undefined;
  if (parts.length === 1 && parts[0].endsWith(`.checks${ext}`)) return parts[0].slice(0, -`.checks${ext}`.length);
  if (parts.length === 2 && parts[1] === `checks${ext}`) return parts[0];
  return undefined;
}

/** Every checks file in simsDir, by netlist name then file. */
export function findChecksFiles(simsDir: string): ChecksFile[] {
  if (!fs.existsSync(simsDir)) return [];
  const found: ChecksFile[] = [];
  for (const entry of fs.readdirSync(simsDir, { withFileTypes: true })) {
    const candidates = entry.isDirectory()
      ? EXTENSIONS.map((e) => path.join(simsDir, entry.name, `checks${e}`)).filter((f) => fs.existsSync(f))
      : entry.isFile()
        ? [path.join(simsDir, entry.name)]
        : [];
    for (const file of candidates) {
      const netlist = checksFileNetlist(simsDir, file);
      if (netlist !== undefined) found.push({ netlist, file });
    }
  }
  return found.sort((a, b) => (a.netlist < b.netlist ? -1 : a.netlist > b.netlist ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * The checks files to run: every one in simsDir, or those named (paths relative to `cwd`).
 *
 * @throws TokenspiceError CHECKS_FILE_INVALID for a named file that is missing or is not a checks file in simsDir (naming the forms that are)
 */
export function selectChecksFiles(simsDir: string, named: string[], cwd: string): ChecksFile[] {
  if (named.length === 0) return findChecksFiles(simsDir);
  return named.map((given) => {
    const file = path.resolve(cwd, given);
    const netlist = checksFileNetlist(simsDir, file);
    if (netlist === undefined) {
      throw new TokenspiceError(
        "CHECKS_FILE_INVALID",
        `${given} is not a netlist's checks file: name it ${path.join(path.relative(cwd, simsDir) || ".", "<netlist>.checks.ts")} or ${path.join(path.relative(cwd, simsDir) || ".", "<netlist>", "checks.ts")} (also .js, .cts, .cjs).`,
        { file: given, simsDir },
      );
    }
    if (!fs.existsSync(file)) throw new TokenspiceError("CHECKS_FILE_INVALID", `Checks file ${given} does not exist.`, { file: given });
    return { netlist, file };
  });
}

/**
 * Loads a checks file.
 *
 * @throws TokenspiceError CHECKS_FILE_INVALID when it fails to load or does not default-export `defineChecks(...)`; errors of defineChecks keep their code
 */
export function loadChecksFile(found: ChecksFile): NetlistChecks {
  let mod: { default?: unknown } | undefined;
  try {
    mod = require(found.file);
  } catch (error) {
    if (isTokenspiceError(error)) throw error;
    throw new TokenspiceError("CHECKS_FILE_INVALID", `Checks file ${found.file} failed to load: ${messageOf(error)}`, { file: found.file }, error);
  }
  const value = mod?.default ?? mod;
  if (!isNetlistChecks(value)) {
    throw new TokenspiceError(
      "CHECKS_FILE_INVALID",
      `${found.file} does not default-export netlist checks: write \`export default defineChecks({ "name": { property, … } })\` with defineChecks from "hardhat-tokenspice/api".`,
      {
        file: found.file,
      },
    );
  }
  return value;
}

/** One check's outcome: its title ("netlist: name"), and the error's message when it failed. */
export interface CheckOutcome {
  netlist: string;
  name: string;
  file: string;
  passed: boolean;
  /** The summary of a passing check. */
  summary?: CheckSummary;
  /** Why it failed: a property's report (how to reproduce and replay), or a load error. */
  message?: string;
}

/** What a run of checks files found, in the shape test runners count (passed, failed). */
export interface ChecksRunSummary {
  passed: number;
  failed: number;
  outcomes: CheckOutcome[];
}

/** How `runChecksFiles` reports: where lines go, the folder paths are shown relative to, the first failure's number. */
export interface ChecksRunOptions {
  log: (line: string) => void;
  cwd: string;
  /** Number of the first failure (default 1; Hardhat 3's `test` passes its running count). */
  firstIndex?: number;
}

/**
 * Runs every check of the given files, one after another, with `check` (the runtime's
 * `tokenspice.check`), printing a line per check as mocha does. A failing check (its property or
 * invariant broken, or any error) is counted and reported, never thrown: the others still run. A
 * file that fails to load counts as one failed check named "(load)".
 */
export async function runChecksFiles(files: ChecksFile[], check: (netlist: string, options: CheckOptions) => Promise<CheckSummary>, how: ChecksRunOptions): Promise<ChecksRunSummary> {
  const { log, cwd, firstIndex = 1 } = how;
  const outcomes: CheckOutcome[] = [];
  const failureNumber = () => firstIndex + outcomes.filter((o) => !o.passed).length - 1;
  for (const found of files) {
    log(`  ${found.netlist} (${path.relative(cwd, found.file)})`);
    let checks: Readonly<Record<string, CheckOptions>>;
    try {
      checks = loadChecksFile(found).checks;
    } catch (error) {
      outcomes.push({ netlist: found.netlist, name: "(load)", file: found.file, passed: false, message: messageOf(error) });
      log(`    ${failureNumber()}) (load)`);
      continue;
    }
    for (const [name, options] of Object.entries(checks)) {
      try {
        const summary = await check(found.netlist, options);
        outcomes.push({ netlist: found.netlist, name, file: found.file, passed: true, summary });
        log(`    ✔ ${name} (${summary.runs} run${summary.runs === 1 ? "" : "s"}, fast-check seed ${summary.seed}${summary.interrupted ? ", stopped by its time limit" : ""})`);
      } catch (error) {
        outcomes.push({ netlist: found.netlist, name, file: found.file, passed: false, message: messageOf(error) });
        log(`    ${failureNumber()}) ${name}`);
      }
    }
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  return { passed: outcomes.length - failed, failed, outcomes };
}

/**
 * The failures of a run of checks, numbered from `firstIndex` (Hardhat 3's `test` numbers failures
 * across its runners), each with its title and indented message, as mocha prints them.
 */
export function failureReport(summary: ChecksRunSummary, firstIndex = 1): string {
  return summary.outcomes
    .filter((o) => !o.passed)
    .map(
      (o, i) =>
        `  ${firstIndex + i}) ${o.netlist}: ${o.name}\n${(o.message ?? "")
          .split("\n")
          .map((line) => (line === "" ? "" : `     ${line}`))
          .join("\n")}\n`,
    )
    .join("\n");
}
