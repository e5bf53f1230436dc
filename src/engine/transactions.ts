import { Signature, TransactionResponse, ZeroHash, resolveAddress, toQuantity, type TransactionRequest } from "ethers";
import { TokenspiceError } from "../errors";
import type { Chain, SimClock } from "./chain";
import type { DirectProvider } from "./provider";
import { RevertDecoder, TransactionRevertedError, type RevertRecord } from "./reverts";

/** A mined agent transaction, as observers see it. */
export interface TransactionRecord {
  tick: number;
  agent: string;
  from: string;
  to: string | null;
  data: string;
  value: bigint;
  hash: string;
  blockNumber: number;
  /** Gas the transaction used (wei of gas, not ETH); for a failed one, what it burnt. */
  gasUsed: bigint;
  /** Mined, but failed (reverted, or ran out of gas). */
  reverted: boolean;
}

/** Sees every agent transaction mined and every revert recorded, in order (the engine's counts and the run's reverts file). */
export interface TransactionListener {
  onTransaction(record: TransactionRecord): void;
  onRevert(record: RevertRecord): void;
}

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
// Impersonated transactions are signed by the node with no real key: responses carry a zero signature.
const NO_SIGNATURE = Signature.from({ r: ZeroHash, s: ZeroHash, v: 27 });
// The node refused a transaction because the sender cannot pay gas limit × fee cap + value.
const CANNOT_PAY = /enough funds|insufficient funds/i;

/** What a failed `eth_sendTransaction` says, whichever node and transport it came from. */
interface SendFailure {
  /** Set when the transaction was mined (and failed). */
  hash: string | null;
  /** Revert data, "0x" when none. */
  data: string;
  message: string;
  outOfGas: boolean;
}

/**
 * Reads a failed send. In process, Hardhat throws a SolidityError with `transactionHash` and
 * `data`, or (out of gas) a ProviderError whose `data` holds `transactionHash` and
 * `reason.OutOfGas`; over JSON-RPC, the error's `data` holds `txHash`, `data` and `message`.
 */
function readSendFailure(error: unknown): SendFailure {
  const e = error as { transactionHash?: unknown; data?: unknown; message?: unknown };
  const inner = (typeof e?.data === "object" && e.data !== null ? e.data : {}) as {
    transactionHash?: unknown;
    txHash?: unknown;
    data?: unknown;
    reason?: unknown;
    message?: unknown;
  };
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const hash = str(e?.transactionHash) ?? str(inner.transactionHash) ?? str(inner.txHash) ?? null;
  const data = str(e?.data) ?? str(inner.data) ?? "0x";
  const message = str(e?.message) ?? str(inner.message) ?? String(error);
  const reason = inner.reason as Record<string, unknown> | undefined;
  const outOfGas = /ran out of gas|out of gas/i.test(message) || (typeof reason === "object" && reason !== null && "OutOfGas" in reason);
  return { hash, data: /^0x[0-9a-fA-F]*$/.test(data) ? data : "0x", message, outOfGas };
}

/**
 * Every wallet's transactions go through here, one at a time in the order they are sent (an agent
 * that sends several at once, `Promise.all`, has them mined in call order, with exact nonces).
 * Each costs one round trip: `eth_sendTransaction` mined at once (automine), a failure thrown by
 * the node. Gas is settled once per tick with `eth_feeHistory` (one transaction per block, so a
 * block's gas is its transaction's), and the response is built from what we sent, not fetched
 * again: in process, each extra round trip costs a fifth of a transaction.
 *
 * Gas: a transaction without a `gasLimit` is sent with `defaultGasLimit` (no estimate: it would
 * cost a second execution). When the node refuses it because the sender cannot pay that limit
 * times the fee cap, the sender estimates the gas and sends again with the estimate, as ethers
 * would have from the start: what a real chain accepts is accepted.
 *
 * Responses carry hash, from, to, data, value, nonce and block number; `blockHash` is null and
 * `gasPrice` 0 until `await tx.wait()` fetches the receipt.
 */
export class TransactionSender {
  actor = "setup";
  tick = 0;
  private readonly nonces = new Map<string, number>();
  private unsettled: Omit<TransactionRecord, "gasUsed">[] = [];
  private unsettledReverts: RevertRecord[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closedBecause: string | undefined;

  constructor(
    private readonly chain: Chain,
    readonly provider: DirectProvider,
    private readonly clock: SimClock,
    readonly decoder: RevertDecoder,
    private readonly listener: TransactionListener,
    private readonly defaultGasLimit: bigint,
    private readonly blockGasLimit: bigint,
  ) {}

  /** Sends in call order: the next send starts when the one before has been mined or refused. */
  send(from: string, tx: TransactionRequest): Promise<TransactionResponse> {
    // The agent (and tick) at call time, not at the time the queued send starts.
    const actor = this.actor;
    const tick = this.tick;
    const next = this.queue.then(() => this.sendNow(from, tx, actor, tick));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the run's sending: a step that outlived its run (it timed out) cannot touch the next run's chain. */
  close(reason: string): void {
    this.closedBecause = reason;
  }

  private async sendNow(from: string, tx: TransactionRequest, actor: string, tick: number): Promise<TransactionResponse> {
    if (this.closedBecause !== undefined) {
      throw new TokenspiceError("AGENT_FAILED", `A transaction from "${actor}" was sent after its run ended (${this.closedBecause}).`, { agent: actor, tick });
    }
    const to = tx.to == null ? null : typeof tx.to === "string" && HEX_ADDRESS.test(tx.to) ? tx.to : await resolveAddress(tx.to, this.provider);
    const data = tx.data ?? "0x";
    const value = tx.value == null ? 0n : BigInt(tx.value);
    const request: Record<string, string> = { from, data, value: toQuantity(value) };
    if (to !== null) request.to = to;
    if (tx.gasPrice != null) request.gasPrice = toQuantity(tx.gasPrice);
    if (tx.maxFeePerGas != null) request.maxFeePerGas = toQuantity(tx.maxFeePerGas);
    if (tx.maxPriorityFeePerGas != null) request.maxPriorityFeePerGas = toQuantity(tx.maxPriorityFeePerGas);
    if (tx.nonce != null) request.nonce = toQuantity(tx.nonce);
    let gasLimit = tx.gasLimit == null ? this.defaultGasLimit : BigInt(tx.gasLimit);

    let hash: string | undefined;
    let failure: SendFailure | undefined;
    for (let attempt = 0; hash === undefined; attempt++) {
      request.gas = toQuantity(gasLimit);
      try {
        hash = await this.clock.sendTransaction(request);
        break;
      } catch (error) {
        failure = readSendFailure(error);
        failure.hash ??= await this.minedHash();
        if (failure.hash !== null) break;
        // Refused because the default gas limit × fee cap exceeds the balance: estimate, as ethers would.
        if (attempt > 0 || tx.gasLimit != null || !CANNOT_PAY.test(failure.message)) break;
        const estimate = await this.estimate(request);
        if (typeof estimate !== "bigint") {
          failure.message += `; estimating its gas failed too: ${estimate.message}`;
          if (estimate.data !== "0x") failure.data = estimate.data;
          break;
        }
        gasLimit = estimate;
      }
    }
    if (hash === undefined) throw await this.failed(from, to, data, value, gasLimit, failure!, actor, tick);

    const blockNumber = this.clock.transactionMined();
    this.unsettled.push({ tick, agent: actor, from, to, data, value, hash, blockNumber, reverted: false });
    const nonce = await this.nextNonce(from);
    if (to === null) {
      // A deployment: ethers derives the contract's address from the nonce, so take the node's record.
      const response = await this.provider.getTransaction(hash);
      if (response === null) throw new TokenspiceError("NODE_ERROR", `Transaction ${hash} was sent but the node does not know it`, { hash });
      return response;
    }
    return new TransactionResponse(
      {
        blockNumber,
        blockHash: null,
        hash,
        index: 0,
        type: 2,
        to,
        from,
        nonce,
        gasLimit,
        gasPrice: 0n,
        maxPriorityFeePerGas: null,
        maxFeePerGas: null,
        maxFeePerBlobGas: null,
        data,
        value,
        chainId: this.provider._network.chainId,
        signature: NO_SIGNATURE,
        accessList: null,
        blobVersionedHashes: null,
        authorizationList: null,
      },
      this.provider,
    );
  }

  /** Gas for the transactions mined since the last settle; the engine calls it at the end of each tick. */
  async settle(): Promise<void> {
    const txs = this.unsettled;
    const reverts = this.unsettledReverts;
    this.unsettled = [];
    this.unsettledReverts = [];
    if (txs.length > 0) {
      const last = txs[txs.length - 1].blockNumber;
      const gas = await this.chain.gasUsedByBlocks(last, last - txs[0].blockNumber + 1, this.blockGasLimit);
      const gasOf = (blockNumber: number) => gas[blockNumber - txs[0].blockNumber];
      for (const tx of txs) this.listener.onTransaction({ ...tx, gasUsed: gasOf(tx.blockNumber) });
      const byHash = new Map(txs.map((t) => [t.hash, t.blockNumber]));
      for (const r of reverts) if (r.txHash && byHash.has(r.txHash)) r.gasUsed = gasOf(byHash.get(r.txHash)!);
    }
    for (const r of reverts) this.listener.onRevert(r);
  }

  /** Records a revert (of a transaction, or of a call an agent made) and returns the error to throw. */
  recordRevert(partial: Omit<RevertRecord, "tick" | "agent" | "gasUsed">, actor = this.actor, tick = this.tick): TransactionRevertedError {
    const record: RevertRecord = { tick, agent: actor, gasUsed: 0n, ...partial };
    this.unsettledReverts.push(record);
    return new TransactionRevertedError(record);
  }

  /** The nonce the mined transaction used; wallets only send through here, one at a time, so counting is exact. */
  private async nextNonce(from: string): Promise<number> {
    let next = this.nonces.get(from);
    if (next === undefined) {
      next = Number(await this.chain.request<string>("eth_getTransactionCount", [from, "latest"])) - 1; // includes the one just mined
    }
    this.nonces.set(from, next + 1);
    return next;
  }

  /** When a failed send named no hash: was a block mined for it anyway (a node that reports failures its own way)? */
  private async minedHash(): Promise<string | null> {
    if ((await this.chain.blockNumber()) === this.clock.latestBlockNumber) return null;
    const latest = await this.chain.latestBlock();
    return latest.transactions[0] ?? null;
  }

  private async estimate(request: Record<string, string>): Promise<bigint | SendFailure> {
    const { gas: _omit, ...withoutGas } = request;
    try {
      return BigInt(await this.chain.request<string>("eth_estimateGas", [withoutGas]));
    } catch (error) {
      return readSendFailure(error);
    }
  }

  /** Records a failed transaction and returns the error to throw to the agent. */
  private async failed(from: string, to: string | null, data: string, value: bigint, gasLimit: bigint, f: SendFailure, actor: string, tick: number): Promise<Error> {
    if (f.hash !== null) {
      // Mined and failed: it used a nonce, took a block and burnt gas (settled with the tick).
      const blockNumber = this.clock.transactionMined();
      this.unsettled.push({ tick, agent: actor, from, to, data, value, hash: f.hash, blockNumber, reverted: true });
      const next = this.nonces.get(from);
      if (next !== undefined) this.nonces.set(from, next + 1);
      const reason = f.outOfGas ? `out of gas (gas limit ${gasLimit})` : this.decoder.describeError(f.data, f.message);
      return this.recordRevert({ from, to, call: await this.decoder.describeCall(to, data), reason, data: f.data, txHash: f.hash }, actor, tick);
    }
    // Refused by the node (not mined): no hash, no gas; still the agent's failure, not a crash.
    const call = await this.decoder.describeCall(to, data);
    return this.recordRevert({ from, to, call, reason: `rejected by the node: ${f.message}`, data: f.data, txHash: null }, actor, tick);
  }
}
