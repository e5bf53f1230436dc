import { flagOf } from "../cli/flags";
import { REPEATABLE_FLAG_NAMES } from "../cli/flags-table";

/**
 * Lets `--sweep`, `--spec`, `--objective`, `--constraint`, `--kpi`, `--effect` and `--moment` (the `repeatable` flags of
 * src/cli/flags-table.ts) be given several times (`--sweep 'a=1,2' --sweep 'b=3,4'`). Hardhat 2 refuses a repeated task parameter (HH309) before any task runs, so its argument parser is taught, for the
 * flags named here only, to join the values with REPEAT_SEPARATOR instead; the task splits them
 * again. Hardhat 2 is in maintenance, and the patched method has kept its signature across 2.x.
 */
export const REPEATABLE_FLAGS = REPEATABLE_FLAG_NAMES.map(flagOf);
/** ASCII's unit separator: cannot be typed into a shell argument by accident. */
export const REPEAT_SEPARATOR = "\u001f";

type ParseAt = (rawCLAs: string[], index: number, defs: Record<string, unknown>, parsed: Record<string, string | number | boolean | undefined>, scope?: string) => number;

let installed = false;

/**
 * Patches Hardhat 2's argument parser once (later calls do nothing) so that `REPEATABLE_FLAGS` may be repeated; without Hardhat 2's CLI parser it does nothing.
 */
export function allowRepeatedFlags(): void {
  if (installed) return;
  installed = true;
  let proto: { _parseArgumentAt?: ParseAt };
  try {
    proto = require("hardhat/internal/cli/ArgumentsParser").ArgumentsParser.prototype;
  } catch {
    return; // not Hardhat 2's CLI: flags stay single
  }
  const original = proto._parseArgumentAt;
  if (typeof original !== "function") return;
  proto._parseArgumentAt = function (this: unknown, rawCLAs, index, defs, parsed, scope) {
    const flag = rawCLAs[index];
    const name = flag.startsWith("--") ? flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) : flag;
    if (!REPEATABLE_FLAGS.includes(flag) || parsed[name] === undefined) return original.call(this, rawCLAs, index, defs, parsed, scope);
    const previous = parsed[name];
    delete parsed[name];
    const next = original.call(this, rawCLAs, index, defs, parsed, scope);
    parsed[name] = `${String(previous)}${REPEAT_SEPARATOR}${String(parsed[name])}`;
    return next;
  };
}

/** The values of a repeatable flag, as the task receives them joined: one per flag given (the commands split each on `;`: src/cli/flags-table.ts). */
export function repeatedValues(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(REPEAT_SEPARATOR);
}
