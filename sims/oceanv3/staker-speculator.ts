import type { StepContext } from "../../src/api";
import { livePools, readPoolReserves } from "./market";
import { maxStake, maxUnstake } from "./quotes";
import { Trader } from "./trader";
import { fractionOf, min } from "./units";
import type { OceanV3Params, OceanV3World } from "./world";

type Ctx = StepContext<OceanV3World, OceanV3Params>;

/** TokenSPICE's magic numbers (agents/SpeculatorAgent.py): unstake 10% of the shares, or stake 10% of the OCEAN. */
const UNSTAKE_FRACTION = 0.1;
const STAKE_FRACTION = 0.1;

/**
 * A staker-speculator (TokenSPICE's StakerspeculatorAgent): `stakerActionsPerDay` times a day it
 * picks a listed pool at random and, if it holds shares there, on a coin flip unstakes 10% of them
 * to OCEAN; otherwise it stakes 10% of its OCEAN.
 */
export class StakerSpeculator extends Trader {
  async step({ world, params, rng }: Ctx): Promise<void> {
    for (let action = 0; action < params.stakerActionsPerDay; action++) {
      const pools = livePools(world);
      if (pools.length === 0) return;
      const listing = rng.choice(pools);
      const [reserves, held, ocean] = await Promise.all([
        readPoolReserves(world, listing),
        this.holdingsIn(world, [listing]),
        this.oceanBalance(world),
      ]);
      const shares = held.shares[0];
      if (shares > 0n && rng() < 0.5) {
        const amount = min(fractionOf(shares, UNSTAKE_FRACTION), maxUnstake(listing, reserves));
        if (amount > 0n) await this.unstakeOcean(world, listing, amount);
      } else {
        const amount = min(fractionOf(ocean, STAKE_FRACTION), maxStake(reserves));
        if (amount > 0n) await this.stakeOcean(world, listing, amount);
      }
    }
  }
}
