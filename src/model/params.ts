import { TokenspiceError } from "../errors";
import { assertDist, type ParamDist } from "./dist";

/** A number as the param list shows it: 4 significant digits (3.912, not 3.912023005428146). */
const short = (x: number) => String(Number(x.toPrecision(4)));

/** A dist in words: "normal(mean 0.5, sd 0.1)", "lognormal(mu 3.912, sigma 0.6931; median 50)". */
function describeDist(d: ParamDist): string {
  switch (d.type) {
    case "uniform":
      return "uniform";
    case "normal":
      return `normal(mean ${short(d.mean)}, sd ${short(d.sd)})`;
    case "lognormal":
      return `lognormal(mu ${short(d.mu)}, sigma ${short(d.sigma)}; median ${short(Math.exp(d.mu))})`;
    case "triangular":
      return `triangular(mode ${short(d.mode)})`;
  }
}

/**
 * Who sets a param: "controllable" (a design choice: searches vary it) or "uncontrollable" (the environment: Monte Carlo draws it from its `dist`).
 */
export type ParamKind = "controllable" | "uncontrollable";

interface ParamBase<T> {
  default: T;
  doc?: string;
  /** Controllable: a design choice of the token engineer. Uncontrollable: the environment's. */
  kind?: ParamKind;
}

/** An integer param (`param.int`): a safe integer default within the optional [min, max], both inclusive. */
export interface IntParamSpec extends ParamBase<number> {
  type: "int";
  min?: number;
  max?: number;
  /** How the world draws it (uncontrollables): Monte Carlo and sampling use it; default uniform over [min, max]. */
  dist?: ParamDist;
}
/**
 * A float param (`param.float`): a finite default within the optional [min, max]; written in decimal notation on the command line.
 */
export interface FloatParamSpec extends ParamBase<number> {
  type: "float";
  min?: number;
  max?: number;
  /** How the world draws it (uncontrollables): Monte Carlo and sampling use it; default uniform over [min, max]. */
  dist?: ParamDist;
}
/** A boolean param (`param.bool`): `true` or `false` on the command line. */
export interface BoolParamSpec extends ParamBase<boolean> {
  type: "bool";
}
/** A param that takes one of `choices` (`param.choice`): strings or numbers, the default among them. */
export interface ChoiceParamSpec<T extends string | number = string | number> extends ParamBase<T> {
  type: "choice";
  choices: readonly T[];
}

/** One param's spec, as the `param.*` builders make it (a `type` tag, a default, an optional `doc` and `kind`). */
export type ParamSpec = IntParamSpec | FloatParamSpec | BoolParamSpec | ChoiceParamSpec;
/** A netlist's params: name → spec. */
export type ParamSpecs = Record<string, ParamSpec>;

/** The resolved values a netlist's params give to setup, agents and KPIs. */
export type ParamValues<P extends ParamSpecs> = {
  readonly [K in keyof P]: P[K] extends ChoiceParamSpec<infer C> ? C : P[K] extends BoolParamSpec ? boolean : number;
};

type Options<S extends ParamSpec> = Omit<S, "type">;

function assertRangeSpec(spec: { default: number; min?: number; max?: number; dist?: ParamDist }, integer: boolean): void {
  const { default: d, min, max } = spec;
  const isNum = (v: number) => (integer ? Number.isSafeInteger(v) : typeof v === "number" && Number.isFinite(v));
  const what = integer ? "param.int" : "param.float";
  const bad = (why: string) => new TokenspiceError("PARAM_SPEC_INVALID", `${what}: ${why}`, { spec });
  const kind = integer ? "a safe integer" : "a finite number";
  if (!isNum(d)) throw bad(`default ${d} is not ${kind}`);
  if (min !== undefined && !isNum(min)) throw bad(`min ${min} is not ${kind}`);
  if (max !== undefined && !isNum(max)) throw bad(`max ${max} is not ${kind}`);
  if (min !== undefined && max !== undefined && min > max) throw bad(`min ${min} > max ${max}`);
  if ((min !== undefined && d < min) || (max !== undefined && d > max)) {
    throw bad(`default ${d} is outside [${min ?? "-inf"}, ${max ?? "inf"}]`);
  }
  if (spec.dist !== undefined) assertDist(what, spec.dist, min, max);
}

/** Builders for parameter specs: `param.int({ default: 30, min: 0, max: 1000 })`. */
export const param = {
  int(options: Options<IntParamSpec>): IntParamSpec {
    assertRangeSpec(options, true);
    return { type: "int", kind: "controllable", ...options };
  },
  float(options: Options<FloatParamSpec>): FloatParamSpec {
    assertRangeSpec(options, false);
    return { type: "float", kind: "controllable", ...options };
  },
  bool(options: Options<BoolParamSpec>): BoolParamSpec {
    if (typeof options.default !== "boolean") throw new TokenspiceError("PARAM_SPEC_INVALID", `param.bool: default must be true or false`);
    return { type: "bool", kind: "controllable", ...options };
  },
  choice<const T extends string | number>(options: Options<ChoiceParamSpec<T>>): ChoiceParamSpec<T> {
    const bad = (why: string) => new TokenspiceError("PARAM_SPEC_INVALID", `param.choice: ${why}`, { choices: options.choices });
    if (!Array.isArray(options.choices) || options.choices.length === 0) throw bad("choices is empty");
    const texts = new Set<string>();
    for (const c of options.choices) {
      // Each choice is written as text on the command line and in files, and read back by that text.
      if (typeof c === "number" && !Number.isFinite(c)) throw bad(`choice ${c} is not a finite number`);
      if (typeof c !== "number" && typeof c !== "string") throw bad(`choice ${JSON.stringify(c)} is not a string or a number`);
      const text = String(c);
      // eslint-disable-next-line no-control-regex
      if (typeof c === "string" && (c === "" || c.trim() !== c || /[\u0000-\u001f\u007f]/.test(c))) {
        throw bad(`choice ${JSON.stringify(c)} is empty, has surrounding whitespace or a control character`);
      }
      // `;` joins several sweeps in one --sweep (src/cli/flags-table.ts REPEATABLE_SEPARATOR).
      if (typeof c === "string" && c.includes(";")) throw bad(`choice ${JSON.stringify(c)} has a ";", which joins several --sweep values in one flag`);
      if (texts.has(text)) throw bad(`two choices read as ${JSON.stringify(text)} on the command line`);
      texts.add(text);
    }
    if (!options.choices.includes(options.default)) throw bad(`default ${JSON.stringify(options.default)} is not one of the choices`);
    return { type: "choice", kind: "controllable", ...options };
  },
};

/**
 * The range of values a spec allows, for messages and `--list`: "int in [0, 1000]", "bool (true or false)", `one of "a", "b"` (with a non-uniform `dist`: ", ~<dist>").
 */
export function describeSpec(spec: ParamSpec): string {
  switch (spec.type) {
    case "int":
    case "float":
      return `${spec.type} in [${spec.min ?? "-inf"}, ${spec.max ?? "inf"}]${spec.dist && spec.dist.type !== "uniform" ? `, ~${describeDist(spec.dist)}` : ""}`;
    case "bool":
      return "bool (true or false)";
    case "choice":
      return `one of ${spec.choices.map((c) => JSON.stringify(c)).join(", ")}`;
  }
}

/** Checks one value (from code or already parsed from the command line) against its spec. */
export function assertParamValue(netlist: string, name: string, spec: ParamSpec, value: unknown): number | boolean | string {
  const bad = paramError(netlist, name, spec, value);
  switch (spec.type) {
    case "int":
    case "float": {
      if (typeof value !== "number" || !Number.isFinite(value)) throw bad(`${show(value)} is not a number`);
      if (spec.type === "int" && !Number.isSafeInteger(value)) throw bad(`${value} is not an integer (in ±2^53)`);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        throw bad(`${value} is out of range`);
      }
      return value;
    }
    case "bool":
      if (typeof value !== "boolean") throw bad(`${show(value)} is not a boolean`);
      return value;
    case "choice":
      if (!spec.choices.includes(value as string | number)) throw bad(`${show(value)} is not a choice`);
      return value as string | number;
  }
}

/** Converts a command-line string to the spec's type, then checks it. */
export function parseParamValue(netlist: string, name: string, spec: ParamSpec, text: string): unknown {
  const bad = paramError(netlist, name, spec, text);
  switch (spec.type) {
    case "int":
      if (!/^[-+]?\d+$/.test(text.trim())) throw bad(`"${text}" is not a decimal integer`);
      return assertParamValue(netlist, name, spec, Number(text));
    case "float": {
      // Decimal notation only, as for ints: Number() would also take 0x1, 0b1, 0o1 and "Infinity".
      if (!DECIMAL.test(text.trim())) throw bad(`"${text}" is not a decimal number`);
      return assertParamValue(netlist, name, spec, Number(text));
    }
    case "bool":
      if (text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      throw bad(`"${text}" is not a boolean`);
    case "choice": {
      const match = spec.choices.find((c) => String(c) === text);
      if (match === undefined) throw bad(`"${text}" is not a choice`);
      return match;
    }
  }
}

/**
 * Parses `--params` text: `k=v,k=v`, where a value may hold a comma written `\,` and a backslash
 * written `\\` (everything after the first `=` is the value, so `=` needs no escape). Returns
 * raw strings; they are typed later against the specs. `formatParamAssignments` writes this form.
 *
 * @throws TokenspiceError PARAMS_MALFORMED, naming the part that is wrong and the expected form
 */
export function parseParamAssignments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const malformed = (why: string) =>
    new TokenspiceError(
      "PARAMS_MALFORMED",
      `Malformed --params "${text}": ${why}. Expected k=v pairs separated by commas, e.g. --params feeBps=30,volatility=0.05 ` + `(in a value, write a comma as \\, and a backslash as \\\\).`,
      { params: text },
    );
  if (text.trim() === "") throw malformed("it is empty");
  for (const part of splitUnescaped(text, malformed)) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw malformed(`"${unescape(part)}" is not k=v`);
    const key = part.slice(0, eq).trim();
    const value = unescape(part.slice(eq + 1)).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) throw malformed(`"${key}" is not a param name`);
    if (value === "") throw malformed(`"${key}" has no value`);
    if (Object.hasOwn(out, key)) throw malformed(`"${key}" is given twice`);
    out[key] = value;
  }
  return out;
}

/** Splits on commas not escaped by a backslash; keeps the escapes for `unescape`. */
function splitUnescaped(text: string, malformed: (why: string) => Error): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      const next = text[i + 1];
      if (next !== "," && next !== "\\") throw malformed(`a backslash must be followed by , or \\ (at character ${i + 1})`);
      current += c + next;
      i++;
    } else if (c === ",") {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(part: string): string {
  return part.replace(/\\([,\\])/g, "$1");
}

/** A value as `--params` takes it: commas and backslashes escaped with a backslash. */
export function escapeParamValue(value: unknown): string {
  return String(value).replace(/[\\,]/g, (c) => "\\" + c);
}

/**
 * Every param of the netlist, defaults filled in, overrides checked: an unknown name or a value of
 * the wrong type or range is an error naming what would be valid.
 *
 * @param fromText overrides are command-line strings, parsed by each param's type
 * @throws TokenspiceError PARAM_UNKNOWN or PARAM_INVALID
 */
export function resolveParams(netlist: string, specs: ParamSpecs, overrides: Record<string, unknown> = {}, fromText = false): Record<string, unknown> {
  for (const name of Object.keys(overrides)) {
    if (!Object.hasOwn(specs, name)) {
      const known = Object.keys(specs);
      throw new TokenspiceError(
        "PARAM_UNKNOWN",
        `Unknown param "${name}" for netlist "${netlist}". ` + (known.length ? `Known params: ${known.map((k) => `${k} (${describeSpec(specs[k])})`).join(", ")}.` : "It has no params."),
        { netlist, param: name, known },
      );
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (Object.hasOwn(overrides, name)) {
      const raw = overrides[name];
      resolved[name] = fromText ? parseParamValue(netlist, name, spec, String(raw)) : assertParamValue(netlist, name, spec, raw);
    } else {
      resolved[name] = spec.default;
    }
  }
  return resolved;
}

/** `k=v,k=v` for a resolved param set, as the `--params` flag takes it (values escaped). */
export function formatParamAssignments(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${escapeParamValue(v)}`)
    .join(",");
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function paramError(netlist: string, name: string, spec: ParamSpec, value: unknown) {
  return (why: string) =>
    new TokenspiceError("PARAM_INVALID", `Param "${name}" of netlist "${netlist}": ${why}. Valid: ${describeSpec(spec)}.`, {
      netlist,
      param: name,
      value: typeof value === "bigint" ? value.toString() : value,
      valid: describeSpec(spec),
    });
}

/** A param's spec as the run manifest records it under `paramSpecs` (plain JSON: no functions). */
export interface ParamSpecInfo {
  type: ParamSpec["type"];
  kind: ParamKind;
  default: number | boolean | string;
  doc?: string;
  min?: number;
  max?: number;
  choices?: (string | number)[];
  dist?: ParamDist;
}

/** Every param's spec as plain JSON, for the manifest, so a report needs nothing but the run's files. */
export function paramSpecInfo(specs: ParamSpecs): Record<string, ParamSpecInfo> {
  const out: Record<string, ParamSpecInfo> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const info: ParamSpecInfo = { type: spec.type, kind: spec.kind ?? "controllable", default: spec.default };
    if (spec.doc !== undefined) info.doc = spec.doc;
    if ((spec.type === "int" || spec.type === "float") && spec.min !== undefined) info.min = spec.min;
    if ((spec.type === "int" || spec.type === "float") && spec.max !== undefined) info.max = spec.max;
    if ((spec.type === "int" || spec.type === "float") && spec.dist !== undefined) info.dist = spec.dist;
    if (spec.type === "choice") info.choices = [...spec.choices];
    out[name] = info;
  }
  return out;
}
