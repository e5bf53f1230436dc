import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, mergeCommand, type MergeArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-merge` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<MergeArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.merge, args, hre, (ctx, args) => mergeCommand(args, ctx.output));
}
