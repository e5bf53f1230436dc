import { Agent, type StepContext } from "../../src/api";
import type { PopulationParams, OceanWorld } from "./world";

type Ctx = StepContext<OceanWorld, PopulationParams>;

/**
 * The world outside the market, whose business pays consumers for what the data was worth to them.
 * It steps after the consumers and pays what they are owed, as far as its OCEAN goes; what it cannot
 * pay is forgotten.
 */
export class Economy extends Agent<OceanWorld, PopulationParams> {
  async step({ world }: Ctx): Promise<void> {
    if (world.owedToConsumers.size === 0) return;
    let available = await world.ocean.balanceOf(this.wallet.address);
    const ocean = world.ocean.connect(this.wallet.signer);
    for (const [consumer, owed] of world.owedToConsumers) {
      const paid = owed < available ? owed : available;
      if (paid > 0n) await ocean.transfer(consumer, paid);
      available -= paid;
    }
    world.owedToConsumers.clear();
  }
}
