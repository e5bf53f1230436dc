import { Transaction } from "ethers";
import type { Eip1193Provider } from "../src/engine/provider";
import type { FloorSums } from "./floor-figures";
import type { RecordedRequest, RpcCall } from "./phase-profiler";
import { between, stamp, sumSpans, type Span } from "./span";

const SENDS = new Set(["eth_sendTransaction", "eth_sendRawTransaction"]);
const NO_CODE = "0x000000000000000000000000000000000000dEaD";
const GAS = "0x" + (16_000_000).toString(16);

/** A send as an eth_call: from, to, data, value and gas of an eth_sendTransaction's object or a signed raw transaction. */
function asCall(send: RpcCall): Record<string, string> {
  if (send.method === "eth_sendRawTransaction") {
    const tx = Transaction.from(send.params[0] as string);
    const call: Record<string, string> = { from: tx.from ?? NO_CODE, data: tx.data, value: "0x" + tx.value.toString(16), gas: "0x" + tx.gasLimit.toString(16) };
    if (tx.to) call.to = tx.to;
    return call;
  }
  const { nonce: _nonce, ...call } = send.params[0] as Record<string, string>;
  return call;
}

const add = (sum: Span, s: Span) => Object.assign(sum, sumSpans([sum, s]));
const zero = (): Span => ({ wallMs: 0, cpuMs: 0 });

/**
 * Replays a tick loop's requests (recorded by PhaseProfiler) raw on `provider`, from the state the
 * loop started in (the caller reverts to the post-setup snapshot first), in their order, so that
 * each transaction and read meets the state it met in the run. Chain-time requests and other reads
 * are replayed untimed. Timed, per transaction at its state: `eth_chainId`, an `eth_call` of a
 * no-code address, an `eth_call` of its calldata, then the send itself (as the engine sent it, one
 * at a time); per `eth_call` read: the no-code call, then the read. Each no-code call follows an
 * untimed one: the first call after a block pays for the new state (measured: without it, a cheap
 * transaction's call came out cheaper than the no-code call before it). This is the harness of
 * PERF-NOTES section 2 (2026-12-07), with the reads added.
 */
export async function replayFloor(provider: Eip1193Provider, recorded: readonly RecordedRequest[]): Promise<FloorSums> {
  const sums: FloorSums = {
    transactions: 0,
    reads: 0,
    tx: { roundTrip: zero(), noop: zero(), call: zero(), send: zero() },
    read: { noop: zero(), call: zero() },
    callReverts: 0,
    sendReverts: 0,
  };
  const request = (call: RpcCall) => provider.request({ method: call.method, params: call.params });
  const timed = async (call: RpcCall, failed: () => void): Promise<Span> => {
    const t0 = stamp();
    await request(call).catch(failed);
    return between(t0, stamp());
  };
  for (const { calls } of recorded) {
    for (const call of calls) {
      if (SENDS.has(call.method)) {
        const tx = asCall(call);
        sums.transactions++;
        const noop: RpcCall = { method: "eth_call", params: [{ from: tx.from, to: NO_CODE, data: "0x", gas: GAS }, "latest"] };
        add(sums.tx.roundTrip, await timed({ method: "eth_chainId", params: [] }, () => undefined));
        await request(noop); // untimed: the first call after a block pays for the new state, which is not this transaction's execution
        add(sums.tx.noop, await timed(noop, () => undefined));
        add(sums.tx.call, await timed({ method: "eth_call", params: [tx, "latest"] }, () => sums.callReverts++));
        add(sums.tx.send, await timed(call, () => sums.sendReverts++));
      } else if (call.method === "eth_call") {
        const read = (call.params[0] ?? {}) as { from?: string };
        sums.reads++;
        const noop: RpcCall = { method: "eth_call", params: [{ ...(read.from ? { from: read.from } : {}), to: NO_CODE, data: "0x", gas: GAS }, "latest"] };
        await request(noop); // untimed, as for a transaction
        add(sums.read.noop, await timed(noop, () => undefined));
        add(sums.read.call, await timed(call, () => sums.callReverts++));
      } else {
        // Chain time and other reads, untimed; a read the run saw fail (an estimate) fails here too.
        await request(call).catch(() => undefined);
      }
    }
  }
  return sums;
}
