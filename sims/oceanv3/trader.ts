import { Agent, type StepContext } from "../../src/api";
import { readHoldings } from "./market";
import type { OceanWorld, PoolListing, PopulationParams } from "./world";

export type Ctx = StepContext<OceanWorld, PopulationParams>;

/**
 * An agent that trades with pools: the moves every agent type makes, as TokenSPICE's AgentWallet
 * has them (buyDT, sellDT, stakeOCEAN, unstakeOCEAN), sent through the world's venue (Ocean V3's or
 * V4's published contracts). Every move that changes a pool's balances, or anyone's holdings of it,
 * first touches the pool in `world.reads`.
 */
export abstract class Trader extends Agent<OceanWorld, PopulationParams> {
  protected oceanBalance(world: OceanWorld): Promise<bigint> {
    return world.ocean.balanceOf(this.wallet.address);
  }

  /** This agent's datatokens and shares (wei) of each of `pools`, in their order. */
  protected async holdingsIn(world: OceanWorld, pools: readonly PoolListing[]): Promise<{ datatokens: bigint[]; shares: bigint[] }> {
    const { datatokens, shares } = await readHoldings(world, [this.wallet.address], pools);
    return { datatokens: datatokens[0], shares: shares[0] };
  }

  /** Buys exactly `amountOut` datatokens (wei), paying up to `maxOceanIn` (wei). */
  protected async buyDatatokens(ctx: Ctx, listing: PoolListing, amountOut: bigint, maxOceanIn: bigint): Promise<void> {
    ctx.world.reads.touch(listing.address);
    await ctx.world.venue.buy(ctx, this.wallet, listing, amountOut, maxOceanIn);
  }

  /** Sells exactly `amountIn` datatokens (wei) for OCEAN. */
  protected async sellDatatokens(ctx: Ctx, listing: PoolListing, amountIn: bigint): Promise<void> {
    ctx.world.reads.touch(listing.address);
    await ctx.world.venue.sell(ctx, this.wallet, listing, amountIn);
  }

  /** Stakes OCEAN (wei) alone. */
  protected async stakeOcean(ctx: Ctx, listing: PoolListing, oceanIn: bigint): Promise<void> {
    ctx.world.reads.touch(listing.address);
    await ctx.world.venue.stake(ctx, this.wallet, listing, oceanIn);
  }

  /** Unstakes shares (wei) into OCEAN alone. */
  protected async unstakeOcean(ctx: Ctx, listing: PoolListing, shares: bigint): Promise<void> {
    ctx.world.reads.touch(listing.address);
    await ctx.world.venue.unstake(ctx, this.wallet, listing, shares);
  }

  /** Takes all of `shares` (wei) out, as fast as the pool allows. */
  protected async withdrawAll(ctx: Ctx, listing: PoolListing, shares: bigint): Promise<void> {
    ctx.world.reads.touch(listing.address);
    await ctx.world.venue.withdrawAll(ctx, this.wallet, listing, shares);
  }

  /** Pays for one access to the dataset with one datatoken. */
  protected async consume(ctx: Ctx, listing: PoolListing): Promise<void> {
    ctx.world.reads.touch(listing.address);
    await ctx.world.venue.consume(ctx, this.wallet, listing);
  }
}
