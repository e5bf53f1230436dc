import { defineNetlist, prepareCall, type Agent } from "../../src/api";
import { EmissionToken__factory } from "../../typechain-types";
import { Holder, Indexer, Minter, Sentiment } from "./agents";
import { gini } from "./gini";
import { tokenFlowParams } from "./params";
import type { TokenFlowParams, TokenFlowWorld } from "./world";

const DAY = 86_400;

// The KPIs read two views once per sample (every holder's balance; supply, emitted and burned),
// and the balances are kept for the Indexer, which at the start of the next tick would read the
// very same state.
function sampled(world: TokenFlowWorld, tick: number): NonNullable<TokenFlowWorld["sampled"]> {
  if (world.sampled?.tick !== tick) {
    const supply = world.token.supplyStats().then((s) => [s.supply, s.emittedSoFar, s.burnedSoFar] as [bigint, bigint, bigint]);
    world.sampled = { tick, balances: world.readBalances(), supply };
  }
  return world.sampled;
}
const TOKEN = 10n ** 18n;

export default defineNetlist({
  description: "An ERC20 emitted on a half-life schedule, holders that transfer and burn at random",
  params: tokenFlowParams,
  time: { steps: 365, stepSeconds: DAY },
  // The indexer publishes balances first; holders then act on that snapshot, so their order does not matter.
  agentOrder: "declared",

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
    const addresses = holders.map((h) => h.wallet.address);
    const readBalances = prepareCall(token, "balancesOf", addresses);
    const world: TokenFlowWorld = { token, holders: addresses, readBalances, mood: 0.5, balances: new Map(), sampled: undefined };
    const agents: Agent<TokenFlowWorld, TokenFlowParams>[] = [
      new Indexer(await wallet("indexer")),
      new Sentiment(await wallet("sentiment")),
      new Minter(minter),
      ...holders,
    ];
    return { world, agents };
  },

  kpis: {
    totalSupply: async ({ world, tick }) => (await sampled(world, tick).supply)[0],
    emitted: async ({ world, tick }) => (await sampled(world, tick).supply)[1],
    burned: async ({ world, tick }) => (await sampled(world, tick).supply)[2],
    holdersWithBalance: async ({ world, tick }) => (await sampled(world, tick).balances).filter((b) => b > 0n).length,
    // In units of 10^-6 token: exact enough for a ratio, and small enough for a float.
    giniOfBalances: async ({ world, tick }) => gini((await sampled(world, tick).balances).map((b) => Number(b / 10n ** 12n))),
    mood: ({ world }) => world.mood,
    reverts: ({ reverts }) => reverts,
  },
});
