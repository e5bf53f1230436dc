import { TokenspiceError } from "../errors";

/**
 * Which names work everywhere a name ends up: CSV headers and cells, JSON keys, terminal tables,
 * the command line, file names, and (for campaigns) SQL column names, where identifiers are
 * case-insensitive. A name that would break one of them is refused when the netlist loads.
 */

// Control characters (newlines, tabs, NUL, DEL, C1) break CSV readers, tables and terminals.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The longest display name (KPI, agent, netlist), in UTF-16 code units: longer ones are refused with NAME_INVALID. */
export const MAX_NAME_LENGTH = 100;

/** Why `name` cannot be a display name (KPI, agent, netlist), or undefined when it can. */
function displayNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `it is a ${typeof name}, not a string`;
  if (name === "") return "it is empty";
  if (name.trim() !== name) return "it starts or ends with whitespace";
  if (CONTROL.test(name)) return "it holds a control character (a newline, tab or similar)";
  if (name.length > MAX_NAME_LENGTH) return `it is longer than ${MAX_NAME_LENGTH} characters`;
  if (name === "__proto__") return "it is JavaScript's prototype key";
  return undefined;
}

const RESERVED_KPI_NAMES = ["tick", "timestamp"];

/** KPI names: display names, unique ignoring case, and not a column the KPI table already has. Names every bad one at once. */
export function assertKpiNames(where: string, names: readonly string[]): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const problem = displayNameProblem(name);
    const folded = name.toLowerCase();
    const clash = seen.get(folded);
    if (problem) problems.push(`${JSON.stringify(name)}: ${problem}`);
    else if (RESERVED_KPI_NAMES.includes(folded)) problems.push(`${JSON.stringify(name)}: kpis.csv already has a "${folded}" column (names are compared ignoring case)`);
    else if (clash !== undefined) problems.push(`${JSON.stringify(name)}: differs from ${JSON.stringify(clash)} only in case (SQL and spreadsheets would merge them)`);
    seen.set(folded, name);
  }
  if (problems.length > 0) {
    throw new TokenspiceError(
      "NAME_INVALID",
      `${where}: ${problems.length === 1 ? "a KPI name" : `${problems.length} KPI names`} cannot be used: ${problems.join("; ")}. ` +
        `Use non-empty names without control characters or surrounding spaces, distinct ignoring case, other than tick and timestamp.`,
      { kpis: problems },
    );
  }
}

/** Param names appear on the command line (`--params name=value`): JavaScript identifiers. */
export function assertParamName(where: string, name: string): void {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) || name === "__proto__") {
    throw nameError(where, "param", name, "it is not an identifier", "letters, digits, _ and $, not starting with a digit (e.g. feeBps)");
  }
}

/** Names the engine records transactions under itself: an agent of the same name would merge with them. */
export const RESERVED_AGENT_NAMES = ["setup", "kpis"];

/** Wallet (and so agent) names: display names, and not one the engine records under itself. */
export function assertWalletName(where: string, name: unknown): asserts name is string {
  const problem = displayNameProblem(name);
  if (problem) throw nameError(where, "wallet", name, problem, "a non-empty name without control characters or surrounding spaces");
  if (RESERVED_AGENT_NAMES.includes(name as string)) {
    throw nameError(where, "wallet", name, `"${name as string}" is what the engine records its own transactions under`, `another name (reserved: ${RESERVED_AGENT_NAMES.join(", ")})`);
  }
}

/** Netlist names come from file and folder names and are typed on the command line. */
export function netlistNameProblem(name: string): string | undefined {
  return displayNameProblem(name) ?? (name.startsWith("-") ? "it starts with '-', which the command line reads as a flag" : undefined);
}

function nameError(where: string, what: string, name: unknown, problem: string, valid: string): TokenspiceError {
  return new TokenspiceError("NAME_INVALID", `${where}: ${what} name ${JSON.stringify(name)} cannot be used: ${problem}. Use ${valid}.`, {
    [what]: name,
  });
}
