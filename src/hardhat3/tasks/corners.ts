import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, cornersCommand, type CornersArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-corners` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<CornersArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.corners, args, hre, (ctx, args) => cornersCommand(ctx, args));
}
