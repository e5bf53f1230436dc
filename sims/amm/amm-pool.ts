import type { AgentWallet } from "../../src/api";
import type { AmmPool } from "../../typechain-types";
import { getAmountOut } from "./constant-product";
import type { ConstantProductPool, Holdings, Reserves, Side } from "./pool";

/**
 * `AmmPool` behind the agents' pool interface. One contract call per operation: the pool pulls
 * tokens with `transferFrom` (the wallets approved it at setup), applies its own ratio and slippage
 * checks, and reverts with its custom errors (`InsufficientOutput`, `InsufficientLiquidityMinted`,
 * `InsufficientLiquidityBurned`). token0 is the volatile token, token1 the stable one.
 */
export class AmmPoolAdapter implements ConstantProductPool {
  constructor(
    readonly contract: AmmPool,
    /** The tokens' addresses, resolved once (ethers would resolve a contract argument on every call). */
    private readonly addresses: { volatile: string; stable: string },
    readonly feeBps: number,
  ) {}

  async reserves(): Promise<Reserves> {
    const [volatile, stable] = await this.contract.poolState();
    return { volatile, stable };
  }

  async holdingsOf(address: string): Promise<Holdings> {
    const [volatile, stable, shares] = await this.contract.holdingsOf(address);
    return { volatile, stable, shares };
  }

  totalShares(): Promise<bigint> {
    return this.contract.totalSupply();
  }

  getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
    return getAmountOut(amountIn, reserveIn, reserveOut, this.feeBps);
  }

  async swapExactIn(trader: AgentWallet, sell: Side, amountIn: bigint, minAmountOut: bigint): Promise<void> {
    await this.contract.connect(trader.signer).swap(this.addresses[sell], amountIn, minAmountOut);
  }

  async addLiquidity(provider: AgentWallet, volatileMax: bigint, stableMax: bigint): Promise<void> {
    await this.contract.connect(provider.signer).addLiquidity(volatileMax, stableMax);
  }

  async removeLiquidity(provider: AgentWallet, shares: bigint): Promise<void> {
    await this.contract.connect(provider.signer).removeLiquidity(shares);
  }
}
