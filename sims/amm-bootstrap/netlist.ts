import { historyNetlist } from "../amm/history";
import amm from "../amm/netlist";

// amm on paths block-bootstrapped from ETH/USD's daily history, one per seed (sims/amm/history.ts; ../amm/README.md, "Calibration against ETH/USD").
export default historyNetlist(amm, "bootstrap", "The amm pool");
