import { mergeAction } from "../src/hardhat/cli";
import { TASKS, declareTask } from "../src/hardhat/task-table";

// A campaign itself is `sim` with --replicates, --sweep or --sample (tasks/sim.ts).
declareTask(TASKS.merge, mergeAction);
