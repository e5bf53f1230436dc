import { replayNetlist } from "../amm/history";

// amm on ETH/USD's daily history, replayed tick by tick (sims/amm/history.ts; ../amm/README.md, "Calibration against ETH/USD").
export default replayNetlist();
