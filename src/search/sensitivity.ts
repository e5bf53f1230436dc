import { TokenspiceError } from "../errors";
import type { ParamSpecs } from "../model/params";
import { fromUnit } from "../campaign/axes";
import { MAX_CAMPAIGN_RUNS } from "../campaign/limits";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import type { Evaluator } from "./evaluator";
import { toMetric, type RunMetric } from "./metrics";
import { checkCount, paramsOver, valueOf } from "./shared";
import type { SearchMethod } from "./shared";
import { BOOTSTRAP_DEFAULTS, morrisDesign, morrisIndices, saltelliDesign, sobolIndices, type Interval, type MorrisIndex, type SobolIndex } from "./sensitivity-indices";
import { escapeHtml } from "../report/html";
import { searchNumber, show } from "../report/search";
import { sensitivityOption } from "../report/sensitivity-chart";
import { plural } from "../report/format";

// global sensitivity analysis: Sobol' indices (Saltelli's design) or Morris screening

/** What `sensitivity` takes: the outputs, the method and its sizes, the params varied, the bootstrap. */
export interface SensitivityOptions {
  /** The outputs whose variance is apportioned: "<kpi> <stat>" or a function of a run; several share the runs. */
  objective: string | RunMetric | (string | RunMetric)[];
  /** "sobol" (default): S1 and ST with intervals; "morris": elementary-effects screening (μ*, σ), cheaper for many params. */
  method?: "sobol" | "morris";
  /** Params varied (default every uncontrollable), each over its dist (inverse CDF) or, without one, uniformly over [min, max]. */
  over?: string[];
  /** Sobol: base samples N (default 256; a power of two keeps the Sobol sequence balanced). Runs: N·(d + 2)·replicates. */
  samples?: number;
  /** Morris: trajectories r (default 20). Runs: r·(d + 1)·replicates. */
  trajectories?: number;
  /** Morris: grid levels p (default 4; even is usual), Δ = p / (2(p − 1)). */
  levels?: number;
  /** Replicates at each point (default 1): replicate k has the same seed at every point (common random numbers); the output is their mean. */
  replicates?: number;
  /** Bootstrap resamples for the intervals (default 1000). */
  resamples?: number;
  /** Two-sided confidence of the intervals (default 0.95). */
  confidence?: number;
  /** Sobol: warn when ΣS1 passes 1 + tolerance (default 0.1): too few base samples. */
  tolerance?: number;
}

/** A param varied and how: its dist (as the netlist declares it; "uniform" when none) over [min, max]. */
export interface SensitivityParam {
  param: string;
  dist: unknown;
  min?: number;
  max?: number;
}

/** One output's analysis: its indices ranked (by ST for Sobol, μ* for Morris), and what to be wary of. */
export interface SensitivityOutput {
  objective: string;
  /** Sobol: rows ranked by ST (largest first). */
  sobol?: { indices: SobolIndex[]; sumS1: Interval; variance: number; mean: number; used: number; dropped: number };
  /** Morris: rows ranked by μ* (largest first). */
  morris?: MorrisIndex[];
  /** Too few base samples (ΣS1 above 1 + tolerance, wide intervals), no variance, values left out. */
  warnings: string[];
  /** Runs whose value was NaN or ±Infinity (or failed): their base sample or effect is left out. */
  nonFinite: number;
}

/** What `sensitivity` found, and everything needed to run it again (with the search file's seed and params). */
export interface SensitivityResult {
  method: "sobol" | "morris";
  over: SensitivityParam[];
  samples?: number;
  trajectories?: number;
  levels?: number;
  replicates: number;
  /** Runs used: N·(d + 2)·replicates (Sobol) or r·(d + 1)·replicates (Morris). */
  runs: number;
  bootstrap: { resamples: number; confidence: number; seed: number };
  tolerance?: number;
  outputs: SensitivityOutput[];
  /** Runs with a non-finite value for some output. */
  nonFinite: number;
}

/** An interval wider than this (in index units) is "wide": its index is not pinned down. */
export const WIDE_INTERVAL = 0.2;

/**
 * Global sensitivity analysis of a netlist's outputs to its params, through the evaluator.
 * Sobol (default): Saltelli's (2010) design over the params (each mapped from the unit cube by its
 * dist's inverse CDF, `fromUnit`), first-order S1 (Saltelli 2010) and total ST (Jansen 1999) indices
 * with percentile bootstrap intervals over the base samples (`sobolIndices`). Morris: r trajectories
 * on a p-level grid, μ* (Campolongo 2007), μ and σ (`morrisIndices`). Every point runs `replicates`
 * seeds, replicate k on the same seed everywhere (common random numbers: the indices are of the
 * params, not of seed noise); the output at a point is the mean over them. The bootstrap's stream
 * follows from the search seed, so the same search seed gives the same numbers.
 * @throws TokenspiceError OPTION_INVALID for a bad method, count, confidence or tolerance, an option of
 *   the other method (samples or tolerance with Morris, trajectories or levels with Sobol), no
 *   objective, no param to vary; CAMPAIGN_TOO_LARGE for a design of more runs than a search holds; PARAM_UNKNOWN for an `over` name the netlist lacks
 */
export async function sensitivity(evaluator: Evaluator, specs: ParamSpecs, options: SensitivityOptions & { seed: number }): Promise<SensitivityResult> {
  const method = options.method ?? "sobol";
  if (method !== "sobol" && method !== "morris") throw new TokenspiceError("OPTION_INVALID", `sensitivity: method ${JSON.stringify(method)} is not valid: use "sobol" or "morris".`);
  const list = Array.isArray(options.objective) ? options.objective : [options.objective];
  if (list.length === 0 || list.some((o) => o === undefined))
    throw new TokenspiceError("OPTION_INVALID", 'sensitivity: an objective is needed: "<kpi> <stat>", e.g. "treasury final", or a function of a run.');
  const metrics = list.map((o) => ({ text: typeof o === "string" ? o : "(a function)", metric: toMetric(o) }));
  const replicates = checkCount("sensitivity", "replicates", options.replicates ?? 1);
  const resamples = checkCount("sensitivity", "resamples", options.resamples ?? BOOTSTRAP_DEFAULTS.resamples, 10);
  const confidence = options.confidence ?? BOOTSTRAP_DEFAULTS.confidence;
  if (!(typeof confidence === "number" && confidence > 0 && confidence < 1))
    throw new TokenspiceError("OPTION_INVALID", `sensitivity: confidence ${confidence} is not valid: use a number between 0 and 1 (both excluded), e.g. 0.95.`);
  const tolerance = options.tolerance ?? 0.1;
  if (!(typeof tolerance === "number" && tolerance >= 0 && Number.isFinite(tolerance)))
    throw new TokenspiceError("OPTION_INVALID", `sensitivity: tolerance ${tolerance} is not valid: use a number 0 or more, e.g. 0.1.`);
  const misplaced = (method === "sobol" ? (["trajectories", "levels"] as const) : (["samples", "tolerance"] as const)).find((k) => options[k] !== undefined);
  if (misplaced !== undefined)
    throw new TokenspiceError(
      "OPTION_INVALID",
      `sensitivity: ${misplaced} goes with method ${method === "sobol" ? "morris" : "sobol"}, not ${method}: leave it out, or give method ${method === "sobol" ? "morris" : "sobol"}.`,
      {
        [misplaced]: String(options[misplaced]),
      },
    );
  const over = paramsOver(specs, options.over, "uncontrollable", "sensitivity");
  const bootstrap = { resamples, confidence, seed: options.seed };
  const design =
    method === "sobol"
      ? { kind: "sobol" as const, samples: checkCount("sensitivity", "samples", options.samples ?? 256, 2), ...saltelliDesign(over.length, options.samples ?? 256, options.seed) }
      : {
          kind: "morris" as const,
          trajectories: checkCount("sensitivity", "trajectories", options.trajectories ?? 20, 2),
          levels: checkCount("sensitivity", "levels", options.levels ?? 4, 2),
          ...morrisDesign(over.length, options.trajectories ?? 20, options.levels ?? 4, options.seed),
        };
  // each unit point onto the params: by each param's dist (inverse CDF), uniform over [min, max] without one
  const total = design.points.length * replicates;
  if (total > MAX_CAMPAIGN_RUNS) {
    const sizes = design.kind === "sobol" ? `N·(d + 2) = ${design.samples}·${over.length + 2}` : `r·(d + 1) = ${design.trajectories}·${over.length + 1}`;
    throw new TokenspiceError(
      "CAMPAIGN_TOO_LARGE",
      `sensitivity: ${sizes} points × ${replicates} replicates is ${total} runs, more than a search holds (at most ${MAX_CAMPAIGN_RUNS}). Nothing was run: give fewer samples, trajectories or params (--over).`,
      { runs: total, maxRuns: MAX_CAMPAIGN_RUNS },
    );
  }
  const points = design.points.map((u) => Object.fromEntries(over.map((n, i) => [n, fromUnit(specs[n], u[i])])) as Record<string, ParamValue>);
  const sameSeeds = points.map(() => ({}));
  const groups = await evaluator.evaluate(points, replicates, sameSeeds);
  const nonFiniteRuns = new Set<string>();
  const outputs: SensitivityOutput[] = metrics.map(({ text, metric }) => {
    let nonFinite = 0;
    const values = groups.map((runs: CampaignRunView[]) => {
      const vs = runs.map((run) => (run.status === "failed" ? NaN : valueOf(metric, run)));
      vs.forEach((v, k) => {
        if (!Number.isFinite(v)) {
          nonFinite++;
          nonFiniteRuns.add(runs[k].key);
        }
      });
      return vs.reduce((a, v) => a + v, 0) / vs.length;
    });
    const warnings: string[] = [];
    if (design.kind === "sobol") {
      const s = sobolIndices(values, over, bootstrap);
      const indices = [...s.indices].sort((a, b) => rank(b.ST.value) - rank(a.ST.value));
      if (!(s.variance > 0)) warnings.push(`${text} does not vary over these params (variance ${s.variance}): the indices mean nothing.`);
      if (s.sumS1.value > 1 + tolerance) warnings.push(`ΣS1 = ${round(s.sumS1.value)} is above 1 + ${tolerance}: too few base samples; give more (--samples).`);
      const wide = indices.filter((x) => x.S1.hi - x.S1.lo > WIDE_INTERVAL || x.ST.hi - x.ST.lo > WIDE_INTERVAL).map((x) => x.param);
      if (wide.length) warnings.push(`wide intervals (wider than ${WIDE_INTERVAL}) for ${wide.join(", ")}: the ranking is uncertain; give more base samples (--samples).`);
      if (s.dropped) warnings.push(`${plural(s.dropped, "base sample")} of ${design.samples} left out: a run there failed or its value was NaN or ±Infinity.`);
      return { objective: text, sobol: { ...s, indices }, warnings, nonFinite };
    }
    const m = morrisIndices(values, design, over, bootstrap);
    const ranked = [...m].sort((a, b) => rank(b.muStar.value) - rank(a.muStar.value));
    const short = ranked.filter((x) => x.effects < design.trajectories).map((x) => x.param);
    if (short.length) warnings.push(`effects left out for ${short.join(", ")}: a run failed or its value was NaN or ±Infinity.`);
    return { objective: text, morris: ranked, warnings, nonFinite };
  });
  return {
    method,
    over: over.map((n) => {
      const s = specs[n] as { dist?: unknown; min?: number; max?: number };
      return { param: n, dist: s.dist ?? "uniform", ...(s.min === undefined ? {} : { min: s.min }), ...(s.max === undefined ? {} : { max: s.max }) };
    }),
    ...(design.kind === "sobol" ? { samples: design.samples, tolerance } : { trajectories: design.trajectories, levels: design.levels }),
    replicates,
    runs: points.length * replicates,
    bootstrap,
    outputs,
    nonFinite: nonFiniteRuns.size,
  };
}

/** A value to sort by: NaN last. */
const rank = (v: number) => (Number.isFinite(v) ? v : -Infinity);
const round = (v: number) => Number(v.toPrecision(4));

/** An interval for a person: `0.314 [0.22, 0.40]`. */
function intervalText(i: { value: unknown; lo: unknown; hi: unknown }): string {
  return `${show(i.value)} <span class="muted">[${show(i.lo)}, ${show(i.hi)}]</span>`;
}

/** sensitivity as a search method (`SEARCH_METHODS.sensitivity`): its loop, its run counts, its part of the report. */
export const sensitivityMethod: SearchMethod<SensitivityOptions, SensitivityResult> = {
  run: (evaluator, specs, options) => sensitivity(evaluator, specs, options),
  runCounts: (options) => ({ samples: options.samples, trajectories: options.trajectories, replicates: options.replicates }),
  report: {
    nonFiniteMeaning: "their base sample (Sobol) or effect (Morris) left out",
    nonFinite: (r) => r.nonFinite,
    render(r, page) {
      const pct = Math.round(searchNumber(r.bootstrap.confidence) * 100);
      const sizes = r.method === "sobol" ? `N = ${r.samples} base samples` : `${r.trajectories} trajectories on ${r.levels} levels`;
      const outputs = r.outputs as any[];
      outputs.forEach((o, k) => {
        const id = `sensitivity-${k + 1}`;
        page.chart(id, `${o.objective}: ${r.method === "sobol" ? `S1 and ST with ${pct}% intervals` : `μ* with ${pct}% intervals, and σ`}`, (interactive) =>
          sensitivityOption(r.method, o, { interactive }),
        );
        const rows =
          r.method === "sobol"
            ? (o.sobol.indices as any[]).map((x) => `<tr><td>${escapeHtml(x.param)}</td><td class="num">${intervalText(x.S1)}</td><td class="num">${intervalText(x.ST)}</td></tr>`)
            : (o.morris as any[]).map(
                (x) => `<tr><td>${escapeHtml(x.param)}</td><td class="num">${intervalText(x.muStar)}</td><td class="num">${show(x.mu)}</td><td class="num">${show(x.sigma)}</td></tr>`,
              );
        const head = r.method === "sobol" ? "<th>param</th><th>S1</th><th>ST</th>" : "<th>param</th><th>μ*</th><th>μ</th><th>σ</th>";
        const sum = r.method === "sobol" ? `<p>ΣS1 = ${intervalText(o.sobol.sumS1)}; V(Y) = ${show(o.sobol.variance)}, mean ${show(o.sobol.mean)}.</p>` : "";
        const warn = (o.warnings as string[]).map((w) => `<li>${escapeHtml(w)}</li>`).join("");
        page.section(`<h2>${escapeHtml(o.objective)}: ranked by ${r.method === "sobol" ? "ST" : "μ*"}</h2>
<div class="scroll"><table><tr>${head}</tr>${rows.join("")}</table></div>${sum}${warn ? `<ul class="warnings">${warn}</ul>` : ""}`);
      });
      const params = (r.over as any[])
        .map((p) => `${escapeHtml(p.param)} (${escapeHtml(typeof p.dist === "string" ? p.dist : JSON.stringify(p.dist))}${p.min !== undefined ? ` on [${show(p.min)}, ${show(p.max)}]` : ""})`)
        .join(", ");
      page.section(
        `<h2>How</h2><p>${r.method === "sobol" ? "Sobol' indices: Saltelli et al. (2010) design and S1 estimator, Jansen (1999) ST estimator" : "Morris (1991) elementary effects, μ* of Campolongo et al. (2007)"}; ${sizes}; ${plural(r.replicates, "replicate")} a point (common seeds); ${plural(r.runs, "run")}. Params varied over their dists: ${params}. Intervals: percentile bootstrap, ${r.bootstrap.resamples} resamples, seeded by the search seed ${r.bootstrap.seed}.</p>`,
      );
      const top = outputs[0];
      const first = r.method === "sobol" ? top.sobol.indices[0] : top.morris[0];
      const headline =
        r.method === "sobol"
          ? `${escapeHtml(top.objective)}: most influential <b>${escapeHtml(first.param)}</b> (ST ${intervalText(first.ST)}), ΣS1 ${show(top.sobol.sumS1.value)}, after ${plural(r.runs, "run")}`
          : `${escapeHtml(top.objective)}: most influential <b>${escapeHtml(first.param)}</b> (μ* ${intervalText(first.muStar)}), after ${plural(r.runs, "run")}`;
      return headline + (outputs.some((o) => o.warnings.length) ? ' <span class="muted">(see the warnings)</span>' : "");
    },
  },
};
