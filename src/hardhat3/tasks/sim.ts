import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, simCommand, type SimArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<SimArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.sim, args, hre, (ctx, args) => simCommand(ctx, args));
}
