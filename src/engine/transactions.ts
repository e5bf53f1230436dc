import { resolveAddress, toQuantity, type TransactionRequest, type TransactionResponse } from "ethers";
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
  gasUsed: bigint;
  reverted: boolean;
}

export interface TransactionListener {
  onTransaction(record: TransactionRecord): void;
  onRevert(record: RevertRecord): void;
}

/**
 * Every wallet's transactions go through here: one `eth_sendTransaction` with explicit gas (no
 * estimate round trip), at a timestamp the sim clock chose, then its receipt for the gas used.
 * Who is acting (agent name, tick) is set by the engine as it steps agents.
 */
export class TransactionSender {
  actor = "setup";
  tick = 0;

  constructor(
    private readonly chain: Chain,
    readonly provider: DirectProvider,
    private readonly clock: SimClock,
    readonly decoder: RevertDecoder,
    private readonly listener: TransactionListener,
    private readonly gasLimit: bigint,
  ) {}

  async send(from: string, tx: TransactionRequest): Promise<TransactionResponse> {
    const to = tx.to == null ? null : await resolveAddress(tx.to, this.provider);
    const data = tx.data ?? "0x";
    const value = tx.value == null ? 0n : BigInt(tx.value);
    const request: Record<string, string> = {
      from,
      data,
      value: toQuantity(value),
      gas: toQuantity(tx.gasLimit ?? this.gasLimit),
    };
    if (to !== null) request.to = to;
    if (tx.gasPrice != null) request.gasPrice = toQuantity(tx.gasPrice);
    if (tx.maxFeePerGas != null) request.maxFeePerGas = toQuantity(tx.maxFeePerGas);
    if (tx.maxPriorityFeePerGas != null) request.maxPriorityFeePerGas = toQuantity(tx.maxPriorityFeePerGas);
    if (tx.nonce != null) request.nonce = toQuantity(tx.nonce);

    await this.chain.setNextBlockTimestamp(this.clock.nextTransactionTime());
    let hash: string;
    try {
      hash = (await this.chain.eip1193.request({ method: "eth_sendTransaction", params: [request] })) as string;
    } catch (error) {
      throw await this.reverted(from, to, data, value, error);
    }
    const receipt = await this.receipt(hash);
    if (receipt.status === "0x0") {
      // The node was told not to throw on failures (throwOnTransactionFailures: false).
      throw await this.reverted(from, to, data, value, { transactionHash: hash, message: "reverted (the node gave no reason)" });
    }
    this.listener.onTransaction({ tick: this.tick, agent: this.actor, from, to, data, value, hash, gasUsed: BigInt(receipt.gasUsed), reverted: false });
    const response = await this.provider.getTransaction(hash);
    if (response === null) throw new Error(`transaction ${hash} was sent but the node does not know it`);
    return response;
  }

  /** Records a revert (of a transaction, or of a call an agent made) and returns the error to throw. */
  recordRevert(partial: Omit<RevertRecord, "tick" | "agent">): TransactionRevertedError {
    const record: RevertRecord = { tick: this.tick, agent: this.actor, ...partial };
    this.listener.onRevert(record);
    return new TransactionRevertedError(record);
  }

  private receipt(hash: string): Promise<{ status: string; gasUsed: string }> {
    return this.chain.eip1193.request({ method: "eth_getTransactionReceipt", params: [hash] }) as Promise<{ status: string; gasUsed: string }>;
  }

  private async reverted(from: string, to: string | null, data: string, value: bigint, error: unknown): Promise<Error> {
    const e = error as { transactionHash?: string; data?: unknown; message?: string };
    const revertData = typeof e.data === "string" ? e.data : typeof (e.data as { data?: unknown })?.data === "string" ? ((e.data as { data: string }).data) : "0x";
    // A transaction the node refused outright (not mined) has no hash: still the agent's failure, not a crash.
    const txHash = e.transactionHash ?? null;
    const gasUsed = txHash ? BigInt((await this.receipt(txHash)).gasUsed) : 0n;
    if (txHash) {
      this.listener.onTransaction({ tick: this.tick, agent: this.actor, from, to, data, value, hash: txHash, gasUsed, reverted: true });
    }
    return this.recordRevert({
      from,
      to,
      call: this.decoder.describeCall(to, data),
      reason: this.decoder.describeError(revertData, txHash ? e.message : `rejected by the node: ${e.message}`),
      data: revertData,
      txHash,
      gasUsed,
    });
  }
}
