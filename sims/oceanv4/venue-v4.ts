import {
  Interface,
  MaxUint256,
  Signature,
  ZeroAddress,
  getBytes,
  solidityPackedKeccak256,
  type BaseContract,
  type BaseContractMethod,
  type ContractRunner,
  type ContractTransactionResponse,
} from "ethers";
import type { AgentWallet, SetupContext } from "../../src/api";
import { readPoolReserves } from "../oceanv3/market";
import { OCEAN_DUST } from "../oceanv3/malicious-publisher";
import { MARGIN } from "../oceanv3/quotes";
import { TOKEN, fractionOf, min } from "../oceanv3/units";
import { Approvals } from "../oceanv3/venue-v3";
import type { PoolListing, PoolReserves, Venue, VenueContext } from "../oceanv3/world";

/**
 * Ocean V4's published contracts: `@oceanprotocol/contracts` 1.0.0 (installed as the npm alias
 * `ocean-contracts-v4`), Hardhat artifacts compiled with solc 0.8.12, deployed from their exact
 * bytecode with `deployArtifact` (nothing to link: their `linkReferences` are empty). Data NFTs,
 * datatokens and pools are EIP-1167 clones made by `ERC721Factory` and `FactoryRouter` (Ocean's
 * `Deployer`); the venue attaches each with `at` so calls and reverts name them.
 */
const ROOT = "ocean-contracts-v4/artifacts/contracts";
export const V4_ARTIFACTS = {
  collector: `${ROOT}/communityFee/OPFCommunityFeeCollector.sol/OPFCommunityFeeCollector.json`,
  pool: `${ROOT}/pools/balancer/BPool.sol/BPool.json`,
  router: `${ROOT}/pools/FactoryRouter.sol/FactoryRouter.json`,
  sideStaking: `${ROOT}/pools/ssContracts/SideStaking.sol/SideStaking.json`,
  datatoken: `${ROOT}/templates/ERC20Template.sol/ERC20Template.json`,
  nft: `${ROOT}/templates/ERC721Template.sol/ERC721Template.json`,
  factory: `${ROOT}/ERC721Factory.sol/ERC721Factory.json`,
} as const;

type Send<A extends unknown[], R = unknown> = BaseContractMethod<A, R, ContractTransactionResponse>;
type View<A extends unknown[], R> = BaseContractMethod<A, R, R>;

/** `ERC20Template.providerFee`: a provider's signed fee for an order. */
export interface ProviderFee {
  providerFeeAddress: string;
  providerFeeToken: string;
  providerFeeAmount: bigint;
  v: number;
  r: string;
  s: string;
  validUntil: bigint;
  providerData: string;
}

/** `ERC20Template.consumeMarketFee`. */
export interface ConsumeMarketFee {
  consumeMarketFeeAddress: string;
  consumeMarketFeeToken: string;
  consumeMarketFeeAmount: bigint;
}

/** The methods of V4's `ERC20Template` the model calls (a datatoken clone). */
export interface V4Datatoken extends BaseContract {
  connect(runner: ContractRunner | null): V4Datatoken;
  startOrder: Send<[consumer: string, serviceIndex: bigint, providerFee: ProviderFee, consumeMarketFee: ConsumeMarketFee]>;
  mint: Send<[account: string, value: bigint]>;
  transfer: Send<[to: string, amount: bigint], boolean>;
  balanceOf: View<[account: string], bigint>;
  totalSupply: View<[], bigint>;
  cap: View<[], bigint>;
  getPaymentCollector: View<[], string>;
  getPools: View<[], string[]>;
}

/** The methods of V4's `BPool` the model calls. */
export interface V4Pool extends BaseContract {
  connect(runner: ContractRunner | null): V4Pool;
  swapExactAmountIn: Send<[tokenInOutMarket: [string, string, string], amountsInOutMaxFee: [bigint, bigint, bigint, bigint]], [bigint, bigint]>;
  swapExactAmountOut: Send<[tokenInOutMarket: [string, string, string], amountsInOutMaxFee: [bigint, bigint, bigint, bigint]], [bigint, bigint]>;
  joinswapExternAmountIn: Send<[tokenAmountIn: bigint, minPoolAmountOut: bigint], bigint>;
  exitswapPoolAmountIn: Send<[poolAmountIn: bigint, minAmountOut: bigint], bigint>;
  getBalance: View<[token: string], bigint>;
  getSwapFee: View<[], bigint>;
  getOPCFee: View<[], bigint>;
  getController: View<[], string>;
  getDenormalizedWeight: View<[token: string], bigint>;
  communityFees: View<[token: string], bigint>;
  totalSupply: View<[], bigint>;
  balanceOf: View<[account: string], bigint>;
  transfer: Send<[to: string, amount: bigint], boolean>;
}

/** The methods of V4's `SideStaking` (the one-sided staking bot) the model calls. */
export interface V4SideStaking extends BaseContract {
  connect(runner: ContractRunner | null): V4SideStaking;
  getVesting: Send<[datatoken: string]>;
  getAvailableVesting: View<[datatoken: string], bigint>;
  getvestingAmount: View<[datatoken: string], bigint>;
  getvestingEndBlock: View<[datatoken: string], bigint>;
  getDatatokenBalance: View<[datatoken: string], bigint>;
  getDatatokenCirculatingSupply: View<[datatoken: string], bigint>;
  getPublisherAddress: View<[datatoken: string], string>;
  getPoolAddress: View<[datatoken: string], string>;
}

/** The methods of V4's `FactoryRouter` the model calls. */
export interface V4Router extends BaseContract {
  connect(runner: ContractRunner | null): V4Router;
  addFactory: Send<[factory: string]>;
  addSSContract: Send<[ssContract: string]>;
  getOPCFee: View<[baseToken: string], bigint>;
  getOPCConsumeFee: View<[], bigint>;
  getMinVestingPeriod: View<[], bigint>;
  isApprovedToken: View<[token: string], boolean>;
}

export interface NftCreateData {
  name: string;
  symbol: string;
  templateIndex: bigint;
  tokenURI: string;
  transferable: boolean;
  owner: string;
}
export interface ErcCreateData {
  templateIndex: bigint;
  strings: string[];
  addresses: string[];
  uints: bigint[];
  bytess: string[];
}
export interface PoolData {
  ssParams: bigint[];
  swapFees: bigint[];
  addresses: string[];
}

/** The methods of V4's `ERC721Factory` the model calls. */
export interface V4Factory extends BaseContract {
  connect(runner: ContractRunner | null): V4Factory;
  createNftWithErc20WithPool: Send<[nft: NftCreateData, erc: ErcCreateData, pool: PoolData], [string, string, string]>;
}

/** V4's contracts as deployed for a run. */
export interface V4Deployment {
  collector: string;
  poolTemplate: string;
  router: V4Router;
  routerAddress: string;
  sideStaking: V4SideStaking;
  sideStakingAddress: string;
  datatokenTemplate: string;
  nftTemplate: string;
  factory: V4Factory;
  factoryAddress: string;
}

/**
 * Deploys Ocean V4 as its deployment script (`scripts/deploy-contracts.js` at v1.0.0) does on a
 * development chain, in its order and with its constructor args: OPFCommunityFeeCollector(OPF,
 * OPF) (OPF's wallet: the deployer here), the BPool template, FactoryRouter(owner, OCEAN, pool
 * template, OPF collector, []), SideStaking(router), the ERC20Template and ERC721Template
 * templates, ERC721Factory(ERC721 template, ERC20 template, router), then
 * `router.addFactory(factory)` and `router.addSSContract(sideStaking)`. Left out, since no agent
 * uses them: FixedRateExchange, Dispenser, ERC20TemplateEnterprise (and their `add…` calls), and
 * MockOcean (OCEAN is the model's token). The router keeps its shipped settings: OPC swap fee 0.1%
 * on OCEAN pools (`swapOceanFee`), 0.03 DT per order (`consumeFee`), minimum vesting period
 * 2 426 000 blocks.
 */
export async function deployOceanV4({ deployArtifact, deployer }: Pick<SetupContext<unknown>, "deployArtifact" | "deployer">, ocean: string): Promise<V4Deployment> {
  const collector = await (await deployArtifact(V4_ARTIFACTS.collector, [deployer.address, deployer.address])).getAddress();
  const poolTemplate = await (await deployArtifact(V4_ARTIFACTS.pool, [])).getAddress();
  const router = await deployArtifact<V4Router>(V4_ARTIFACTS.router, [deployer.address, ocean, poolTemplate, collector, []]);
  const routerAddress = await router.getAddress();
  const sideStaking = await deployArtifact<V4SideStaking>(V4_ARTIFACTS.sideStaking, [routerAddress]);
  const sideStakingAddress = await sideStaking.getAddress();
  const datatokenTemplate = await (await deployArtifact(V4_ARTIFACTS.datatoken, [])).getAddress();
  const nftTemplate = await (await deployArtifact(V4_ARTIFACTS.nft, [])).getAddress();
  const factory = await deployArtifact<V4Factory>(V4_ARTIFACTS.factory, [nftTemplate, datatokenTemplate, routerAddress]);
  const factoryAddress = await factory.getAddress();
  await router.addFactory(factoryAddress);
  await router.addSSContract(sideStakingAddress);
  return { collector, poolTemplate, router, routerAddress, sideStaking, sideStakingAddress, datatokenTemplate, nftTemplate, factory, factoryAddress };
}

/** How a V4 publisher sets up its pool (wei, 18 decimals). */
export interface V4PoolTerms {
  /** `ssParams[0]`: datatokens per OCEAN the side-staking bot puts against the publisher's OCEAN, so the datatoken starts at 1/rate OCEAN. */
  rate: bigint;
  /** `swapFees[0]`: the LP fee, kept in the pool (BConst: at least 0.01%, at most 10%). */
  lpFee: bigint;
  /** `ssParams[2]`: the vesting amount the publisher asks for; SideStaking 1.0.0 overwrites it with 0. */
  vestingAmount: bigint;
}

/**
 * A provider's fee of 0 for orders, signed once by the provider's wallet: `startOrder` checks the
 * signature of keccak256(providerData, providerFeeAddress, providerFeeToken, providerFeeAmount,
 * validUntil) under the "\x19Ethereum Signed Message:\n32" prefix (`ERC20Template._checkProviderFee`),
 * and 1.0.0 does not check `validUntil`.
 */
export async function signedZeroProviderFee(provider: AgentWallet): Promise<ProviderFee> {
  const fee = { providerFeeAddress: provider.address, providerFeeToken: ZeroAddress, providerFeeAmount: 0n, validUntil: 0n, providerData: "0x" };
  const hash = solidityPackedKeccak256(["bytes", "address", "address", "uint256", "uint256"], [fee.providerData, fee.providerFeeAddress, fee.providerFeeToken, fee.providerFeeAmount, fee.validUntil]);
  const signature = Signature.from(await provider.signer.signMessage(getBytes(hash)));
  return { ...fee, v: signature.v, r: signature.r, s: signature.s };
}

const FACTORY_EVENTS = new Interface([
  "event NFTCreated(address newTokenAddress, address indexed templateAddress, string tokenName, address indexed admin, string symbol, string tokenURI, bool transferable, address indexed creator)",
  "event TokenCreated(address indexed newTokenAddress, address indexed templateAddress, string name, string symbol, uint256 cap, address creator)",
  "event NewPool(address poolAddress, address ssContract, address baseTokenAddress)",
]);

/** At most this many one-sided exits for one `withdrawAll`: each takes at most half the pool's OCEAN. */
const MAX_EXITS = 64;

/**
 * Ocean V4's flows on its published bytecode, with one-sided staking.
 *
 * - **Publish**: `ERC721Factory.createNftWithErc20WithPool`: a data NFT, its datatoken and a pool in
 *   one transaction. The publisher sends only OCEAN (`ssParams[4]`); `SideStaking` mints the
 *   datatoken's whole cap (forced to 2^256 − 1 by ERC20Template 1.0.0) to itself, binds `rate` ×
 *   OCEAN datatokens against the publisher's OCEAN at weights 50/50, takes the 100 initial shares
 *   and sends half to the publisher. The publisher never holds a datatoken it did not buy or was
 *   not paid: it cannot mint (the cap is reached) and vesting is forced to 0.
 * - **Stake**: `joinswapExternAmountIn` (OCEAN only): the pool mints the staker shares for half its
 *   OCEAN's proportional value, and the bot adds the matching datatokens for as many shares again:
 *   a proportional join with no swap fee.
 * - **Unstake**: `exitswapPoolAmountIn`: the staker's shares pay out twice their proportional OCEAN,
 *   and the bot burns as many of its shares for its datatokens: a proportional exit. At most half
 *   the pool's OCEAN per exit (MAX_OUT_RATIO ½), so at most a quarter of the shares.
 * - **Rug** (`withdrawAll`): there is no proportional `exitPool` in 1.0.0: one-sided exits of at most
 *   a quarter of the shares each, until the rest is worth less than a millionth of an OCEAN.
 * - **Buy, sell**: `swapExactAmountOut` / `swapExactAmountIn` with no consume-market fee; every swap
 *   pays the LP fee (stays in the pool) and the OPC fee (0.1% on OCEAN pools, held by the pool for
 *   Ocean's collector).
 * - **Consume**: `startOrder` for one datatoken with a zero provider fee: 0.97 to the publisher (its
 *   payment collector), 0.03 to Ocean's collector (`consumeFee`).
 */
export class V4Venue implements Venue {
  readonly label = "Ocean V4 (@oceanprotocol/contracts 1.0.0)";
  /** BConst.sol 1.0.0: MAX_IN_RATIO = BONE / 2, MAX_OUT_RATIO = BONE / 2 + 1 wei. */
  readonly maxInRatio = 1 / 2;
  readonly maxOutRatio = 1 / 2;
  readonly protocolAccounts: readonly string[];
  readonly shareHolders: readonly string[];
  private readonly pools = new Map<string, V4Pool>();
  private readonly datatokens = new Map<string, V4Datatoken>();
  private readonly approvals = new Approvals();

  /**
   * @param opcFee the router's OPC swap fee for OCEAN pools (wei, 18 decimals; 1e15 as shipped)
   * @param vestingBlocks what the publisher passes as vesting period (blocks): the router's minimum
   */
  constructor(
    readonly contracts: V4Deployment,
    private readonly ocean: string,
    private readonly terms: V4PoolTerms,
    readonly opcFee: bigint,
    readonly vestingBlocks: bigint,
    private readonly providerFee: ProviderFee,
    /** Where the pools' publish-market fees (0 here) would go. */
    private readonly marketCollector: string,
  ) {
    this.shareHolders = [contracts.sideStakingAddress];
    this.protocolAccounts = [contracts.sideStakingAddress, contracts.routerAddress, contracts.factoryAddress, contracts.collector];
  }

  private pool(listing: PoolListing, wallet: AgentWallet): V4Pool {
    return this.pools.get(listing.address)!.connect(wallet.signer);
  }

  private datatoken(listing: PoolListing, wallet: AgentWallet): V4Datatoken {
    return this.datatokens.get(listing.datatokenAddress)!.connect(wallet.signer);
  }

  async publish(ctx: VenueContext, wallet: AgentWallet, ocean: bigint): Promise<PoolListing> {
    const { factory, factoryAddress, sideStakingAddress, poolTemplate } = this.contracts;
    const i = ctx.world.pools.length;
    await this.approvals.once(wallet, this.ocean, factoryAddress);
    const tx = await factory.connect(wallet.signer).createNftWithErc20WithPool(
      { name: `DataNFT${i}`, symbol: `DN${i}`, templateIndex: 1n, tokenURI: "", transferable: true, owner: wallet.address },
      {
        templateIndex: 1n,
        strings: [`DT${i}`, `DT${i}`],
        // minter, payment collector, publish market, publish market's fee token
        addresses: [wallet.address, wallet.address, ZeroAddress, ZeroAddress],
        // cap (ERC20Template 1.0.0 ignores it: 2^256 − 1), publish market's order fee
        uints: [1_000n * TOKEN, 0n],
        bytess: [],
      },
      {
        // rate, base token decimals, vesting amount, vesting blocks (SideStaking forces both to 0), initial OCEAN
        ssParams: [this.terms.rate, 18n, this.terms.vestingAmount, this.vestingBlocks, ocean],
        // LP fee, publish market's swap fee
        swapFees: [this.terms.lpFee, 0n],
        // side staking, base token, who sends the OCEAN (the factory, which pulled it), publisher, market fee collector, pool template
        addresses: [sideStakingAddress, this.ocean, factoryAddress, wallet.address, this.marketCollector, poolTemplate],
      },
    );
    const receipt = await tx.wait();
    const found: Record<string, string> = {};
    for (const log of receipt?.logs ?? []) {
      const parsed = FACTORY_EVENTS.parseLog(log);
      if (parsed && !(parsed.name in found)) found[parsed.name] = parsed.name === "NewPool" ? parsed.args.poolAddress : parsed.args.newTokenAddress;
    }
    const [nftAddress, datatokenAddress, poolAddress] = [found.NFTCreated, found.TokenCreated, found.NewPool];
    ctx.at(V4_ARTIFACTS.nft, nftAddress);
    this.datatokens.set(datatokenAddress, ctx.at<V4Datatoken>(V4_ARTIFACTS.datatoken, datatokenAddress));
    this.pools.set(poolAddress, ctx.at<V4Pool>(V4_ARTIFACTS.pool, poolAddress));
    return {
      address: poolAddress,
      datatokenAddress,
      publisher: wallet.address,
      datatokenWeight: 5n * TOKEN, // SideStaking._notifyFinalize: 50-50
      oceanWeight: 5n * TOKEN,
      swapFee: this.terms.lpFee + this.opcFee,
      oceanStaked: ocean,
      createdTick: ctx.tick,
    };
  }

  async buy(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, datatokensOut: bigint, maxOceanIn: bigint): Promise<void> {
    await this.approvals.once(wallet, this.ocean, listing.address);
    await this.pool(listing, wallet).swapExactAmountOut([this.ocean, listing.datatokenAddress, ZeroAddress], [maxOceanIn, datatokensOut, MaxUint256, 0n]);
  }

  async sell(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, datatokensIn: bigint): Promise<void> {
    await this.approvals.once(wallet, listing.datatokenAddress, listing.address);
    await this.pool(listing, wallet).swapExactAmountIn([listing.datatokenAddress, this.ocean, ZeroAddress], [datatokensIn, 0n, MaxUint256, 0n]);
  }

  async stake(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, oceanIn: bigint): Promise<void> {
    await this.approvals.once(wallet, this.ocean, listing.address);
    await this.pool(listing, wallet).joinswapExternAmountIn(oceanIn, 0n);
  }

  async unstake(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, shares: bigint): Promise<void> {
    await this.pool(listing, wallet).exitswapPoolAmountIn(shares, 0n);
  }

  /** An exit of p shares pays 2p/S of the pool's OCEAN (BMath.calcSingleOutGivenPoolIn): at most half of it, so p ≤ S/4. */
  maxUnstake(_listing: PoolListing, reserves: PoolReserves): bigint {
    return fractionOf(reserves.supply, (this.maxOutRatio / 2) * MARGIN);
  }

  /** One-sided exits of at most `maxUnstake` each, until the shares left are worth less than a millionth of an OCEAN. */
  async withdrawAll(ctx: VenueContext, wallet: AgentWallet, listing: PoolListing, shares: bigint): Promise<void> {
    let left = shares;
    for (let i = 0; i < MAX_EXITS && left > 0n; i++) {
      const reserves = await readPoolReserves(ctx.world, listing);
      if (reserves.supply === 0n || (2n * left * reserves.ocean) / reserves.supply < OCEAN_DUST) break;
      const chunk = min(left, this.maxUnstake(listing, reserves));
      if (chunk === 0n) break;
      await this.unstake(ctx, wallet, listing, chunk);
      left -= chunk;
    }
  }

  /** `startOrder` for one datatoken, with the provider's signed zero fee and no consume-market fee. */
  async consume(_ctx: VenueContext, wallet: AgentWallet, listing: PoolListing): Promise<void> {
    await this.datatoken(listing, wallet).startOrder(wallet.address, 0n, this.providerFee, { consumeMarketFeeAddress: ZeroAddress, consumeMarketFeeToken: ZeroAddress, consumeMarketFeeAmount: 0n });
  }
}
