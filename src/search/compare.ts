import { TokenspiceError } from "../errors";
import type { ParamSpecs } from "../model/params";
import { resolveParams } from "../model/params";
import { fromUnit } from "../campaign/axes";
import { unitSamples } from "../campaign/plan";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import type { Evaluator } from "./evaluator";
import { parseMetric } from "./metrics";
import { comparePaired, type PairedComparison } from "./paired";
import { checkCount, paramsOver, valueOf, type SearchMethod } from "./shared";
import { escapeHtml } from "../report/html";
import { FONT_FAMILY, PALETTE } from "../report/charts";
import { formatNumber, plural } from "../report/format";
import { paramsText, searchNumber, show } from "../report/search";

// compare: design A against design B on common random numbers, per KPI

/** What `compare` takes: the two designs, the KPIs, the pairs, the confidence, and the effects to size the runs for. */
export interface CompareOptions {
  /** Design A: param values (usually controllables), e.g. `{ feeBps: 30 }`. Text values with `paramsFromText`. */
  a: Record<string, unknown>;
  /** Design B, the same way. Params named in one design and not the other take their fixed or default value in the other. */
  b: Record<string, unknown>;
  /** KPIs compared, each `"<kpi> <stat>"` (stat: final, min, max, mean); default every KPI's final value. */
  kpis?: string[];
  /** Pairs: replicate r runs both designs with the same seed (default 30). */
  replicates?: number;
  /** Confidence of the intervals; 1 − confidence is the family-wise level of the verdicts (default 0.95). */
  confidence?: number;
  /** Power for the pairs-to-detect (default 0.8). */
  power?: number;
  /** An effect (in the KPI's units) to size the pairs for, per KPI text of `kpis`; default the observed mean difference. */
  effects?: Record<string, number>;
  /** Uncontrollables drawn from their dists, one draw per pair, the same for A and B (default none: seeds alone). */
  over?: string[];
  /** The designs' values are text from a command line (`fee=0.003`), converted by the params' types. */
  paramsFromText?: boolean;
}

/** One KPI's comparison as the search file holds it: the statistics of `comparePaired`, and each pair's difference B − A (NaN where dropped). */
export interface KpiComparison extends PairedComparison {
  kpi: string;
  differences: number[];
}

/** What `compare` found: the designs, each pair's seed and runs, each KPI's comparison, and the correction used. */
export interface CompareResult {
  a: Record<string, ParamValue>;
  b: Record<string, ParamValue>;
  replicates: number;
  confidence: number;
  power: number;
  /** The multiple-KPI correction of the tests' p-values (and of the verdicts). */
  correction: "holm";
  over: string[];
  /** Pair r: its seed (the same for A and B), its uncontrollables' draw, and the two runs' keys. */
  pairs: { replicate: number; seed: number; draw: Record<string, ParamValue>; a: string; b: string }[];
  kpis: KpiComparison[];
  /** Pairs where a run failed: dropped from every KPI. */
  failed: number;
  /** Runs with a compared KPI's value NaN or ±Infinity: their pair is dropped from that KPI. */
  nonFinite: number;
}

/**
 * Paired design comparison on common random numbers: `replicates` pairs, pair r running design A and
 * design B with the same seed (and, with `over`, the same draw of the uncontrollables), so what differs
 * within a pair is the design alone. Per KPI, the differences B − A of the pairs where both runs
 * completed with a finite value; their paired t interval and test, the signed-rank test with its
 * Hodges–Lehmann interval (src/search/paired.ts), Holm's correction over the KPIs, a verdict and the
 * pairs a given effect would need.
 * @throws TokenspiceError OPTION_INVALID for replicates below 2, a confidence or power outside (0, 1), two
 *   designs that are the same, a param both in a design and in over, an effect for a KPI not compared or not
 *   a finite number, an unreadable KPI text; PARAM_* for a design's unknown param or bad value
 */
export async function compare(evaluator: Evaluator, specs: ParamSpecs, options: CompareOptions & { seed: number }, netlist = "compare"): Promise<CompareResult> {
  const replicates = checkCount("compare", "replicates", options.replicates ?? 30, 2);
  const confidence = options.confidence ?? 0.95;
  const power = options.power ?? 0.8;
  for (const [name, v] of [
    ["confidence", confidence],
    ["power", power],
  ] as const) {
    if (!(typeof v === "number" && v > 0 && v < 1))
      throw new TokenspiceError("OPTION_INVALID", `compare: ${name} ${v} is not valid: use a number between 0 and 1 (both excluded), e.g. ${name === "power" ? "0.8" : "0.95"}.`, {
        [name]: String(v),
      });
  }
  const design = (which: "a" | "b") => {
    const given = options[which];
    if (given === undefined || given === null || typeof given !== "object" || Object.keys(given).length === 0)
      throw new TokenspiceError("OPTION_INVALID", `compare: design ${which.toUpperCase()} is empty: give its param values, e.g. ${which}: { fee: 0.003 } (--${which} fee=0.003).`, { design: which });
    const resolved = resolveParams(netlist, specs, given, options.paramsFromText);
    return Object.fromEntries(Object.keys(given).map((k) => [k, resolved[k] as ParamValue]));
  };
  const a = design("a");
  const b = design("b");
  const aFull = evaluator.pointParams(a);
  const bFull = evaluator.pointParams(b);
  if (Object.keys(aFull).every((k) => Object.is(aFull[k], bFull[k])))
    throw new TokenspiceError("OPTION_INVALID", `compare: designs A and B are the same (${JSON.stringify(a)} and ${JSON.stringify(b)}): give B at least one param value that differs from A's.`);
  const over = options.over === undefined ? [] : paramsOver(specs, options.over, "uncontrollable", "compare", true);
  const both = over.find((n) => Object.hasOwn(a, n) || Object.hasOwn(b, n));
  if (both !== undefined) throw new TokenspiceError("OPTION_INVALID", `compare: param "${both}" is both drawn (over) and set by a design: drop it from one of them.`, { param: both });
  const texts = options.kpis?.length ? options.kpis : undefined;
  const given = Object.keys(options.effects ?? {});
  for (const k of given) {
    const v = options.effects![k];
    if (texts === undefined || !texts.includes(k))
      throw new TokenspiceError(
        "OPTION_INVALID",
        `compare: an effect is given for ${JSON.stringify(k)}, which is not among the KPIs compared (${texts ? texts.join("; ") : "none named: name them with kpis"}).`,
        { kpi: k },
      );
    if (!(typeof v === "number" && Number.isFinite(v) && v !== 0))
      throw new TokenspiceError("OPTION_INVALID", `compare: the effect for ${JSON.stringify(k)} is ${v}: use a non-zero number in the KPI's units.`, { kpi: k });
  }
  const metrics0 = texts?.map((t) => parseMetric(t)); // refuses a bad text before any run

  const draws = unitSamples("random", replicates, over.length, options.seed).map((u) => Object.fromEntries(over.map((n, i) => [n, fromUnit(specs[n], u[i])])));
  // Common random numbers: both runs of pair r take their seed from (search seed, the pair's draw, r),
  // never from the design.
  const groups = await evaluator.evaluateRuns(
    draws.map((draw, r) => [
      { point: { ...draw, ...a }, replicate: r, seedFrom: draw },
      { point: { ...draw, ...b }, replicate: r, seedFrom: draw },
    ]),
  );
  const kpiTexts = texts ?? defaultKpis(groups.flat());
  const metrics = metrics0 ?? kpiTexts.map((t) => parseMetric(t));
  const nonFinite = new Set<string>();
  const failedPairs = groups.filter(([x, y]) => x.status === "failed" || y.status === "failed").length;
  const values = (run: CampaignRunView, k: number) => {
    if (run.status === "failed") return NaN;
    const v = valueOf(metrics[k], run);
    if (!Number.isFinite(v)) nonFinite.add(run.key);
    return v;
  };
  const av = kpiTexts.map((_, k) => groups.map(([x]) => values(x, k)));
  const bv = kpiTexts.map((_, k) => groups.map(([, y]) => values(y, k)));
  const rows = comparePaired(av, bv, { confidence, power, effects: kpiTexts.map((t) => options.effects?.[t]) });
  return {
    a,
    b,
    replicates,
    confidence,
    power,
    correction: "holm",
    over,
    pairs: groups.map(([x, y], r) => ({ replicate: r, seed: x.seed, draw: draws[r], a: x.key, b: y.key })),
    kpis: rows.map((row, k) => ({ kpi: kpiTexts[k], ...row, differences: av[k].map((x, r) => (Number.isFinite(x) && Number.isFinite(bv[k][r]) ? bv[k][r] - x : NaN)) })),
    failed: failedPairs,
    nonFinite: nonFinite.size,
  };
}

/** Every KPI's final value, as `"<kpi> final"`, from the first complete run (quoted when the name has spaces). */
function defaultKpis(runs: CampaignRunView[]): string[] {
  const run = runs.find((r) => r.status === "complete");
  if (!run) throw new TokenspiceError("OPTION_INVALID", "compare: no run completed, so there are no KPIs to compare (the runs' errors are in runs.csv).");
  return run.kpiNames().map((n) => `${/\s/.test(n) ? JSON.stringify(n) : n} final`);
}

/**
 * The distribution of one KPI's per-pair differences B − A: a histogram over [min(0, d), max(0, d)]
 * (about √n bins, at least 5, at most 30; differences all 0 in one bar on 0), with 0 and the paired t
 * interval's ends as vertical lines.
 */
export function differencesOption(differences: readonly number[], ci: { lo: number; hi: number }, kpi: string, options: { interactive?: boolean } = {}): Record<string, any> {
  const d = differences.filter(Number.isFinite);
  let lo = Math.min(0, ...d);
  let hi = Math.max(0, ...d);
  if (hi === lo) {
    // every difference 0: one bar, centred on 0
    lo = -0.5;
    hi = 0.5;
  }
  const bins = Math.min(30, Math.max(5, Math.round(Math.sqrt(d.length))));
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = Array.from({ length: bins }, () => 0);
  for (const v of d) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  const axis = { axisLine: { lineStyle: { color: "#9ca3af" } }, splitLine: { lineStyle: { color: "#e5e7eb" } }, nameTextStyle: { color: "#4b5563" } };
  const line = (x: number, name: string, color: string, type: string, position = "end") => ({ name, xAxis: x, lineStyle: { color, type }, label: { formatter: name, color, position } });
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY },
    grid: { left: 60, right: 30, top: 50, bottom: 50 },
    tooltip: options.interactive ? { trigger: "axis" } : undefined,
    xAxis: { type: "value", name: `${kpi}: B − A per seed`, nameLocation: "middle", nameGap: 28, scale: true, ...axis },
    yAxis: { type: "value", name: "pairs", minInterval: 1, ...axis },
    series: [
      {
        name: "pairs",
        type: "bar",
        color: PALETTE[0],
        barWidth: "90%",
        data: counts.map((c, i) => [lo + (i + 0.5) * width, c]),
        markLine: {
          symbol: "none",
          data: [
            line(0, "", "#4b5563", "solid", "start"), // the axis labels 0
            ...(Number.isFinite(ci.lo) && Number.isFinite(ci.hi) ? [line(ci.lo, "interval", PALETTE[1], "dashed"), line(ci.hi, "", PALETTE[1], "dashed")] : []),
          ],
        },
        clip: false,
      },
    ],
  };
}

/** compare as a search method (`SEARCH_METHODS.compare`): its loop, its run counts, its part of the report. */
export const compareMethod: SearchMethod<CompareOptions, CompareResult> = {
  run: (evaluator, specs, options, context) => compare(evaluator, specs, options, context.netlist),
  runCounts: (options) => ({ replicates: options.replicates }),
  report: {
    nonFiniteMeaning: "their pair left out of that KPI",
    nonFinite: (r) => r.nonFinite,
    render(r, page) {
      const conf = Math.round(searchNumber(r.confidence) * 100);
      const kpis = r.kpis as any[];
      const real = kpis.filter((k) => k.verdict !== "no detectable difference at this n");
      const headline = `A: ${paramsText(r.a)} against B: ${paramsText(r.b)} on ${plural(r.replicates, "pair")} of common seeds: ${
        real.length ? real.map((k) => `<b>${escapeHtml(k.kpi)}: ${escapeHtml(k.verdict)}</b>`).join(", ") : "<b>no detectable difference</b> in any KPI at this n"
      }`;
      for (const [i, k] of kpis.entries()) {
        page.chart(`difference-${i + 1}`, `${k.kpi}: each pair's difference B − A (dashed: the ${conf}% interval of the mean difference)`, (interactive) =>
          differencesOption(k.differences.map(searchNumber), { lo: searchNumber(k.t.lo), hi: searchNumber(k.t.hi) }, k.kpi, { interactive }),
        );
      }
      const p = (v: unknown) => {
        const x = searchNumber(v);
        return x < 1e-4 ? "&lt; 0.0001" : x.toFixed(4);
      };
      const interval = (lo: unknown, hi: unknown) => `[${show(lo)}, ${show(hi)}]`;
      const rows = kpis.map(
        (k) =>
          `<tr><td>${escapeHtml(k.kpi)}</td><td class="num">${k.n}</td><td class="num">${show(k.meanA)}</td><td class="num">${show(k.meanB)}</td><td class="num"><b>${show(k.t.mean)}</b></td><td class="num">${interval(k.t.lo, k.t.hi)}</td><td class="num">${p(k.t.p)} / ${p(k.t.pHolm)}</td><td class="num">${show(k.wilcoxon.estimate)} ${interval(k.wilcoxon.lo, k.wilcoxon.hi)}</td><td class="num">${p(k.wilcoxon.p)} / ${p(k.wilcoxon.pHolm)}</td><td class="num">${show(k.spread.min)} · ${show(k.spread.median)} · ${show(k.spread.max)}</td><td${k.verdict === "no detectable difference at this n" ? ' class="muted"' : ""}><b>${escapeHtml(k.verdict)}</b></td><td class="num">${show(k.pairsToDetect)} for ${show(k.effect)}${k.effectFrom === "observed" ? " (observed)" : ""}</td></tr>`,
      );
      page.section(`<h2>Which differences are real</h2>
<p>Each pair ran A and B with the same seed${(r.over as string[]).length ? ` and the same draw of ${(r.over as string[]).map((n) => `<code>${escapeHtml(n)}</code>`).join(", ")}` : ""} (common random numbers), so a pair's difference is the design's effect on that seed. A verdict names a difference only when the paired t test's p-value, <b>Holm-corrected over the ${plural(kpis.length, "KPI")}</b>, is below ${formatNumber(1 - searchNumber(r.confidence))}; the intervals are each at ${conf}%. "Pairs to detect" is how many pairs a paired t test at level ${formatNumber((1 - searchNumber(r.confidence)) / Math.max(1, kpis.length))} needs to find the effect shown with power ${formatNumber(searchNumber(r.power))}.</p>
<div class="scroll"><table><tr><th>KPI</th><th>pairs</th><th>mean A</th><th>mean B</th><th>mean B − A</th><th>${conf}% t interval</th><th>t test p / Holm</th><th>Hodges–Lehmann and its ${conf}% interval</th><th>signed-rank p / Holm</th><th>B − A: min · median · max</th><th>verdict</th><th>pairs to detect</th></tr>${rows.join("")}</table></div>
${r.failed ? `<p>${plural(r.failed, "pair")} had a failed run and ${r.failed === 1 ? "is" : "are"} left out of every KPI (runs.csv has their errors).</p>` : ""}`);
      return headline;
    },
  },
};
