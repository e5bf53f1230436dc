import { TokenspiceError } from "../errors";
import type { ParamSpecs } from "../model/params";
import type { CampaignRunView } from "../campaign/result";
import type { ParamValue } from "../campaign/types";
import {
  columnMeans,
  gaussNewtonStep,
  identification,
  momentWeights,
  momentsObjective,
  overidentification,
  parseMoment,
  seedBootstrap,
  WIDE_INTERVAL_SHARE,
  type FittedParam,
  type ObservedMoment,
  type Weighting,
} from "./moments";
import { moments as sampleMoments } from "../calibrate/interval";
import type { Evaluator } from "./evaluator";
import { parseMetric } from "./metrics";
import { minimize, minimumBudget, type TraceEntry } from "./optimizers";
import { checkCount, paramsOver, unitToParams, valueOf, type SearchMethod } from "./shared";
import { escapeHtml } from "../report/html";
import { convergenceOption, show } from "../report/search";
import { plural } from "../report/format";

/**
 * Calibrating agent behaviour by the method of simulated moments (./moments.ts holds
 * the numbers): the params named in `over` are searched (differential evolution, then Nelder–Mead:
 * src/search/optimizers.ts, as optimize) to bring the moments the runs measure, averaged over R
 * seeds, closest to the observed ones; then the Jacobian of the moments at the estimate (central
 * differences on the same seeds), the seed bootstrap's intervals and the identification check.
 */

/** What `calibrateMoments` takes. */
export interface CalibrateMomentsOptions {
  /** The observed moments: `"<kpi> <stat>=<observed>±<se>"` texts or objects (src/search/moments.ts). */
  moments: (string | ObservedMoment)[];
  /** The behaviour params to fit (int or float, with finite min and max: their range is the search's box). */
  over: string[];
  /** inverse-variance (default: 1/se², every moment needs an se) or relative (1/observed²). */
  weighting?: Weighting;
  /** Seeds per candidate, the same at every candidate (common random numbers; default 10). */
  replicates?: number;
  /** Runs in all, the Jacobian's included (default 400). */
  budget?: number;
  /** Bootstrap resamples (default 999). */
  resamples?: number;
  /** Confidence of the intervals (default 0.95). */
  confidence?: number;
  /** Where the moments came from (a moments file's name and SHA-256, the flags given): recorded as given. */
  source?: Record<string, unknown>;
}

/** One fitted param: its estimate, range, interval, identification strength and whether it is identified. */
export interface CalibratedParam {
  name: string;
  estimate: number;
  min: number;
  max: number;
  /** The seed bootstrap's percentile interval (or the whole range, not identified); `method` says which. */
  interval: { estimate: number; lower: number; upper: number; method: string };
  /** By how many standard errors the moments move when this param alone crosses its range (src/search/moments.ts, identification). */
  strength: number;
  identified: boolean;
}

/** One moment at the estimate: observed against simulated, with the standardised residual. */
export interface CalibratedMoment extends ObservedMoment {
  weight: number;
  /** Mean over the R seeds at the estimate, and its standard error (sd/√R). */
  simulated: number;
  simulatedSe: number;
  /** (observed − simulated) / √(se² + simulatedSe²); NaN without se. */
  z: number;
}

/** What `calibrateMoments` found (the search file's `result`; the CLI writes the calibration file from it). */
export interface CalibrateMomentsResult {
  params: CalibratedParam[];
  /** The fitted values, by name: what `--params` takes. */
  estimate: Record<string, ParamValue>;
  moments: CalibratedMoment[];
  weighting: Weighting;
  replicates: number;
  resamples: number;
  confidence: number;
  /** The objective Σ w (m − m̄)² at the estimate. */
  objective: number;
  /** With more moments than params: Hansen's J (src/search/moments.ts, overidentification). */
  overidentification?: { statistic: number; df: number; pValue: number };
  /** Params not identified, intervals spanning most of a range: each in words. */
  warnings: string[];
  /** The seeds every candidate ran (common random numbers). */
  seeds: number[];
  source?: Record<string, unknown>;
  trace: TraceEntry[];
  runs: number;
  /** Runs whose moment was NaN or ±Infinity (the candidate never the best). */
  nonFinite: number;
}

/** The finite-difference step of the Jacobian, as a share of each param's range (at least one unit of an int). */
export const JACOBIAN_STEP = 0.05;

/**
 * MSM over the params `over`: each candidate runs `replicates` seeds (the same seeds at every
 * candidate), its moments are the runs' means, and the objective Σ_j w_j (m_j − m̄_j(θ))² is minimised
 * over the params' ranges. Budget: the search gets ⌊budget/R⌋ − (2p + 1) candidates, the rest is the
 * Jacobian (θ̂ ± 5% of each range) and the estimate itself.
 * @throws TokenspiceError OPTION_INVALID (a moment, weighting, count or budget not valid; no `over`;
 *   a param that is not int or float), PARAM_UNKNOWN; CALIBRATION_FAILED when no candidate's runs
 *   measured every moment
 */
export async function calibrateMoments(evaluator: Evaluator, specs: ParamSpecs, options: CalibrateMomentsOptions & { seed: number }): Promise<CalibrateMomentsResult> {
  const bad = (why: string) => new TokenspiceError("OPTION_INVALID", `calibrate: ${why}`);
  if (!Array.isArray(options.moments) || options.moments.length === 0) throw bad('name at least one moment, e.g. "trades final=6.1±0.2".');
  const observed = options.moments.map((m) => (typeof m === "string" ? parseMoment(m) : m));
  for (const m of observed) {
    parseMetric(m.metric);
    if (!Number.isFinite(m.observed)) throw bad(`moment "${m.metric}": observed ${m.observed} is not a finite number.`);
    if (m.se !== undefined && !(m.se > 0 && Number.isFinite(m.se))) throw bad(`moment "${m.metric}": se ${m.se} is not a number > 0.`);
  }
  const weighting = options.weighting ?? "inverse-variance";
  const weights = momentWeights(observed, weighting);
  if (!Array.isArray(options.over) || options.over.length === 0) throw bad('name the behaviour params to fit (over), e.g. over: ["tradeProbability"]; each is searched over its range.');
  const over = paramsOver(specs, options.over, "controllable", "calibrate");
  for (const n of over) if (specs[n].type !== "int" && specs[n].type !== "float") throw bad(`param "${n}" is a ${specs[n].type}: moments fit numbers (int or float params).`);
  const R = checkCount("calibrate", "replicates", options.replicates ?? 10, 2);
  const budget = checkCount("calibrate", "budget", options.budget ?? 400);
  const resamples = checkCount("calibrate", "resamples", options.resamples ?? 999, 99);
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw bad(`confidence ${confidence} is not between 0 and 1.`);
  const p = over.length;
  // after the search: the Jacobian at its best (2p + 1 points), a Gauss–Newton step and its half (2), the Jacobian again where the step lands (2p + 1)
  const extra = 4 * p + 4;
  const points = Math.floor(budget / R) - extra;
  if (points < minimumBudget(p)) {
    throw bad(
      `a budget of ${budget} runs at ${R} replicates is ${Math.floor(budget / R)} candidates; fitting ${p} param${p === 1 ? "" : "s"} takes ${minimumBudget(p)} for the search and ${extra} for the Jacobian and a Gauss–Newton step: give a budget of at least ${(minimumBudget(p) + extra) * R} runs, or fewer replicates.`,
    );
  }
  const metrics = observed.map((m) => parseMetric(m.metric));
  const nonFinite = new Set<string>();
  const toDesign = (u: number[]) => unitToParams(specs, over, u);
  // Common random numbers: every candidate's replicate r has the same seed (derived from {} and r).
  const run = (designs: Record<string, ParamValue>[]) =>
    evaluator.evaluate(
      designs,
      R,
      designs.map(() => ({})),
    );
  const perSeed = (group: CampaignRunView[]): number[][] =>
    group.map((view) =>
      metrics.map((metric) => {
        const v = view.status === "failed" ? NaN : valueOf(metric, view);
        if (!Number.isFinite(v)) nonFinite.add(view.key);
        return v;
      }),
    );
  const objectiveOf = (group: CampaignRunView[]) =>
    momentsObjective(
      observed.map((m) => m.observed),
      columnMeans(perSeed(group)),
      weights,
    );
  const searched = await minimize(async (us) => (await run(us.map(toDesign))).map(objectiveOf), p, { budget: points, seed: options.seed });
  if (!Number.isFinite(searched.fx)) {
    throw new TokenspiceError(
      "CALIBRATION_FAILED",
      `calibrate: no candidate's runs measured every moment (${observed.map((m) => m.metric).join(", ")}) as a number: ${plural(nonFinite.size, "run")} failed or gave NaN or ±Infinity; look at runs.csv in the search's folder.`,
      {
        nonFinite: nonFinite.size,
      },
    );
  }
  const numeric = (d: Record<string, ParamValue>, n: string) => Number(d[n]);
  const ranges = over.map((n) => (specs[n] as { min: number; max: number }).max - (specs[n] as { min: number; max: number }).min);
  // The runs at a point and its Jacobian: each param moved up and down (one-sided at an end of its range), on the same seeds.
  const jacobianAt = async (x: number[]) => {
    const center = toDesign(x);
    const shifted = over.flatMap((n, i) => {
      const spec = specs[n] as { type: string; min: number; max: number };
      const h = spec.type === "int" ? Math.max(JACOBIAN_STEP, 1 / (spec.max - spec.min)) : JACOBIAN_STEP;
      const at = (u: number) => toDesign(x.map((v, l) => (l === i ? Math.min(1, Math.max(0, u)) : v)));
      return [at(x[i] + h), at(x[i] - h)];
    });
    const groups = await run([center, ...shifted]);
    const atEstimate = perSeed(groups[0]);
    if (atEstimate.some((row) => row.some((v) => !Number.isFinite(v)))) {
      throw new TokenspiceError(
        "CALIBRATION_FAILED",
        `calibrate: a run at the best params ${JSON.stringify(center)} failed or measured a moment as NaN or ±Infinity; look at runs.csv in the search's folder.`,
        { params: center },
      );
    }
    const up = over.map((_, i) => perSeed(groups[1 + 2 * i]));
    const down = over.map((_, i) => perSeed(groups[2 + 2 * i]));
    const jacobian = atEstimate.map((_, r) =>
      observed.map((_m, j) =>
        over.map((n, i) => {
          const dx = numeric(shifted[2 * i], n) - numeric(shifted[2 * i + 1], n);
          const d = (up[i][r][j] - down[i][r][j]) / dx;
          return dx === 0 || !Number.isFinite(d) ? 0 : d;
        }),
      ),
    );
    return { x, center, atEstimate, jacobian, seeds: groups[0].map((v) => v.seed) };
  };
  const observedValues = observed.map((m) => m.observed);
  let at = await jacobianAt(searched.x);
  // One Gauss–Newton step from the search's best (the one-step estimator: Newey & McFadden 1994,
  // §3.4), and its half, on the same seeds; kept only when it lowers the objective. The search's
  // budget runs out before its last digits, where the linearised model is accurate.
  let polished = false;
  {
    const meanJacobian = observed.map((_m, j) => over.map((_n, i) => (at.jacobian.reduce((s, g) => s + g[j][i], 0) / R) * ranges[i]));
    const step = gaussNewtonStep(
      meanJacobian,
      weights,
      observedValues.map((m, j) => m - columnMeans(at.atEstimate)[j]),
    );
    if (step.some((d) => Math.abs(d) > 1e-12)) {
      const tries = [1, 0.5].map((f) => at.x.map((v, i) => Math.min(1, Math.max(0, v + f * step[i]))));
      const values = (await run(tries.map(toDesign))).map(objectiveOf);
      const current = momentsObjective(observedValues, columnMeans(at.atEstimate), weights);
      const best = values.indexOf(Math.min(...values.map((v) => (Number.isNaN(v) ? Infinity : v))));
      if (best >= 0 && values[best] < current) {
        at = await jacobianAt(tries[best]);
        polished = true;
      }
    }
  }
  const { center, atEstimate, jacobian } = at;
  const simulated = observed.map((_m, j) => {
    const { mean, ss } = sampleMoments(atEstimate.map((row) => row[j]));
    return { mean, se: Math.sqrt(ss / (R - 1) / R) };
  });
  const fitted: FittedParam[] = over.map((n) => {
    const spec = specs[n] as { min: number; max: number };
    return { name: n, estimate: numeric(center, n), min: spec.min, max: spec.max };
  });
  const sigma = observed.map((m, j) => Math.sqrt((m.se ?? 0) ** 2 + simulated[j].se ** 2));
  const meanJacobian = observed.map((_m, j) => over.map((_n, i) => jacobian.reduce((s, g) => s + g[j][i], 0) / R));
  const id = identification(meanJacobian, sigma, fitted);
  const boot = seedBootstrap({
    observed: observed.map((m) => m.observed),
    se: observed.map((m) => m.se),
    weights,
    atEstimate,
    jacobian,
    params: fitted,
    resamples,
    confidence,
    seed: String(options.seed),
  });
  const warnings = [...id.warnings];
  const params: CalibratedParam[] = fitted.map((f, i) => {
    const identified = !id.unidentified.includes(f.name);
    // a param the moments do not fix may lie anywhere in its range: say so rather than print the bootstrap's narrow spread
    const interval = identified ? boot.intervals[i] : { estimate: f.estimate, lower: f.min, upper: f.max, method: "not identified: the whole range" };
    if (identified && interval.upper - interval.lower >= WIDE_INTERVAL_SHARE * (f.max - f.min)) {
      warnings.push(
        `${f.name} is weakly identified: its ${Math.round(confidence * 100)}% interval [${show(interval.lower)}, ${show(interval.upper)}] spans ${Math.round((100 * (interval.upper - interval.lower)) / (f.max - f.min))}% of its range; more replicates or a moment it moves would narrow it.`,
      );
    }
    return { ...f, interval, strength: id.strength[i], identified };
  });
  if (observed.some((m) => m.se === undefined)) warnings.push("Some moments have no standard error: their observed values are taken as exact, so the intervals cover the simulation's noise only.");
  const moments: CalibratedMoment[] = observed.map((m, j) => ({
    ...m,
    weight: weights[j],
    simulated: simulated[j].mean,
    simulatedSe: simulated[j].se,
    z: m.se === undefined ? NaN : (m.observed - simulated[j].mean) / Math.sqrt(m.se ** 2 + simulated[j].se ** 2),
  }));
  const overid = overidentification(
    observed.map((m) => m.observed),
    observed.map((m) => m.se),
    atEstimate,
    p,
  );
  const missed = moments.filter((m) => Math.abs(m.z) > 2);
  if (!overid && missed.length > 0)
    warnings.push(
      `The fit does not match ${missed.map((m) => `${m.metric} (z ${m.z.toFixed(2)})`).join(", ")}: the search may have stopped short (give more --budget) or no params in the ranges reach ${missed.length === 1 ? "it" : "them"}.`,
    );
  if (overid && overid.pValue < 1 - confidence)
    warnings.push(
      `The moments are not matched together: Hansen's J = ${show(overid.statistic)} on ${overid.df} df, p = ${show(overid.pValue)}; no params in the ranges reproduce them all at once (see each moment's z).`,
    );
  return {
    params,
    estimate: Object.fromEntries(over.map((n) => [n, center[n]])),
    moments,
    weighting,
    replicates: R,
    resamples,
    confidence,
    objective: momentsObjective(
      observed.map((m) => m.observed),
      simulated.map((s) => s.mean),
      weights,
    ),
    ...(overid ? { overidentification: overid } : {}),
    warnings,
    seeds: at.seeds,
    ...(options.source ? { source: options.source } : {}),
    trace: searched.trace.map((t) => ({ ...t, evaluations: t.evaluations * R })),
    runs: (searched.evaluations + 2 * p + 3 + (polished ? 2 * p + 1 : 0)) * R,
    nonFinite: nonFinite.size,
  };
}

/** The moments fit as a search method (`SEARCH_METHODS.calibrate`): its loop, its run counts, its part of the report. */
export const calibrateMethod: SearchMethod<CalibrateMomentsOptions, CalibrateMomentsResult> = {
  run: (evaluator, specs, options) => calibrateMoments(evaluator, specs, options),
  runCounts: (options) => ({ budget: options.budget, replicates: options.replicates }),
  report: {
    nonFiniteMeaning: "their candidate never the best",
    nonFinite: (r) => r.nonFinite,
    render(r: CalibrateMomentsResult, page) {
      const pctOf = Math.round(Number(r.confidence) * 100);
      const headline = `Fitted ${r.params.map((x) => `${escapeHtml(x.name)} = ${show(x.estimate)} (${pctOf}% interval ${show(x.interval.lower)} to ${show(x.interval.upper)})`).join(", ")} by simulated moments, ${plural(r.replicates, "seed")} per candidate, after ${plural(r.runs, "run")}`;
      page.chart("convergence", "Convergence: the moments' distance (weighted sum of squares) against the runs spent", (interactive) => convergenceOption(r.trace, "distance", { interactive }));
      page.section(
        `<h2>Moments at the fit</h2><div class="scroll"><table><tr><th>moment</th><th>observed</th><th>se</th><th>simulated</th><th>se (seeds)</th><th>z</th></tr>${r.moments
          .map(
            (m) =>
              `<tr><td>${escapeHtml(m.metric)}</td><td class="num">${show(m.observed)}</td><td class="num">${m.se === undefined ? "—" : show(m.se)}</td><td class="num">${show(m.simulated)}</td><td class="num">${show(m.simulatedSe)}</td><td class="num">${show(m.z)}</td></tr>`,
          )
          .join("")}</table></div>` +
          `<h2>Params</h2><div class="scroll"><table><tr><th>param</th><th>estimate</th><th>interval</th><th>range</th><th>strength (se across the range)</th></tr>${r.params
            .map(
              (x) =>
                `<tr><td>${escapeHtml(x.name)}</td><td class="num">${show(x.estimate)}</td><td class="num">${show(x.interval.lower)} to ${show(x.interval.upper)}</td><td class="num">${show(x.min)} to ${show(x.max)}</td><td class="num" style="color: var(--${x.identified ? "ok" : "bad"})">${show(x.strength)}</td></tr>`,
            )
            .join("")}</table></div><p class="muted">Weighting ${escapeHtml(r.weighting)}; intervals: ${escapeHtml(r.params[0]?.interval.method ?? "")}.</p>` +
          (r.warnings.length ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>` : ""),
      );
      return headline;
    },
  },
};
