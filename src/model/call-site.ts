import path from "path";
import { isTokenspiceError } from "../errors";

/**
 * Where user code called `fn`: `file:line` (relative to the working folder when inside it), read
 * from the V8 stack with `fn`'s own frames cut off (`Error.captureStackTrace`). Under ts-node the
 * line is the TypeScript source's (its source maps rewrite stacks). Undefined when the stack has
 * no file frame (eval, a REPL) or V8's stack API is missing.
 */
export function callSiteOf(fn: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  if (typeof Error.captureStackTrace !== "function") return undefined;
  Error.captureStackTrace(holder, fn);
  const frame = holder.stack?.split("\n").find((line) => line.trimStart().startsWith("at "));
  // "    at Object.<anonymous> (/p/sims/jar.ts:12:30)" or "    at /p/sims/jar.ts:12:30"
  const match = frame?.match(/\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?\s*$/);
  if (!match || match[1].startsWith("node:")) return undefined;
  const file = match[1].replace(/^file:\/\//, "");
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
  return `${shown.split(path.sep).join("/")}:${match[2]}`;
}

/**
 * Adds the call site to a TokenspiceError thrown while validating what user code passed (its message
 * ends with ` (at file:line)`, its details get `at`), so that an invalid spec names the line to fix.
 * Other errors, and a site that is unknown, leave the error as it was. Returns the error to rethrow.
 */
export function withCallSite(error: unknown, site: string | undefined): unknown {
  if (!site || !isTokenspiceError(error) || error.details.at !== undefined) return error;
  error.message = `${error.message} (at ${site})`;
  error.details.at = site;
  return error;
}
