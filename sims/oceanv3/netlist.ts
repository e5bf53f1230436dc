import { DAY, defineNetlist } from "../../src/api";
import { oceanKpis, sampleMarket } from "./kpis";
import { oceanV3Params } from "./params";
import { setupPopulation } from "./population";
import { TOKEN } from "./units";
import { V3Venue, deployOceanV3, v3SwapFee } from "./venue-v3";

export default defineNetlist({
  description: "Ocean Market V3 on its published bytecode (0.6.9): datatokens, Balancer pools, publishers, consumers, stakers, speculators and a rug-pulling publisher",
  params: oceanV3Params,
  time: { steps: 180, stepSeconds: DAY },
  agentOrder: "declared",

  async setup(ctx) {
    const { params } = ctx;
    return setupPopulation(ctx, async (_ocean, oceanAddress) => {
      const contracts = await deployOceanV3(ctx);
      return new V3Venue(contracts, oceanAddress, {
        minted: BigInt(params.datatokensMinted) * TOKEN,
        staked: BigInt(Math.min(params.datatokensStaked, params.datatokensMinted)) * TOKEN,
        datatokenWeight: BigInt(params.poolWeightDT) * TOKEN,
        oceanWeight: BigInt(10 - params.poolWeightDT) * TOKEN,
        swapFee: v3SwapFee(params.swapFeeBps),
      });
    });
  },

  sample: sampleMarket,
  kpis: oceanKpis,
});
