import { task, types } from "hardhat/config";
import { mergeAction } from "../src/hardhat/cli";

// A campaign itself is `sim` with --replicates, --sweep or --sample (tasks/sim.ts).

task("sim-merge", "Merges the folders of a campaign's shards into one campaign folder (byte for byte what one machine writes)")
  .addVariadicPositionalParam("dirs", "The shards' campaign folders", undefined, types.string)
  .addParam("out", "The merged campaign's folder", undefined, types.string)
  .addFlag("force", "Replace a campaign of ours already in --out")
  .setAction(mergeAction);
