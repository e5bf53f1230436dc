import chisqCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import chisqQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { TokenspiceError } from "../errors";
import { findGaps } from "./gaps";
import { moments, type Interval } from "./interval";

/** Seconds in the year the annualisation uses: 365 days (crypto trades every day; sims/amm's GBM uses the same year). */
export const SECONDS_PER_YEAR = 365 * 86_400;

/** A test's statistic, p-value and verdict at `alpha`. */
export interface TestResult {
  statistic: number;
  pValue: number;
  /** Degrees of freedom of the chi-square reference, or the lags of a Ljung–Box test. */
  df: number;
  rejected: boolean;
}

/** Geometric Brownian motion fitted to a price series, with the checks of what it misses. */
export interface GbmFit {
  /** Log returns used (prices − 1). */
  n: number;
  /** The data's usual spacing (median step), seconds, and how many such steps make a year. */
  spacingSeconds: number;
  periodsPerYear: number;
  /** The years the returns span (Σ steps / SECONDS_PER_YEAR). */
  years: number;
  /** GBM μ, per year: E[S(t)] = S(0)·e^(μt); sims/amm's `drift`. */
  drift: Interval;
  /** GBM σ, per year: sims/amm's `volatility`. */
  volatility: Interval;
  /** The mean log return per year, m = μ − σ²/2 (the median path's growth rate). */
  logReturnRate: Interval;
  /** Under GBM the standardised returns are independent N(0, 1); these say how far they are from it. */
  diagnostics: {
    skewness: number;
    /** Excess kurtosis (0 for a normal): above 0, fat tails. */
    excessKurtosis: number;
    /** Jarque–Bera normality test on the standardised returns (chi-square, 2 df). */
    jarqueBera: TestResult;
    /** Ljung–Box on the standardised returns: autocorrelation (momentum or mean reversion). */
    ljungBoxReturns: TestResult;
    /** Ljung–Box on their squares (McLeod–Li): volatility clustering. */
    ljungBoxSquared: TestResult;
    /** The largest |standardised return|, in sd, and how many beyond 4 sd (a normal expects n·6.3e-5). */
    largestMove: number;
    beyond4Sd: number;
  };
  /** The diagnostics in words, one finding a line. */
  findings: string[];
}

/**
 * Fits GBM by maximum likelihood to prices at strictly increasing times (unix seconds). With log
 * returns r_i = ln(S_{i+1}/S_i) over steps Δ_i in years (each step its own length, so a gap is a
 * longer step, not a missing value): r_i ~ N(m·Δ_i, σ²·Δ_i), whose MLE is
 *   m̂ = Σ r_i / Σ Δ_i,  σ̂² = (1/n) Σ (r_i − m̂Δ_i)²/Δ_i,  μ̂ = m̂ + σ̂²/2.
 * With equal steps Δ = 1/P (P periods a year), σ̂ = sd(r)·√P and m̂ = mean(r)·P: the usual
 * annualisation. Intervals at `confidence`: σ from chi-square with n − 1 df (exact for equal
 * steps), m from the normal (var m̂ = σ²/T, T = Σ Δ years), μ by the delta method
 * (var μ̂ = σ²/T + σ⁴/(2n)). Then the checks, at `alpha`: Jarque–Bera (fat tails), Ljung–Box on
 * the standardised returns and on their squares with `lags` lags (default min(10, n/5)).
 * @throws TokenspiceError FIT_INVALID (fewer than 10 prices, a price <= 0, times not increasing)
 */
export function fitGbm(times: readonly number[], prices: readonly number[], options: { confidence?: number; alpha?: number; lags?: number } = {}): GbmFit {
  const confidence = options.confidence ?? 0.95;
  const alpha = options.alpha ?? 0.05;
  if (prices.length < 10) throw new TokenspiceError("FIT_INVALID", `GBM: ${prices.length} prices are too few (at least 10)`);
  const bad = prices.findIndex((p) => !(p > 0));
  if (bad >= 0) throw new TokenspiceError("FIT_INVALID", `GBM: price ${prices[bad]} (the ${bad + 1}th) is not > 0`);
  const r: number[] = [];
  const dt: number[] = [];
  for (let i = 1; i < prices.length; i++) {
    const step = (times[i] - times[i - 1]) / SECONDS_PER_YEAR;
    if (!(step > 0)) throw new TokenspiceError("FIT_INVALID", `GBM: times must strictly increase (the ${i + 1}th is not after the ${i}th)`);
    r.push(Math.log(prices[i] / prices[i - 1]));
    dt.push(step);
  }
  const n = r.length;
  const T = dt.reduce((a, b) => a + b, 0);
  const m = r.reduce((a, b) => a + b, 0) / T;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (r[i] - m * dt[i]) ** 2 / dt[i];
  s2 /= n;
  const sigma = Math.sqrt(s2);
  const q = (1 + confidence) / 2;
  const z = normalQuantile(q, 0, 1);
  const seM = sigma / Math.sqrt(T);
  const mu = m + s2 / 2;
  const seMu = Math.sqrt(s2 / T + (s2 * s2) / (2 * n));
  const { spacingSeconds } = findGaps(times);
  const standardised = r.map((x, i) => (x - m * dt[i]) / (sigma * Math.sqrt(dt[i])));
  const lags = options.lags ?? Math.max(1, Math.min(10, Math.floor(n / 5)));
  const diagnostics = returnDiagnostics(standardised, lags, alpha);
  const fit: GbmFit = {
    n,
    spacingSeconds,
    periodsPerYear: SECONDS_PER_YEAR / spacingSeconds,
    years: T,
    drift: { estimate: mu, lower: mu - z * seMu, upper: mu + z * seMu, method: "Wald (normal; delta method)" },
    volatility: { estimate: sigma, lower: sigma * Math.sqrt(n / chisqQuantile(q, n - 1)), upper: sigma * Math.sqrt(n / chisqQuantile(1 - q, n - 1)), method: "chi-square, n-1 df" },
    logReturnRate: { estimate: m, lower: m - z * seM, upper: m + z * seM, method: "Wald (normal)" },
    diagnostics,
    findings: [],
  };
  fit.findings = gbmFindings(fit, alpha);
  return fit;
}

/** Skewness, excess kurtosis, Jarque–Bera and Ljung–Box tests of standardised returns. */
export function returnDiagnostics(e: readonly number[], lags: number, alpha: number): GbmFit["diagnostics"] {
  const { n, mean, ss } = moments(e);
  const m2 = ss / n;
  let m3 = 0;
  let m4 = 0;
  for (const x of e) {
    m3 += (x - mean) ** 3;
    m4 += (x - mean) ** 4;
  }
  m3 /= n;
  m4 /= n;
  const skewness = m3 / m2 ** 1.5;
  const excessKurtosis = m4 / (m2 * m2) - 3;
  const jb = (n / 6) * (skewness * skewness + (excessKurtosis * excessKurtosis) / 4);
  const sdE = Math.sqrt(m2);
  return {
    skewness,
    excessKurtosis,
    jarqueBera: test(jb, 2, alpha),
    ljungBoxReturns: ljungBox(e, lags, alpha),
    ljungBoxSquared: ljungBox(
      e.map((x) => x * x),
      lags,
      alpha,
    ),
    largestMove: Math.max(...e.map((x) => Math.abs(x - mean) / sdE)),
    beyond4Sd: e.filter((x) => Math.abs(x - mean) / sdE > 4).length,
  };
}

function test(statistic: number, df: number, alpha: number): TestResult {
  const pValue = 1 - chisqCdf(statistic, df);
  return { statistic, pValue, df, rejected: pValue < alpha };
}

/**
 * Ljung–Box Q = n(n+2) Σ_{k=1..h} ρ̂_k²/(n−k), against chi-square with h df (Ljung & Box 1978);
 * on squared residuals it is McLeod & Li's (1983) test for conditional heteroscedasticity.
 */
export function ljungBox(y: readonly number[], lags: number, alpha: number): TestResult {
  const { n, mean, ss } = moments(y);
  let q = 0;
  for (let k = 1; k <= lags; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += (y[t] - mean) * (y[t - k] - mean);
    const rho = c / ss;
    q += (rho * rho) / (n - k);
  }
  return test(n * (n + 2) * q, lags, alpha);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const p = (x: number) => (x < 1e-4 ? x.toExponential(1) : x.toPrecision(2));

/** "= 0.002", or "< 1e-15" for a p-value below what a double resolves. */
const pv = (x: number) => (x < 1e-15 ? "< 1e-15" : `= ${p(x)}`);

/** The fit's findings in plain words. */
function gbmFindings(fit: GbmFit, alpha: number): string[] {
  const d = fit.diagnostics;
  const out = [
    `Spacing ${fit.spacingSeconds} s: ${Number(fit.periodsPerYear.toPrecision(6))} periods a year (a ${SECONDS_PER_YEAR / 86_400}-day year); per-period figures are multiplied by that (drift) or its square root (volatility).`,
    `Volatility ${pct(fit.volatility.estimate)} a year (interval ${pct(fit.volatility.lower)} to ${pct(fit.volatility.upper)}); drift ${pct(fit.drift.estimate)} a year (interval ${pct(fit.drift.lower)} to ${pct(fit.drift.upper)}) over ${fit.years.toFixed(2)} years: a drift is rarely pinned down by a few years of prices.`,
  ];
  out.push(
    d.jarqueBera.rejected
      ? `Fat tails: excess kurtosis ${d.excessKurtosis.toFixed(2)} (a normal has 0), skewness ${d.skewness.toFixed(2)}; Jarque-Bera p ${pv(d.jarqueBera.pValue)} < ${alpha}: the returns are not normal. The largest move was ${d.largestMove.toFixed(1)} sd (${d.beyond4Sd} beyond 4 sd, where a normal expects ${(fit.n * 6.3e-5).toFixed(2)}): GBM draws such days too rarely.`
      : `Tails: excess kurtosis ${d.excessKurtosis.toFixed(2)}, skewness ${d.skewness.toFixed(2)}; Jarque-Bera p = ${p(d.jarqueBera.pValue)}: no evidence against normal returns.`,
  );
  out.push(
    d.ljungBoxSquared.rejected
      ? `Volatility clustering: Ljung-Box on squared returns (${d.ljungBoxSquared.df} lags) p ${pv(d.ljungBoxSquared.pValue)} < ${alpha}: calm and stormy spells come in runs, which GBM's constant volatility does not produce.`
      : `Volatility clustering: Ljung-Box on squared returns (${d.ljungBoxSquared.df} lags) p = ${p(d.ljungBoxSquared.pValue)}: none detected.`,
  );
  out.push(
    d.ljungBoxReturns.rejected
      ? `Autocorrelation: Ljung-Box on returns (${d.ljungBoxReturns.df} lags) p ${pv(d.ljungBoxReturns.pValue)} < ${alpha}: returns are not independent (momentum or mean reversion), which GBM assumes.`
      : `Autocorrelation: Ljung-Box on returns (${d.ljungBoxReturns.df} lags) p = ${p(d.ljungBoxReturns.pValue)}: none detected.`,
  );
  return out;
}
