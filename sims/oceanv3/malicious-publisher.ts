import { isTransactionReverted } from "../../src/api";
import { readPoolReserves } from "./market";
import { DatasetPublisher } from "./publisher";
import { maxSell } from "./quotes";
import type { Ctx } from "./trader";
import { min } from "./units";
import type { PoolListing } from "./world";

/** Enough sells to dump into a pool left with a millionth of its datatokens: each may add half the balance. */
const MAX_DUMP_SWAPS = 40;
/** Below a millionth of an OCEAN (wei) left in the pool, more dumping gains nothing. */
export const OCEAN_DUST = 10n ** 12n;

/**
 * A publisher that rug-pulls (TokenSPICE's malicious PublisherAgent): every `maliciousCreateEveryDays`
 * it publishes a dataset and pool like an honest publisher, waits `maliciousRugAfterDays` for
 * stakers and buyers, then takes all its liquidity out (every share it has, as fast as the pool
 * lets it: the venue's `withdrawAll`) and dumps all its datatokens of that pool into what is left
 * of it. The market then delists the pool. With `rugPull` off it publishes the same pools and never
 * exits: the counterfactual. What each rug took is added to `world.rugs`.
 */
export class MaliciousPublisher extends DatasetPublisher {
  private sinceCreate = 0;
  /** Pools it has finished with: liquidity out and nothing left to dump. */
  private readonly done = new Set<string>();

  async step(ctx: Ctx): Promise<void> {
    const { world, params } = ctx;
    this.sinceCreate++;
    if (this.sinceCreate >= params.maliciousCreateEveryDays && (await this.canPublish(world))) {
      this.sinceCreate = 0;
      await this.publishDataset(ctx);
    }
    const latest = this.published.at(-1);
    if (params.rugPull && latest && this.sinceCreate >= params.maliciousRugAfterDays && !this.done.has(latest.address)) {
      await this.rug(ctx, latest);
    }
  }

  private async rug(ctx: Ctx, listing: PoolListing): Promise<void> {
    const { world } = ctx;
    // Counted as rugged (and delisted) from its first move, whatever happens after.
    world.rugged.add(listing.address);
    this.done.add(listing.address);
    world.rugs.staked += listing.oceanStaked;

    const before = await this.oceanBalance(world);
    let afterExit = before;
    const shares = (await this.holdingsIn(world, [listing])).shares[0];
    try {
      if (shares > 0n) await this.withdrawAll(ctx, listing, shares);
    } finally {
      afterExit = await this.oceanBalance(world);
      world.rugs.exited += afterExit - before;
    }

    let datatokens = (await this.holdingsIn(world, [listing])).datatokens[0];
    try {
      for (let i = 0; i < MAX_DUMP_SWAPS && datatokens > 0n; i++) {
        const reserves = await readPoolReserves(world, listing);
        const chunk = min(datatokens, maxSell(world.venue, reserves));
        if (chunk === 0n || reserves.ocean < OCEAN_DUST) break; // emptied, or drained: nobody left to dump on
        await this.sellDatatokens(ctx, listing, chunk);
        datatokens -= chunk;
      }
    } catch (error) {
      // What is left of the pool cannot take more (its OCEAN is down to dust): keep the rest.
      if (!isTransactionReverted(error)) throw error;
    } finally {
      world.rugs.dumped += (await this.oceanBalance(world)) - afterExit;
    }
  }
}
