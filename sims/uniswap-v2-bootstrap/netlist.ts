import { historyNetlist } from "../amm/history";
import uniswapV2 from "../uniswap-v2/netlist";

// uniswap-v2 on paths block-bootstrapped from ETH/USD's daily history, one per seed (sims/amm/history.ts).
export default historyNetlist(uniswapV2, "bootstrap", "Uniswap V2's published pair (amm's agents)");
