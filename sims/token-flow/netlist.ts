import { defineNetlist, prepareCall, type Agent } from "../../src/api";
import { EmissionToken__factory } from "../../typechain-types";
import { Holder, Indexer, Minter, Sentiment } from "./agents";
import { gini } from "./gini";
import { tokenFlowParams } from "./params";
import type { TokenFlowParams, TokenFlowWorld } from "./world";

const DAY = 86_400;

// Two KPIs need every holder's balance: read them once per sample, in one call.
const balancesCache = new WeakMap<TokenFlowWorld, { tick: number; balances: Promise<bigint[]> }>();
function holderBalances(world: TokenFlowWorld, tick: number): Promise<bigint[]> {
  let entry = balancesCache.get(world);
  if (entry?.tick !== tick) {
    entry = { tick, balances: world.readBalances() };
    balancesCache.set(world, entry);
  }
  return entry.balances;
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
    const world: TokenFlowWorld = { token, holders: addresses, readBalances, mood: 0.5, balances: new Map() };
    const agents: Agent<TokenFlowWorld, TokenFlowParams>[] = [
      new Indexer(await wallet("indexer")),
      new Sentiment(await wallet("sentiment")),
      new Minter(minter),
      ...holders,
    ];
    return { world, agents };
  },

  kpis: {
    totalSupply: ({ world }) => world.token.totalSupply(),
    emitted: ({ world }) => world.token.emitted(),
    burned: ({ world }) => world.token.burned(),
    holdersWithBalance: async ({ world, tick }) => (await holderBalances(world, tick)).filter((b) => b > 0n).length,
    // In units of 10^-6 token: exact enough for a ratio, and small enough for a float.
    giniOfBalances: async ({ world, tick }) => gini((await holderBalances(world, tick)).map((b) => Number(b / 10n ** 12n))),
    mood: ({ world }) => world.mood,
    reverts: ({ reverts }) => reverts,
  },
});
