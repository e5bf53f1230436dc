import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, verifyCommand, type VerifyArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-verify` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<VerifyArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.verify, args, hre, (ctx, args) => verifyCommand(ctx, args));
}
