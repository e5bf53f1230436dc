import { MaxUint256 } from "ethers";
import { Agent } from "../../src/api";
import { OceanV3Datatoken__factory } from "../../typechain-types";
import { readHoldings } from "./market";
import type { OceanV3Params, OceanV3World, PoolListing } from "./world";

/**
 * An agent that trades with pools: the token moves every agent type makes, as TokenSPICE's
 * AgentWallet has them (buyDT, sellDT, stakeOCEAN, unstakeOCEAN). Approvals are unlimited and given
 * once per token and spender, so each move is one transaction after the first. Every move that
 * changes a pool's balances, or anyone's holdings of it, first touches the pool in `world.reads`.
 */
export abstract class Trader extends Agent<OceanV3World, OceanV3Params> {
  private readonly approved = new Set<string>();

  protected async approveOnce(token: string, spender: string): Promise<void> {
    const key = `${token}:${spender}`;
    if (this.approved.has(key)) return;
    await OceanV3Datatoken__factory.connect(token, this.wallet.signer).approve(spender, MaxUint256);
    this.approved.add(key);
  }

  protected oceanBalance(world: OceanV3World): Promise<bigint> {
    return world.ocean.balanceOf(this.wallet.address);
  }

  /** This agent's datatokens and shares of each of `pools`, in their order. */
  protected async holdingsIn(world: OceanV3World, pools: readonly PoolListing[]): Promise<{ datatokens: bigint[]; shares: bigint[] }> {
    const { datatokens, shares } = await readHoldings(world, [this.wallet.address], pools);
    return { datatokens: datatokens[0], shares: shares[0] };
  }

  /** Buys exactly `amountOut` datatokens, paying up to `maxOceanIn`. */
  protected async buyDatatokens(world: OceanV3World, listing: PoolListing, amountOut: bigint, maxOceanIn: bigint): Promise<void> {
    await this.approveOnce(world.oceanAddress, listing.address);
    world.reads.touch(listing.address);
    await listing.pool.connect(this.wallet.signer).swapExactAmountOut(world.oceanAddress, maxOceanIn, amountOut, MaxUint256);
  }

  /** Sells exactly `amountIn` datatokens for OCEAN. */
  protected async sellDatatokens(world: OceanV3World, listing: PoolListing, amountIn: bigint): Promise<void> {
    await this.approveOnce(listing.datatokenAddress, listing.address);
    world.reads.touch(listing.address);
    await listing.pool.connect(this.wallet.signer).swapExactAmountIn(listing.datatokenAddress, amountIn, 0n, MaxUint256);
  }

  /** Stakes OCEAN alone (a single-asset join). */
  protected async stakeOcean(world: OceanV3World, listing: PoolListing, oceanIn: bigint): Promise<void> {
    await this.approveOnce(world.oceanAddress, listing.address);
    world.reads.touch(listing.address);
    await listing.pool.connect(this.wallet.signer).joinswapExternAmountIn(world.oceanAddress, oceanIn, 0n);
  }

  /** Unstakes shares into OCEAN alone (a single-asset exit). */
  protected async unstakeOcean(world: OceanV3World, listing: PoolListing, shares: bigint): Promise<void> {
    world.reads.touch(listing.address);
    await listing.pool.connect(this.wallet.signer).exitswapPoolAmountIn(world.oceanAddress, shares, 0n);
  }

  /** Withdraws liquidity in proportion to `shares` (both tokens). */
  protected async exitPool(world: OceanV3World, listing: PoolListing, shares: bigint): Promise<void> {
    world.reads.touch(listing.address);
    await listing.pool.connect(this.wallet.signer).exitPool(shares, 0n, 0n);
  }

  /** Sends datatokens to the dataset's publisher: how a consumer pays for an access. */
  protected async payPublisher(world: OceanV3World, listing: PoolListing, datatokens: bigint): Promise<void> {
    world.reads.touch(listing.address);
    await listing.datatoken.connect(this.wallet.signer).transfer(listing.publisher, datatokens);
  }
}
