import { Agent, isTransactionReverted, type AgentWallet, type StepContext } from "../../src/api";
import { optimalArbitrage } from "./constant-product";
import { gbmStep } from "./gbm";
import { FUNDING, type AgentParams } from "./params";
import type { Side } from "./pool";
import { tickStartReserves, type PoolAgentsWorld } from "./world";

// The agents see the pool only through its interface (pool.ts), so `amm` (AmmPool) and
// `uniswap-v2` (Uniswap V2's published pair) run these same agents. The fee they plan with is the
// pool's (`world.pool.feeBps`), not a param: Uniswap V2's is fixed in its bytecode.
type Ctx = StepContext<PoolAgentsWorld, AgentParams>;

const WAD = 1e18;

/** Runs `send`; a revert is counted (in `onRevert`) and swallowed, anything else stops the run. */
async function counting(send: () => Promise<unknown>, onDone: () => void, onRevert: () => void): Promise<void> {
  try {
    await send();
    onDone();
  } catch (error) {
    if (!isTransactionReverted(error)) throw error;
    onRevert();
  }
}

/** A fraction in [0, 1] of a wei amount, to a millionth. */
function fractionOf(amount: bigint, fraction: number): bigint {
  return (amount * BigInt(Math.round(fraction * 1e6))) / 1_000_000n;
}

/**
 * The external market, a pure-TypeScript agent (no transactions): moves the volatile token's price
 * by one step of geometric Brownian motion on its own seeded stream, or, when the world has a
 * price history (`world.history`: the `amm-history` and `amm-bootstrap` netlists), by the
 * history's next log return (drift and volatility unused). It must step first.
 */
export class Market extends Agent<PoolAgentsWorld, AgentParams> {
  step({ world, params, rng }: Ctx): void {
    if (world.history) world.externalPrice *= Math.exp(world.history.next());
    else world.externalPrice = gbmStep(world.externalPrice, params.drift, params.volatility, world.dtYears, rng.normal());
  }
}

/**
 * Adds liquidity (a fraction of its tokens; the pool takes them at its ratio, the rest stays) or
 * removes it (a fraction of its shares), at random, as TokenSPICE's StakerspeculatorAgent stakes
 * and unstakes. Reads its holdings only on the ticks it acts.
 */
export class LiquidityProvider extends Agent<PoolAgentsWorld, AgentParams> {
  async step({ world, params, rng }: Ctx): Promise<void> {
    if (!rng.bool(params.lpActionProbability)) return;
    const wantsToRemove = rng.bool(0.5);
    const { pool } = world;
    const { volatile, stable, shares } = await pool.holdingsOf(this.wallet.address);
    const sharesOut = fractionOf(shares, params.lpActionFraction);
    const volatileIn = fractionOf(volatile, params.lpActionFraction);
    const stableIn = fractionOf(stable, params.lpActionFraction);
    const done = () => world.counts.lpActions++;
    const reverted = () => world.counts.lpReverts++;
    if (wantsToRemove && sharesOut > 0n) await counting(() => pool.removeLiquidity(this.wallet, sharesOut), done, reverted);
    else if (volatileIn > 0n && stableIn > 0n) await counting(() => pool.addLiquidity(this.wallet, volatileIn, stableIn), done, reverted);
  }
}

/**
 * Swaps a random amount in a random direction. It quotes from the pool as of the start of the
 * tick (what its wallet showed) and sets its minimum output `slippageBps` below that quote, so a
 * pool moved by the traders before it in the tick can make its swap revert. It never sells more
 * than it holds.
 */
export class NoiseTrader extends Agent<PoolAgentsWorld, AgentParams> {
  async step({ world, params, rng, tick }: Ctx): Promise<void> {
    if (!rng.bool(params.noiseTradeProbability)) return;
    const sell: Side = rng.bool(0.5) ? "volatile" : "stable";
    const size = rng() * params.noiseTradeFraction;
    const seen = await tickStartReserves(world, tick);
    const [reserveIn, reserveOut] = sell === "volatile" ? [seen.volatile, seen.stable] : [seen.stable, seen.volatile];
    const holdings = await world.pool.holdingsOf(this.wallet.address);
    const held = holdings[sell];
    const wanted = fractionOf(reserveIn, size);
    const amountIn = wanted < held ? wanted : held;
    const quoted = world.pool.getAmountOut(amountIn, reserveIn, reserveOut);
    if (amountIn === 0n || quoted === 0n) return;
    const minAmountOut = (quoted * BigInt(10_000 - params.slippageBps)) / 10_000n;
    await counting(
      () => world.pool.swapExactIn(this.wallet, sell, amountIn, minAmountOut),
      () => world.counts.noiseTrades++,
      () => world.counts.noiseReverts++,
    );
  }
}

/**
 * Trades the pool to the external price whenever the gap beats the fee, with the closed-form
 * optimal size (constant-product.ts), capped by its inventory; it books the profit at the external
 * price (it is assumed to close the position there). It reads the pool just before trading, so its
 * quote is exact and its minimum output is that quote. It should step last in the tick, as
 * arbitrage follows the trades that open a gap.
 */
export class Arbitrageur extends Agent<PoolAgentsWorld, AgentParams> {
  constructor(
    wallet: AgentWallet,
    private inventory: { volatile: bigint; stable: bigint },
  ) {
    super(wallet);
  }

  async step({ world }: Ctx): Promise<void> {
    const { pool } = world;
    const reserves = await pool.reserves();
    const price = world.externalPrice;
    const trade = optimalArbitrage(Number(reserves.volatile), Number(reserves.stable), price, pool.feeBps);
    if (trade === undefined) return;
    const sellsVolatile = trade.sell === "volatile";
    const [reserveIn, reserveOut] = sellsVolatile ? [reserves.volatile, reserves.stable] : [reserves.stable, reserves.volatile];
    const held = this.inventory[trade.sell];
    const optimal = BigInt(Math.floor(trade.amountIn));
    const amountIn = optimal < held ? optimal : held;
    const amountOut = pool.getAmountOut(amountIn, reserveIn, reserveOut);
    const profit = sellsVolatile ? Number(amountOut) - Number(amountIn) * price : Number(amountOut) * price - Number(amountIn);
    if (amountIn === 0n || amountOut === 0n || !(profit > 0)) return;
    await counting(
      () => pool.swapExactIn(this.wallet, trade.sell, amountIn, amountOut),
      () => {
        world.counts.arbTrades++;
        world.arbProfit += profit / WAD;
        if (sellsVolatile) this.inventory = { volatile: this.inventory.volatile - amountIn, stable: this.inventory.stable + amountOut };
        else this.inventory = { volatile: this.inventory.volatile + amountOut, stable: this.inventory.stable - amountIn };
      },
      () => world.counts.arbReverts++,
    );
  }
}

/** The agents of a pool model, in the order they step: the market, then LPs, noise traders and arbitrageurs last. */
export interface Population {
  market: Market;
  lps: LiquidityProvider[];
  noise: NoiseTrader[];
  arbs: Arbitrageur[];
}

/**
 * Creates the agents (`numLPs`, `numNoiseTraders`, `numArbitrageurs` and the market) with their
 * wallets, and funds each with a multiple of the founding deposit (`FUNDING`) through `fund`, which
 * mints the tokens (and approves the pool, where the pool pulls tokens). Wallets are named
 * `lp-<i>`, `noise-<i>`, `arbitrageur-<i>` and `market`: each agent's seeded stream follows from its
 * name and the run seed, so two models that share this population draw the same numbers.
 */
export async function createPopulation(
  params: Pick<AgentParams, "numLPs" | "numNoiseTraders" | "numArbitrageurs">,
  founding: { volatile: bigint; stable: bigint },
  wallet: (name: string) => Promise<AgentWallet>,
  fund: (who: AgentWallet, volatile: bigint, stable: bigint) => Promise<void>,
): Promise<Population> {
  /** `amount` times a multiple given to a thousandth. */
  const times = (amount: bigint, multiple: number) => (amount * BigInt(Math.round(multiple * 1000))) / 1000n;
  const funded = async <A>(name: string, multiple: number, make: (w: AgentWallet) => A) => {
    const w = await wallet(name);
    await fund(w, times(founding.volatile, multiple), times(founding.stable, multiple));
    return make(w);
  };
  const lps: LiquidityProvider[] = [];
  for (let i = 0; i < params.numLPs; i++) lps.push(await funded(`lp-${i}`, FUNDING.liquidityProvider, (w) => new LiquidityProvider(w)));
  const noise: NoiseTrader[] = [];
  for (let i = 0; i < params.numNoiseTraders; i++) noise.push(await funded(`noise-${i}`, FUNDING.noiseTrader, (w) => new NoiseTrader(w)));
  const arbs: Arbitrageur[] = [];
  const inventory = { volatile: times(founding.volatile, FUNDING.arbitrageur), stable: times(founding.stable, FUNDING.arbitrageur) };
  for (let i = 0; i < params.numArbitrageurs; i++) {
    arbs.push(await funded(`arbitrageur-${i}`, FUNDING.arbitrageur, (w) => new Arbitrageur(w, { ...inventory })));
  }
  return { market: new Market(await wallet("market")), lps, noise, arbs };
}
