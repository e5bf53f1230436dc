/**
 * How KPI values and sim time are shown: in the terminal table, the charts and report.html.
 * CSV files always keep the exact value; these only change what a person reads.
 *
 * `formatNumber` and `timeLabel` are also inlined into report.html (as their own source text), so
 * they must stay self-contained: no imports, no module-level helpers.
 */

import { DAY } from "../model/time";

/** A raw KPI value: a number, or a bigint (exact, e.g. wei). */
export type RawValue = number | bigint;

/** `raw / 10^decimals` as a double, for charts and display (exact enough: about 15 significant digits). */
export function scaled(raw: RawValue, decimals: number): number {
  if (typeof raw === "number") return decimals === 0 ? raw : raw / 10 ** decimals;
  if (decimals === 0) return Number(raw);
  const unit = 10n ** BigInt(decimals);
  // Whole and fractional parts apart, so a 30-digit wei amount keeps its leading digits exactly.
  return Number(raw / unit) + Number(raw % unit) / Number(unit);
}

/**
 * A number as a person reads it, in en-US style: `540.65`, `12,191`, `939,236.11`, `1.41B`,
 * `0.5139`, `1.23e-7`, `2.5e+21`. At most 2 decimals from 1 up, 4 significant digits below 1,
 * compact (k is not used: M, B, T) from a million up, exponential from 10^15 up and below 10^-3.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-3) return x.toExponential(3).replace(/\.?0+e/, "e");
  if (a >= 1e6) return new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 4 }).format(x);
  if (a >= 1) return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(x);
  return new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 }).format(x);
}

/**
 * An axis tick: compact from 10,000 up (`800K`, `1.2M`), so a column of ticks reads alike. Up to 6
 * significant digits, so that ticks close together on a large value (block timestamps, 10,000
 * apart around 1.89e9) stay distinct: `1.89346B`, `1.89347B`; round ticks stay short.
 */
export function formatAxis(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const a = Math.abs(x);
  if (a >= 1e4 && a < 1e15) return new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 6 }).format(x);
  if (a >= 1e15 || a < 1e-6) return x.toExponential(2).replace(/\.?0+e/, "e");
  return new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 }).format(x);
}

/**
 * A shown number followed by its unit: `540.65 OCEAN`, `2 transactions`, and `1 transaction`: a
 * unit that is a lower-case plural word (4 letters or more, ending in one s) is made singular for
 * exactly 1 (`1 box`, `1 batch`, `1 party`). Inlined into report.html: self-contained.
 */
export function withUnit(text: string, unit: string): string {
  if (!unit) return text;
  const one = (text === "1" || text === "-1") && /^[a-z]{3,}s$/.test(unit) && !/ss$/.test(unit);
  if (!one) return text + " " + unit;
  // English plurals: boxes, batches, addresses drop "es"; parties become party; swaps drop "s"
  const singular = /(x|ch|sh|ss|z)es$/.test(unit) ? unit.slice(0, -2) : /[^aeiou]ies$/.test(unit) ? unit.slice(0, -3) + "y" : unit.slice(0, -1);
  return text + " " + singular;
}

/** A KPI value scaled by its decimals, with its unit: `540.65 OCEAN`, `1 transaction`. */
export function formatValue(raw: RawValue, meta: { unit: string; decimals: number }): string {
  return withUnit(formatNumber(scaled(raw, meta.decimals)), meta.unit);
}

/** The unit the x axis counts sim time in. Months are 30 days and years 365, as TokenSPICE's. */
export interface TimeUnit {
  name: "hours" | "days" | "months" | "years";
  /** Seconds in one unit. */
  seconds: number;
}

const HOUR = 3600;
export const TIME_UNITS: Record<TimeUnit["name"], TimeUnit> = {
  hours: { name: "hours", seconds: HOUR },
  days: { name: "days", seconds: DAY },
  months: { name: "months", seconds: 30 * DAY },
  years: { name: "years", seconds: 365 * DAY },
};

/**
 * The x axis unit for a run of `horizonSeconds` in ticks of `stepSeconds`: hours up to 3 days,
 * days up to 400 days, months up to 5 years, years beyond; never finer than a tick lasts, so a
 * 30-day tick is not counted in hours.
 */
export function chooseTimeUnit(stepSeconds: number, horizonSeconds: number): TimeUnit {
  const byHorizon = horizonSeconds <= 3 * DAY ? TIME_UNITS.hours : horizonSeconds <= 400 * DAY ? TIME_UNITS.days : horizonSeconds <= 5 * 365 * DAY ? TIME_UNITS.months : TIME_UNITS.years;
  const units = [TIME_UNITS.hours, TIME_UNITS.days, TIME_UNITS.months, TIME_UNITS.years];
  const coarsest = units.filter((u) => u.seconds <= Math.max(stepSeconds, HOUR)).at(-1)!;
  return byHorizon.seconds >= coarsest.seconds ? byHorizon : coarsest;
}

/** Sim time since the start, in the unit: `(time - start) / unit.seconds`. */
export function elapsed(time: number, start: number, unit: TimeUnit): number {
  return (time - start) / unit.seconds;
}

/** `day 42 · 2030-02-12` (month 1.4, year 2.25…): what a tooltip says about a sample's time. */
export function timeLabel(time: number, start: number, unitName: string, unitSeconds: number): string {
  const singular = unitName.replace(/s$/, "");
  const t = (time - start) / unitSeconds;
  const amount = Number.isInteger(t) ? String(t) : t.toFixed(2).replace(/\.?0+$/, "");
  const date = new Date(time * 1000).toISOString();
  return `${singular} ${amount} · ${unitName === "hours" ? date.slice(0, 16).replace("T", " ") : date.slice(0, 10)}`;
}

/**
 * `1 run`, `2 runs`, `12,000 runs`: a count with its noun, singular for exactly 1, thousands
 * separated. `many` is the plural when it is not `one` + "s" (`plural(2, "replicate")`).
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** A ratio as a percent, to at most 1 decimal (`0.125` → `12.5%`, `1` → `100%`); NaN as `—`. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }).format(ratio * 100)}%`;
}

/**
 * A param value as a person reads it: whole numbers exact with thousands separators (`1,000,000`),
 * other numbers to 6 significant digits (`0.300000…04` → `0.3`), text and booleans as they are.
 * The CSVs, the store and the JSON files keep the exact value.
 */
export function formatParam(value: unknown): string {
  if (typeof value !== "number") return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isSafeInteger(value)) return value.toLocaleString("en-US");
  if (Math.abs(value) >= 1e15 || Math.abs(value) < 1e-6) return value.toExponential(5).replace(/\.?0+e/, "e");
  return new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 }).format(value);
}

/**
 * A run's network as a person reads it, from the manifest's (or a campaign spec's) `network`:
 * `hardhat · chain id 31337 · hardfork osaka · block gas limit 60,000,000 · blocks at the tick's time`, and
 * `forked at block 19,000,000` for a fork (with `of chain 1 (0x9b4f8b8f…)` when the chain id and
 * block hash are recorded, and `· fork bundle sha256:4b5fcb9d2a8b…` given a run's `forkBundle`).
 * The fork's URL is left out (it may hold a key). A string (manifests before network facts) is
 * shown as it is; nothing as `hardhat`.
 */
export function networkText(network: unknown, forkBundle?: unknown): string {
  if (network === null || network === undefined) return "hardhat";
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a primitive: manifests before network facts held a string
  if (typeof network !== "object") return String(network);
  const n = network as {
    name?: string;
    chainId?: number | string;
    hardfork?: string;
    blockGasLimit?: unknown;
    initialBaseFeePerGas?: unknown;
    blockTime?: unknown;
    fork?: { blockNumber?: unknown; chainId?: unknown; blockHash?: unknown } | null;
  };
  const parts = [String(n.name ?? "hardhat")];
  const digits = (v: unknown) => (typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v)) ? BigInt(v).toLocaleString("en-US") : String(v));
  if (n.chainId !== undefined && n.chainId !== null) parts.push(`chain id ${n.chainId}`);
  if (n.hardfork) parts.push(`hardfork ${n.hardfork}`);
  if (n.blockGasLimit !== undefined && n.blockGasLimit !== null) parts.push(`block gas limit ${digits(n.blockGasLimit)}`);
  if (n.initialBaseFeePerGas !== undefined && n.initialBaseFeePerGas !== null) parts.push(`initial base fee ${digits(n.initialBaseFeePerGas)} wei`);
  if (n.blockTime === "tick") parts.push("blocks at the tick's time");
  else if (n.blockTime === "tick+tx") parts.push("blocks at the tick's time + 1 s per transaction");
  if (n.fork) {
    let text = n.fork.blockNumber !== undefined && n.fork.blockNumber !== null ? `forked at block ${digits(n.fork.blockNumber)}` : "forked";
    if (typeof n.fork.chainId === "number") text += ` of chain ${n.fork.chainId}`;
    if (typeof n.fork.blockHash === "string") text += ` (${n.fork.blockHash.slice(0, 10)}…)`;
    parts.push(text);
  }
  const hash = (forkBundle as { hash?: unknown } | null | undefined)?.hash;
  if (typeof hash === "string") parts.push(`fork bundle ${hash.slice(0, 19)}…`);
  return parts.join(" · ");
}

/** `hardhat-tokenspice 0.1.0 · hardhat 2.29.1 · solc 0.8.28 · node v20.20.2`: the versions a run or campaign recorded. */
export function versionsText(versions: Record<string, unknown>): string {
  return Object.entries(versions)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(", ") : v !== null && typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}
