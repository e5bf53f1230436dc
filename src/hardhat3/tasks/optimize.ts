import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, optimizeCommand, type OptimizeArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-optimize` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<OptimizeArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.optimize, args, hre, (ctx, args) => optimizeCommand(ctx, args));
}
