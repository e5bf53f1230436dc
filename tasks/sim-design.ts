import { compareAction, cornersAction, optimizeAction, sensitivityAction, verifyAction, worstCaseAction } from "../src/hardhat/cli";
import { TASKS, declareTask } from "../src/hardhat/task-table";

// The design loop on the command line: `sim-verify`, `sim-worst-case`, `sim-corners`,
// `sim-optimize`, `sim-sensitivity` and `sim-compare` (the commands are src/cli/design.ts; the flags src/cli/flags-table.ts).
declareTask(TASKS.verify, verifyAction);
declareTask(TASKS.worstCase, worstCaseAction);
declareTask(TASKS.corners, cornersAction);
declareTask(TASKS.optimize, optimizeAction);
declareTask(TASKS.sensitivity, sensitivityAction);
declareTask(TASKS.compare, compareAction);
