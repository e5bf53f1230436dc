import fs from "fs";
import path from "path";
import type { TokenspiceEnvironment } from "../campaign/environment";
import { isTokenspiceError } from "../errors";
import type { ForkFlags } from "../fork/options";
import { isLockEntry } from "../output/folder-lock";
import { CAMPAIGN_STATUS_FILE } from "../output/formats/campaign-status";
import { RUN_MANIFEST_FILE } from "../output/formats/run-manifest";

/**
 * Where a command's lines go. `log` is its result (stdout: tables, file lists, the folder with
 * `--quiet`); `warn` is what must be seen even then (stderr: deprecation warnings, "interrupted,
 * continue it with …"). Progress bars are drawn on `progress` when it is a terminal (default
 * process.stderr); off a terminal their plain lines go to `log`.
 */
export interface CliOutput {
  log(line: string): void;
  warn(line: string): void;
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The process's console: `log` to stdout, `warn` to stderr (read at call time, so a test's stub of console.log sees the lines). */
export const consoleOutput: CliOutput = {
  log: (line) => console.log(line),
  warn: (line) => console.error(line),
};

/**
 * What a command takes from the adapter that runs it (Hardhat 2's tasks: src/hardhat/cli.ts;
 * Hardhat 3's, or a plain Node script, build the same): the core environment, the project's sims
 * folder, how to compile, how the user's commands are spelled, and where lines go.
 */
export interface CliContext {
  /** Runs, campaigns and searches go through it (src/campaign/environment.ts). */
  environment: TokenspiceEnvironment;
  /** The project's sims folder, absolute (`--list` reads every netlist in it). */
  simsDir: string;
  /** Compiles the project's contracts, quietly; not called with `noCompile`. */
  compile(): Promise<void>;
  /**
   * The start of every command a message advises: `["npx", "hardhat"]`, with `--config` and
   * `--network` when this process runs with others than the defaults.
   */
  commandPrefix: string[];
  /** The command line the user typed (shown in a search's report), e.g. `npx hardhat sim-verify walk --spec …`. */
  commandLine: string;
  output: CliOutput;
  /**
   * Makes the `--fork*` flags of this command the fork runs use (src/fork), checked; absent where
   * the adapter cannot fork (a `sim --fork` there is refused).
   * @throws TokenspiceError OPTION_INVALID for flags that are not valid
   */
  useFork?(flags: ForkFlags): void;
}

/**
 * The exit code for an error that ended a command: a plugin error's by its kind (1 a run, property,
 * baseline or yield that failed; 2 bad input or infrastructure), anything else 2.
 */
export function exitCodeFor(error: unknown): number {
  if (isTokenspiceError(error)) return error.exitCode;
  // An adapter's own error class (Hardhat 2's TokenspicePluginError) carries the same getter.
  const e = typeof error === "object" && error !== null ? (error as { code?: unknown; exitCode?: unknown }) : {};
  return typeof e.code === "string" && e.exitCode === 1 ? 1 : 2;
}

/**
 * Where a failed command left what it recorded: the error's `details.outDir` (set only by code that
 * wrote there; a refused `--out` names its folder as `details.dir`), and only when something in it
 * was written since this process started (never the files of an earlier run a refusal protects);
 * with the file that says how it ended (a run's manifest, a campaign's status). A
 * campaign's failure (CAMPAIGN_FAILED) already says where its runs are: undefined.
 */
export function recordedIn(error: unknown): { dir: string; file?: string } | undefined {
  const e = error as { code?: unknown; details?: { outDir?: unknown } } | null | undefined;
  if (typeof e !== "object" || e === null || typeof e.code !== "string" || e.code === "CAMPAIGN_FAILED") return undefined;
  const dir = e.details?.outDir;
  if (typeof dir !== "string") return undefined;
  const since = performance.timeOrigin - 50; // the process's start, less a file system's timestamp granularity
  const written = (name: string) => {
    try {
      return fs.statSync(path.join(dir, name)).mtimeMs >= since;
    } catch {
      return false;
    }
  };
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).filter((f) => !isLockEntry(f));
  } catch {
    return undefined;
  }
  if (!entries.some(written)) return undefined;
  return { dir, file: [RUN_MANIFEST_FILE, CAMPAIGN_STATUS_FILE].find((f) => entries.includes(f)) };
}
