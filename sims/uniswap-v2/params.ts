import { param } from "../../src/api";
import { marketParams } from "../amm/params";

/**
 * The `amm` model's market params (the same agents and price process; their sources are in
 * sims/amm/README.md, "Params") and V2's one switch. There is no fee param: V2's 0.30% is in the
 * pair's bytecode.
 */
export const uniswapV2Params = {
  ...marketParams,
  protocolFee: param.bool({
    default: false,
    kind: "controllable",
    doc: "Turn on V2's protocol fee (the factory's feeTo): 1/6 of the fees' growth in sqrt(k), minted as LP shares to feeTo at each mint or burn",
  }),
} as const;
