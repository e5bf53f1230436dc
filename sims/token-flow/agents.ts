import { Agent, type StepContext } from "../../src/api";
import type { TokenFlowParams, TokenFlowWorld } from "./world";

type Ctx = StepContext<TokenFlowWorld, TokenFlowParams>;

/** Calls the token's emission schedule every `emitEveryDays`, minting to a holder picked at random (a block-reward lottery). */
export class Minter extends Agent<TokenFlowWorld, TokenFlowParams> {
  async step({ world, params, rng, tick }: Ctx): Promise<void> {
    if (tick % params.emitEveryDays !== 0) return;
    await world.token.connect(this.wallet.signer).emitTo(rng.choice(world.holders));
  }
}

/**
 * Market mood, a pure-TypeScript agent: no transactions. A bounded random walk in [0, 1] that
 * makes holders more active when high and quieter when low.
 */
export class Sentiment extends Agent<TokenFlowWorld, TokenFlowParams> {
  step({ world, params, rng }: Ctx): void {
    world.mood = Math.min(1, Math.max(0, world.mood + rng.normal(0, params.moodVolatility)));
  }
}

/**
 * Reads every holder's balance once at the start of the tick and publishes it in the world, as a
 * block explorer would: holders decide on that snapshot instead of each reading the chain.
 * It sends no transactions; it must step first (the netlist's agent order is "declared").
 */
export class Indexer extends Agent<TokenFlowWorld, TokenFlowParams> {
  async step({ world, tick }: Ctx): Promise<void> {
    // Nothing happens on chain between the last tick's KPI sample and this tick's start: reuse it.
    const balances = world.lastSample?.tick === tick - 1 ? world.lastSample.balances : await world.readBalances();
    world.balances = new Map(world.holders.map((h, i) => [h, balances[i]]));
  }
}

/**
 * Transfers part of its balance to another holder, or burns some, at random. It decides on the
 * balance the Indexer published this tick; a holder that misjudges tries to move more than it has,
 * and the token reverts it.
 */
export class Holder extends Agent<TokenFlowWorld, TokenFlowParams> {
  async step({ world, params, rng }: Ctx): Promise<void> {
    const activity = 2 * world.mood; // 1 at neutral mood
    const transfers = rng.bool(Math.min(1, params.transferProbability * activity));
    const burns = rng.bool(Math.min(1, params.burnProbability * activity));
    if (!transfers && !burns) return;
    const token = world.token.connect(this.wallet.signer);
    let held = world.balances.get(this.wallet.address) ?? 0n;
    const amount = () => (rng.bool(params.misjudgeProbability) ? held + 1n : (held * BigInt(Math.floor(rng() * params.spendFraction * 1e6))) / 1_000_000n);
    if (transfers) {
      const others = world.holders.filter((h) => h !== this.wallet.address);
      const value = amount();
      if (others.length > 0 && value > 0n) {
        await token.transfer(rng.choice(others), value);
        held -= value;
      }
    }
    if (burns) {
      const value = amount();
      if (value > 0n) await token.burn(value);
    }
  }
}
