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
    if (!ok) throw new TokenspiceError(`evm_revert(${id}) failed: the snapshot no longer exists`);
  }
  async latestBlock(): Promise<{ number: number; timestamp: number; gasLimit: bigint }> {
    const b = await this.request<{ number: string; timestamp: string; gasLimit: string }>("eth_getBlockByNumber", ["latest", false]);
    return { number: Number(b.number), timestamp: Number(b.timestamp), gasLimit: BigInt(b.gasLimit) };
  }
  async setNextBlockTimestamp(timestamp: number): Promise<void> {
    await this.request("evm_setNextBlockTimestamp", [hex(timestamp)]);
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
  /** Gas used by each of the `count` blocks ending at `newest` (exact: ratios of integers below 2^53). */
  async gasUsedByBlocks(newest: number, count: number, gasLimit: bigint): Promise<bigint[]> {
    const out: bigint[] = [];
    for (let end = newest; count > 0; ) {
      const n = Math.min(count, 1024); // the most eth_feeHistory returns at once
      const fh = await this.request<{ gasUsedRatio: number[] }>("eth_feeHistory", [hex(n), hex(end), []]);
      out.unshift(...fh.gasUsedRatio.map((r) => BigInt(Math.round(r * Number(gasLimit)))));
      end -= n;
      count -= n;
    }
    return out;
  }
}

export interface NodeBehaviour {
  /** Hardhat's allowBlocksWithSameTimestamp: then the engine sets every block's timestamp itself. */
  sameTimestampBlocks: boolean;
}

/**
 * Checks the node settings the engine relies on: automine (each transaction is mined as it is
 * sent) and failing transactions throwing (how reverts are seen). Sends one probe transaction:
 * call it after taking the run's snapshot, so the probe is reverted with the run.
 */
export async function probeNode(chain: Chain, from: string): Promise<NodeBehaviour> {
  const automine = await chain.request<boolean>("hardhat_getAutomine").catch(() => true);
  if (!automine) {
    throw new TokenspiceError(
      "The network is not automining: hardhat-tokenspice mines each agent transaction as it is sent. " +
        "Remove `mining.auto: false` (or call evm_setAutomine(true)) for the network you simulate on.",
    );
  }
  const probe = "0x000000000000000000000000000000000070726f"; // code 0xfe: any call to it fails
  await chain.request("hardhat_setCode", [probe, "0xfe"]);
  const failureThrows = await chain
    .request("eth_sendTransaction", [{ from, to: probe, gas: hex(100_000) }])
    .then(() => false, () => true);
  if (!failureThrows) {
    throw new TokenspiceError(
      "The network does not throw on failed transactions, so reverts could not be seen. " +
        "Set `throwOnTransactionFailures: true` (Hardhat's default) for the network you simulate on.",
    );
  }
  const latest = await chain.latestBlock();
  const sameTimestampBlocks = await chain.setNextBlockTimestamp(latest.timestamp).then(() => true, () => false);
  return { sameTimestampBlocks };
}

/**
 * Sim time on chain. A tick opens with an empty block at the tick's time, so views read in the tick
 * see `block.timestamp` = tick time; its transactions follow one block each at +1 s, +2 s, ...
 *
 * Hardhat stamps a block max(previous + 1, previous + wall seconds since the previous block).
 * While blocks follow each other within a second, that is exactly previous + 1, so the clock only
 * sets a timestamp itself (one more round trip) when a second may have passed. `beginTick` checks
 * that chain time is what it should be, so a broken assumption fails loudly instead of silently
 * making a run irreproducible.
 */
export class SimClock {
  private tickTime = 0;
  private currentTick = 0;
  private openingBlock = 0;
  private blocksInTick = 0;
  private lastBlockSentAt = 0;

  constructor(
    private readonly chain: Chain,
    private readonly node: NodeBehaviour,
  ) {}

  get latestBlockNumber(): number {
    return this.openingBlock + this.blocksInTick;
  }

  async beginTick(time: number, tick: number): Promise<void> {
    const latest = await this.chain.latestBlock();
    if (tick > 0) this.checkDrift(latest);
    if (latest.timestamp >= time) {
      throw new TokenspiceError(
        tick === 0
          ? `The chain's latest block (timestamp ${latest.timestamp}) is not before the sim start ${time}. ` +
              `Set time.start in the netlist to a later unix time.`
          : `Tick ${tick - 1} sent ${this.blocksInTick} transactions, one block each one second apart, ` +
              `which reaches tick ${tick}'s time: raise time.stepSeconds above ${this.blocksInTick}.`,
      );
    }
    this.lastBlockSentAt = performance.now();
    await this.chain.mine(time);
    this.tickTime = time;
    this.currentTick = tick;
    this.openingBlock = latest.number + 1;
    this.blocksInTick = 0;
  }

  /** Call just before sending a transaction: pins its block's timestamp when the node's own would drift. */
  async beforeTransaction(): Promise<void> {
    const now = performance.now();
    if (this.node.sameTimestampBlocks || now - this.lastBlockSentAt > 900) {
      await this.chain.setNextBlockTimestamp(this.tickTime + this.blocksInTick + 1);
    }
    this.lastBlockSentAt = now;
  }

  /** Call when a transaction was mined (succeeded, or reverted on chain). */
  transactionMined(): number {
    this.blocksInTick += 1;
    return this.latestBlockNumber;
  }

  private checkDrift(latest: { number: number; timestamp: number }): void {
    const expected = this.tickTime + this.blocksInTick;
    if (latest.number !== this.latestBlockNumber || latest.timestamp !== expected) {
      throw new TokenspiceError(
        `Chain time drifted in tick ${this.currentTick}: expected block ${this.latestBlockNumber} at ${expected}, ` +
          `found block ${latest.number} at ${latest.timestamp}. Blocks were mined outside the agents' wallets ` +
          `(send transactions through AgentWallet signers only).`,
      );
    }
  }
}
