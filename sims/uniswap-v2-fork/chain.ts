import { getAddress, getCreate2Address, getCreateAddress, keccak256, solidityPacked } from "ethers";
import { PAIR_INIT_CODE_HASH } from "../uniswap-v2/contracts";

/**
 * Where the worked example's "live chain" (live-chain.ts) has Uniswap V2 deployed: Hardhat's
 * account #0 deploys, from nonce 0, the volatile token (VOL), the stable token (USD), the published
 * UniswapV2Factory, then creates the pair (CREATE2 from the factory, V2's own init code hash). So the
 * addresses follow from the deployer alone, as mainnet addresses are known before a fork.
 */
export const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const VOLATILE = getCreateAddress({ from: DEPLOYER, nonce: 0 });
export const STABLE = getCreateAddress({ from: DEPLOYER, nonce: 1 });
export const FACTORY = getCreateAddress({ from: DEPLOYER, nonce: 2 });
const [TOKEN0, TOKEN1] = BigInt(VOLATILE) < BigInt(STABLE) ? [VOLATILE, STABLE] : [STABLE, VOLATILE];
/** UniswapV2Library.pairFor: CREATE2(factory, keccak256(token0 ++ token1), init code hash). */
export const PAIR = getAddress(getCreate2Address(FACTORY, keccak256(solidityPacked(["address", "address"], [TOKEN0, TOKEN1])), PAIR_INIT_CODE_HASH));

/** The chain's history (live-chain.ts): the founding deposit, then a swap a day, an LP's deposit on day 7. */
export const HISTORY = {
  /** The founding deposit: 250 VOL and 500,000 USD (18 decimals each): a price of 2,000 USD per VOL. */
  foundingVolatile: 250n * 10n ** 18n,
  foundingStable: 500_000n * 10n ** 18n,
  /** Days of trading before the fork point (one swap a day, each in its own blocks). */
  days: 14,
  /** Each day's swap, as a fraction (in basis points) of the pair's reserve of the token sold; positive sells VOL, negative sells USD. */
  swapsBps: [120, -80, 200, -150, 60, -220, 90, 140, -60, -110, 170, -40, 30, -190],
} as const;
