import { Signature, TransactionResponse, ZeroHash, resolveAddress, toQuantity, type TransactionRequest } from "ethers";
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
  gasUsed: bigint;
  reverted: boolean;
}

export interface TransactionListener {
  onTransaction(record: TransactionRecord): void;
  onRevert(record: RevertRecord): void;
}

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
// Impersonated transactions are signed by the node with no real key: responses carry a zero signature.
const NO_SIGNATURE = Signature.from({ r: ZeroHash, s: ZeroHash, v: 27 });

/**
 * Every wallet's transactions go through here, and each costs one round trip: `eth_sendTransaction`
 * with explicit gas (no estimate), mined at once (automine), a revert thrown by the node. Gas is
 * settled once per tick with one `eth_feeHistory` (one transaction per block, so a block's gas is
 * its transaction's), and the response is built from what we sent, not fetched again: in-process,
 * each extra round trip costs a fifth of a transaction.
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

  constructor(
    private readonly chain: Chain,
    readonly provider: DirectProvider,
    private readonly clock: SimClock,
    readonly decoder: RevertDecoder,
    private readonly listener: TransactionListener,
    private readonly gasLimit: bigint,
    private readonly blockGasLimit: bigint,
  ) {}

  async send(from: string, tx: TransactionRequest): Promise<TransactionResponse> {
    const to = tx.to == null ? null : typeof tx.to === "string" && HEX_ADDRESS.test(tx.to) ? tx.to : await resolveAddress(tx.to, this.provider);
    const data = tx.data ?? "0x";
    const value = tx.value == null ? 0n : BigInt(tx.value);
    const gasLimit = tx.gasLimit == null ? this.gasLimit : BigInt(tx.gasLimit);
    const request: Record<string, string> = { from, data, value: toQuantity(value), gas: toQuantity(gasLimit) };
    if (to !== null) request.to = to;
    if (tx.gasPrice != null) request.gasPrice = toQuantity(tx.gasPrice);
    if (tx.maxFeePerGas != null) request.maxFeePerGas = toQuantity(tx.maxFeePerGas);
    if (tx.maxPriorityFeePerGas != null) request.maxPriorityFeePerGas = toQuantity(tx.maxPriorityFeePerGas);
    if (tx.nonce != null) request.nonce = toQuantity(tx.nonce);

    await this.clock.beforeTransaction();
    let hash: string;
    try {
      hash = await this.chain.request<string>("eth_sendTransaction", [request]);
    } catch (error) {
      throw await this.reverted(from, to, data, value, error);
    }
    const blockNumber = this.clock.transactionMined();
    this.unsettled.push({ tick: this.tick, agent: this.actor, from, to, data, value, hash, blockNumber, reverted: false });
    if (to === null) {
      // A deployment: ethers derives the contract's address from the nonce, so take the node's record.
      const response = await this.provider.getTransaction(hash);
      if (response === null) throw new Error(`transaction ${hash} was sent but the node does not know it`);
      this.nonces.set(from, response.nonce + 1);
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
        nonce: await this.nextNonce(from),
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
      for (const r of reverts) if (r.txHash) r.gasUsed = gasOf(byHash.get(r.txHash)!);
    }
    for (const r of reverts) this.listener.onRevert(r);
  }

  /** Records a revert (of a transaction, or of a call an agent made) and returns the error to throw. */
  recordRevert(partial: Omit<RevertRecord, "tick" | "agent" | "gasUsed">): TransactionRevertedError {
    const record: RevertRecord = { tick: this.tick, agent: this.actor, gasUsed: 0n, ...partial };
    this.unsettledReverts.push(record);
    return new TransactionRevertedError(record);
  }

  /** The nonce the mined transaction used; wallets only send through here, so counting is exact. */
  private async nextNonce(from: string): Promise<number> {
    let next = this.nonces.get(from);
    if (next === undefined) {
      next = Number(await this.chain.request<string>("eth_getTransactionCount", [from, "latest"])) - 1; // includes the one just mined
    }
    this.nonces.set(from, next + 1);
    return next;
  }

  private async reverted(from: string, to: string | null, data: string, value: bigint, error: unknown): Promise<Error> {
    const e = error as { transactionHash?: string; data?: unknown; message?: string };
    const nested = (e.data as { data?: unknown } | undefined)?.data;
    const revertData = typeof e.data === "string" ? e.data : typeof nested === "string" ? nested : "0x";
    // Mined and reverted: it has a hash and took a block. Refused by the node (not mined): no hash;
    // still the agent's failure, not a crash.
    const txHash = e.transactionHash ?? null;
    if (txHash) {
      this.nonces.delete(from); // a mined revert used a nonce: recount on the next send
      const blockNumber = this.clock.transactionMined();
      this.unsettled.push({ tick: this.tick, agent: this.actor, from, to, data, value, hash: txHash, blockNumber, reverted: true });
    }
    return this.recordRevert({
      from,
      to,
      call: this.decoder.describeCall(to, data),
      reason: this.decoder.describeError(revertData, txHash ? e.message : `rejected by the node: ${e.message}`),
      data: revertData,
      txHash,
    });
  }
}
