/**
 * What the format modules share: reading a file into text or JSON, with one error code for every
 * way it can fail, and the message shape each format's errors take ("<file>: <what is wrong>
 * (<what would be valid>)").
 */
import fs from "fs";
import { TokenspiceError, messageOf, type ErrorCode } from "../../errors";
import { readCsv } from "../csv";

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The text of `file`, or undefined when it does not exist.
 * @throws TokenspiceError `code` naming the file when it exists but cannot be read
 */
export function readTextOrUndefined(file: string, code: ErrorCode): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new TokenspiceError(code, `Cannot read ${file}: ${messageOf(error)}`, { file, problem: `cannot be read (${messageOf(error)})` }, error);
  }
}

/**
 * `file` parsed as JSON, or undefined when it does not exist.
 * @throws TokenspiceError `code` naming the file when it cannot be read or is not JSON
 */
export function readJsonOrUndefined(file: string, code: ErrorCode): unknown {
  const text = readTextOrUndefined(file, code);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenspiceError(code, `Cannot read ${file}: ${messageOf(error)}`, { file, problem: `is not JSON (${messageOf(error)})` }, error);
  }
}

/**
 * `file`'s CSV rows (every row as wide as the first: `readCsv`, cells as written), or undefined
 * when it does not exist.
 * @throws TokenspiceError `code` naming the file when it cannot be read or is not valid CSV
 */
export function readCsvOrUndefined(file: string, code: ErrorCode): string[][] | undefined {
  const text = readTextOrUndefined(file, code);
  if (text === undefined) return undefined;
  try {
    return readCsv(text, { relax_column_count: false });
  } catch (error) {
    throw formatError(code, file, `is not valid CSV (${messageOf(error)})`, {}, error);
  }
}

/**
 * An error of a format: `<file>: <problem>.`, with the file and the problem (without the path, for
 * records that must not depend on where a folder lies) in its details.
 */
export function formatError(code: ErrorCode, file: string, problem: string, details: Record<string, unknown> = {}, cause?: unknown): TokenspiceError {
  return new TokenspiceError(code, `${file}: ${problem}.`, { file, problem, ...details }, cause);
}

/** The problem a format error names, without its file's path (`formatError`'s `details.problem`), else its message. */
export function problemOf(error: unknown): string {
  const problem = (error as { details?: { problem?: unknown } })?.details?.problem;
  return typeof problem === "string" ? problem : messageOf(error);
}
