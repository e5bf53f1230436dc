import { DAY, defineNetlist } from "../../src/api";
import { oceanKpis, sampleMarket } from "../oceanv3/kpis";
import { setupPopulation } from "../oceanv3/population";
import { TOKEN } from "../oceanv3/units";
import { oceanV4Params } from "./params";
import { V4Venue, deployOceanV4, signedZeroProviderFee } from "./venue-v4";
import { sideStakingKpis } from "./kpis";

/** What a V4 publisher asks to vest (TokenSPICE PublisherStrategyV4 DEFAULT_vested_amount: 100 DT); SideStaking 1.0.0 overwrites it with 0. */
const VESTING_ASKED = 100n * TOKEN;

export default defineNetlist({
  description: "Ocean V4 on its published bytecode (1.0.0): one-sided staking with a side-staking bot, with oceanv3's publishers, consumers, stakers, speculators and rug-pulling publisher",
  params: oceanV4Params,
  // A day a tick; 7200 blocks a tick (12 s slots) so that block-based settings (vesting periods) follow sim time.
  time: { steps: 180, stepSeconds: DAY, blocksPerStep: DAY / 12 },
  agentOrder: "declared",

  async setup(ctx) {
    const { params, deployer, wallet } = ctx;
    const provider = await wallet("provider");
    return setupPopulation(ctx, async (_ocean, oceanAddress) => {
      const contracts = await deployOceanV4(ctx, oceanAddress);
      const [opcFee, vestingBlocks] = await Promise.all([contracts.router.getOPCFee(oceanAddress), contracts.router.getMinVestingPeriod()]);
      return new V4Venue(
        contracts,
        oceanAddress,
        { rate: BigInt(Math.round(params.ssRate * 1e9)) * 10n ** 9n, lpFee: BigInt(params.swapFeeBps) * 10n ** 14n, vestingAmount: VESTING_ASKED },
        opcFee,
        vestingBlocks,
        await signedZeroProviderFee(provider),
        deployer.address,
      );
    });
  },

  sample: sampleMarket,
  kpis: { ...oceanKpis, ...sideStakingKpis },
});
