import { defineNetlist, type Agent } from "../../src";
import { EmissionToken__factory } from "../../typechain-types";
import { Holder, Minter, Sentiment } from "./agents";
import { gini } from "./gini";
import { tokenFlowParams } from "./params";
import type { TokenFlowParams, TokenFlowWorld } from "./world";

const DAY = 86_400;
const TOKEN = 10n ** 18n;

export default defineNetlist({
  description: "An ERC20 emitted on a half-life schedule, holders that transfer and burn at random",
  params: tokenFlowParams,
  time: { steps: 365, stepSeconds: DAY },
  agentOrder: "shuffle",

  async setup({ deploy, wallet, params }) {
    const minter = await wallet("minter");
    const token = await deploy(
      EmissionToken__factory,
      "Flow",
      "FLOW",
      minter.address,
      BigInt(params.totalEmission) * TOKEN,
      BigInt(params.halfLifeDays * DAY),
    );
    const holders: Holder[] = [];
    for (let i = 0; i < params.holders; i++) holders.push(new Holder(await wallet(`holder-${i}`)));
    const world: TokenFlowWorld = { token, holders: holders.map((h) => h.wallet.address), mood: 0.5 };
    const agents: Agent<TokenFlowWorld, TokenFlowParams>[] = [new Sentiment(await wallet("sentiment")), new Minter(minter), ...holders];
    return { world, agents };
  },

  kpis: {
    totalSupply: ({ world }) => world.token.totalSupply(),
    emitted: ({ world }) => world.token.emitted(),
    burned: ({ world }) => world.token.burned(),
    holdersWithBalance: async ({ world }) => (await world.token.balancesOf(world.holders)).filter((b) => b > 0n).length,
    giniOfBalances: async ({ world }) => gini((await world.token.balancesOf(world.holders)).map((b) => Number(b / 10n ** 12n))),
    mood: ({ world }) => world.mood,
    reverts: ({ reverts }) => reverts,
  },
});
