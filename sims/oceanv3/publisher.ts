import { readPoolReserves } from "./market";
import { maxSell } from "./quotes";
import { Trader, type Ctx } from "./trader";
import { TOKEN, fractionOf, min } from "./units";
import type { OceanWorld, PoolListing } from "./world";

/** TokenSPICE's magic numbers (agents/PublisherAgent.py): publish only with at least 200 OCEAN; unstake 10%, sell 1%. */
export const MIN_OCEAN_TO_PUBLISH = 200n * TOKEN;
const UNSTAKE_FRACTION = 0.1;
const SELL_FRACTION = 0.01;

/**
 * Publishes datasets: a datatoken and its pool, staking all of its OCEAN (as TokenSPICE's
 * publisher binds all its OCEAN). How is the venue's: V3 mints datatokens and binds them with the
 * OCEAN; V4's side-staking bot mints the datatoken side.
 */
export abstract class DatasetPublisher extends Trader {
  /** Pools this publisher created, oldest first. */
  readonly published: PoolListing[] = [];

  protected async publishDataset(ctx: Ctx): Promise<PoolListing> {
    const listing = await ctx.world.venue.publish(ctx, this.wallet, await this.oceanBalance(ctx.world));
    ctx.world.pools.push(listing);
    this.published.push(listing);
    return listing;
  }

  protected async canPublish(world: OceanWorld): Promise<boolean> {
    return (await this.oceanBalance(world)) >= MIN_OCEAN_TO_PUBLISH;
  }
}

/**
 * An honest publisher (TokenSPICE's PublisherAgent): every `publisherCreateEveryDays` a new dataset
 * and pool; every `publisherUnstakeEveryDays` it unstakes 10% of its shares in one of its pools to
 * OCEAN; every `publisherSellEveryDays` it sells 1% of one of its datatokens. Each timer restarts
 * only when its action happens.
 */
export class Publisher extends DatasetPublisher {
  private sinceCreate = 0;
  private sinceUnstake = 0;
  private sinceSell = 0;

  async step(ctx: Ctx): Promise<void> {
    const { world, params, rng } = ctx;
    this.sinceCreate++;
    this.sinceUnstake++;
    this.sinceSell++;
    if (this.sinceCreate >= params.publisherCreateEveryDays && (await this.canPublish(world))) {
      this.sinceCreate = 0;
      await this.publishDataset(ctx);
    }
    const unstakeDue = this.sinceUnstake >= params.publisherUnstakeEveryDays;
    const sellDue = this.sinceSell >= params.publisherSellEveryDays;
    if (this.published.length === 0 || (!unstakeDue && !sellDue)) return;

    const held = await this.holdingsIn(world, this.published);
    const staked = this.published.filter((_, i) => held.shares[i] > 0n);
    if (unstakeDue && staked.length > 0) {
      this.sinceUnstake = 0;
      const listing = rng.choice(staked);
      const shares = held.shares[this.published.indexOf(listing)];
      const amount = min(fractionOf(shares, UNSTAKE_FRACTION), world.venue.maxUnstake(listing, await readPoolReserves(world, listing)));
      if (amount > 0n) await this.unstakeOcean(ctx, listing, amount);
    }
    const holding = this.published.filter((p, i) => held.datatokens[i] > 0n && !world.rugged.has(p.address));
    if (sellDue && holding.length > 0) {
      this.sinceSell = 0;
      const listing = rng.choice(holding);
      const datatokens = held.datatokens[this.published.indexOf(listing)];
      const amount = min(fractionOf(datatokens, SELL_FRACTION), maxSell(world.venue, await readPoolReserves(world, listing)));
      if (amount > 0n) await this.sellDatatokens(ctx, listing, amount);
    }
  }
}
