import { minusSpan, sumSpans, type Span } from "./span";

/**
 * What a floor replay (bench/floor-replay.ts) measured, summed over a run's tick loop: for each
 * agent transaction, at the state it was sent in, an `eth_chainId` (the round trip), an `eth_call`
 * of a no-code address (the call path's fixed cost), an `eth_call` of its own calldata, and the
 * send itself, raw; for each read (an agent's or a KPI's `eth_call`), the no-code call and the
 * read. Reverts count the replayed calls and sends that failed (they should match the run's).
 */
export interface FloorSums {
  transactions: number;
  reads: number;
  tx: { roundTrip: Span; noop: Span; call: Span; send: Span };
  read: { noop: Span; call: Span };
  callReverts: number;
  sendReverts: number;
}

/** The floor of a tick loop and how far the loop is above it (ratios; NaN where the divisor is not positive). */
export interface FloorFigures {
  /** The transactions' own execution: Σ (eth_call of the tx − eth_call of a no-code address). */
  txExecution: Span;
  /** The reads' own execution: Σ (read − eth_call of a no-code address). */
  readExecution: Span;
  /** Pure execution of the loop's work: transactions + reads. */
  execution: Span;
  /** What a send costs beyond executing it (block building and mining): Σ (send − eth_call of the tx). */
  blockBuilding: Span;
  /** The same sends and reads sent raw, one at a time: Σ send + Σ read. */
  raw: Span;
  /** Tick loop ÷ pure execution, wall and CPU. */
  loopOverExecution: { wall: number; cpu: number };
  /** Tick loop ÷ raw replay of its sends and reads, wall and CPU: the engine's own overhead. */
  loopOverRaw: { wall: number; cpu: number };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
const ratios = (a: Span, b: Span) => ({ wall: ratio(a.wallMs, b.wallMs), cpu: ratio(a.cpuMs, b.cpuMs) });

/** The floor figures of a tick loop (`loop`, wall and CPU) from a replay's sums. */
export function floorFigures(loop: Span, sums: FloorSums): FloorFigures {
  const txExecution = minusSpan(sums.tx.call, sums.tx.noop);
  const readExecution = minusSpan(sums.read.call, sums.read.noop);
  const execution = sumSpans([txExecution, readExecution]);
  const raw = sumSpans([sums.tx.send, sums.read.call]);
  return {
    txExecution,
    readExecution,
    execution,
    blockBuilding: minusSpan(sums.tx.send, sums.tx.call),
    raw,
    loopOverExecution: ratios(loop, execution),
    loopOverRaw: ratios(loop, raw),
  };
}
