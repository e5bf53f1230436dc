import type { Span } from "./span";

/**
 * A Markdown table whose columns are padded to their widest cell, so it reads in a terminal and
 * pastes into a Markdown file as it is (the README's performance section). The first column is
 * left-aligned, the others right-aligned (numbers) unless `align` says otherwise. A `|` in a cell
 * is escaped. @throws Error for a row whose length is not the header's
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ("left" | "right")[] = header.map((_, i) => (i === 0 ? "left" : "right"))): string {
  for (const row of rows) if (row.length !== header.length) throw new Error(`markdownTable: a row has ${row.length} cells, the header ${header.length}`);
  const cells = [header, ...rows].map((row) => row.map((c) => c.replace(/\|/g, "\\|")));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]) => `| ${row.map((c, i) => (align[i] === "right" ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === "right" ? "-".repeat(w - 1) + ":" : "-".repeat(w))).join(" | ")} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}

/** Milliseconds as seconds: "12.3" (1 decimal from 10 s, 2 below); "–" for a missing or non-finite value. */
export function seconds(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "–";
  const s = ms / 1000;
  return s.toFixed(Math.abs(s) >= 10 ? 1 : 2);
}

/** Milliseconds: "512" (from 100), "40.7" (from 10), "3.78" (below); "–" for a missing or non-finite value. */
export function milliseconds(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "–";
  return ms.toFixed(Math.abs(ms) >= 100 ? 0 : Math.abs(ms) >= 10 ? 1 : 2);
}

/** A span as "wall / CPU", in seconds (e.g. "21.1 / 11.0") or milliseconds. */
export function wallCpu(span: Span | undefined, unit: "s" | "ms" = "s"): string {
  const f = unit === "s" ? seconds : milliseconds;
  return span === undefined ? "–" : `${f(span.wallMs)} / ${f(span.cpuMs)}`;
}

/** A ratio as "19×" (from 10), "5.5×" (below); "–" when not finite (nothing to divide by). */
export function times(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return "–";
  return `${ratio.toFixed(ratio >= 10 ? 0 : ratio >= 1 ? 1 : 2)}×`;
}

/** A share as a whole percentage, e.g. "66%". */
export function percent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : "–";
}

/** "load average 4.4 2.7 2.0 (1, 5, 15 min; 2 cores)" from `os.loadavg()` and the core count. */
export function loadLine(loadavg: readonly number[], cores: number): string {
  return `load average ${loadavg.map((l) => l.toFixed(1)).join(" ")} (1, 5, 15 min; ${cores} cores)`;
}
