import { task, types } from "hardhat/config";
import { CAMPAIGN_FILE, KPIS_CSV_FILE, RUN_MANIFEST_FILE, SEARCH_FILE, reportAction } from "../src/hardhat/cli";

task("sim-report", "Rebuilds a run folder's plots/ and report.html, or a campaign's or search's outputs and report, from its files alone (a copied or merged folder works)")
  .addPositionalParam(
    "dir",
    `A run folder (it holds ${RUN_MANIFEST_FILE} and ${KPIS_CSV_FILE}), a campaign folder (${CAMPAIGN_FILE} and runs/) or a search folder (${SEARCH_FILE} and runs/)`,
    undefined,
    types.string,
  )
  .setAction(reportAction);
