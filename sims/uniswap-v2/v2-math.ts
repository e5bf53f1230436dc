/**
 * Uniswap V2's arithmetic in TypeScript, integer for integer: the TypeScript reference the
 * `uniswap-v2` model plans with and the tests check the published bytecode against. All amounts
 * are in wei (bigint). Pure: no chain.
 *
 * Sources:
 * - `@uniswap/v2-core@1.0.1` (the npm package whose bytecode the model deploys), `contracts/`:
 *   `UniswapV2Pair.sol` (`swap`'s K check, `mint`, `burn`, `_mintFee`, `MINIMUM_LIQUIDITY`) and
 *   `libraries/Math.sol` (`sqrt`, Babylonian, rounded down);
 * - github.com/Uniswap/v2-periphery, `contracts/libraries/UniswapV2Library.sol` (`getAmountOut`,
 *   `quote`) and `contracts/UniswapV2Router02.sol` (`_addLiquidity`: the amounts a deposit takes);
 * - the V2 whitepaper (Adams, Zinsmeister, Robinson, "Uniswap v2 Core", 2020), sections 2.4 (protocol
 *   fee) and 3.4 (initialization of liquidity token supply).
 */

/** Shares `mint` locks forever at address(0) on the first deposit (`UniswapV2Pair.MINIMUM_LIQUIDITY`). */
export const MINIMUM_LIQUIDITY = 1_000n;

/** The swap fee: 3/1000 of the input (0.30%), fixed in the pair's bytecode. In basis points: 30. */
export const FEE_BPS = 30;

/** The largest reserve a pair can hold: reserves are uint112 (`UniswapV2: OVERFLOW` beyond). */
export const MAX_RESERVE = 2n ** 112n - 1n;

/**
 * `Math.sqrt` of V2: the Babylonian method, the integer square root rounded down (0 for 0, 1 for
 * 1..3). Equal to floor(√y) for every y ≥ 0.
 */
export function sqrt(y: bigint): bigint {
  if (y > 3n) {
    let z = y;
    let x = y / 2n + 1n;
    while (x < z) {
      z = x;
      x = (y / x + x) / 2n;
    }
    return z;
  }
  return y !== 0n ? 1n : 0n;
}

/**
 * `UniswapV2Library.getAmountOut`: what selling `amountIn` into reserves (reserveIn, reserveOut)
 * returns, in·997·R_out / (R_in·1000 + in·997), rounded down. It is the largest output the pair's
 * K check accepts for that input (see `kHolds`). 0 for a zero input or empty reserves (the library
 * reverts there instead).
 */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n || reserveIn <= 0n || reserveOut <= 0n) return 0n;
  const amountInWithFee = amountIn * 997n;
  return (amountInWithFee * reserveOut) / (reserveIn * 1000n + amountInWithFee);
}

/** `UniswapV2Library.quote`: `amountA` of A at the reserves' ratio in B, rounded down. */
export function quote(amountA: bigint, reserveA: bigint, reserveB: bigint): bigint {
  return (amountA * reserveB) / reserveA;
}

/**
 * The K check of `UniswapV2Pair.swap` after the pair holds `balance0`, `balance1` (outputs already
 * sent, inputs received): (b0·1000 − in0·3)·(b1·1000 − in1·3) ≥ r0·r1·1000². A fee of 0.3% of each
 * input is left out of the product before comparing, so k (of the reserves) strictly grows with
 * every swap that pays a fee.
 */
export function kHolds(balance0: bigint, balance1: bigint, amount0In: bigint, amount1In: bigint, reserve0: bigint, reserve1: bigint): boolean {
  return (balance0 * 1000n - amount0In * 3n) * (balance1 * 1000n - amount1In * 3n) >= reserve0 * reserve1 * 1_000_000n;
}

/**
 * Router02's `_addLiquidity`: the amounts a deposit of at most (`amountADesired`, `amountBDesired`)
 * takes at the reserves' ratio (all of both for the first one). A and B are the caller's order,
 * not the pair's.
 */
export function depositAmounts(amountADesired: bigint, amountBDesired: bigint, reserveA: bigint, reserveB: bigint): { amountA: bigint; amountB: bigint } {
  if (reserveA === 0n && reserveB === 0n) return { amountA: amountADesired, amountB: amountBDesired };
  const amountBOptimal = quote(amountADesired, reserveA, reserveB);
  if (amountBOptimal <= amountBDesired) return { amountA: amountADesired, amountB: amountBOptimal };
  return { amountA: quote(amountBDesired, reserveB, reserveA), amountB: amountBDesired };
}

/**
 * The shares `mint` gives for `amount0`, `amount1` sent in, with `totalSupply` after `_mintFee`:
 * √(a0·a1) − MINIMUM_LIQUIDITY for the first deposit, else min(a0·S/r0, a1·S/r1). 0 (or less, for a
 * first deposit of √(a0·a1) ≤ 1000) means `mint` reverts (`INSUFFICIENT_LIQUIDITY_MINTED`, or SafeMath's
 * `ds-math-sub-underflow`).
 */
export function mintLiquidity(amount0: bigint, amount1: bigint, reserve0: bigint, reserve1: bigint, totalSupply: bigint): bigint {
  if (totalSupply === 0n) return sqrt(amount0 * amount1) - MINIMUM_LIQUIDITY;
  const by0 = (amount0 * totalSupply) / reserve0;
  const by1 = (amount1 * totalSupply) / reserve1;
  return by0 < by1 ? by0 : by1;
}

/**
 * What `burn` pays for `liquidity` shares sent to the pair: liquidity·balance/S of each token,
 * rounded down, with `totalSupply` after `_mintFee`. Either being 0 makes `burn` revert
 * (`INSUFFICIENT_LIQUIDITY_BURNED`).
 */
export function burnAmounts(liquidity: bigint, balance0: bigint, balance1: bigint, totalSupply: bigint): { amount0: bigint; amount1: bigint } {
  return { amount0: (liquidity * balance0) / totalSupply, amount1: (liquidity * balance1) / totalSupply };
}

/**
 * `_mintFee`: with the protocol fee on (the factory's `feeTo` set), the shares minted to `feeTo` at
 * the next `mint` or `burn`: S·(√k − √kLast) / (5·√k + √kLast), i.e. 1/6 of the growth in √k since
 * the last liquidity event (whitepaper 2.4). 0 when the fee is off (`kLast` 0) or k has not grown.
 */
export function protocolFeeLiquidity(reserve0: bigint, reserve1: bigint, kLast: bigint, totalSupply: bigint): bigint {
  if (kLast === 0n) return 0n;
  const rootK = sqrt(reserve0 * reserve1);
  const rootKLast = sqrt(kLast);
  if (rootK <= rootKLast) return 0n;
  return (totalSupply * (rootK - rootKLast)) / (rootK * 5n + rootKLast);
}
