import type { Signer } from "ethers";
import { VestingExpDecayWallet__factory, VestingLinearCliffWallet__factory, VestingWallet__factory, type VestingWallet } from "../../typechain-types";
import type { VestingSchedule } from "./schedule";

/** Deploys the vesting wallet a schedule describes, for `beneficiary`, from `signer`. */
export async function deployVestingWallet(signer: Signer, schedule: VestingSchedule, beneficiary: string): Promise<VestingWallet> {
  const deployed =
    schedule.type === "linear-cliff"
      ? await new VestingLinearCliffWallet__factory(signer).deploy(beneficiary, schedule.start, schedule.duration, schedule.cliff, schedule.unlockPeriod)
      : await new VestingExpDecayWallet__factory(signer).deploy(beneficiary, schedule.start, schedule.exp, schedule.unlockPeriod);
  return VestingWallet__factory.connect(await deployed.getAddress(), signer);
}
