import { TokenspiceError } from "../errors";

export type ParamKind = "controllable" | "uncontrollable";

interface ParamBase<T> {
  default: T;
  doc?: string;
  /** Controllable: a design choice of the token engineer. Uncontrollable: the environment's. */
  kind?: ParamKind;
}

export interface IntParamSpec extends ParamBase<number> {
  type: "int";
  min?: number;
  max?: number;
}
export interface FloatParamSpec extends ParamBase<number> {
  type: "float";
  min?: number;
  max?: number;
}
export interface BoolParamSpec extends ParamBase<boolean> {
  type: "bool";
}
export interface ChoiceParamSpec<T extends string | number = string | number> extends ParamBase<T> {
  type: "choice";
  choices: readonly T[];
}

export type ParamSpec = IntParamSpec | FloatParamSpec | BoolParamSpec | ChoiceParamSpec;
export type ParamSpecs = Record<string, ParamSpec>;

/** The resolved values a netlist's params give to setup, agents and KPIs. */
export type ParamValues<P extends ParamSpecs> = {
  readonly [K in keyof P]: P[K] extends ChoiceParamSpec<infer C>
    ? C
    : P[K] extends BoolParamSpec
      ? boolean
      : number;
};

type Options<S extends ParamSpec> = Omit<S, "type">;

function checkRangeSpec(spec: { default: number; min?: number; max?: number }, integer: boolean): void {
  const { default: d, min, max } = spec;
  const isNum = (v: number) => (integer ? Number.isInteger(v) : Number.isFinite(v));
  const what = integer ? "param.int" : "param.float";
  if (!isNum(d)) throw new TokenspiceError(`${what}: default ${d} is not ${integer ? "an integer" : "a finite number"}`);
  if (min !== undefined && !isNum(min)) throw new TokenspiceError(`${what}: min ${min} is not valid`);
  if (max !== undefined && !isNum(max)) throw new TokenspiceError(`${what}: max ${max} is not valid`);
  if (min !== undefined && max !== undefined && min > max) throw new TokenspiceError(`${what}: min ${min} > max ${max}`);
  if ((min !== undefined && d < min) || (max !== undefined && d > max)) {
    throw new TokenspiceError(`${what}: default ${d} is outside [${min ?? "-inf"}, ${max ?? "inf"}]`);
  }
}

/** Builders for parameter specs: `param.int({ default: 30, min: 0, max: 1000 })`. */
export const param = {
  int(options: Options<IntParamSpec>): IntParamSpec {
    checkRangeSpec(options, true);
    return { type: "int", kind: "controllable", ...options };
  },
  float(options: Options<FloatParamSpec>): FloatParamSpec {
    checkRangeSpec(options, false);
    return { type: "float", kind: "controllable", ...options };
  },
  bool(options: Options<BoolParamSpec>): BoolParamSpec {
    if (typeof options.default !== "boolean") throw new TokenspiceError(`param.bool: default must be true or false`);
    return { type: "bool", kind: "controllable", ...options };
  },
  choice<const T extends string | number>(options: Options<ChoiceParamSpec<T>>): ChoiceParamSpec<T> {
    if (options.choices.length === 0) throw new TokenspiceError("param.choice: choices is empty");
    if (!options.choices.includes(options.default)) {
      throw new TokenspiceError(`param.choice: default ${JSON.stringify(options.default)} is not one of the choices`);
    }
    return { type: "choice", kind: "controllable", ...options };
  },
};

export function describeSpec(spec: ParamSpec): string {
  switch (spec.type) {
    case "int":
    case "float":
      return `${spec.type} in [${spec.min ?? "-inf"}, ${spec.max ?? "inf"}]`;
    case "bool":
      return "bool (true or false)";
    case "choice":
      return `one of ${spec.choices.map((c) => JSON.stringify(c)).join(", ")}`;
  }
}

/** Checks one value (from code or already parsed from the command line) against its spec. */
export function checkParamValue(netlist: string, name: string, spec: ParamSpec, value: unknown): number | boolean | string {
  const bad = (why: string) =>
    new TokenspiceError(`Param "${name}" of netlist "${netlist}": ${why}. Valid: ${describeSpec(spec)}.`);
  switch (spec.type) {
    case "int":
    case "float": {
      if (typeof value !== "number" || !Number.isFinite(value)) throw bad(`${JSON.stringify(value)} is not a number`);
      if (spec.type === "int" && !Number.isInteger(value)) throw bad(`${value} is not an integer`);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        throw bad(`${value} is out of range`);
      }
      return value;
    }
    case "bool":
      if (typeof value !== "boolean") throw bad(`${JSON.stringify(value)} is not a boolean`);
      return value;
    case "choice":
      if (!spec.choices.includes(value as string | number)) throw bad(`${JSON.stringify(value)} is not a choice`);
      return value as string | number;
  }
}

/** Converts a command-line string to the spec's type, then checks it. */
export function parseParamValue(netlist: string, name: string, spec: ParamSpec, text: string): unknown {
  const bad = (why: string) =>
    new TokenspiceError(`Param "${name}" of netlist "${netlist}": ${why}. Valid: ${describeSpec(spec)}.`);
  switch (spec.type) {
    case "int":
      if (!/^[-+]?\d+$/.test(text)) throw bad(`"${text}" is not an integer`);
      return checkParamValue(netlist, name, spec, Number(text));
    case "float": {
      const n = text.trim() === "" ? NaN : Number(text);
      if (!Number.isFinite(n)) throw bad(`"${text}" is not a number`);
      return checkParamValue(netlist, name, spec, n);
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

/** Parses `k=v,k=v` into raw strings; the values are typed later against the specs. */
export function parseParamAssignments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const malformed = (why: string) =>
    new TokenspiceError(`Malformed --params "${text}": ${why}. Expected k=v pairs separated by commas, e.g. --params feeBps=30,volatility=0.05`);
  if (text.trim() === "") throw malformed("it is empty");
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw malformed(`"${part}" is not k=v`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) throw malformed(`"${key}" is not a param name`);
    if (value === "") throw malformed(`"${key}" has no value`);
    if (key in out) throw malformed(`"${key}" is given twice`);
    out[key] = value;
  }
  return out;
}

/**
 * Every param of the netlist, defaults filled in, overrides checked: an unknown name or a value of
 * the wrong type or range is an error naming what would be valid.
 */
export function resolveParams(
  netlist: string,
  specs: ParamSpecs,
  overrides: Record<string, unknown> = {},
  fromText = false,
): Record<string, unknown> {
  for (const name of Object.keys(overrides)) {
    if (!(name in specs)) {
      const known = Object.keys(specs);
      throw new TokenspiceError(
        `Unknown param "${name}" for netlist "${netlist}". ` +
          (known.length ? `Known params: ${known.map((k) => `${k} (${describeSpec(specs[k])})`).join(", ")}.` : "It has no params."),
      );
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (name in overrides) {
      const raw = overrides[name];
      resolved[name] = fromText
        ? parseParamValue(netlist, name, spec, String(raw))
        : checkParamValue(netlist, name, spec, raw);
    } else {
      resolved[name] = spec.default;
    }
  }
  return resolved;
}

/** `k=v,k=v` for a resolved param set, as the `--params` flag takes it. */
export function formatParamAssignments(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
}

/** A param's spec as `manifest.json` records it under `paramSpecs` (plain JSON: no functions). */
export interface ParamSpecInfo {
  type: ParamSpec["type"];
  kind: ParamKind;
  default: number | boolean | string;
  doc?: string;
  min?: number;
  max?: number;
  choices?: (string | number)[];
}

/** Every param's spec as plain JSON, for the manifest, so a report needs nothing but the run's files. */
export function paramSpecInfo(specs: ParamSpecs): Record<string, ParamSpecInfo> {
  const out: Record<string, ParamSpecInfo> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const info: ParamSpecInfo = { type: spec.type, kind: spec.kind ?? "controllable", default: spec.default };
    if (spec.doc !== undefined) info.doc = spec.doc;
    if ((spec.type === "int" || spec.type === "float") && spec.min !== undefined) info.min = spec.min;
    if ((spec.type === "int" || spec.type === "float") && spec.max !== undefined) info.max = spec.max;
    if (spec.type === "choice") info.choices = [...spec.choices];
    out[name] = info;
  }
  return out;
}
