import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, calibrateTask, type CalibrateTaskArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-calibrate` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<CalibrateTaskArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.calibrate, args, hre, (ctx, args) => calibrateTask(ctx, args));
}
