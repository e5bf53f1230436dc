import { DAY, defineNetlist, prepareCall, type Agent } from "../../src/api";
import { EmissionToken__factory } from "../../typechain-types";
import { Holder, Indexer, Minter, Sentiment } from "./agents";
import { gini } from "./gini";
import { tokenFlowParams } from "./params";
import type { TokenFlowParams, TokenFlowWorld } from "./world";

const TOKEN = 10n ** 18n;

export default defineNetlist({
  description: "An ERC20 emitted on a half-life schedule, holders that transfer and burn at random",
  params: tokenFlowParams,
  time: { steps: 365, stepSeconds: DAY },
  // The indexer publishes balances first; holders then act on that snapshot, so their order does not matter.
  agentOrder: "declared",

  async setup({ deploy, wallet, params }) {
    const minter = await wallet("minter");
    const token = await deploy(EmissionToken__factory, "Flow", "FLOW", minter.address, BigInt(params.totalEmission) * TOKEN, BigInt(params.halfLifeDays * DAY));
    const holders: Holder[] = [];
    for (let i = 0; i < params.holders; i++) holders.push(new Holder(await wallet(`holder-${i}`)));
    const addresses = holders.map((h) => h.wallet.address);
    const readBalances = prepareCall(token, "balancesOf", addresses);
    const world: TokenFlowWorld = { token, holders: addresses, readBalances, mood: 0.5, balances: new Map(), lastSample: undefined };
    const agents: Agent<TokenFlowWorld, TokenFlowParams>[] = [new Indexer(await wallet("indexer")), new Sentiment(await wallet("sentiment")), new Minter(minter), ...holders];
    return { world, agents };
  },

  // The KPIs read two views once per sample (every holder's balance; supply, emitted and burned).
  // The balances are kept for the Indexer, which at the start of the next tick would read the very
  // same state.
  async sample({ world, tick }) {
    const [balances, stats] = await Promise.all([world.readBalances(), world.token.supplyStats()]);
    world.lastSample = { tick, balances };
    return { balances, supply: stats.supply, emitted: stats.emittedSoFar, burned: stats.burnedSoFar };
  },

  kpis: {
    totalSupply: { value: ({ sample }) => sample.supply, label: "Total supply", unit: "FLOW", decimals: 18, group: "FLOW supply", doc: "FLOW in existence: emitted minus burned." },
    emitted: { value: ({ sample }) => sample.emitted, label: "Emitted", unit: "FLOW", decimals: 18, group: "FLOW supply", doc: "FLOW the half-life schedule has minted so far." },
    burned: { value: ({ sample }) => sample.burned, label: "Burned", unit: "FLOW", decimals: 18, group: "FLOW supply", doc: "FLOW holders have burned so far." },
    holdersWithBalance: {
      value: ({ sample }) => sample.balances.filter((b) => b > 0n).length,
      label: "Holders with a balance",
      unit: "holders",
      doc: "Holder agents whose FLOW balance is above zero.",
    },
    giniOfBalances: {
      // In units of 10^-6 token: exact enough for a ratio, and small enough for a float.
      value: ({ sample }) => gini(sample.balances.map((b) => Number(b / 10n ** 12n))),
      label: "Gini of balances",
      doc: "Inequality of the holders' balances: 0 when all hold the same, towards 1 when one holds all.",
    },
    mood: { value: ({ world }) => world.mood, label: "Market mood", doc: "The Sentiment agent's random walk in [0, 1]; 0.5 is neutral, higher makes holders more active." },
    reverts: { value: ({ reverts }) => reverts, label: "Reverts", unit: "transactions", doc: "Reverted agent transactions so far (holders that misjudged their balance)." },
  },
});
