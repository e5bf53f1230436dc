import { MaxUint256, ZeroAddress, type BaseContract, type BaseContractMethod, type ContractRunner, type ContractTransactionResponse } from "ethers";
import type { AgentWallet, SetupContext } from "../../src/api";
import { IERC20__factory } from "../../typechain-types";
import { maxWeightedUnstake } from "./quotes";
import { TOKEN } from "./units";
import type { PoolListing, PoolReserves, Venue, VenueContext } from "./world";

/**
 * Ocean V3's published contracts: `@oceanprotocol/contracts` 0.6.9 (installed as the npm alias
 * `ocean-contracts-v3`), Truffle artifacts compiled with solc 0.5.7. Deployed from the artifacts'
 * exact bytecode with `deployArtifact`; no library is linked (their bytecode has no placeholders).
 * Datatokens and pools are EIP-1167 clones of a template, made by `DTFactory` and `BFactory`
 * (through Ocean's `Deployer`); the venue attaches each with `at` so calls and reverts name them.
 */
export const V3_ARTIFACTS = {
  collector: "ocean-contracts-v3/artifacts/OPFCommunityFeeCollector.json",
  datatokenTemplate: "ocean-contracts-v3/artifacts/DataTokenTemplate.json",
  datatokenFactory: "ocean-contracts-v3/artifacts/DTFactory.json",
  pool: "ocean-contracts-v3/artifacts/BPool.json",
  poolFactory: "ocean-contracts-v3/artifacts/BFactory.json",
} as const;

type Send<A extends unknown[], R = unknown> = BaseContractMethod<A, R, ContractTransactionResponse>;
type View<A extends unknown[], R> = BaseContractMethod<A, R, R>;

/** The methods of V3's `DataTokenTemplate` the model calls (a datatoken clone). */
export interface V3Datatoken extends BaseContract {
  connect(runner: ContractRunner | null): V3Datatoken;
  mint: Send<[account: string, value: bigint]>;
  approve: Send<[spender: string, amount: bigint], boolean>;
  transfer: Send<[to: string, amount: bigint], boolean>;
  startOrder: Send<[consumer: string, amount: bigint, serviceId: bigint, marketFeeCollector: string]>;
  balanceOf: View<[account: string], bigint>;
  cap: View<[], bigint>;
  minter: View<[], string>;
}

/** The methods of V3's `DTFactory` the model calls. */
export interface V3DatatokenFactory extends BaseContract {
  connect(runner: ContractRunner | null): V3DatatokenFactory;
  createToken: Send<[blob: string, name: string, symbol: string, cap: bigint], string>;
}

/** The methods of V3's `BPool` (Balancer V1 as Ocean shipped it) the model calls. */
export interface V3Pool extends BaseContract {
  connect(runner: ContractRunner | null): V3Pool;
  setup: Send<[datatoken: string, datatokenAmount: bigint, datatokenWeight: bigint, baseToken: string, baseTokenAmount: bigint, baseTokenWeight: bigint, swapFee: bigint]>;
  swapExactAmountIn: Send<[tokenIn: string, tokenAmountIn: bigint, tokenOut: string, minAmountOut: bigint, maxPrice: bigint], [bigint, bigint]>;
  swapExactAmountOut: Send<[tokenIn: string, maxAmountIn: bigint, tokenOut: string, tokenAmountOut: bigint, maxPrice: bigint], [bigint, bigint]>;
  joinswapExternAmountIn: Send<[tokenIn: string, tokenAmountIn: bigint, minPoolAmountOut: bigint], bigint>;
  exitswapPoolAmountIn: Send<[tokenOut: string, poolAmountIn: bigint, minAmountOut: bigint], bigint>;
  joinPool: Send<[poolAmountOut: bigint, maxAmountsIn: bigint[]]>;
  exitPool: Send<[poolAmountIn: bigint, minAmountsOut: bigint[]]>;
  getBalance: View<[token: string], bigint>;
  getSwapFee: View<[], bigint>;
  getController: View<[], string>;
  totalSupply: View<[], bigint>;
  balanceOf: View<[account: string], bigint>;
  approve: Send<[spender: string, amount: bigint], boolean>;
}

/** The methods of V3's `BFactory` the model calls. */
export interface V3PoolFactory extends BaseContract {
  connect(runner: ContractRunner | null): V3PoolFactory;
  newBPool: Send<[], string>;
}

/** What a V3 publisher mints and binds, and the pool's weights and fee (wei, 18 decimals). */
export interface V3PoolTerms {
  /** Datatokens minted per dataset, also the datatoken's cap (as TokenSPICE). */
  minted: bigint;
  /** Of those, datatokens bound into the pool. */
  staked: bigint;
  datatokenWeight: bigint;
  oceanWeight: bigint;
  /** The swap fee, 18 decimals: at least BPool's MIN_FEE (1e12, 0.0001%), at most 10%. */
  swapFee: bigint;
}

/** BPool's MIN_FEE in 0.6.9 (`BConst.sol`: BONE / 10**6): 0.0001%. */
export const V3_MIN_FEE = 10n ** 12n;

/** The V3 swap fee for a fee in basis points: bps × 1e14, raised to BPool's minimum (0.0001%) when 0. */
export function v3SwapFee(bps: number): bigint {
  const fee = BigInt(bps) * 10n ** 14n;
  return fee < V3_MIN_FEE ? V3_MIN_FEE : fee;
}

/** V3's contracts as deployed for a run. */
export interface V3Deployment {
  collector: string;
  datatokenTemplate: string;
  datatokenFactory: V3DatatokenFactory;
  poolTemplate: string;
  poolFactory: V3PoolFactory;
}

/**
 * Deploys Ocean V3 as its Truffle migration (`migrations/2_deploy_contracts.js` at v0.6.9) does, in
 * its order: the community fee collector (collector and owner: the deployer, where the migration
 * uses OPF's wallet), the datatoken template (named "DataTokenTemplate", "DTT", minter the deployer,
 * cap 100 000 as on development chains, blob "http://oceanprotocol.com"), DTFactory(template,
 * collector), the BPool template and BFactory(template). Fixed-rate exchanges, the dispenser and
 * the metadata contract are left out: no agent uses them.
 */
export async function deployOceanV3({ deployArtifact, deployer }: Pick<SetupContext<unknown>, "deployArtifact" | "deployer">): Promise<V3Deployment> {
  const collector = await deployArtifact(V3_ARTIFACTS.collector, [deployer.address, deployer.address]);
  const collectorAddress = await collector.getAddress();
  const template = await deployArtifact(V3_ARTIFACTS.datatokenTemplate, ["DataTokenTemplate", "DTT", deployer.address, 100_000n * TOKEN, "http://oceanprotocol.com", collectorAddress]);
  const datatokenTemplate = await template.getAddress();
  const datatokenFactory = await deployArtifact<V3DatatokenFactory>(V3_ARTIFACTS.datatokenFactory, [datatokenTemplate, collectorAddress]);
  const poolTemplate = await (await deployArtifact(V3_ARTIFACTS.pool, [])).getAddress();
  const poolFactory = await deployArtifact<V3PoolFactory>(V3_ARTIFACTS.poolFactory, [poolTemplate]);
  return { collector: collectorAddress, datatokenTemplate, datatokenFactory, poolTemplate, poolFactory };
}

/**
 * Unlimited approvals, given once per owner, token and spender, so each move is one transaction
 * after the first. (Sent through an ERC20 ABI; the call is named by the token's registered contract.)
 */
export class Approvals {
  private readonly given = new Set<string>();
  async once(owner: AgentWallet, token: string, spender: string): Promise<void> {
    const key = `${owner.address}:${token}:${spender}`;
    if (this.given.has(key)) return;
    await IERC20__factory.connect(token, owner.signer).approve(spender, MaxUint256);
    this.given.add(key);
  }
}

/**
 * Ocean V3's flows on its published bytecode. A publisher creates a datatoken (`DTFactory.createToken`,
 * cap = what it mints), mints it, creates a pool (`BFactory.newBPool`, it is the controller) and
 * binds part of its datatokens and all its OCEAN with `BPool.setup`. Trades are BPool swaps; staking
 * and unstaking are single-asset joins and exits in OCEAN; a rug's exit is `exitPool` (proportional,
 * no exit fee: EXIT_FEE is 0); an access is `startOrder` (0.1% of the datatoken to Ocean's community
 * fee collector, the rest to the minter, the publisher).
 */
export class V3Venue implements Venue {
  readonly label = "Ocean V3 (@oceanprotocol/contracts 0.6.9)";
  /** BConst.sol: MAX_IN_RATIO = BONE / 2, MAX_OUT_RATIO = BONE / 3 + 1 wei. */
  readonly maxInRatio = 1 / 2;
  readonly maxOutRatio = 1 / 3;
  readonly protocolAccounts: readonly string[];
  private readonly pools = new Map<string, V3Pool>();
  private readonly datatokens = new Map<string, V3Datatoken>();
  private readonly approvals = new Approvals();

  constructor(
    readonly contracts: V3Deployment,
    /** OCEAN's address. */
    private readonly ocean: string,
    private readonly terms: V3PoolTerms,
  ) {
    this.protocolAccounts = [contracts.collector];
  }

  private pool(listing: PoolListing, wallet: AgentWallet): V3Pool {
    return this.pools.get(listing.address)!.connect(wallet.signer);
  }

  private datatoken(listing: PoolListing, wallet: AgentWallet): V3Datatoken {
    return this.datatokens.get(listing.datatokenAddress)!.connect(wallet.signer);
  }

  async publish(ctx: VenueContext, wallet: AgentWallet, ocean: bigint): Promise<PoolListing> {
    const { minted, staked, datatokenWeight, oceanWeight, swapFee } = this.terms;
    const name = `DT${ctx.world.pools.length}`;
    const factory = this.contracts.datatokenFactory.connect(wallet.signer);
    const datatokenAddress = await factory.createToken.staticCall(name, name, name, minted); // where the clone will be
    await factory.createToken(name, name, name, minted);
    const datatoken = ctx.at<V3Datatoken>(V3_ARTIFACTS.datatokenTemplate, datatokenAddress);
    this.datatokens.set(datatokenAddress, datatoken);
    await datatoken.mint(wallet.address, minted);

    const poolFactory = this.contracts.poolFactory.connect(wallet.signer);
    const poolAddress = await poolFactory.newBPool.staticCall();
    await poolFactory.newBPool();
    const pool = ctx.at<V3Pool>(V3_ARTIFACTS.pool, poolAddress);
    this.pools.set(poolAddress, pool);
    await this.approvals.once(wallet, datatokenAddress, poolAddress);
    await this.approvals.once(wallet, this.ocean, poolAddress);
    await pool.setup(datatokenAddress, staked, datatokenWeight, this.ocean, ocean, oceanWeight, swapFee);
    return { address: poolAddress, datatokenAddress, publisher: wallet.address, datatokenWeight, oceanWeight, swapFee, oceanStaked: ocean, createdTick: ctx.tick };
  }

  async buy(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, datatokensOut: bigint, maxOceanIn: bigint): Promise<void> {
    await this.approvals.once(wallet, this.ocean, listing.address);
    await this.pool(listing, wallet).swapExactAmountOut(this.ocean, maxOceanIn, listing.datatokenAddress, datatokensOut, MaxUint256);
  }

  async sell(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, datatokensIn: bigint): Promise<void> {
    await this.approvals.once(wallet, listing.datatokenAddress, listing.address);
    await this.pool(listing, wallet).swapExactAmountIn(listing.datatokenAddress, datatokensIn, this.ocean, 0n, MaxUint256);
  }

  async stake(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, oceanIn: bigint): Promise<void> {
    await this.approvals.once(wallet, this.ocean, listing.address);
    await this.pool(listing, wallet).joinswapExternAmountIn(this.ocean, oceanIn, 0n);
  }

  async unstake(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, shares: bigint): Promise<void> {
    await this.pool(listing, wallet).exitswapPoolAmountIn(this.ocean, shares, 0n);
  }

  maxUnstake(listing: PoolListing, reserves: PoolReserves): bigint {
    return maxWeightedUnstake(listing, reserves, this.maxOutRatio);
  }

  /** One proportional exit (`exitPool`): its share of both balances, no limit on how much. */
  async withdrawAll(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, shares: bigint): Promise<void> {
    await this.pool(listing, wallet).exitPool(shares, [0n, 0n]);
  }

  /** `startOrder` for one datatoken, no marketplace: 0.1% to the community fee collector, the rest to the publisher. */
  async consume(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing): Promise<void> {
    await this.datatoken(listing, wallet).startOrder(wallet.address, TOKEN, 0n, ZeroAddress);
  }
}
