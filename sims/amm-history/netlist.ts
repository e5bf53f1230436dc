import { historyNetlist } from "../amm/history";
import amm from "../amm/netlist";

// amm on ETH/USD's daily history, replayed tick by tick (sims/amm/history.ts; ../amm/README.md, "Calibration against ETH/USD").
export default historyNetlist(amm, "replay", "The amm pool");
