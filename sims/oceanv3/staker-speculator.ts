import { livePools, readPoolReserves } from "./market";
import { maxStake } from "./quotes";
import { Trader, type Ctx } from "./trader";
import { fractionOf, min } from "./units";

/** TokenSPICE's magic numbers (agents/SpeculatorAgent.py): unstake 10% of the shares, or stake 10% of the OCEAN. */
const UNSTAKE_FRACTION = 0.1;
const STAKE_FRACTION = 0.1;

/**
 * A staker-speculator (TokenSPICE's StakerspeculatorAgent): `stakerActionsPerDay` times a day it
 * picks a listed pool at random and, if it holds shares there, on a coin flip unstakes 10% of them
 * to OCEAN; otherwise it stakes 10% of its OCEAN.
 */
export class StakerSpeculator extends Trader {
  async step(ctx: Ctx): Promise<void> {
    const { world, params, rng } = ctx;
    for (let action = 0; action < params.stakerActionsPerDay; action++) {
      const pools = livePools(world);
      if (pools.length === 0) return;
      const listing = rng.choice(pools);
      const [reserves, held, ocean] = await Promise.all([readPoolReserves(world, listing), this.holdingsIn(world, [listing]), this.oceanBalance(world)]);
      const shares = held.shares[0];
      if (shares > 0n && rng() < 0.5) {
        const amount = min(fractionOf(shares, UNSTAKE_FRACTION), world.venue.maxUnstake(listing, reserves));
        if (amount > 0n) await this.unstakeOcean(ctx, listing, amount);
      } else {
        const amount = min(fractionOf(ocean, STAKE_FRACTION), maxStake(world.venue, reserves));
        if (amount > 0n) await this.stakeOcean(ctx, listing, amount);
      }
    }
  }
}
