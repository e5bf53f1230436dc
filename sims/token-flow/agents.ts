import { Agent, type StepContext } from "../../src";
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

/** Transfers part of its balance to another holder, or burns some, at random. */
export class Holder extends Agent<TokenFlowWorld, TokenFlowParams> {
  async step({ world, params, rng }: Ctx): Promise<void> {
    const activity = 2 * world.mood; // 1 at neutral mood
    const transfers = rng.bool(Math.min(1, params.transferProbability * activity));
    const burns = rng.bool(Math.min(1, params.burnProbability * activity));
    if (!transfers && !burns) return;
    const token = world.token.connect(this.wallet.signer);
    const balance = await token.balanceOf(this.wallet.address);
    const amount = (held: bigint) =>
      rng.bool(params.misjudgeProbability) ? held + 1n : (held * BigInt(Math.floor(rng() * params.spendFraction * 1e6))) / 1_000_000n;
    if (transfers) {
      const others = world.holders.filter((h) => h !== this.wallet.address);
      const value = amount(balance);
      if (others.length > 0 && value > 0n) await token.transfer(rng.choice(others), value);
    }
    if (burns) {
      const value = amount(await token.balanceOf(this.wallet.address));
      if (value > 0n) await token.burn(value);
    }
  }
}
