import { quoteBuy } from "./quotes";
import { Trader, type Ctx } from "./trader";
import { TOKEN } from "./units";

/**
 * A data consumer (TokenSPICE's DataconsumerAgent): every `consumerBuyEveryDays` it buys one
 * datatoken from a listed pool it can afford, picked at random, and spends it on an access to the
 * dataset (`startOrder`: most of the datatoken goes to the publisher). Using the data is worth what
 * it paid plus `consumerProfitMargin`, which the economy pays it at the end of the tick. Where
 * TokenSPICE credits that value out of thin air, here it comes from the economy's OCEAN, so OCEAN
 * stays conserved.
 */
export class Consumer extends Trader {
  private sinceBuy = 0;

  async step(ctx: Ctx): Promise<void> {
    const { world, params, rng } = ctx;
    this.sinceBuy++;
    if (this.sinceBuy < params.consumerBuyEveryDays) return;
    if (world.pools.length === world.rugged.size) return;
    const [reserves, oceanBefore] = await Promise.all([world.reads.reserves(), this.oceanBalance(world)]);
    const affordable = world.pools.filter((listing, i) => {
      if (world.rugged.has(listing.address)) return false;
      const cost = quoteBuy(world.venue, listing, reserves[i], TOKEN);
      return cost !== undefined && cost <= oceanBefore;
    });
    if (affordable.length === 0) return;
    this.sinceBuy = 0;

    const listing = rng.choice(affordable);
    await this.buyDatatokens(ctx, listing, TOKEN, oceanBefore);
    const spent = oceanBefore - (await this.oceanBalance(world));
    await this.consume(ctx, listing);
    const value = (spent * BigInt(Math.round((1 + params.consumerProfitMargin) * 1e6))) / 1_000_000n;
    world.owedToConsumers.set(this.wallet.address, (world.owedToConsumers.get(this.wallet.address) ?? 0n) + value);
  }
}
