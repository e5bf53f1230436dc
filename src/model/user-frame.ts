import path from "path";
import { fileURLToPath, pathToFileURL } from "url";

/** A place in a source file: `file` relative to the project root (forward slashes), 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * The plugin's own code: frames here are never the user's (src/ and tasks/, or dist/src and
 * dist/tasks once built).
 */
export const PLUGIN_DIRS = [path.resolve(__dirname, ".."), path.resolve(__dirname, "..", "..", "tasks")];

/**
 * Where in the user's code an error was thrown: the first frame of a V8 stack trace (`error.stack`,
 * source-mapped by ts-node) that is the user's own code, that is an absolute file path (or `file:`
 * URL) not under a `node_modules` folder, not in Node's internals (`node:…`) and not in the
 * plugin's own code (`exclude`, default `PLUGIN_DIRS`). A netlist's helper in another file of the
 * project counts: the frame that threw is the one to fix. The file is given relative to `root`.
 *
 * @param stack an error's `stack` (anything else gives undefined)
 * @returns the location, or undefined when no frame is the user's (a thrown string, an error the
 *   plugin or a library raised with no user frame below it)
 */
export function userFrame(stack: unknown, root: string, exclude: readonly string[] = PLUGIN_DIRS): SourceLocation | undefined {
  if (typeof stack !== "string") return undefined;
  for (const line of stack.split("\n")) {
    const frame = parseFrame(line);
    if (frame === undefined) continue;
    const file = path.normalize(frame.file);
    if (!path.isAbsolute(file) || file.split(path.sep).includes("node_modules")) continue;
    if (exclude.some((dir) => file === dir || file.startsWith(dir + path.sep))) continue;
    return { file: path.relative(root, file).split(path.sep).join("/"), line: frame.line, column: frame.column };
  }
  return undefined;
}

/**
 * What the console, the manifest and the report say instead of a location when a non-Error was
 * thrown (`throw "x"`, `throw { code }`, `throw undefined`): it carries no stack, so no file or line
 * can be given, and throwing an Error would. "" for an Error (its stack is searched instead).
 */
export function noStackHint(error: unknown): string {
  if (error instanceof Error) return "";
  const what = error === null ? "null" : Array.isArray(error) ? "an array" : typeof error === "object" ? "an object" : typeof error === "undefined" ? "undefined" : `a ${typeof error}`;
  return ` (no file and line: ${what} was thrown, which carries no stack; throw an Error to see where)`;
}

/** `file:line:column` of a location. */
export function formatLocation(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/** A stack trace with the project root's absolute paths (and `file:` URLs) made relative to it. */
export function relativeStack(stack: string, root: string): string {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  let out = stack;
  try {
    out = out.split(pathToFileURL(root).href.replace(/\/?$/, "/")).join("");
  } catch {
    // not a path a URL can hold
  }
  return out.split(prefix).join("");
}

/** The file, line and column of one "    at …" line of a V8 stack trace. */
function parseFrame(line: string): { file: string; line: number; column: number } | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("at ")) return undefined;
  // "at fn (file:1:2)" or "at file:1:2"; an eval frame's outer location is "(eval at …, <anonymous>:1:2)": skipped
  const inParens = /\(([^()]*):(\d+):(\d+)\)$/.exec(trimmed);
  const bare = /^at (?:async )?([^()\s][^()]*):(\d+):(\d+)$/.exec(trimmed);
  const m = inParens ?? bare;
  if (m === null) return undefined;
  let file = m[1];
  if (file.startsWith("file://")) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return { file, line: Number(m[2]), column: Number(m[3]) };
}
