import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, worstCaseCommand, type WorstCaseArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-worst-case` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<WorstCaseArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.worstCase, args, hre, (ctx, args) => worstCaseCommand(ctx, args));
}
