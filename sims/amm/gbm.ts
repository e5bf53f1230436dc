/**
 * One step of geometric Brownian motion: S·exp((μ − σ²/2)·dt + σ·√dt·z) for a standard normal z.
 * The −σ²/2 term makes E[S(t)] = S(0)·e^(μt), so μ is the expected growth rate and σ = 0 gives
 * the deterministic path S(0)·e^(μt). μ and σ are per year; dt is in years.
 */
export function gbmStep(price: number, drift: number, volatility: number, dtYears: number, z: number): number {
  return price * Math.exp((drift - (volatility * volatility) / 2) * dtYears + volatility * Math.sqrt(dtYears) * z);
}

export const SECONDS_PER_YEAR = 365 * 86_400;
