import type { StepContext } from "../../src/api";
import { OceanV3Datatoken__factory, OceanV3Pool__factory } from "../../typechain-types";
import { readPoolReserves } from "./market";
import { maxSell, maxUnstake } from "./quotes";
import { Trader } from "./trader";
import { TOKEN, fractionOf, min } from "./units";
import type { OceanV3Params, OceanV3World, PoolListing } from "./world";

type Ctx = StepContext<OceanV3World, OceanV3Params>;

/** TokenSPICE's magic numbers (agents/PublisherAgent.py): publish only with at least 200 OCEAN; unstake 10%, sell 1%. */
const MIN_OCEAN_TO_PUBLISH = 200n * TOKEN;
const UNSTAKE_FRACTION = 0.1;
const SELL_FRACTION = 0.01;

/**
 * Publishes datasets: creates a datatoken, mints it, and creates its pool with part of the
 * datatokens and all of its OCEAN (as TokenSPICE's publisher binds all its OCEAN), weighted
 * `poolWeightDT`/10 to the datatoken.
 */
export abstract class DatasetPublisher extends Trader {
  /** Pools this publisher created, oldest first. */
  readonly published: PoolListing[] = [];

  protected async publishDataset({ world, params, tick }: Ctx): Promise<PoolListing> {
    const signer = this.wallet.signer;
    const name = `DT${world.pools.length}`;
    const minted = BigInt(params.datatokensMinted) * TOKEN;
    const staked = BigInt(Math.min(params.datatokensStaked, params.datatokensMinted)) * TOKEN;
    const oceanStaked = await this.oceanBalance(world);

    const factory = world.datatokenFactory.connect(signer);
    const datatokenAddress = await factory.createToken.staticCall(name, name, minted); // where the next token will be
    await factory.createToken(name, name, minted);
    const datatoken = OceanV3Datatoken__factory.connect(datatokenAddress, signer);
    await datatoken.mint(this.wallet.address, minted);

    const poolFactory = await world.poolFactory.getAddress();
    await this.approveOnce(datatokenAddress, poolFactory);
    await this.approveOnce(world.oceanAddress, poolFactory);
    const datatokenWeight = BigInt(params.poolWeightDT) * TOKEN;
    const oceanWeight = BigInt(10 - params.poolWeightDT) * TOKEN;
    const swapFee = BigInt(params.swapFeeBps) * 10n ** 14n;
    const args = [datatokenAddress, staked, datatokenWeight, oceanStaked, oceanWeight, swapFee] as const;
    const address = await world.poolFactory.connect(signer).newPool.staticCall(...args);
    await world.poolFactory.connect(signer).newPool(...args);

    const listing: PoolListing = {
      address,
      pool: OceanV3Pool__factory.connect(address, world.reader),
      datatokenAddress,
      datatoken: OceanV3Datatoken__factory.connect(datatokenAddress, world.reader),
      publisher: this.wallet.address,
      datatokenWeight,
      oceanWeight,
      swapFee,
      createdTick: tick,
    };
    world.pools.push(listing);
    this.published.push(listing);
    return listing;
  }

  protected async canPublish(world: OceanV3World): Promise<boolean> {
    return (await this.oceanBalance(world)) >= MIN_OCEAN_TO_PUBLISH;
  }
}

/**
 * An honest publisher (TokenSPICE's PublisherAgent): every `publisherCreateEveryDays` a new dataset
 * and pool; every `publisherUnstakeEveryDays` it unstakes 10% of its shares in one of its pools to
 * OCEAN; every `publisherSellEveryDays` it sells 1% of one of its datatokens. Each timer restarts
 * only when its action happens.
 */
export class Publisher extends DatasetPublisher {
  private sinceCreate = 0;
  private sinceUnstake = 0;
  private sinceSell = 0;

  async step(ctx: Ctx): Promise<void> {
    const { world, params, rng } = ctx;
    this.sinceCreate++;
    this.sinceUnstake++;
    this.sinceSell++;
    if (this.sinceCreate >= params.publisherCreateEveryDays && (await this.canPublish(world))) {
      this.sinceCreate = 0;
      await this.publishDataset(ctx);
    }
    const unstakeDue = this.sinceUnstake >= params.publisherUnstakeEveryDays;
    const sellDue = this.sinceSell >= params.publisherSellEveryDays;
    if (this.published.length === 0 || (!unstakeDue && !sellDue)) return;

    const held = await this.holdingsIn(world, this.published);
    const staked = this.published.filter((_, i) => held.shares[i] > 0n);
    if (unstakeDue && staked.length > 0) {
      this.sinceUnstake = 0;
      const listing = rng.choice(staked);
      const shares = held.shares[this.published.indexOf(listing)];
      const amount = min(fractionOf(shares, UNSTAKE_FRACTION), maxUnstake(listing, await readPoolReserves(world, listing)));
      if (amount > 0n) await this.unstakeOcean(world, listing, amount);
    }
    const holding = this.published.filter((p, i) => held.datatokens[i] > 0n && !world.rugged.has(p.address));
    if (sellDue && holding.length > 0) {
      this.sinceSell = 0;
      const listing = rng.choice(holding);
      const datatokens = held.datatokens[this.published.indexOf(listing)];
      const amount = min(fractionOf(datatokens, SELL_FRACTION), maxSell(await readPoolReserves(world, listing)));
      if (amount > 0n) await this.sellDatatokens(world, listing, amount);
    }
  }
}
