import { livePools, readPoolReserves } from "./market";
import { maxSell, quoteBuy } from "./quotes";
import { Trader, type Ctx } from "./trader";
import { TOKEN, min } from "./units";

/**
 * A speculator (TokenSPICE's SpeculatorAgent): every `speculatorActEveryDays` it picks a listed pool
 * at random and, if it holds that datatoken, on a coin flip sells all of it (as much as one swap
 * may); otherwise it buys one datatoken if it can afford it.
 */
export class Speculator extends Trader {
  private sinceAct = 0;

  async step(ctx: Ctx): Promise<void> {
    const { world, params, rng } = ctx;
    this.sinceAct++;
    if (this.sinceAct < params.speculatorActEveryDays) return;
    const pools = livePools(world);
    if (pools.length === 0) return;
    this.sinceAct = 0;
    const listing = rng.choice(pools);
    const [reserves, held, ocean] = await Promise.all([readPoolReserves(world, listing), this.holdingsIn(world, [listing]), this.oceanBalance(world)]);
    const datatokens = held.datatokens[0];
    if (datatokens > 0n && rng() < 0.5) {
      const amount = min(datatokens, maxSell(world.venue, reserves));
      if (amount > 0n) await this.sellDatatokens(ctx, listing, amount);
    } else {
      const cost = quoteBuy(world.venue, listing, reserves, TOKEN);
      if (cost !== undefined && cost <= ocean) await this.buyDatatokens(ctx, listing, TOKEN, ocean);
    }
  }
}
