import { historyNetlist } from "../amm/history";
import uniswapV2 from "../uniswap-v2/netlist";

// uniswap-v2 (amm's agents on the published pair) on ETH/USD's daily history, replayed tick by tick (sims/amm/history.ts).
export default historyNetlist(uniswapV2, "replay", "Uniswap V2's published pair (amm's agents)");
