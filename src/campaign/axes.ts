import { TokenspiceError } from "../errors";
import { distQuantile } from "../model/dist";
import { assertParamValue, describeSpec, parseParamValue, type ParamSpec, type ParamSpecs } from "../model/params";
import { MAX_CAMPAIGN_RUNS, campaignTooLarge } from "./limits";
import type { ParamValue, SampleSpec, SweepAxis } from "./types";

/**
 * The command line's campaign axes, turned into typed, checked values:
 * - `--sweep 'feeBps=5,30,100'`: a list (commas separate values; write a comma inside a value as
 *   `\,`, as in `--params`);
 * - `--sweep 'feeBps=5:100:20'`: `lo:hi:n`, n values evenly spaced from lo to hi, both included;
 * - `--sweep 'volatility=log:0.01:1:5'`: `log:lo:hi:n`, n values evenly spaced in log(value).
 * Int params take ranges whose values are integers (log ranges are rounded to the nearest
 * integer). Every value is checked against the param's spec. A value may repeat here: whether a
 * repeat is allowed depends on how the axes combine (see `assertNoRepeats`).
 *
 * @throws TokenspiceError PARAM_UNKNOWN, PARAM_INVALID, OPTION_INVALID naming the sweep and what would be valid
 */
export function parseSweep(netlist: string, specs: ParamSpecs, text: string): SweepAxis {
  const bad = (why: string) =>
    new TokenspiceError("OPTION_INVALID", `--sweep ${JSON.stringify(text)}: ${why}. Write param=v1,v2,... or param=lo:hi:n or param=log:lo:hi:n (e.g. --sweep 'feeBps=5,30,100').`, { sweep: text });
  const eq = text.indexOf("=");
  if (eq <= 0) throw bad("it is not param=values");
  const param = text.slice(0, eq).trim();
  const body = text.slice(eq + 1).trim();
  const spec = paramSpec(netlist, specs, param, "--sweep");
  if (body === "") throw bad("the list of values is empty");
  const range = /^(log:)?([^:,]+):([^:,]+):([^:,]+)$/.exec(body);
  let values: ParamValue[];
  if (range && (spec.type === "int" || spec.type === "float")) {
    values = rangeValues(netlist, param, spec, range[1] !== undefined, range[2], range[3], range[4], bad);
  } else {
    const texts = splitValues(body);
    if (texts.some((t) => t.trim() === "")) throw bad("a value in the list is empty");
    values = texts.map((t) => parseParamValue(netlist, param, spec, t.trim()) as ParamValue);
  }
  return { param, values };
}

function rangeValues(
  netlist: string,
  param: string,
  spec: ParamSpec & { type: "int" | "float" },
  log: boolean,
  loText: string,
  hiText: string,
  nText: string,
  bad: (why: string) => Error,
): ParamValue[] {
  const lo = Number(parseParamValue(netlist, param, { ...spec, type: "float", min: undefined, max: undefined }, loText.trim()));
  const hi = Number(parseParamValue(netlist, param, { ...spec, type: "float", min: undefined, max: undefined }, hiText.trim()));
  if (!/^\d+$/.test(nText.trim()) || Number(nText) < 1) throw bad(`n (${JSON.stringify(nText)}) must be a positive integer`);
  const n = Number(nText);
  if (n > MAX_CAMPAIGN_RUNS) throw campaignTooLarge(netlist, `--sweep ${param}=…:${nText.trim()} asks for ${nText.trim()} values, more than a campaign's ${MAX_CAMPAIGN_RUNS} runs`, { param });
  if (n === 1 && lo !== hi) throw bad("one value from a range needs lo = hi");
  if (log && !(lo > 0 && hi > 0)) throw bad("a log range needs lo > 0 and hi > 0");
  const at = (i: number) => {
    if (n === 1) return lo;
    const f = i / (n - 1);
    return log ? Math.exp(Math.log(lo) + f * (Math.log(hi) - Math.log(lo))) : lo + f * (hi - lo);
  };
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = i === 0 ? lo : i === n - 1 ? hi : at(i); // the ends exactly as given
    if (spec.type === "int") {
      const rounded = Math.round(v);
      if (!log && Math.abs(rounded - v) > 1e-9) {
        throw bad(`value ${v} of the range is not an integer, and ${param} is an int: choose n so that (hi - lo) / (n - 1) is a whole number`);
      }
      v = rounded;
    }
    values.push(assertParamValue(netlist, param, spec, v) as number);
  }
  return values;
}

/**
 * Refuses sweep axes that would plan one point twice. Crossed into a grid, a value repeated within
 * one axis is the same point twice (an int log range that rounds two values alike is the common
 * way to get one). Zipped, a value may repeat within a list (`a=1,1,2 b=5,6,7` is three different
 * points); only two positions whose values are all equal are the same point.
 *
 * @throws TokenspiceError OPTION_INVALID naming the param, the value and its positions (1-based)
 */
export function assertNoRepeats(axes: SweepAxis[], zip: boolean): void {
  const bad = (why: string, details: Record<string, unknown>) => new TokenspiceError("OPTION_INVALID", why, details);
  const firstRepeat = (keys: string[]) => {
    const seen = new Map<string, number>();
    for (let i = 0; i < keys.length; i++) {
      const before = seen.get(keys[i]);
      if (before !== undefined) return [before, i] as const;
      seen.set(keys[i], i);
    }
    return undefined;
  };
  if (zip && axes.length > 0) {
    const n = Math.min(...axes.map((a) => a.values.length)); // unequal lengths are refused by the plan
    const repeat = firstRepeat(Array.from({ length: n }, (_, i) => JSON.stringify(axes.map((a) => a.values[i]))));
    if (repeat) {
      const [i, j] = repeat;
      const point = axes.map((a) => `${a.param}=${JSON.stringify(a.values[i])}`).join(", ");
      throw bad(
        `--zip: positions ${i + 1} and ${j + 1} of the --sweep lists are the same point (${point}), which would run twice. ` +
          `Values may repeat within one list, but each zipped point must differ in at least one param.`,
        { positions: [i + 1, j + 1] },
      );
    }
    return;
  }
  for (const axis of axes) {
    const repeat = firstRepeat(axis.values.map((v) => JSON.stringify(v)));
    if (repeat) {
      const [i, j] = repeat;
      throw bad(
        `--sweep ${axis.param}: ${JSON.stringify(axis.values[i])} is value ${i + 1} and value ${j + 1} of (${axis.values.map(String).join(", ")}), ` +
          `so the grid would run the same points twice. Give each value once (for an int log range, ask for fewer values)` +
          (axes.length > 1 ? `; with --zip a value may repeat within a list.` : "."),
        { param: axis.param, positions: [i + 1, j + 1] },
      );
    }
  }
}

/** Splits a list on commas not escaped with a backslash, and unescapes `\,` and `\\`. */
function splitValues(body: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\" && (body[i + 1] === "," || body[i + 1] === "\\")) {
      current += body[++i];
    } else if (c === ",") {
      out.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

function paramSpec(netlist: string, specs: ParamSpecs, param: string, flag: string): ParamSpec {
  if (!Object.hasOwn(specs, param)) {
    const known = Object.keys(specs);
    throw new TokenspiceError(
      "PARAM_UNKNOWN",
      `${flag}: unknown param "${param}" for netlist "${netlist}". ` + (known.length ? `Known params: ${known.map((k) => `${k} (${describeSpec(specs[k])})`).join(", ")}.` : "It has no params."),
      { netlist, param, known },
    );
  }
  return specs[param];
}

/**
 * Checks a sample spec: a method, a positive number of samples, and params that can be sampled (a
 * finite min and max, a choice, or a bool). `over` defaults to every uncontrollable param.
 *
 * @throws TokenspiceError OPTION_INVALID or PARAM_UNKNOWN
 */
export function assertSample(netlist: string, specs: ParamSpecs, method: string, samples: number | undefined, over: string[] | undefined): SampleSpec {
  const bad = (why: string, details: Record<string, unknown> = {}) => new TokenspiceError("OPTION_INVALID", `--sample: ${why}`, { netlist, ...details });
  if (method !== "random" && method !== "lhs" && method !== "sobol") throw bad(`method ${JSON.stringify(method)} is not one of random, lhs, sobol`);
  if (samples === undefined || !Number.isSafeInteger(samples) || samples < 1) throw bad(`--samples must be a positive integer, got ${JSON.stringify(samples)}`);
  if (samples > MAX_CAMPAIGN_RUNS) throw campaignTooLarge(netlist, `--samples ${samples} is more points than a campaign's ${MAX_CAMPAIGN_RUNS} runs`);
  const params = over ?? Object.keys(specs).filter((k) => specs[k].kind === "uncontrollable");
  if (params.length === 0) {
    throw bad(`netlist "${netlist}" has no uncontrollable params to sample: name the params with --over a,b`);
  }
  for (const p of params) {
    const spec = paramSpec(netlist, specs, p, "--over");
    const drawn = (spec.type === "int" || spec.type === "float") && spec.dist !== undefined && spec.dist.type !== "uniform";
    if ((spec.type === "int" || spec.type === "float") && !drawn && !(Number.isFinite(spec.min) && Number.isFinite(spec.max))) {
      throw bad(`param "${p}" has no finite range to sample (${describeSpec(spec)}): give it min and max (or a dist), or sweep it instead`, { param: p });
    }
  }
  if (new Set(params).size !== params.length) throw bad("a param is named twice in --over");
  return { method, samples, over: params };
}

/**
 * A unit-cube coordinate u in [0, 1) mapped onto a param: through its dist's (truncated) inverse
 * CDF when it has one (an int rounded to the nearest integer in range); else uniform over
 * [min, max], its integers, its choices.
 */
export function fromUnit(spec: ParamSpec, u: number): ParamValue {
  switch (spec.type) {
    case "float":
      return distQuantile(spec.dist ?? { type: "uniform" }, u, spec.min, spec.max);
    case "int":
      if (spec.dist && spec.dist.type !== "uniform") return Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, Math.round(distQuantile(spec.dist, u, spec.min, spec.max))));
      return Math.min(spec.max!, spec.min! + Math.floor(u * (spec.max! - spec.min! + 1)));
    case "bool":
      return u >= 0.5;
    case "choice":
      return spec.choices[Math.min(spec.choices.length - 1, Math.floor(u * spec.choices.length))];
  }
}
