import { Agent, type StepContext } from "../../src/api";
import { annualGrowthRate, consumeSalesInTick, growMarket, networkRevenue, rndToRevenueRatio, salesShock, sumLast, years } from "./market";
import { MONTH, STEP_SECONDS, TICKS_PER_MONTH, TICKS_PER_YEAR } from "./time";
import { tokens, usdToWei } from "./units";
import { fundamentalValuation, growSpeculation, oceanPrice, overallValuation } from "./valuation";
import type { WsloopParams, WsloopWorld } from "./world";

type Ctx = StepContext<WsloopWorld, WsloopParams>;
abstract class WsAgent extends Agent<WsloopWorld, WsloopParams> {}

/**
 * TokenSPICE's MarketplacesAgent: grows the marketplaces at the rate last month's R&D/revenue ratio
 * gives, then pays this tick's network revenue in USD to the router, on chain (the fee enters the
 * chain through the USD on-ramp). The market itself is pure TypeScript (market.ts).
 */
export class Marketplaces extends WsAgent {
  async step({ world, params, rng }: Ctx): Promise<void> {
    const { history } = world;
    world.rndRatio = rndToRevenueRatio(sumLast(history.rnd, TICKS_PER_MONTH), sumLast(history.revenue, TICKS_PER_MONTH));
    world.growthRate = annualGrowthRate(world.rndRatio, world.rules);
    const shock = salesShock(rng.normal(0, 1), params.salesVolatility, years(STEP_SECONDS));
    world.market = growMarket(world.market, world.growthRate, TICKS_PER_YEAR, shock);
    const sales = consumeSalesInTick(world.market, STEP_SECONDS);
    const revenue = networkRevenue(sales, world.rules);
    history.consumeSales.push(sales);
    history.revenue.push(revenue);
    world.feeThisTick = usdToWei(revenue);
    world.rndThisTick = 0;
    if (world.feeThisTick > 0n) await world.usd.connect(this.wallet.signer).mint(world.router.target, world.feeThisTick);
  }
}

/** TokenSPICE's RouterAgent "opc_address", on chain: splits the router's USD between buy-and-burn and the treasury. */
export class RouterKeeper extends WsAgent {
  async step({ world }: Ctx): Promise<void> {
    if (world.feeThisTick > 0n) await world.router.connect(this.wallet.signer).route();
  }
}

/**
 * Values OCEAN (TokenSPICE SimState.overallValuation): max(P/S x last year's network revenue,
 * speculative valuation), and posts it to the buyback contract, which prices OCEAN at valuation
 * over supply.
 */
export class ValuationOracle extends WsAgent {
  async step({ world, params }: Ctx): Promise<void> {
    const speculative = growSpeculation(world.valuation.speculative, params.speculativeGrowth, STEP_SECONDS);
    const fundamental = fundamentalValuation(sumLast(world.history.revenue, TICKS_PER_YEAR), params.psRatio);
    world.valuation = { fundamental, speculative, overall: overallValuation(fundamental, speculative) };
    world.price = oceanPrice(world.valuation.overall, tokens(world.ledgers.at(-1)!.supply));
    await world.buyback.connect(this.wallet.signer).setValuation(usdToWei(world.valuation.overall));
  }
}

/** TokenSPICE's OCEANBurnerAgent, on chain: spends the buyback's USD on OCEAN and burns it. */
export class OceanBurner extends WsAgent {
  async step({ world, params }: Ctx): Promise<void> {
    if (params.burnShare > 0) await world.buyback.connect(this.wallet.signer).buyAndBurn();
  }
}

/** Keeps TokenSPICE's OCEANFuncMinterAgent going: the minter contract decides what is due. */
export class MinterKeeper extends WsAgent {
  async step({ world }: Ctx): Promise<void> {
    await world.minter.connect(this.wallet.signer).mint();
  }
}

/** The foundations' grant programs (TokenSPICE's opf/bdb GrantGivingAgents): disburses each stream when a grant is due. */
export class Foundation extends WsAgent {
  async step({ world, time, tick }: Ctx): Promise<void> {
    for (const stream of world.streams) {
      const due = Math.min(stream.grants, Math.floor((time - world.start) / MONTH) + 1); // WsGrantStream.dueBy
      if (due <= stream.paid) continue;
      await stream.contract.connect(this.wallet.signer).disburse();
      stream.paid = due;
      world.grantsArrivedAt = tick;
    }
  }
}

/** The DAO's grant giver (TokenSPICE's ocean_dao): once a month pays grants from the treasury to the takers. */
export class OceanDao extends WsAgent {
  async step({ world, tick }: Ctx): Promise<void> {
    if (tick % TICKS_PER_MONTH !== 0) return;
    await world.treasury.connect(this.wallet.signer).payGrants(world.takers);
    world.grantsArrivedAt = tick;
  }
}

/**
 * TokenSPICE's GrantTakingAgent: spends all it received at once into the ecosystem (salaries,
 * contractors: the market maker wallet stands for them), and that spending is the R&D that makes
 * marketplaces grow. Valued in USD at this tick's price.
 */
export class GrantTaker extends WsAgent {
  constructor(
    wallet: ConstructorParameters<typeof Agent>[0],
    private readonly index: number,
  ) {
    super(wallet);
  }

  async step({ world, tick }: Ctx): Promise<void> {
    if (world.grantsArrivedAt !== tick) return;
    const [oceans, usds] = await takerBalances(world, tick);
    const ocean = oceans[this.index];
    const usd = usds[this.index];
    if (ocean > 0n) await world.ocean.connect(this.wallet.signer).transfer(world.marketMaker, ocean);
    if (usd > 0n) await world.usd.connect(this.wallet.signer).transfer(world.marketMaker, usd);
    world.rndThisTick += tokens(usd) + tokens(ocean) * world.price;
  }
}

/** All takers' balances in two calls, read once per grant tick, before any of them spends. */
function takerBalances(world: WsloopWorld, tick: number): Promise<[bigint[], bigint[]]> {
  if (world.takerBalances?.tick !== tick) {
    world.takerBalances = { tick, balances: Promise.all([world.readTakerBalances.ocean(), world.readTakerBalances.usd()]) };
  }
  return world.takerBalances.balances;
}

/** Sends nothing: reads the chain once at the end of each tick and records the tick's history. It must step last. */
export class Accountant extends WsAgent {
  async step({ world }: Ctx): Promise<void> {
    world.history.rnd.push(world.rndThisTick);
    world.ledgers.push(await world.readLedger());
  }
}
