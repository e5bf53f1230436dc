import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, compareCommand, type CompareArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-compare` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<CompareArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.compare, args, hre, (ctx, args) => compareCommand(ctx, args));
}
