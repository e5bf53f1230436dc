import type { Eip1193Provider } from "./provider";
import { TokenspiceError } from "../errors";

const hex = (n: bigint | number) => "0x" + BigInt(n).toString(16);

/** The dev-node methods the engine uses (Hardhat's names; Anvil answers to them too). */
export class Chain {
  constructor(readonly eip1193: Eip1193Provider) {}

  request<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.eip1193.request({ method, params }) as Promise<T>;
  }

  async chainId(): Promise<bigint> {
    return BigInt(await this.request<string>("eth_chainId"));
  }
  snapshot(): Promise<string> {
    return this.request<string>("evm_snapshot");
  }
  async revert(id: string): Promise<void> {
    const ok = await this.request<boolean>("evm_revert", [id]);
    if (!ok) throw new TokenspiceError("NODE_ERROR", `evm_revert(${id}) failed: the snapshot no longer exists`, { snapshot: id });
  }
  async blockNumber(): Promise<number> {
    return Number(await this.request<string>("eth_blockNumber"));
  }
  async latestBlock(): Promise<{ number: number; timestamp: number; gasLimit: bigint; baseFeePerGas: bigint | null; transactions: string[] }> {
    const b = await this.request<{ number: string; timestamp: string; gasLimit: string; baseFeePerGas?: string; transactions: string[] }>("eth_getBlockByNumber", ["latest", false]);
    return {
      number: Number(b.number),
      timestamp: Number(b.timestamp),
      gasLimit: BigInt(b.gasLimit),
      baseFeePerGas: b.baseFeePerGas === undefined ? null : BigInt(b.baseFeePerGas),
      transactions: b.transactions,
    };
  }
  async setNextBlockTimestamp(timestamp: number): Promise<void> {
    await this.request("evm_setNextBlockTimestamp", [hex(timestamp)]);
  }
  /** Whether the node takes batches: a pin and its transaction then cost one round trip. */
  get batches(): boolean {
    return this.eip1193.requestBatch !== undefined;
  }
  /** `eth_sendTransaction` with the block's timestamp pinned first, in one batch (see `batches`). */
  async sendTransactionAt(timestamp: number, request: Record<string, string>): Promise<string> {
    const results = await this.eip1193.requestBatch!([
      { method: "evm_setNextBlockTimestamp", params: [hex(timestamp)] },
      { method: "eth_sendTransaction", params: [request] },
    ]);
    return results[1] as string;
  }
  /** Mines an empty block at `timestamp` (Hardhat's evm_mine takes the timestamp). */
  async mine(timestamp: number): Promise<void> {
    await this.request("evm_mine", [hex(timestamp)]);
  }
  async setBalance(address: string, wei: bigint): Promise<void> {
    await this.request("hardhat_setBalance", [address, hex(wei)]);
  }
  async impersonate(address: string): Promise<void> {
    await this.request("hardhat_impersonateAccount", [address]);
  }
  async stopImpersonating(address: string): Promise<void> {
    await this.request("hardhat_stopImpersonatingAccount", [address]);
  }
  /**
   * Gas used by each of the `count` blocks ending at `newest`: from `eth_feeHistory` (one request
   * for up to 1,024 blocks; exact, ratios of integers below 2^53), or, before London (where the node
   * disables it), from each block's header.
   */
  async gasUsedByBlocks(newest: number, count: number, gasLimit: bigint): Promise<bigint[]> {
    if (this.feeHistory !== false) {
      try {
        return await this.gasFromFeeHistory(newest, count, gasLimit);
      } catch (error) {
        if (this.feeHistory === true) throw error;
        this.feeHistory = false; // e.g. "eth_feeHistory is disabled. It only works with the London hardfork or a later one."
      }
    }
    const out: bigint[] = [];
    for (let n = newest - count + 1; n <= newest; n++) {
      const b = await this.request<{ gasUsed: string }>("eth_getBlockByNumber", [hex(n), false]);
      out.push(BigInt(b.gasUsed));
    }
    return out;
  }
  /** Whether the node answers eth_feeHistory: unknown until the first settle. */
  private feeHistory: boolean | undefined;

  private async gasFromFeeHistory(newest: number, count: number, gasLimit: bigint): Promise<bigint[]> {
    const out: bigint[] = [];
    for (let end = newest; count > 0;) {
      const n = Math.min(count, 1024); // the most eth_feeHistory returns at once
      const fh = await this.request<{ gasUsedRatio: number[] }>("eth_feeHistory", [hex(n), hex(end), []]);
      out.unshift(...fh.gasUsedRatio.map((r) => BigInt(Math.round(r * Number(gasLimit)))));
      end -= n;
      count -= n;
    }
    this.feeHistory = true;
    return out;
  }
}

/**
 * How blocks get their timestamps during a run.
 * - "tick": every block of a tick carries the tick's time, as on a chain with one block per tick;
 *   views and KPIs see exactly the tick's time. Needs a node that accepts blocks with equal
 *   timestamps (the plugin's own simulation network always does).
 * - "tick+tx": a node that refuses equal timestamps (a `npx hardhat node` with Hardhat's default
 *   `allowBlocksWithSameTimestamp: false`): the k-th transaction of a tick is mined at tick time + k
 *   seconds, and a view sees the time of the latest block. A tick then holds at most
 *   `stepSeconds - 1` transactions.
 */
export type BlockTime = "tick" | "tick+tx";

/**
 * What the engine knows of the node it drives: how it stamps blocks (`BlockTime`), given for the plugin's network, probed (`probeNode`) for others.
 */
export interface NodeBehaviour {
  blockTime: BlockTime;
}

/**
 * Checks the settings of a node the plugin did not configure itself (a `--network` over JSON-RPC):
 * automine (each transaction is mined as it is sent) and failing transactions throwing (how reverts
 * are seen); and whether it accepts blocks with equal timestamps. Sends one probe transaction: call
 * it after taking the run's snapshot, so the probe is reverted with the run.
 *
 * @throws TokenspiceError NETWORK_UNSUPPORTED naming the setting to change
 */
export async function probeNode(chain: Chain, from: string): Promise<NodeBehaviour> {
  const automine = await chain.request<boolean>("hardhat_getAutomine").catch(() => true);
  if (!automine) {
    throw new TokenspiceError(
      "NETWORK_UNSUPPORTED",
      "The network is not automining: hardhat-tokenspice mines each agent transaction as it is sent. " + "Remove `mining.auto: false` (or call evm_setAutomine(true)) for the network you simulate on.",
      { setting: "automine" },
    );
  }
  const probe = "0x000000000000000000000000000000000070726f"; // code 0xfe: any call to it fails
  await chain.request("hardhat_setCode", [probe, "0xfe"]);
  const failureThrows = await chain.request("eth_sendTransaction", [{ from, to: probe, gas: hex(100_000) }]).then(
    () => false,
    () => true,
  );
  if (!failureThrows) {
    throw new TokenspiceError(
      "NETWORK_UNSUPPORTED",
      "The network does not throw on failed transactions, so reverts could not be seen. " + "Set `throwOnTransactionFailures: true` (Hardhat's default) for the network you simulate on.",
      { setting: "throwOnTransactionFailures" },
    );
  }
  const latest = await chain.latestBlock();
  const sameTimestamps = await chain.setNextBlockTimestamp(latest.timestamp).then(
    () => true,
    () => false,
  );
  return { blockTime: sameTimestamps ? "tick" : "tick+tx" };
}

/** EDR's words for a refused evm_setNextBlockTimestamp. */
const TIMESTAMP_REFUSED = /Timestamp \d+ is (lower than|equal to) the previous block's timestamp/;

/**
 * Sim time on chain. A tick opens with an empty block at the tick's time T (so a view called
 * before any transaction sees T); its transactions are mined one block each, at T ("tick" block
 * time) or at T + 1 s, T + 2 s, ... ("tick+tx").
 *
 * Every transaction's block timestamp is pinned (`evm_setNextBlockTimestamp`) just before it is
 * sent. Hardhat (EDR) stamps an unpinned automined block from the wall clock: the last pinned
 * timestamp plus the wall seconds since, read by the node when it mines. An earlier version pinned
 * only when the wall clock was within 100 ms of a new second; a pause between that check and the
 * node's own reading of the clock (a GC pause, a starved CPU) then stamped a block one second late
 * and failed the run with CHAIN_DRIFT. No check made in this process can see a pause that happens
 * after it, and EDR offers no setting that stops the wall clock (its timer is fixed at `CurrentTime`
 * outside its own tests, and it does not clamp an unpinned stamp to the previous block's), so
 * the clock pins every block. On the plugin's own network the pin and the transaction go to the
 * node as one JSON-RPC batch, handled in order under one lock: nothing comes between them, and the
 * pin costs no round trip of its own (alone it is one, about 50 µs on a 2-core VM, 3-4% of a
 * token-flow transaction). Over JSON-RPC they are two requests. `endTick` still checks that chain
 * time is exactly what it should be, so a block mined by someone else fails the run loudly instead
 * of silently making it irreproducible.
 */
export class SimClock {
  private tickTime = 0;
  private currentTick = 0;
  private openingBlock = 0;
  private blocksInTick = 0;

  constructor(
    private readonly chain: Chain,
    readonly blockTime: BlockTime,
    private readonly stepSeconds: number,
    /** Blocks each tick adds before its transactions (the netlist's time.blocksPerStep): block.number follows sim time. */
    private readonly blocksPerStep = 1,
  ) {}

  get latestBlockNumber(): number {
    return this.openingBlock + this.blocksInTick;
  }

  /** The timestamp every block of the current tick has ("tick"), or the latest one ("tick+tx"). */
  private expectedLatestTimestamp(): number {
    return this.blockTime === "tick" ? this.tickTime : this.tickTime + this.blocksInTick;
  }

  /** Opens tick 0 (setup) at the sim's start time. */
  async start(time: number): Promise<void> {
    const latest = await this.chain.latestBlock();
    if (latest.timestamp >= time) {
      throw new TokenspiceError(
        "NETWORK_UNSUPPORTED",
        `The chain's latest block (timestamp ${latest.timestamp}) is not before the sim start ${time}. ` + `Set time.start in the netlist to a later unix time.`,
        { latestTimestamp: latest.timestamp, start: time },
      );
    }
    await this.open(time, 0, latest.number + 1);
  }

  /** Opens tick `tick` at `time` with an empty block; call `endTick` for the tick before. */
  async beginTick(time: number, tick: number): Promise<void> {
    if (this.expectedLatestTimestamp() >= time) {
      throw new TokenspiceError(
        "TICK_TOO_FULL",
        `Tick ${this.currentTick} sent ${this.blocksInTick} transactions, one block each one second apart (this node refuses blocks ` +
          `with equal timestamps), which reaches tick ${tick}'s time: raise time.stepSeconds above ${this.blocksInTick}, ` +
          `or run on a node with allowBlocksWithSameTimestamp.`,
        { tick: this.currentTick, transactions: this.blocksInTick, stepSeconds: this.stepSeconds },
      );
    }
    const fillers = this.blocksPerStep - 1;
    if (fillers > 0) {
      // Empty blocks, cheaply (the node reserves them without executing anything), at the previous
      // block's time, or one second apart on a node that refuses equal timestamps.
      const interval = this.blockTime === "tick" ? 0 : 1;
      if (this.expectedLatestTimestamp() + fillers * interval >= time) {
        throw new TokenspiceError(
          "TICK_TOO_FULL",
          `time.blocksPerStep ${this.blocksPerStep} blocks one second apart (this node refuses blocks with equal timestamps) do not fit in ` +
            `tick ${tick}'s ${this.stepSeconds} s: raise stepSeconds, or run on a node with allowBlocksWithSameTimestamp.`,
          { tick, blocksPerStep: this.blocksPerStep, stepSeconds: this.stepSeconds },
        );
      }
      await this.chain.request("hardhat_mine", [hex(fillers), hex(interval)]);
    }
    await this.open(time, tick, this.latestBlockNumber + fillers + 1);
  }

  /** Checks that the tick's blocks are exactly the engine's, at exactly the expected times. */
  async endTick(): Promise<void> {
    this.checkDrift(await this.chain.latestBlock());
  }

  private async open(time: number, tick: number, openingBlock: number): Promise<void> {
    await this.chain.mine(time);
    this.tickTime = time;
    this.currentTick = tick;
    this.openingBlock = openingBlock;
    this.blocksInTick = 0;
  }

  /**
   * Sends a transaction (`eth_sendTransaction`) with its block's timestamp pinned: the tick's time,
   * or the next second of it ("tick+tx"). Resolves to its hash; a failure is thrown as the node threw it.
   */
  async sendTransaction(request: Record<string, string>): Promise<string> {
    const timestamp = this.blockTime === "tick" ? this.tickTime : this.tickTime + this.blocksInTick + 1;
    if (!this.chain.batches) {
      await this.pin(timestamp);
      return this.chain.request<string>("eth_sendTransaction", [request]);
    }
    try {
      return await this.chain.sendTransactionAt(timestamp, request);
    } catch (error) {
      // The pin was refused (the transaction was not sent): the node already has a later block.
      if (TIMESTAMP_REFUSED.test(String((error as Error)?.message))) await this.endTick();
      throw error;
    }
  }

  private async pin(timestamp: number): Promise<void> {
    try {
      await this.chain.setNextBlockTimestamp(timestamp);
    } catch (error) {
      // The node already stamped a later block itself: the check at the end of the tick says how.
      await this.endTick();
      throw error;
    }
  }

  /** Call when a transaction was mined (succeeded, or failed on chain). */
  transactionMined(): number {
    this.blocksInTick += 1;
    return this.latestBlockNumber;
  }

  private checkDrift(latest: { number: number; timestamp: number }): void {
    const expected = this.expectedLatestTimestamp();
    if (latest.number !== this.latestBlockNumber || latest.timestamp !== expected) {
      throw new TokenspiceError(
        "CHAIN_DRIFT",
        `Chain time drifted in tick ${this.currentTick}: expected block ${this.latestBlockNumber} at ${expected}, ` +
          `found block ${latest.number} at ${latest.timestamp}. ` +
          (latest.number !== this.latestBlockNumber
            ? `Blocks were mined outside the agents' wallets (send transactions through AgentWallet signers only, ` + `and don't share the node with another process during a run).`
            : `A block was stamped at a time the engine did not set (a block mined outside the agents' wallets, or a node ` + `that ignores evm_setNextBlockTimestamp).`),
        { tick: this.currentTick, expectedBlock: this.latestBlockNumber, foundBlock: latest.number, expectedTimestamp: expected, foundTimestamp: latest.timestamp },
      );
    }
  }
}
