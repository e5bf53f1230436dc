// Types for the `sobol` package (Sobol sequences with Joe & Kuo's direction numbers), which ships none.
declare module "sobol" {
  /** A generator of a Sobol low-discrepancy sequence in [0, 1)^dim. */
  export class SobolSequenceGenerator {
    /** @param dim dimensions, 1 to 21201 */
    constructor(dim: number);
    /** The next point of the sequence, each coordinate in [0, 1); the first is the origin. */
    nextVector(): number[];
  }
}
