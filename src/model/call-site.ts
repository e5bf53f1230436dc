import { isTokenspiceError } from "../errors";
import { formatLocation, userFrame } from "./user-frame";

/**
 * Where the user's code called into the plugin: `file:line:column` of the first frame of the
 * current stack that is the user's (`userFrame`: not the plugin's, not in node_modules, not Node's),
 * relative to `root` (default: the working folder). Under ts-node the line is the TypeScript
 * source's. Undefined when no frame is the user's (a REPL, eval).
 */
export function callSite(root: string = process.cwd()): string | undefined {
  const at = userFrame(new Error().stack, root);
  return at && formatLocation(at);
}

/**
 * Adds the call site to a TokenspiceError thrown while validating what user code passed (its message
 * ends with ` (at file:line:column)`, its details get `at`), so that an invalid spec names the line
 * to fix. Other errors, and a site that is unknown, leave the error as it was. Returns the error to
 * rethrow.
 */
export function withCallSite(error: unknown, site: string | undefined): unknown {
  if (!site || !isTokenspiceError(error) || error.details.at !== undefined) return error;
  error.message = `${error.message} (at ${site})`;
  error.details.at = site;
  return error;
}
