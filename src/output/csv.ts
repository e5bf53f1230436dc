/**
 * The CSV files the plugin writes (a run's KPI table and reverts; a campaign's runs.csv,
 * points.csv and bands.csv) are opened in spreadsheets, and some of their cells are text the
 * project did not write: revert reasons and call data from contracts, KPI, agent and netlist names,
 * choice param values, error messages. A spreadsheet runs a cell that starts with `=`, `+`, `-` or
 * `@` (and, in some, a tab or carriage return, or their full-width forms) as a formula. As OWASP's
 * CSV-injection guidance recommends (https://owasp.org/www-community/attacks/CSV_Injection), such
 * a text cell is written with a single quote in front, and quoted: `'=HYPERLINK(…)` shows as text.
 *
 * Numbers are data and stay as they are: a cell that is a JavaScript number's text (`-1.5`,
 * `-2e-7`, `-Infinity`) or a bigint's digits (`-540647551691695229860`) is written as it is, so
 * KPI values and every file of a run of plain values keep their bytes.
 *
 * The project's own readers take the quote off again (`readCsv`), so they read back exactly the text
 * that was written. To keep that exact, text that already starts with quotes before a formula
 * character (`'=x`) gets one more quote; text starting with a quote before anything else (`'tis`)
 * is left alone, and so read back as it is.
 *
 * Writing and reading go through csv-stringify's and csv-parse's `cast` options.
 */
import { stringify, type Options as StringifyOptions } from "csv-stringify/sync";
import { parse, type Options as ParseOptions } from "csv-parse/sync";

/** A cell as the writers hand it over: text, a number, a bigint, a boolean, or empty (null/undefined). */
export type CsvCell = string | number | bigint | boolean | null | undefined;

/** Any run of quotes, then a character a spreadsheet starts a formula with (OWASP's list and csv-stringify's full-width forms). */
const FORMULA_START = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Text a neutralised cell starts with: the quote we put there, then quotes and a formula character. */
const NEUTRALISED = /^''*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A number's text as JavaScript writes it (and a bigint's digits): data, never neutralised. */
const NUMBER = /^-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|Infinity)$/;

/** Whether `text`, written as a CSV cell, must be neutralised: it could start a formula and is not a number. */
export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text) && !NUMBER.test(text);
}

/** A text cell as written: `'` in front when a spreadsheet would take it for a formula (see the module's doc). */
export function neutraliseCsvText(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}

/** The text a cell held before `neutraliseCsvText`: the leading quote taken off a neutralised cell. */
export function restoreCsvText(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

const STRINGIFY: StringifyOptions = {
  cast: {
    // A neutralised cell is also quoted (OWASP): a spreadsheet then reads it as one text cell.
    string: (value: string) => (isFormulaLike(value) ? { value: `'${value}`, quoted: true } : value),
    number: (value: number) => String(value),
    bigint: (value: bigint) => value.toString(),
    boolean: (value: boolean) => String(value),
  },
};

/**
 * CSV text of `rows` (each a line, `\n`-terminated), every text cell neutralised as the module's
 * doc says. Numbers as `String(n)` (shortest round trip; NaN and ±Infinity by name), bigints as
 * their digits, booleans as `true`/`false`, null and undefined as an empty cell.
 */
export function csvLines(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(
    rows.map((r) => [...r]),
    STRINGIFY,
  );
}

/** One CSV line of `cells` (see `csvLines`). */
export function csvLine(cells: readonly CsvCell[]): string {
  return csvLines([cells]);
}

/**
 * Parses CSV the plugin wrote, with every cell as the text that was written (a neutralised cell's
 * quote taken off: `restoreCsvText`). `options` are csv-parse's; `cast` is this function's own.
 * With `columns: true`, rows are records keyed by the (restored) header.
 *
 * @throws csv-parse's CsvError for text that is not CSV (callers say which file)
 */
export function readCsv(text: string, options: Omit<ParseOptions, "cast"> & { columns: true }): Record<string, string>[];
export function readCsv(text: string, options?: Omit<ParseOptions, "cast" | "columns">): string[][];
export function readCsv(text: string, options: Omit<ParseOptions, "cast"> = {}): string[][] | Record<string, string>[] {
  return parse(text, {
    ...options,
    cast: (value: string) => restoreCsvText(value), // csv-parse casts the header line too
  });
}
