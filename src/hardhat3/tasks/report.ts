import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TASKS, reportCommand, type ReportArgs } from "../../cli/index.js";
import { runCommand3, type Hardhat3Args } from "../cli.js";

/** `npx hardhat sim-report` on Hardhat 3: the command of src/cli with the arguments Hardhat 3 parsed. */
export default async function action(args: Hardhat3Args<ReportArgs>, hre: HardhatRuntimeEnvironment): Promise<void> {
  await runCommand3(TASKS.report, args, hre, (ctx, args) => reportCommand(args, ctx.output));
}
