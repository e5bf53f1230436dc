import { bootstrapNetlist } from "../amm/history";

// amm on paths block-bootstrapped from ETH/USD's daily history, one per seed (sims/amm/history.ts; ../amm/README.md, "Calibration against ETH/USD").
export default bootstrapNetlist();
