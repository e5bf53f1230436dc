import { task, types } from "hardhat/config";
import { reportAction } from "../src/hardhat/cli";

task("sim-report", "Rebuilds a run folder's plots/ and report.html, or a campaign's or search's outputs and report, from its files alone (a copied or merged folder works)")
  .addPositionalParam("dir", "A run folder (it holds manifest.json and kpis.csv), a campaign folder (campaign.json and runs/) or a search folder (search.json and runs/)", undefined, types.string)
  .setAction(reportAction);
