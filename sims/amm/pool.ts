import type { AgentWallet } from "../../src/api";

/**
 * The pool the `amm` agents trade on, whichever contract is behind it: `amm`'s own `AmmPool`
 * (`amm-pool.ts`) or Uniswap V2's published pair (`sims/uniswap-v2/pair.ts`). The agents only see
 * this interface, so the same agents, with the same seeded streams, drive both models.
 *
 * Sides, not token0/token1: a V2 pair orders its tokens by address, so which one is token0 is an
 * accident of deployment; "volatile" and "stable" are what the model means. Amounts are in wei.
 */
export type Side = "volatile" | "stable";

/** A pool's reserves, in wei. */
export interface Reserves {
  volatile: bigint;
  stable: bigint;
}

/** What an account holds: both tokens and the pool's LP shares, in wei. */
export interface Holdings {
  volatile: bigint;
  stable: bigint;
  shares: bigint;
}

export interface ConstantProductPool {
  /** The swap fee taken from the input, in basis points (30 for Uniswap V2). */
  readonly feeBps: number;
  /** The reserves as the pool prices swaps now. */
  reserves(): Promise<Reserves>;
  /** An account's token balances and LP shares. */
  holdingsOf(address: string): Promise<Holdings>;
  /** The LP share supply, locked shares included (wei). */
  totalShares(): Promise<bigint>;
  /** The pool's own swap formula, to the wei: what selling `amountIn` into (reserveIn, reserveOut) returns. Pure. */
  getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint;
  /**
   * Sells exactly `amountIn` of `sell` for the other token, receiving what the pool's formula gives
   * on its reserves at that moment, and reverts (a recorded `TransactionRevertedError`, with the
   * wallet's tokens where they were) when that is below `minAmountOut`.
   */
  swapExactIn(trader: AgentWallet, sell: Side, amountIn: bigint, minAmountOut: bigint): Promise<void>;
  /**
   * Deposits at most `volatileMax` and `stableMax` at the pool's current ratio (the first deposit
   * sets it), for LP shares; what the ratio does not take stays in the wallet.
   */
  addLiquidity(provider: AgentWallet, volatileMax: bigint, stableMax: bigint): Promise<void>;
  /** Burns `shares` for their pro-rata part of both reserves. */
  removeLiquidity(provider: AgentWallet, shares: bigint): Promise<void>;
}
