import { TokenspiceError } from "../errors";
import type { CliOutput } from "./context";

/**
 * Flag values as the commands receive them: numbers as text from a command line (parsed here, so
 * bad values get the plugin's errors and exit code 2, not the framework's), or as numbers from code.
 */

/** `maxRunsPerWorker` → `--max-runs-per-worker`: how a param is spelled on the command line. */
export function flagOf(name: string): string {
  return `--${name.replace(/([A-Z])/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * An integer flag: a number from code, or decimal text from the command line (its range is checked
 * where it is used).
 * @throws TokenspiceError `code` naming the flag and the text, when the text is not a decimal integer
 */
export function integerFlag(flag: string, value: number | string | undefined, code: "SEED_INVALID" | "STEPS_INVALID" | "OPTION_INVALID"): number | undefined {
  if (value === undefined || typeof value === "number") return value;
  if (!/^[-+]?\d+$/.test(value.trim())) {
    throw new TokenspiceError(code, `${flag} ${JSON.stringify(value)} is not valid: use a decimal integer.`, { [flag]: value });
  }
  return Number(value);
}

/** A numeric flag's range: `integer` a whole number from `min`, else a number in [min, max] ((min, max) when `open`). */
export interface NumberRange {
  integer: boolean;
  min?: number;
  max?: number;
  open?: boolean;
}

/** A count flag: a whole number from 1 (runs, replicates, budgets, workers). */
export const COUNT: NumberRange = { integer: true, min: 1 };
/** A probability flag: a number strictly between 0 and 1 (--target, --confidence). */
export const SHARE: NumberRange = { integer: false, min: 0, max: 1, open: true };

/**
 * A numeric flag's value, checked before anything runs or any folder is made: `integer` a whole
 * number from `min` (up to the largest safe integer), else a number in [min, max] ((min, max) when
 * `open`). A number from code is checked as its text would be.
 * @throws TokenspiceError OPTION_INVALID naming the flag, what was given and what is valid
 */
export function numberFlag(flag: string, given: string | number | undefined, range: NumberRange): number | undefined {
  if (given === undefined) return undefined;
  const text = String(given);
  const t = text.trim();
  const v = Number(t);
  const form = range.integer ? /^[-+]?\d+$/.test(t) && Number.isSafeInteger(v) : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) && Number.isFinite(v);
  const { min = -Infinity, max = range.integer ? Number.MAX_SAFE_INTEGER : Infinity, open = false } = range;
  if (form && (open ? v > min && v < max : v >= min && v <= max)) return v;
  const valid = range.integer
    ? Number.isFinite(min)
      ? `a whole number, ${min} or more`
      : "a whole number"
    : open
      ? `a number between ${min} and ${max} (both excluded)`
      : `a number from ${min} to ${max}`;
  throw new TokenspiceError("OPTION_INVALID", `${flag} ${JSON.stringify(text)} is not valid: use ${valid}.`, { [flag]: text });
}

/**
 * A flag that was renamed: the value under its new name or, with a one-line deprecation warning
 * on `output.warn`, under its old one; with the flag the user gave, for messages about its value.
 * @throws TokenspiceError OPTION_INVALID when both names are given
 */
export function renamedFlag<T>(args: object, name: string, old: string, output: CliOutput): { value: T | undefined; flag: string } {
  const values = args as Record<string, T | undefined>;
  const now = values[name];
  const before = values[old];
  if (before === undefined) return { value: now, flag: flagOf(name) };
  if (now !== undefined) {
    throw new TokenspiceError("OPTION_INVALID", `${flagOf(old)} is the old name of ${flagOf(name)}: give ${flagOf(name)} only.`, { [flagOf(name)]: String(now), [flagOf(old)]: String(before) });
  }
  output.warn(`Warning: ${flagOf(old)} is deprecated: use ${flagOf(name)} (same meaning).`);
  return { value: before, flag: flagOf(old) };
}

/** A list flag's values: `a,b` split on commas and trimmed. */
export function listFlag(text: string | undefined): string[] | undefined {
  return text?.split(",").map((s) => s.trim());
}

/**
 * The value of a flag that takes one of a few words (`--worst min|max`), or `fallback` when absent.
 * @throws TokenspiceError OPTION_INVALID naming the flag, the value and the words allowed
 */
export function choiceFlag<const T extends string>(flag: string, given: string | undefined, choices: readonly T[], fallback: T): T {
  const value = given ?? fallback;
  if (!(choices as readonly string[]).includes(value)) throw new TokenspiceError("OPTION_INVALID", `${flag} ${JSON.stringify(value)}: use ${choices.join(" or ")}.`, { flag, value });
  return value as T;
}
