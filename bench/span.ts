import { median } from "simple-statistics";

/** Wall time and CPU time of a stretch of work, in milliseconds. CPU is `process.cpuUsage()`: user + system of every thread of the process (EDR's included). */
export interface Span {
  wallMs: number;
  cpuMs: number;
}

/** An instant on both clocks (ms): `performance.now()` and the process's CPU time so far. */
export type Stamp = Span;

/** Now, on both clocks. */
export function stamp(): Stamp {
  const cpu = process.cpuUsage();
  return { wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The span from `a` to `b` (two stamps). */
export function between(a: Stamp, b: Stamp): Span {
  return { wallMs: b.wallMs - a.wallMs, cpuMs: b.cpuMs - a.cpuMs };
}

/** The sum of spans (zero for none). */
export function sumSpans(spans: readonly Span[]): Span {
  return spans.reduce((acc, s) => ({ wallMs: acc.wallMs + s.wallMs, cpuMs: acc.cpuMs + s.cpuMs }), { wallMs: 0, cpuMs: 0 });
}

/** `a − b`, clock by clock. */
export function minusSpan(a: Span, b: Span): Span {
  return { wallMs: a.wallMs - b.wallMs, cpuMs: a.cpuMs - b.cpuMs };
}

/** The median of each clock over rounds (the wall median and the CPU median need not come from the same round). @throws Error for no spans */
export function medianSpan(spans: readonly Span[]): Span {
  if (spans.length === 0) throw new Error("medianSpan: no spans");
  return { wallMs: median(spans.map((s) => s.wallMs)), cpuMs: median(spans.map((s) => s.cpuMs)) };
}
