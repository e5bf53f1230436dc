import { isTransactionReverted, type AgentWallet } from "../../src/api";
import type { AmmToken } from "../../typechain-types";
import type { ConstantProductPool, Holdings, Reserves, Side } from "../amm/pool";
import type { UniswapV2Pair } from "./contracts";
import { FEE_BPS, burnAmounts, depositAmounts, getAmountOut, protocolFeeLiquidity } from "./v2-math";

/** What the adapter counts as it drives the pair: successful pair calls, and reverts by the pair's reason. */
export interface PairActivity {
  swaps: number;
  mints: number;
  burns: number;
  /** Swaps the pair refused with `UniswapV2: K`: the output asked for (the trader's minimum) is more than the curve gives. */
  kReverts: number;
  /** `UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED` or `_BURNED`: a deposit or a withdrawal too small to move a share or a wei. */
  liquidityReverts: number;
  /** Any other reason (`INSUFFICIENT_OUTPUT_AMOUNT`, `INSUFFICIENT_LIQUIDITY`, `OVERFLOW`, ...). */
  otherReverts: number;
}

/**
 * Uniswap V2's published pair behind the agents' pool interface, driven from the agents' own
 * wallets as the V2 router (`UniswapV2Router02`) drives it from a contract: compute the amounts with
 * V2's own formulas (`v2-math.ts`) on the pair's current reserves, send the tokens in with
 * `transfer`, then call `swap`, `mint` or `burn`.
 *
 * The router does that atomically and checks the trader's minimum output before it sends anything.
 * An EOA cannot; it gets the same outcomes this way (no other agent acts between its transactions,
 * as agents step one at a time):
 * - a swap asks the pair for max(what V2's formula gives now, the minimum). When the formula gives
 *   less than the minimum, that is more than the curve allows and the pair itself refuses it
 *   (`UniswapV2: K`); the input already sent is then taken back with `skim`, so nothing is left in
 *   the pair and its reserves are as before. The revert is the pair's, recorded by the engine.
 * - a deposit sends the amounts Router02's `_addLiquidity` computes, then `mint`; if `mint` reverts,
 *   `skim` returns the tokens.
 * - a withdrawal sends the shares, then `burn`; as sent shares could not be taken back, a `burn` that
 *   would pay 0 of a token is called without sending them, and reverts as the router's would
 *   (`INSUFFICIENT_LIQUIDITY_BURNED`), with the shares still in the wallet.
 */
export class UniswapV2PairAdapter implements ConstantProductPool {
  /** Fixed in the pair's bytecode: 3/1000 of the input. */
  readonly feeBps = FEE_BPS;
  readonly activity: PairActivity = { swaps: 0, mints: 0, burns: 0, kReverts: 0, liquidityReverts: 0, otherReverts: 0 };
  /**
   * Every successful swap's fee (3/1000 of its input, rounded down) valued in stable tokens at the
   * pool's price just before the swap, in wei: what `AmmPool.feesInToken1` books on chain, booked
   * here by the adapter, as the pair keeps no fee counter (its fees are in the growth of k).
   */
  feesInStable = 0n;

  constructor(
    /** The pair, connected to any runner: each call connects it to the acting wallet. */
    readonly pair: UniswapV2Pair,
    readonly pairAddress: string,
    readonly tokens: { volatile: AmmToken; stable: AmmToken },
    /** Whether the volatile token is the pair's token0 (the pair orders its tokens by address). */
    readonly volatileIsToken0: boolean,
  ) {}

  /** (token0, token1) amounts → (volatile, stable), and back: the same swap of order both ways. */
  private sides<T>(amount0: T, amount1: T): { volatile: T; stable: T } {
    return this.volatileIsToken0 ? { volatile: amount0, stable: amount1 } : { volatile: amount1, stable: amount0 };
  }

  async reserves(): Promise<Reserves> {
    const [reserve0, reserve1] = await this.pair.getReserves();
    return this.sides(reserve0, reserve1);
  }

  async holdingsOf(address: string): Promise<Holdings> {
    const [volatile, stable, shares] = await Promise.all([this.tokens.volatile.balanceOf(address), this.tokens.stable.balanceOf(address), this.pair.balanceOf(address)]);
    return { volatile, stable, shares };
  }

  totalShares(): Promise<bigint> {
    return this.pair.totalSupply();
  }

  getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
    return getAmountOut(amountIn, reserveIn, reserveOut);
  }

  async swapExactIn(trader: AgentWallet, sell: Side, amountIn: bigint, minAmountOut: bigint): Promise<void> {
    const reserves = await this.reserves();
    const buy: Side = sell === "volatile" ? "stable" : "volatile";
    const amountOut = getAmountOut(amountIn, reserves[sell], reserves[buy]);
    const ask = amountOut >= minAmountOut ? amountOut : minAmountOut;
    const outs = { [sell]: 0n, [buy]: ask } as Record<Side, bigint>;
    const [amount0Out, amount1Out] = this.volatileIsToken0 ? [outs.volatile, outs.stable] : [outs.stable, outs.volatile];
    await this.counted(async () => {
      await this.tokens[sell].connect(trader.signer).transfer(this.pairAddress, amountIn);
      await this.orSkim(trader, () => this.pair.connect(trader.signer).swap(amount0Out, amount1Out, trader.address, "0x"));
    });
    this.activity.swaps++;
    const fee = (amountIn * 3n) / 1000n;
    this.feesInStable += sell === "stable" ? fee : (fee * reserves.stable) / reserves.volatile;
  }

  async addLiquidity(provider: AgentWallet, volatileMax: bigint, stableMax: bigint): Promise<void> {
    const reserves = await this.reserves();
    const { amountA: volatileIn, amountB: stableIn } = depositAmounts(volatileMax, stableMax, reserves.volatile, reserves.stable);
    await this.counted(async () => {
      await this.tokens.volatile.connect(provider.signer).transfer(this.pairAddress, volatileIn);
      await this.tokens.stable.connect(provider.signer).transfer(this.pairAddress, stableIn);
      await this.orSkim(provider, () => this.pair.connect(provider.signer).mint(provider.address));
    });
    this.activity.mints++;
  }

  async removeLiquidity(provider: AgentWallet, shares: bigint): Promise<void> {
    const pair = this.pair.connect(provider.signer);
    // What burn will pay, with the supply after _mintFee (the protocol fee's shares are minted first).
    const [[reserve0, reserve1], kLast, supply, balance0, balance1] = await Promise.all([
      this.pair.getReserves(),
      this.pair.kLast(),
      this.pair.totalSupply(),
      this.tokens[this.volatileIsToken0 ? "volatile" : "stable"].balanceOf(this.pairAddress),
      this.tokens[this.volatileIsToken0 ? "stable" : "volatile"].balanceOf(this.pairAddress),
    ]);
    const { amount0, amount1 } = burnAmounts(shares, balance0, balance1, supply + protocolFeeLiquidity(reserve0, reserve1, kLast, supply));
    await this.counted(async () => {
      if (amount0 > 0n && amount1 > 0n) await pair.transfer(this.pairAddress, shares);
      await pair.burn(provider.address);
    });
    this.activity.burns++;
  }

  /** Sends the pair call; if it reverts, takes back what was sent in with `skim` and rethrows. */
  private async orSkim(wallet: AgentWallet, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (isTransactionReverted(error)) await this.pair.connect(wallet.signer).skim(wallet.address);
      throw error;
    }
  }

  /** Runs one operation's transactions; a revert is counted by its reason and rethrown (the agent counts it by agent type). */
  private async counted(operation: () => Promise<void>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      if (isTransactionReverted(error)) {
        if (error.reason === "UniswapV2: K") this.activity.kReverts++;
        else if (/^UniswapV2: INSUFFICIENT_LIQUIDITY_(MINTED|BURNED)$/.test(error.reason)) this.activity.liquidityReverts++;
        else this.activity.otherReverts++;
      }
      throw error;
    }
  }
}
