import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, checkCommand, type CheckArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-check` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<CheckArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.check, args, hre, (ctx, args) => checkCommand(ctx, args, (netlist, options) => hre.tokenspice.check(netlist, options)));
}
