import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, sensitivityCommand, type SensitivityArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-sensitivity` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<SensitivityArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.sensitivity, args, hre, (ctx, args) => sensitivityCommand(ctx, args));
}
