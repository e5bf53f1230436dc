import type { Eip1193Provider } from "./provider";
import { TokenspiceError } from "../errors";

const hex = (n: bigint | number) => "0x" + BigInt(n).toString(16);

/** The dev-node methods the engine uses (Hardhat's names; Anvil answers to them too). */
export class Chain {
  constructor(readonly eip1193: Eip1193Provider) {}

  private request<T>(method: string, params: unknown[] = []): Promise<T> {
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
  async mine(timestamp: number): Promise<void> {
    await this.setNextBlockTimestamp(timestamp);
    await this.request("evm_mine");
  }
  async setBalance(address: string, wei: bigint): Promise<void> {
    await this.request("hardhat_setBalance", [address, hex(wei)]);
  }
  async impersonate(address: string): Promise<void> {
    await this.request("hardhat_impersonateAccount", [address]);
  }
}

/**
 * Sim time on chain. A tick opens with an empty block at the tick's time, so views read in the tick
 * see `block.timestamp` = tick time; its transactions follow at +1 s, +2 s, ... because Hardhat
 * wants strictly increasing block timestamps. Setting every timestamp ourselves keeps the wall
 * clock out of the chain, so runs are reproducible.
 */
export class SimClock {
  private tickTime = 0;
  private txInTick = 0;

  constructor(
    private readonly chain: Chain,
    private readonly stepSeconds: number,
  ) {}

  get time(): number {
    return this.tickTime;
  }

  async beginTick(time: number, tick: number): Promise<void> {
    const latest = await this.chain.latestBlock();
    if (latest.timestamp >= time) {
      throw new TokenspiceError(
        tick === 0
          ? `The chain's latest block (timestamp ${latest.timestamp}) is not before the sim start ${time}. ` +
              `Set time.start in the netlist to a later unix time.`
          : `Tick ${tick - 1} sent ${this.txInTick} transactions, one block each one second apart, ` +
              `which reaches tick ${tick}'s time: raise time.stepSeconds above ${this.txInTick}.`,
      );
    }
    await this.chain.mine(time);
    this.tickTime = time;
    this.txInTick = 0;
  }

  /** Timestamp for the next transaction's block. */
  nextTransactionTime(): number {
    this.txInTick += 1;
    return this.tickTime + this.txInTick;
  }
}
