import type { BaseContract, ContractRunner, ContractTransactionResponse } from "ethers";

/**
 * Uniswap V2's published build, as npm ships it in `@uniswap/v2-core@1.0.1` (a devDependency; the
 * package, not a copy): solc 0.5.16, optimizer on (999,999 runs), the bytecode deployed on Ethereum
 * mainnet. The pair's creation code hashes to PAIR_INIT_CODE_HASH, the init code hash Uniswap's
 * periphery hard-codes to find pairs (`UniswapV2Library.pairFor`).
 */
export const FACTORY_ARTIFACT = "@uniswap/v2-core/build/UniswapV2Factory.json";
export const PAIR_ARTIFACT = "@uniswap/v2-core/build/UniswapV2Pair.json";
export const PAIR_INIT_CODE_HASH = "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f";

type Tx = Promise<ContractTransactionResponse>;

/**
 * The part of `IUniswapV2Factory` the model calls, typed by hand (there are no TypeChain types for a
 * package's build): `deployArtifact<UniswapV2Factory>(FACTORY_ARTIFACT, [feeToSetter])`.
 */
export interface UniswapV2Factory extends BaseContract {
  createPair(tokenA: string, tokenB: string): Tx;
  getPair(tokenA: string, tokenB: string): Promise<string>;
  feeTo(): Promise<string>;
  setFeeTo(feeTo: string): Tx;
}

/** The part of `IUniswapV2Pair` the model calls, typed by hand: `at<UniswapV2Pair>(PAIR_ARTIFACT, address)`. */
export interface UniswapV2Pair extends BaseContract {
  connect(runner: ContractRunner | null): UniswapV2Pair;
  token0(): Promise<string>;
  /** (reserve0, reserve1, blockTimestampLast): reserves in wei, the time of the last update (seconds, mod 2^32). */
  getReserves(): Promise<[bigint, bigint, bigint] & { _reserve0: bigint; _reserve1: bigint; _blockTimestampLast: bigint }>;
  totalSupply(): Promise<bigint>;
  balanceOf(owner: string): Promise<bigint>;
  /** reserve0·reserve1 after the last liquidity event, kept only while the protocol fee is on (0 otherwise). */
  kLast(): Promise<bigint>;
  /** Σ (reserve1/reserve0 as UQ112x112) · seconds, updated on the first reserve change of a block: the TWAP oracle. */
  price0CumulativeLast(): Promise<bigint>;
  price1CumulativeLast(): Promise<bigint>;
  transfer(to: string, value: bigint): Tx;
  swap(amount0Out: bigint, amount1Out: bigint, to: string, data: string): Tx;
  mint(to: string): Tx;
  burn(to: string): Tx;
  skim(to: string): Tx;
}
