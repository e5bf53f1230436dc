import { sampleStandardDeviation } from "simple-statistics";
import { TokenspiceError, messageOf } from "../errors";
import { renamedOption } from "../renamed";
import type { ParamSpecs } from "../model/params";
import { fromUnit } from "../campaign/axes";
import { unitSamples } from "../campaign/plan";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import type { Evaluator } from "./evaluator";
import { clopperPearson, lookConfidence, runsToHalve } from "./intervals";
import { importanceSampling, normalToUnit, type ImportanceResult } from "./importance";
import { margin, parseBound, toPredicate, type RunPredicate } from "./metrics";
import { checkCorners, checkCount, paramsOver, valueOf, type Corner, type FailingRun } from "./shared";
import { escapeHtml } from "../report/html";
import { failureProbabilityOption, paramsText, pct, searchNumber, show, yieldOption } from "../report/search";
import { SEARCH_FILE } from "../output/formats/search-file";
import type { SearchMethod } from "./shared";

// verify: 3-sigma yield by Monte Carlo, with sequential stopping on an exact interval

/**
 * What `verify` takes: the spec runs must meet, the yield to show and the interval's confidence, the run limits and batch size, and which uncontrollables (or corners) to draw.
 */
export interface VerifyOptions {
  /**
   * "mc" (default): plain Monte Carlo with an exact interval on the yield. "importance": importance
   * sampling of the failure probability for rare failures (4 sigma and beyond): a pilot finds the
   * failure region, then runs are drawn around it and weighted by their likelihood ratio
   * (./importance.ts). Not with corners or compareCorners.
   */
  method?: "mc" | "importance";
  /** What a run must meet: text ("treasury min >= 1000") or a predicate; several must all hold. */
  spec: string | RunPredicate | (string | RunPredicate)[];
  /** The yield to show (default 0.9973: "3 sigma"). */
  target?: number;
  /** Confidence of the Clopper–Pearson interval (default 0.95). */
  confidence?: number;
  /** At most this many runs (default 2000). */
  maxRuns?: number;
  /** Runs per batch: the interval is checked after each (default 100). */
  batch?: number;
  /** Uncontrollables drawn (default every uncontrollable param), each from its dist. */
  over?: string[];
  /** Verify at these corners (each with `batch` seeds per round) instead of drawing the uncontrollables. */
  corners?: Corner[];
  /**
   * After the Monte Carlo, run these corners too (`replicates` seeds each) and say how well they
   * predicted it: whether every corner met the spec, and how many Monte Carlo runs were worse than
   * the worst corner (`cornerCheck`). Not with `corners`.
   */
  compareCorners?: Corner[];
  /** Replicates (runs, each with its own seed) at each corner of `compareCorners` (default 10). */
  replicates?: number;
  /** @deprecated the old name of `replicates` (still accepted; giving both is refused). */
  seedsPerCorner?: number;
}

/** How well a set of corners predicted a Monte Carlo verification (`verify`'s `compareCorners`). */
export interface CornerCheck {
  /** Replicates at each corner (the search file's name for it, kept as stored). */
  seedsPerCorner: number;
  corners: {
    name: string;
    from?: string;
    params: Record<string, ParamValue>;
    /** k of n seeds at the corner met the spec. */
    k: number;
    n: number;
    /** Per text spec: the smallest margin over the corner's seeds (≥ 0 met; −Infinity for a failed run). */
    margins: { spec: string; worst: number }[];
  }[];
  /** "pass" when every corner met the spec in every seed: what the corners alone would have said. */
  predicted: "pass" | "fail";
  /**
   * Per text spec: the Monte Carlo runs whose margin is below the worst corner's, of all Monte Carlo
   * runs. Corners that bound the worst case miss none.
   */
  missed: { spec: string; worstCorner: number; runs: number; of: number }[];
}

/**
 * What `verify` concluded: "pass" once the yield's Clopper–Pearson interval has its lower bound at
 * or above the target, "fail" once its upper bound is below it, "inconclusive" when `maxRuns` ran out first; the yield (k of n, its interval),
 * the failing runs, the interval after each batch, and the corner check when asked for.
 */
export interface VerifyResult {
  /** The method that drew the runs ("mc" in a search file older than the option). */
  method?: "mc" | "importance";
  verdict: "pass" | "fail" | "inconclusive";
  /** The confidence of the interval the verdict was read from: 1 − confidence is shared over the planned looks (`lookConfidence`). */
  level?: number;
  /** Looks planned at the interval (one per batch): the overall chance a look's interval misses the truth is at most 1 − confidence. */
  looks?: number;
  /** Runs in all it would take to halve the interval (src/search/intervals.ts `runsToHalve`; importance: the pilot plus 4× its runs). */
  runsToHalve?: number;
  /** With method "importance": the failure probability's estimate, interval, checks and every run's likelihood-ratio weight. */
  importance?: ImportanceSummary;
  /** k of n runs met the spec; [lo, hi] the Clopper–Pearson interval of the yield. */
  yield: { k: number; n: number; p: number; lo: number; hi: number };
  target: number;
  confidence: number;
  spec: string;
  failures: FailingRun[];
  /** The interval after each batch (the look's level: its share of 1 − confidence). */
  batches: { n: number; k: number; lo: number; hi: number; level?: number }[];
  /** With `compareCorners`: how well the corners predicted the Monte Carlo. */
  cornerCheck?: CornerCheck;
  /** Runs (of the Monte Carlo and the corners) where a text spec's value was NaN or ±Infinity: none of them met the spec. */
  nonFinite: number;
}

/** What verify records of an importance sampling: the estimate (./importance.ts) with each run's key in place of its standard normal point's order. */
export type ImportanceSummary = Omit<ImportanceResult, "samples"> & {
  /** The uncontrollables, in the order of each run's `z`. */
  over: string[];
  samples: { key: string; stage: "pilot" | "importance"; z: number[]; weight: number; fail: boolean }[];
};

/**
 * "3-sigma verification": Monte Carlo over the uncontrollables (each drawn from its dist) and
 * seeds, in batches; after each batch the yield's exact Clopper–Pearson interval decides: its
 * lower end at or above the target passes, its upper end below fails; otherwise another batch,
 * up to maxRuns (inconclusive). A run that fails (throws, times out) does not meet the spec.
 * The looks are planned (one per batch, ⌈maxRuns / batch⌉ of them) and share 1 − confidence
 * (`lookConfidence`: half for the last look, half split over the others; Bonferroni), so the chance
 * that any look's interval misses the true yield, and with it a wrong pass or fail, is at most
 * 1 − confidence. A run whose text spec's value is NaN or ±Infinity does not meet it (counted in
 * `nonFinite`). With `method: "importance"` the runs are drawn by importance sampling instead
 * (`verifyImportance`).
 * @throws TokenspiceError OPTION_INVALID for a target or confidence outside (0, 1), a maxRuns, batch
 *   or replicates (or its old name seedsPerCorner) that is not a whole number ≥ 1, an empty corners list, both corners lists,
 *   an unknown method, or corners with method importance
 */
export async function verify(evaluator: Evaluator, specs: ParamSpecs, options: VerifyOptions & { seed: number }): Promise<VerifyResult> {
  const target = options.target ?? 0.9973;
  const confidence = options.confidence ?? 0.95;
  for (const [name, v] of [
    ["target", target],
    ["confidence", confidence],
  ] as const) {
    if (!(typeof v === "number" && v > 0 && v < 1))
      throw new TokenspiceError("OPTION_INVALID", `verify: ${name} ${v} is not valid: use a number between 0 and 1 (both excluded), e.g. 0.95.`, { [name]: String(v) });
  }
  const maxRuns = checkCount("verify", "maxRuns", options.maxRuns ?? 2000);
  const batch = checkCount("verify", "batch", options.batch ?? 100);
  const replicates = renamedOption<number>("verify", options, "replicates", "seedsPerCorner");
  const seedsPerCorner = checkCount("verify", replicates.name, replicates.value ?? 10);
  const spec = toPredicate(options.spec);
  if (options.corners && options.compareCorners) {
    throw new TokenspiceError("OPTION_INVALID", "verify: give corners (verify at them instead of drawing) or compareCorners (Monte Carlo, then the corners beside it), not both");
  }
  checkCorners("verify", "corners", options.corners);
  checkCorners("verify", "compareCorners", options.compareCorners);
  const method = options.method ?? "mc";
  if (method !== "mc" && method !== "importance")
    throw new TokenspiceError("OPTION_INVALID", `verify: method ${JSON.stringify(method)} is not valid: use "mc" (plain Monte Carlo) or "importance" (importance sampling, for rare failures).`, {
      method: String(method),
    });
  if (method === "importance" && (options.corners || options.compareCorners))
    throw new TokenspiceError("OPTION_INVALID", "verify: method importance draws the uncontrollables from their dists: it takes no corners or compareCorners (use method mc for those).", { method });
  // The text specs' bounds, to measure by how much each run met or missed them.
  const bounds = (Array.isArray(options.spec) ? options.spec : [options.spec]).filter((s): s is string => typeof s === "string").map((text) => ({ text, bound: parseBound(text) }));
  // A run where a text spec's value is not finite: it does not meet the spec, and is counted.
  const nonFinite = new Set<string>();
  const notFinite = (run: CampaignRunView): string | undefined => {
    if (run.status === "failed") return undefined;
    for (const { text, bound } of bounds) {
      let v: number;
      try {
        v = bound.metric(run);
      } catch {
        continue; // "the spec threw" says it
      }
      if (!Number.isFinite(v)) {
        nonFinite.add(run.key);
        return `${text}: the value is ${v}, not a finite number`;
      }
    }
    return undefined;
  };
  const marginsOf = (run: CampaignRunView): number[] =>
    bounds.map(({ bound }) => {
      if (run.status === "failed") return -Infinity;
      const m = margin(bound, valueOf(bound.metric, run));
      return Number.isFinite(m) ? m : -Infinity;
    });
  // Whether a run met the spec, and why not.
  const judge = (run: CampaignRunView): { ok: boolean; reason: string } => {
    if (run.status === "failed") return { ok: false, reason: `the run failed: ${run.outcome.error?.message ?? "no result"}` };
    let ok = false;
    let reason = "";
    try {
      ok = spec.test(run);
      if (!ok) reason = `does not meet ${spec.describe}`;
    } catch (error) {
      reason = `the spec threw: ${messageOf(error)}`;
    }
    const why = notFinite(run);
    if (why !== undefined) return { ok: false, reason: `does not meet ${spec.describe} (${why})` };
    return { ok, reason };
  };
  if (method === "importance") {
    const r = await verifyImportance(evaluator, specs, { ...options, target, confidence, maxRuns, batch }, spec.describe, judge, marginsOf);
    r.nonFinite = nonFinite.size;
    return r;
  }
  const mcMargins: number[][] = [];
  // No uncontrollables (or over: []) is Monte Carlo over seeds alone.
  const over = options.corners ? [] : paramsOver(specs, options.over, "uncontrollable", "verify", true);
  const draws = options.corners ? [] : unitSamples("random", maxRuns, over.length, options.seed).map((u) => Object.fromEntries(over.map((n, i) => [n, fromUnit(specs[n], u[i])])));
  let k = 0;
  let n = 0;
  const failures: FailingRun[] = [];
  const batches: VerifyResult["batches"] = [];
  let interval = clopperPearson(0, 0, confidence);
  let verdict: VerifyResult["verdict"] = "inconclusive";
  // planned looks: one per batch; with corners, one per round (`per` replicates at each corner)
  let looks = Math.ceil(maxRuns / batch);
  if (options.corners) {
    looks = 0;
    for (let m = 0; m < maxRuns; looks++) m += Math.max(1, Math.floor(Math.min(batch, maxRuns - m) / options.corners.length)) * options.corners.length;
  }
  let level = confidence;
  for (let round = 0; n < maxRuns; round++) {
    let views: CampaignRunView[];
    if (options.corners) {
      const seeds = Math.min(batch, maxRuns - n);
      const per = Math.max(1, Math.floor(seeds / options.corners.length));
      // each round, `per` new replicates at every corner
      const groups = await evaluator.evaluate(
        options.corners.map((c) => c.params),
        (round + 1) * per,
      );
      views = groups.flatMap((g) => g.slice(round * per));
    } else {
      // Run i is replicate i of its draw: distinct seeds even where draws coincide (ints, choices, no uncontrollables).
      const pairs = draws.slice(n, Math.min(maxRuns, n + batch)).map((point, j) => [{ point, replicate: n + j }]);
      views = (await evaluator.evaluateRuns(pairs)).map((g) => g[0]);
    }
    for (const run of views) {
      n++;
      if (options.compareCorners) mcMargins.push(marginsOf(run));
      const { ok, reason } = judge(run);
      if (ok) k++;
      else failures.push({ key: run.key, params: run.params, seed: run.seed, command: run.command, reason });
    }
    level = lookConfidence(round + 1, looks, confidence);
    interval = clopperPearson(k, n, level);
    batches.push({ n, k, lo: interval.lo, hi: interval.hi, level });
    if (interval.lo >= target) {
      verdict = "pass";
      break;
    }
    if (interval.hi < target) {
      verdict = "fail";
      break;
    }
  }
  const result: VerifyResult = {
    method: "mc",
    verdict,
    level,
    looks,
    runsToHalve: runsToHalve(k, n, level),
    yield: { k, n, ...interval },
    target,
    confidence,
    spec: spec.describe,
    failures,
    batches,
    nonFinite: 0,
  };
  if (options.compareCorners)
    result.cornerCheck = await runCorners(
      evaluator,
      options.compareCorners,
      seedsPerCorner,
      (run) => notFinite(run) === undefined && spec.test(run),
      bounds.map((b) => b.text),
      marginsOf,
      mcMargins,
    );
  result.nonFinite = nonFinite.size;
  return result;
}

/**
 * verify by importance sampling (./importance.ts): each run's uncontrollables are their dists'
 * inverse CDFs at Φ(z), z the sampler's standard normal point; a run fails the limit state when it
 * does not meet the spec, and its margin is the smallest of the text specs' margins, each divided by
 * its spread over the first batch (so specs in different units are comparable; a failed run's is
 * −Infinity). Yield = 1 − p̂, its interval 1 − the failure probability's.
 */
async function verifyImportance(
  evaluator: Evaluator,
  specs: ParamSpecs,
  options: VerifyOptions & { seed: number; target: number; confidence: number; maxRuns: number; batch: number },
  describe: string,
  judge: (run: CampaignRunView) => { ok: boolean; reason: string },
  marginsOf: (run: CampaignRunView) => number[],
): Promise<VerifyResult> {
  const over = paramsOver(specs, options.over, "uncontrollable", "verify");
  if (options.maxRuns < 2 * options.batch) {
    throw new TokenspiceError(
      "OPTION_INVALID",
      `verify: method importance needs maxRuns of at least two batches (a pilot and the estimate): maxRuns ${options.maxRuns} with batch ${options.batch}; give maxRuns ≥ ${2 * options.batch} or a smaller batch.`,
      { maxRuns: options.maxRuns, batch: options.batch },
    );
  }
  const failures: FailingRun[] = [];
  const keys: string[] = [];
  let scales: number[] | undefined;
  const evaluate = async (zs: number[][]) => {
    const start = keys.length;
    const pairs = zs.map((z, j) => [{ point: Object.fromEntries(over.map((name, i) => [name, fromUnit(specs[name], normalToUnit(z[i]))])), replicate: start + j }]);
    const views = (await evaluator.evaluateRuns(pairs)).map((g) => g[0]);
    const margins = views.map(marginsOf);
    // each text spec's spread over the first batch: its margins' unit
    scales ??= margins[0].map((_, j) => {
      const values = margins.map((m) => m[j]).filter(Number.isFinite);
      const sd = values.length > 1 ? sampleStandardDeviation(values) : 0;
      return sd > 0 ? sd : 1;
    });
    return views.map((run, i) => {
      keys.push(run.key);
      const { ok, reason } = judge(run);
      if (!ok) failures.push({ key: run.key, params: run.params, seed: run.seed, command: run.command, reason });
      const m = margins[i].length ? Math.min(...margins[i].map((v, j) => v / scales![j])) : undefined;
      return { fail: !ok, margin: m === undefined || Number.isNaN(m) ? undefined : m };
    });
  };
  const r = await importanceSampling(evaluate, {
    dims: over.length,
    maxRuns: options.maxRuns,
    batch: options.batch,
    confidence: options.confidence,
    limit: 1 - options.target,
    seed: options.seed,
  });
  const { samples, ...rest } = r;
  const isRuns = samples.filter((x) => x.stage === "importance");
  const failed = isRuns.filter((x) => x.fail).length;
  return {
    method: "importance",
    verdict: r.verdict,
    level: r.level,
    looks: r.looks.length,
    runsToHalve: r.runsToHalve,
    importance: { ...rest, over, samples: samples.map((x, i) => ({ key: keys[i], stage: x.stage, z: x.z, weight: x.weight, fail: x.fail })) },
    yield: { k: isRuns.length - failed, n: isRuns.length, p: 1 - r.p, lo: 1 - r.hi, hi: 1 - r.lo },
    target: options.target,
    confidence: options.confidence,
    spec: describe,
    failures,
    batches: r.looks.map((l) => ({ n: l.n, k: l.n - isRuns.slice(0, l.n).filter((x) => x.fail).length, lo: 1 - l.hi, hi: 1 - l.lo, level: l.level })),
    nonFinite: 0,
  };
}

/** Runs each corner with `seeds` seeds and compares it with the Monte Carlo's margins. */
async function runCorners(
  evaluator: Evaluator,
  corners: Corner[],
  seeds: number,
  test: RunPredicate,
  specTexts: string[],
  marginsOf: (run: CampaignRunView) => number[],
  mcMargins: number[][],
): Promise<CornerCheck> {
  const groups = await evaluator.evaluate(
    corners.map((c) => c.params),
    seeds,
  );
  const rows = corners.map((corner, i) => {
    const runs = groups[i];
    const met = runs.filter((run) => {
      if (run.status === "failed") return false;
      try {
        return test(run);
      } catch {
        return false;
      }
    }).length;
    const margins = runs.map(marginsOf);
    return {
      name: corner.name,
      ...(corner.from === undefined ? {} : { from: corner.from }),
      params: corner.params,
      k: met,
      n: runs.length,
      margins: specTexts.map((text, j) => ({ spec: text, worst: Math.min(...margins.map((m) => m[j])) })),
    };
  });
  const missed = specTexts.map((text, j) => {
    const worstCorner = Math.min(...rows.map((r) => r.margins[j].worst));
    return { spec: text, worstCorner, runs: mcMargins.filter((m) => m[j] < worstCorner).length, of: mcMargins.length };
  });
  return { seedsPerCorner: seeds, corners: rows, predicted: rows.every((r) => r.k === r.n) ? "pass" : "fail", missed };
}

/** verify as a search method (`SEARCH_METHODS.verify`): its loop, its run counts, its part of the report. */
export const verifyMethod: SearchMethod<VerifyOptions, VerifyResult> = {
  run: (evaluator, specs, options) => verify(evaluator, specs, options),
  runCounts: (options) => ({ maxRuns: options.maxRuns, replicates: options.replicates, seedsPerCorner: options.seedsPerCorner }),
  report: {
    nonFiniteMeaning: "none met the spec",
    nonFinite: (r) => r.nonFinite,
    render(r, page) {
      const y = r.yield;
      const level = typeof r.level === "number" ? r.level : r.confidence;
      const looks = typeof r.looks === "number" && r.looks > 1 ? ` (look ${r.batches.length} of ${r.looks}: ${Math.round(r.confidence * 100)}% over all looks)` : "";
      const interval = `${searchNumber(Number((100 * level).toPrecision(4)))}% interval${escapeHtml(looks)}`;
      let headline = `${escapeHtml(r.spec)}: ${y.k} of ${y.n} runs met it; yield ${pct(searchNumber(y.p))}, ${interval} [${pct(searchNumber(y.lo))}, ${pct(searchNumber(y.hi))}] against ${pct(r.target)}: <b>${escapeHtml(String(r.verdict).toUpperCase())}</b>`;
      if (r.importance) {
        const i = r.importance;
        const sci = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x.toExponential(2) : escapeHtml(String(x)));
        headline = `${escapeHtml(r.spec)}: failure probability <b>${sci(i.p)}</b>, ${interval} [${sci(i.lo)}, ${sci(i.hi)}] against ${sci(1 - r.target)}: <b>${escapeHtml(String(r.verdict).toUpperCase())}</b>`;
        const blocking = (i.problems as any[]).filter((p) => p.blocking !== false);
        const notes = (i.problems as any[]).filter((p) => p.blocking === false);
        const list = (ps: any[]) => ps.map((p) => `<li><b>${escapeHtml(p.code)}</b>: ${escapeHtml(p.message)}</li>`).join("");
        page.section(`<h2>Importance sampling</h2>
<table class="facts"><tr><th>runs</th><td>${show(i.runs)} (pilot ${show(i.pilotRuns)}, importance ${show(i.importanceRuns)})</td></tr>
<tr><th>shift (standard normal space)</th><td>${(i.over as string[]).map((n, j) => `${escapeHtml(n)} ${show(i.shift[j])}`).join(", ")}; length β ${show(i.beta)}</td></tr>
<tr><th>failing runs under the proposal</th><td>${show(i.failures)}</td></tr>
<tr><th>effective sample size (Kish, failing runs' weights)</th><td>${show(i.ess)}</td></tr>
<tr><th>largest share of the estimate in one run</th><td>${pct(searchNumber(i.maxWeightShare))}</td></tr>
<tr><th>relative error</th><td>${pct(searchNumber(i.relativeError))}</td></tr>
<tr><th>sigma level, Φ⁻¹(1 − p̂)</th><td>${show(i.sigma)}</td></tr>
<tr><th>plain Monte Carlo runs for the same relative error</th><td>${show(i.plainMcRuns)}</td></tr>
<tr><th>runs to halve the interval</th><td>${show(i.runsToHalve)}</td></tr></table>
${blocking.length ? `<p><b>Assumptions that did not hold: not to be trusted</b> (no verdict is read from the interval while one holds):</p><ul>${list(blocking)}</ul>` : "<p>Its checks held: enough failing runs, an effective sample size of at least 30, no run carrying more than 30% of the estimate, one failure region.</p>"}${notes.length ? `<p>Notes on the pilot (the estimate is unbiased whatever the shift; the checks above say whether it served):</p><ul>${list(notes)}</ul>` : ""}
<p class="muted">Each run's likelihood-ratio weight is in ${SEARCH_FILE} (<code>result.importance.samples</code>); docs/explanation/statistics.md has the method and its checks.</p>`);
      } else if (typeof r.runsToHalve === "number") {
        page.section(`<p class="muted">Halving this interval would take about ${show(r.runsToHalve)} runs in all (the Clopper–Pearson width at the same yield).</p>`);
      }
      if (r.importance)
        page.chart("failure-probability", "The failure probability and its interval after each look", (interactive) => failureProbabilityOption(r.importance.looks, 1 - r.target, { interactive }));
      else page.chart("yield", "The yield and its interval after each batch", (interactive) => yieldOption(r.batches, r.target, { interactive }));
      if (r.cornerCheck) {
        const c = r.cornerCheck;
        const rows = c.corners.map(
          (x: any) =>
            `<tr><td>${escapeHtml(x.name)}</td><td>${escapeHtml(x.from ?? "")}</td><td>${paramsText(x.params)}</td><td class="num">${x.k}/${x.n}</td>${x.margins.map((m: any) => `<td class="num">${show(m.worst)}</td>`).join("")}</tr>`,
        );
        const missed = c.missed
          .map(
            (m: any) =>
              `<li>${escapeHtml(m.spec)}: <b>${m.runs}</b> of ${m.of} Monte Carlo runs (${pct(m.of ? m.runs / m.of : 0)}) had a smaller margin than the worst corner (${show(m.worstCorner)})</li>`,
          )
          .join("");
        page.section(`<h2>Corners against the Monte Carlo</h2>
<p>The corners alone (${c.seedsPerCorner} seeds each) predicted <b>${escapeHtml(String(c.predicted).toUpperCase())}</b>; the Monte Carlo says <b>${escapeHtml(String(r.verdict).toUpperCase())}</b> (yield ${pct(searchNumber(y.p))}).</p>
<div class="scroll"><table><tr><th>corner</th><th>worst case of</th><th>params</th><th>met</th>${c.missed.map((m: any) => `<th>worst margin: ${escapeHtml(m.spec)}</th>`).join("")}</tr>${rows.join("")}</table></div>
<ul>${missed}</ul><p class="muted">Corners that bound the worst case miss no Monte Carlo run; a missed run is a worse world than any corner.</p>`);
      }
      const failures = r.failures as any[];
      if (failures.length) {
        page.section(`<h2>Runs that did not meet the spec (${failures.length})</h2>
<div class="scroll"><table><tr><th>run</th><th>seed</th><th>params</th><th>why</th><th>reproduce</th></tr>${failures
          .slice(0, 100)
          .map(
            (f) => `<tr><td>${escapeHtml(f.key)}</td><td class="num">${f.seed}</td><td>${paramsText(f.params)}</td><td>${escapeHtml(f.reason)}</td><td><code>${escapeHtml(f.command)}</code></td></tr>`,
          )
          .join("")}</table></div>${failures.length > 100 ? `<p class="muted">… and ${failures.length - 100} more in ${SEARCH_FILE}.</p>` : ""}`);
      }
      return headline;
    },
  },
};
