/**
 * The one error type the framework-free layers throw for bad input and failed runs.
 * The Hardhat adapter turns it into a `HardhatPluginError` (see `src/hardhat/errors.ts`), so the
 * engine, runner and model never import Hardhat.
 */
export class TokenspiceError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = "TokenspiceError";
  }
}

/** Thrown by the engine when an agent or KPI raises a JavaScript error: the run stops. */
export class SimulationAbortedError extends TokenspiceError {
  constructor(
    message: string,
    readonly details: { netlist: string; agent?: string; kpi?: string; tick: number; seed: number },
    cause?: unknown,
  ) {
    super(message, cause);
    this.name = "SimulationAbortedError";
  }
}
