import { Agent, isTransactionReverted, type AgentWallet, type StepContext } from "../../src/api";
import { getAmountOut, optimalArbitrage } from "./constant-product";
import { gbmStep } from "./gbm";
import { readPoolState, tickStartState, type AmmParams, type AmmWorld } from "./world";

type Ctx = StepContext<AmmWorld, AmmParams>;

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
 * by one step of geometric Brownian motion on its own seeded stream. It must step first.
 */
export class Market extends Agent<AmmWorld, AmmParams> {
  step({ world, params, rng }: Ctx): void {
    world.externalPrice = gbmStep(world.externalPrice, params.drift, params.volatility, world.dtYears, rng.normal());
  }
}

/**
 * Adds liquidity (a fraction of its tokens; the pool takes them at its ratio, the rest stays) or
 * removes it (a fraction of its shares), at random, as TokenSPICE's StakerspeculatorAgent stakes
 * and unstakes. Reads its holdings only on the ticks it acts.
 */
export class LiquidityProvider extends Agent<AmmWorld, AmmParams> {
  async step({ world, params, rng }: Ctx): Promise<void> {
    if (!rng.bool(params.lpActionProbability)) return;
    const wantsToRemove = rng.bool(0.5);
    const pool = world.pool.connect(this.wallet.signer);
    const [volatile, stable, shares] = await world.pool.holdingsOf(this.wallet.address);
    const sharesOut = fractionOf(shares, params.lpActionFraction);
    const volatileIn = fractionOf(volatile, params.lpActionFraction);
    const stableIn = fractionOf(stable, params.lpActionFraction);
    const done = () => world.counts.lpActions++;
    const reverted = () => world.counts.lpReverts++;
    if (wantsToRemove && sharesOut > 0n) await counting(() => pool.removeLiquidity(sharesOut), done, reverted);
    else if (volatileIn > 0n && stableIn > 0n) await counting(() => pool.addLiquidity(volatileIn, stableIn), done, reverted);
  }
}

/**
 * Swaps a random amount in a random direction. It quotes from the pool as of the start of the
 * tick (what its wallet showed) and sets its minimum output `slippageBps` below that quote, so a
 * pool moved by the traders before it in the tick can make its swap revert. It never sells more
 * than it holds.
 */
export class NoiseTrader extends Agent<AmmWorld, AmmParams> {
  async step({ world, params, rng, tick }: Ctx): Promise<void> {
    if (!rng.bool(params.noiseTradeProbability)) return;
    const sellsVolatile = rng.bool(0.5);
    const size = rng() * params.noiseTradeFraction;
    const seen = await tickStartState(world, tick);
    const [reserveIn, reserveOut] = sellsVolatile ? [seen.reserveVolatile, seen.reserveStable] : [seen.reserveStable, seen.reserveVolatile];
    const [volatile, stable] = await world.pool.holdingsOf(this.wallet.address);
    const held = sellsVolatile ? volatile : stable;
    const wanted = fractionOf(reserveIn, size);
    const amountIn = wanted < held ? wanted : held;
    const quoted = getAmountOut(amountIn, reserveIn, reserveOut, params.feeBps);
    if (amountIn === 0n || quoted === 0n) return;
    const minAmountOut = (quoted * BigInt(10_000 - params.slippageBps)) / 10_000n;
    const tokenIn = sellsVolatile ? world.addresses.volatile : world.addresses.stable;
    await counting(
      () => world.pool.connect(this.wallet.signer).swap(tokenIn, amountIn, minAmountOut),
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
export class Arbitrageur extends Agent<AmmWorld, AmmParams> {
  constructor(
    wallet: AgentWallet,
    private inventory: { volatile: bigint; stable: bigint },
  ) {
    super(wallet);
  }

  async step({ world, params }: Ctx): Promise<void> {
    const state = await readPoolState(world.pool);
    const price = world.externalPrice;
    const trade = optimalArbitrage(Number(state.reserveVolatile), Number(state.reserveStable), price, params.feeBps);
    if (trade === undefined) return;
    const sellsVolatile = trade.sell === "volatile";
    const [reserveIn, reserveOut] = sellsVolatile ? [state.reserveVolatile, state.reserveStable] : [state.reserveStable, state.reserveVolatile];
    const held = sellsVolatile ? this.inventory.volatile : this.inventory.stable;
    const optimal = BigInt(Math.floor(trade.amountIn));
    const amountIn = optimal < held ? optimal : held;
    const amountOut = getAmountOut(amountIn, reserveIn, reserveOut, params.feeBps);
    const profit = sellsVolatile ? Number(amountOut) - Number(amountIn) * price : Number(amountOut) * price - Number(amountIn);
    if (amountIn === 0n || amountOut === 0n || !(profit > 0)) return;
    const tokenIn = sellsVolatile ? world.addresses.volatile : world.addresses.stable;
    await counting(
      () => world.pool.connect(this.wallet.signer).swap(tokenIn, amountIn, amountOut),
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
