import { TokenspiceError } from "../errors";
import seedrandom from "seedrandom";

/**
 * A seeded random stream. Calling it gives a float in [0, 1); the helpers draw from the same stream.
 * Every stream in a run derives from the run seed and a label, so adding an agent or a draw in one
 * place never shifts the numbers another agent sees.
 */
export interface Rng {
  (): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Float in [min, max). */
  float(min: number, max: number): number;
  /** true with probability p. */
  bool(p?: number): boolean;
  /** One element of a non-empty array. */
  choice<T>(items: readonly T[]): T;
  /** Normal deviate (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** A copy of `items` in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this one's seed and a label. */
  fork(label: string): Rng;
  /** The string this stream was seeded with. */
  readonly seed: string;
}

/**
 * A seeded stream (seedrandom's default generator, ARC4) for `seed`; `fork(label)` seeds
 * a new one with `${seed}/${label}`.
 *
 * @throws TokenspiceError OPTION_INVALID from `int` (bounds not integers, or max < min) and `choice` (an empty array)
 */
export function createRng(seed: string): Rng {
  const next = seedrandom(seed);
  const rng = (() => next()) as Rng;
  rng.int = (min, max) => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new TokenspiceError("OPTION_INVALID", `rng.int(${min}, ${max}): need integers with min <= max`, { min, max });
    }
    return min + Math.floor(next() * (max - min + 1));
  };
  rng.float = (min, max) => min + next() * (max - min);
  rng.bool = (p = 0.5) => next() < p;
  rng.choice = (items) => {
    if (items.length === 0) throw new TokenspiceError("OPTION_INVALID", "rng.choice: empty array");
    return items[Math.floor(next() * items.length)];
  };
  rng.normal = (mean = 0, sd = 1) => {
    // 1 - u keeps the argument of log in (0, 1].
    const u = 1 - next();
    const v = next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  rng.shuffle = (items) => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  rng.fork = (label) => createRng(`${seed}/${label}`);
  Object.defineProperty(rng, "seed", { value: seed, enumerable: true });
  return rng;
}

/** The root stream of a run: everything random in a run forks from it. */
export function runRng(runSeed: number): Rng {
  return createRng(`tokenspice:${runSeed}`);
}
