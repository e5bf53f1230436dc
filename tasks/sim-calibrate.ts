import { calibrateAction } from "../src/hardhat/cli";
import { TASKS, declareTask } from "../src/hardhat/task-table";

// `npx hardhat sim-calibrate fit --data <file> --time <column> --value <column>`: fits the world to observed data.
declareTask(TASKS.calibrate, calibrateAction);
