/**
 * A time cell of an observed series, read as seconds since 1970-01-01T00:00:00Z (UTC).
 *
 * Accepted forms (`format: "auto"` takes the first that fits):
 * - unix seconds: an integer or decimal number (`1609459200`, `1609459200.5`); a value beyond
 *   10^11 (the year 5138) is refused as most likely milliseconds;
 * - an ISO 8601 date `YYYY-MM-DD`: midnight UTC of that day;
 * - an ISO 8601 date and time `YYYY-MM-DD[T or space]HH:MM[:SS[.fraction]]`, followed by a zone
 *   `Z`, `+HH`, `+HH:MM` or `+HHMM` (or `-`): converted to UTC; **without a zone it is taken as
 *   UTC** (never as the machine's local time, so a file reads the same on every machine).
 * `format: "iso"` or `"unix"` accepts only that form (so `20200101` is a date mistake, not 1970).
 */
export type TimeFormat = "auto" | "iso" | "unix";

/** The largest unix time taken as seconds: 10^11 s is the year 5138; a larger one is most likely milliseconds. */
export const MAX_UNIX_SECONDS = 1e11;

const UNIX = /^-?\d+(\.\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses one time cell. Returns seconds since the epoch (UTC), or a reason it cannot be read.
 * Pure: throws nothing (the caller names file, row and column).
 */
export function parseTime(text: string, format: TimeFormat = "auto"): { seconds: number } | { why: string } {
  const t = text.trim();
  if (t === "") return { why: "the time is empty" };
  if (format !== "iso" && UNIX.test(t)) {
    const seconds = Number(t);
    if (Math.abs(seconds) > MAX_UNIX_SECONDS) return { why: `${t} is past the year 5138 as unix seconds: milliseconds? (divide by 1000)` };
    return { seconds };
  }
  if (format === "unix") return { why: `${JSON.stringify(t)} is not unix seconds (a number)` };
  const m = ISO.exec(t);
  if (!m) return { why: `${JSON.stringify(t)} is not an ISO 8601 date or time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ) nor unix seconds` };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  const fraction = m[7] ? Number(m[7]) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { why: `${JSON.stringify(t)} is not a calendar date` };
  if (hour > 23 || minute > 59 || second > 59) return { why: `${JSON.stringify(t)} is not a time of day` };
  let offset = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const zh = Number(digits.slice(0, 2));
    const zm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (zh > 23 || zm > 59) return { why: `${JSON.stringify(t)} has a time zone offset that is not one` };
    offset = sign * (zh * 3600 + zm * 60);
  }
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 + fraction - offset;
  return { seconds };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Seconds since the epoch as ISO 8601 UTC: `2021-03-28` at midnight, else `2021-03-28T12:00:00Z`. */
export function isoTime(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  if (iso.endsWith("T00:00:00.000Z")) return iso.slice(0, 10);
  return iso.endsWith(".000Z") ? `${iso.slice(0, 19)}Z` : iso;
}
