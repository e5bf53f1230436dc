import { MaxUint256 } from "ethers";
import { defineNetlist, prepareCall } from "../../src/api";
import { WsBuyback__factory, WsGrantStream__factory, WsOcean__factory, WsRampedMinter__factory, WsRouter__factory, WsTreasury__factory, WsUsd__factory } from "../../typechain-types";
import { Accountant, Foundation, GrantTaker, Marketplaces, MinterKeeper, OceanBurner, OceanDao, RouterKeeper, ValuationOracle } from "./agents";
import { annualGrowthRate, periodGrowth, sumLast, type MarketRules } from "./market";
import { FOUNDATION_STREAMS, INITIAL_OCEAN_SUPPLY, MINT_INTERVAL_DAYS, OCEAN_TO_MINT, wsloopParams } from "./params";
import { mintSchedule } from "./schedule";
import { DAY, MONTH, STEP_SECONDS, TICKS_PER_MONTH, TICKS_PER_YEAR } from "./time";
import { shareToWad, tokens } from "./units";
import { oceanPrice } from "./valuation";
import type { Ledger, Stream, WsloopWorld } from "./world";

const latest = (world: WsloopWorld) => world.ledgers.at(-1)!;
/** Change over the last month of a ledger counter (all of it in the first month, as TokenSPICE's KPIs). */
const lastMonth = (world: WsloopWorld, counter: (l: Ledger) => bigint) => counter(latest(world)) - counter(world.ledgers[Math.max(0, world.ledgers.length - 1 - TICKS_PER_MONTH)]);

export default defineNetlist({
  description: "Web3 Sustainability Loop (TokenSPICE wsloop): revenue routed on chain to buy-and-burn and a DAO, ramped OCEAN minting, R&D grants that grow the marketplaces",
  params: wsloopParams,
  time: { steps: 10 * TICKS_PER_YEAR, stepSeconds: STEP_SECONDS }, // ten years, TokenSPICE's "typical run"
  agentOrder: "declared", // the loop's order within a tick: sales, routing, valuation, burn, mint, grants, spending, bookkeeping

  async setup({ deploy, wallet, deployer, params, time }) {
    const marketplaces = new Marketplaces(await wallet("marketplaces"));
    const routerKeeper = new RouterKeeper(await wallet("router-keeper"));
    const oracle = new ValuationOracle(await wallet("valuation-oracle"));
    const burner = new OceanBurner(await wallet("ocean-burner"));
    const minterKeeper = new MinterKeeper(await wallet("minter-keeper"));
    const foundation = new Foundation(await wallet("foundation"));
    const dao = new OceanDao(await wallet("ocean-dao"));
    const takers: GrantTaker[] = [];
    for (let i = 0; i < params.grantTakers; i++) takers.push(new GrantTaker(await wallet(`grant-taker-${i}`), i));
    const accountant = new Accountant(await wallet("accountant"));
    const marketMaker = await wallet("market-maker");
    const takerAddresses = takers.map((t) => t.wallet.address);

    const ocean = await deploy(WsOcean__factory, deployer.address, INITIAL_OCEAN_SUPPLY);
    const usd = await deploy(WsUsd__factory, [marketplaces.wallet.address, deployer.address]);
    const treasury = await deploy(WsTreasury__factory, ocean.target, usd.target, dao.wallet.address, shareToWad(params.grantShare));
    const buyback = await deploy(WsBuyback__factory, ocean.target, usd.target, marketMaker.address, oracle.wallet.address);
    const router = await deploy(WsRouter__factory, usd.target, buyback.target, treasury.target, shareToWad(params.burnShare));
    const schedule = mintSchedule(params.halfLifeYears);
    const minter = await deploy(WsRampedMinter__factory, ocean.target, treasury.target, OCEAN_TO_MINT, time, MINT_INTERVAL_DAYS * DAY, schedule);
    await ocean.setMinter(minter.target);

    const streams: Stream[] = [];
    let toMarket = INITIAL_OCEAN_SUPPLY;
    if (params.foundationGrants) {
      for (const s of FOUNDATION_STREAMS) {
        const recipient = s.to === "treasury" ? treasury.target : takerAddresses[Number(s.to.split("-")[1]) % takerAddresses.length];
        const contract = await deploy(WsGrantStream__factory, ocean.target, usd.target, recipient, time, MONTH, s.grants, s.ocean / BigInt(s.grants), s.usd / BigInt(s.grants));
        await ocean.transfer(contract.target, s.ocean);
        if (s.usd > 0n) await usd.mint(contract.target, s.usd);
        toMarket -= s.ocean;
        streams.push({ contract, grants: s.grants, paid: 0 });
      }
    }
    // The rest of the initial supply is the open market, which sells to the buyback at the modeled price.
    await ocean.transfer(marketMaker.address, toMarket);
    await ocean.connect(marketMaker.signer).approve(buyback.target, MaxUint256);

    const supplyStats = prepareCall(ocean, "supplyStats");
    const mintedByMinter = prepareCall(minter, "minted");
    const treasuryStats = prepareCall(treasury, "stats");
    const buybackStats = prepareCall(buyback, "stats");
    const routed = prepareCall(router, "routed");
    const readLedger = async (): Promise<Ledger> => {
      const [s, m, t, b, r] = await Promise.all([supplyStats(), mintedByMinter(), treasuryStats(), buybackStats(), routed()]);
      return {
        supply: s[0],
        tokenMinted: s[2],
        minterMinted: m,
        burned: s[3],
        treasuryOcean: t[0],
        treasuryUsd: t[1],
        buybackUsdSpent: b[0],
        routedToBurn: r[0],
        routedToTreasury: r[1],
      };
    };

    const rules: MarketRules = {
      consumeFee: params.consumeFee,
      swapFee: params.swapFee,
      swapToConsumeRatio: params.swapToConsumeRatio,
      growthIfNoRnd: params.growthIfNoRnd,
      maxGrowth: params.maxGrowth,
      rndTau: params.rndTau,
    };
    const first = await readLedger();
    const world: WsloopWorld = {
      ocean,
      usd,
      router,
      buyback,
      minter,
      treasury,
      streams,
      start: time,
      schedule,
      marketMaker: marketMaker.address,
      takers: takerAddresses,
      rules,
      market: { marketplaces: params.initialMarketplaces, salesPerMarketplace: params.salesPerMarketplace },
      growthRate: annualGrowthRate(0, rules),
      rndRatio: 0,
      valuation: { fundamental: 0, speculative: params.speculativeValuation, overall: params.speculativeValuation },
      price: oceanPrice(params.speculativeValuation, tokens(first.supply)),
      history: { consumeSales: [], revenue: [], rnd: [] },
      feeThisTick: 0n,
      rndThisTick: 0,
      grantsArrivedAt: -1,
      ledgers: [first],
      readLedger,
      readTakerBalances: { ocean: prepareCall(ocean, "balancesOf", takerAddresses), usd: prepareCall(usd, "balancesOf", takerAddresses) },
      takerBalances: undefined,
    };
    return { world, agents: [marketplaces, routerKeeper, oracle, burner, minterKeeper, foundation, dao, ...takers, accountant] };
  },

  kpis: {
    marketplaces: { value: ({ world }) => world.market.marketplaces, label: "Marketplaces", unit: "marketplaces", doc: "Number of marketplaces (a float, as in TokenSPICE)." },
    consumeSalesPerMonth: {
      value: ({ world }) => sumLast(world.history.consumeSales, TICKS_PER_MONTH),
      label: "Consume sales",
      unit: "USD/month",
      group: "USD per month",
      doc: "Consume sales of all marketplaces over the last 30 days.",
    },
    networkRevenuePerMonth: {
      value: ({ world }) => sumLast(world.history.revenue, TICKS_PER_MONTH),
      label: "Network revenue",
      unit: "USD/month",
      group: "USD per month",
      doc: "Network revenue over the last 30 days.",
    },
    revenueGrowthMonthly: {
      value: ({ world }) => periodGrowth(world.history.revenue, TICKS_PER_MONTH),
      label: "Revenue growth, month on month",
      group: "Growth rates",
      doc: "Revenue of the last month over the one before, minus 1; 0 until there is a month before.",
    },
    revenueGrowthYearly: {
      value: ({ world }) => periodGrowth(world.history.revenue, TICKS_PER_YEAR),
      label: "Revenue growth, year on year",
      group: "Growth rates",
      doc: "Revenue of the last year over the one before, minus 1; 0 until there is a year before.",
    },
    marketsGrowthRate: { value: ({ world }) => world.growthRate, label: "Marketplaces' growth rate", group: "Growth rates", doc: "The annual growth rate the marketplaces grew at this tick." },
    rndPerMonth: {
      value: ({ world }) => sumLast(world.history.rnd, TICKS_PER_MONTH),
      label: "R&D spent",
      unit: "USD/month",
      group: "USD per month",
      doc: "What grant takers spent over the last 30 days (OCEAN at the tick's price).",
    },
    // Unbounded (R&D with no revenue) is reported as 0; marketsGrowthRate then shows the ceiling.
    rndToRevenue: {
      value: ({ world }) => (Number.isFinite(world.rndRatio) ? world.rndRatio : 0),
      label: "R&D / revenue",
      doc: "Last month's R&D over last month's revenue, the growth rule's input; 0 when there is no revenue.",
    },
    oceanSupply: { value: ({ world }) => latest(world).supply, label: "OCEAN supply", unit: "OCEAN", decimals: 18, group: "OCEAN supply", doc: "WsOcean.totalSupply()." },
    oceanMinted: {
      value: ({ world }) => latest(world).minterMinted,
      label: "OCEAN minted",
      unit: "OCEAN",
      decimals: 18,
      group: "OCEAN supply",
      doc: "WsRampedMinter.minted(): minted on the ramped schedule so far.",
    },
    oceanBurned: { value: ({ world }) => latest(world).burned, label: "OCEAN burned", unit: "OCEAN", decimals: 18, group: "OCEAN supply", doc: "WsOcean.burned(): bought back and burned so far." },
    oceanMintedPerMonth: {
      value: ({ world }) => lastMonth(world, (l) => l.minterMinted),
      label: "OCEAN minted",
      unit: "OCEAN/month",
      decimals: 18,
      group: "OCEAN per month",
      doc: "OCEAN minted over the last 30 days.",
    },
    oceanBurnedPerMonth: {
      value: ({ world }) => lastMonth(world, (l) => l.burned),
      label: "OCEAN burned",
      unit: "OCEAN/month",
      decimals: 18,
      group: "OCEAN per month",
      doc: "OCEAN burned over the last 30 days.",
    },
    valuation: { value: ({ world }) => world.valuation.overall, label: "Valuation", unit: "USD", group: "Valuation", doc: "Overall valuation: the larger of fundamental and speculative." },
    fundamentalValuation: { value: ({ world }) => world.valuation.fundamental, label: "Fundamental valuation", unit: "USD", group: "Valuation", doc: "P/S times last year's revenue." },
    oceanPrice: { value: ({ world }) => oceanPrice(world.valuation.overall, tokens(latest(world).supply)), label: "OCEAN price", unit: "USD", doc: "Valuation / supply (0 if the supply were 0)." },
    // Price times every OCEAN there will be: the initial supply plus the whole mint budget, less what was burned.
    fullyDilutedValuation: {
      value: ({ world }) => oceanPrice(world.valuation.overall, tokens(latest(world).supply)) * tokens(INITIAL_OCEAN_SUPPLY + OCEAN_TO_MINT - latest(world).burned),
      label: "Fully diluted valuation",
      unit: "USD",
      group: "Valuation",
      doc: "Price × (1.41B − burned): every OCEAN there will be.",
    },
    treasuryOcean: { value: ({ world }) => latest(world).treasuryOcean, label: "Treasury OCEAN", unit: "OCEAN", decimals: 18, doc: "The DAO treasury's OCEAN." },
    treasuryUsd: { value: ({ world }) => latest(world).treasuryUsd, label: "Treasury USD", unit: "USD", decimals: 18, doc: "The DAO treasury's USD." },
    revenueRouted: {
      value: ({ world }) => latest(world).routedToBurn + latest(world).routedToTreasury,
      label: "Revenue routed",
      unit: "USD",
      decimals: 18,
      group: "Revenue routed",
      doc: "USD the router has split between buy-and-burn and the treasury so far.",
    },
    buybackUsd: { value: ({ world }) => latest(world).buybackUsdSpent, label: "Spent on buy-and-burn", unit: "USD", decimals: 18, group: "Revenue routed", doc: "USD spent on buy-and-burn so far." },
    reverts: { value: ({ reverts }) => reverts, label: "Reverts", unit: "transactions", doc: "Reverted agent transactions (0 in every run so far)." },
  },
});
