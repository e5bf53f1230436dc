import { reportAction } from "../src/hardhat/cli";
import { TASKS, declareTask } from "../src/hardhat/task-table";

declareTask(TASKS.report, reportAction);
