import { checkAction } from "../src/hardhat/cli";
import { TASKS, declareTask } from "../src/hardhat/task-table";

// `npx hardhat sim-check [files…]`: the netlists' checks files (sims/<netlist>.checks.ts) as a test suite.
declareTask(TASKS.check, checkAction);
