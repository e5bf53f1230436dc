import { simAction } from "../src/hardhat/cli";
import { TASKS, declareTask } from "../src/hardhat/task-table";

// `sim`: a run, a baseline, the netlists' list or a campaign; its flags are in src/cli/flags-table.ts.
declareTask(TASKS.sim, simAction);
