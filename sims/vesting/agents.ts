import { Agent, prepareCall, type StepContext } from "../../src/api";
import { scheduleFromParams } from "./design";
import { deployVestingWallet } from "./wallets";
import type { VestingParams, VestingWorld } from "./world";

type Ctx = StepContext<VestingWorld, VestingParams>;

/**
 * The treasury that holds the fixed supply. On its first step (tick 1, the launch) it deploys one
 * vesting wallet per beneficiary, all starting that tick, funds each with its grant and sells the
 * launch float to the market, as TokenSPICE's VestingFunderAgent does on its first step. It then
 * keeps the rest.
 */
export class Funder extends Agent<VestingWorld, VestingParams> {
  async step({ world, params, time }: Ctx): Promise<void> {
    if (world.schedule !== undefined) return;
    const schedule = scheduleFromParams(params, BigInt(time));
    world.schedule = schedule;
    const token = world.token.connect(this.wallet.signer);
    try {
      for (const [i, beneficiary] of world.beneficiaries.entries()) {
        const vestingWallet = await deployVestingWallet(this.wallet.signer, schedule, beneficiary);
        world.vestingWallets.push(vestingWallet);
        const grant = world.allocation.grants[i];
        if (grant > 0n) await token.transfer(vestingWallet.target, grant);
      }
      if (world.allocation.publicFloat > 0n) await token.transfer(world.market, world.allocation.publicFloat);
    } finally {
      // Whatever got deployed is sampled, even if funding stopped half way.
      const addresses = world.vestingWallets.map((w) => w.target as string);
      world.readStats = prepareCall(world.lens, "stats", world.tokenAddress, addresses, world.treasury, world.market);
    }
  }
}

/**
 * A grant holder. Every `releaseEveryDays` (from its own random first day) it releases what has
 * vested since its last release, then sells all of that into the market with probability
 * `sellProbability`, or holds it, like TokenSPICE's VestingBeneficiaryAgent plus a sell decision.
 */
export class Beneficiary extends Agent<VestingWorld, VestingParams> {
  constructor(
    wallet: ConstructorParameters<typeof Agent>[0],
    private readonly index: number,
    /** Days after launch of its first release, in [0, releaseEveryDays). */
    private readonly phase: number,
  ) {
    super(wallet);
  }

  async step({ world, params, rng, tick }: Ctx): Promise<void> {
    const vestingWallet = world.vestingWallets[this.index];
    if (vestingWallet === undefined) return;
    // Ticks are days and launch is tick 1.
    if ((tick - 1 - this.phase) % params.releaseEveryDays !== 0) return;
    const sells = rng.bool(params.sellProbability);
    const wallet = vestingWallet.connect(this.wallet.signer);
    // Wallets vest in whole days, so what is releasable now is what the release below transfers.
    const amount = await wallet["releasable(address)"](world.tokenAddress);
    if (amount === 0n) return;
    await wallet["release(address)"](world.tokenAddress);
    if (sells) await world.token.connect(this.wallet.signer).transfer(world.market, amount);
  }
}
