import { isTransactionReverted, type StepContext } from "../../src/api";
import { readPoolReserves } from "./market";
import { DatasetPublisher } from "./publisher";
import { maxSell } from "./quotes";
import { min } from "./units";
import type { OceanV3Params, OceanV3World, PoolListing } from "./world";

type Ctx = StepContext<OceanV3World, OceanV3Params>;

/** Enough sells to dump into a pool left with a millionth of its datatokens: each may add half the balance. */
const MAX_DUMP_SWAPS = 40;
/** Below a millionth of an OCEAN left in the pool, more dumping gains nothing. */
const OCEAN_DUST = 10n ** 12n;

/**
 * A publisher that rug-pulls (TokenSPICE's malicious PublisherAgent): every `maliciousCreateEveryDays`
 * it publishes a dataset and pool like an honest publisher, waits `maliciousRugAfterDays` for
 * stakers and buyers, then takes all its liquidity out (a proportional exit of every share it has)
 * and dumps all its datatokens of that pool into what is left of it. The market then delists the
 * pool. With `rugPull` off it publishes the same pools and never exits: the counterfactual.
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
      await this.rug(world, latest);
    }
  }

  private async rug(world: OceanV3World, listing: PoolListing): Promise<void> {
    const shares = (await this.holdingsIn(world, [listing])).shares[0];
    if (shares > 0n) await this.exitPool(world, listing, shares);
    world.rugged.add(listing.address);

    let datatokens = (await this.holdingsIn(world, [listing])).datatokens[0];
    try {
      for (let i = 0; i < MAX_DUMP_SWAPS && datatokens > 0n; i++) {
        const reserves = await readPoolReserves(world, listing);
        const chunk = min(datatokens, maxSell(reserves));
        if (chunk === 0n || reserves.ocean < OCEAN_DUST) break; // emptied, or drained: nobody left to dump on
        await this.sellDatatokens(world, listing, chunk);
        datatokens -= chunk;
      }
    } catch (error) {
      // What is left of the pool cannot take more (its OCEAN is down to dust): keep the rest.
      if (!isTransactionReverted(error)) throw error;
    }
    this.done.add(listing.address);
  }
}
