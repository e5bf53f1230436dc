import { prepareCall, type PreparedCall } from "../../src/api";
import type { OceanLens } from "../../typechain-types";
import type { OceanWorld, PoolListing, PoolReserves } from "./world";

/**
 * Lens calls read this many pools at a time: a holdings read costs two batch calls per pool, and
 * one eth_call must stay under the block gas limit however many pools a long run creates.
 */
const POOLS_PER_READ = 40;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Pools not delisted by a rug: the ones consumers, speculators and stakers consider. */
export function livePools(world: OceanWorld): PoolListing[] {
  return world.pools.filter((p) => !world.rugged.has(p.address));
}

async function reservesOf(lens: OceanLens, ocean: string, pools: readonly PoolListing[]): Promise<PoolReserves[]> {
  const parts = await Promise.all(
    chunks(pools, POOLS_PER_READ).map(async (part) => {
      const [datatoken, oceans, supply] = await lens.reserves(
        part.map((p) => p.address),
        part.map((p) => p.datatokenAddress),
        ocean,
      );
      return part.map((_, i) => ({ datatoken: datatoken[i], ocean: oceans[i], supply: supply[i] }));
    }),
  );
  return parts.flat();
}

export async function readPoolReserves(world: OceanWorld, pool: PoolListing): Promise<PoolReserves> {
  return (await reservesOf(world.lens, world.oceanAddress, [pool]))[0];
}

type Holdings = { datatokens: bigint[][]; shares: bigint[][] };

/** Each holder's datatokens and shares of each pool: `[holder][pool]`. */
export async function readHoldings(world: OceanWorld, holders: readonly string[], pools: readonly PoolListing[]): Promise<Holdings> {
  const parts = chunks(pools, POOLS_PER_READ);
  const results = await Promise.all(
    parts.map((part) =>
      world.lens.holdings(
        [...holders],
        part.map((p) => p.address),
        part.map((p) => p.datatokenAddress),
      ),
    ),
  );
  return mergeHoldings(
    holders.length,
    parts.map((part, c) => [part.length, results[c][0], results[c][1]]),
  );
}

function mergeHoldings(holders: number, parts: [pools: number, datatokens: bigint[], shares: bigint[]][]): Holdings {
  const datatokens = Array.from({ length: holders }, () => [] as bigint[]);
  const shares = Array.from({ length: holders }, () => [] as bigint[]);
  for (const [n, dt, sh] of parts) {
    for (let h = 0; h < holders; h++) {
      for (let p = 0; p < n; p++) {
        datatokens[h].push(dt[h * n + p]);
        shares[h].push(sh[h * n + p]);
      }
    }
  }
  return { datatokens, shares };
}

/**
 * Every pool's reserves and every holder's datatokens and shares of it, kept between reads: a pool's
 * balances change only when an agent trades with it, and agents `touch` a pool before they do, so a
 * read fetches only the pools touched since the last one (and new pools). The KPIs read everything
 * every tick; without this a long run would spend most of its time re-reading pools nobody used.
 * The OCEAN balances, one call, are read in full each time.
 */
export class MarketReads {
  private readonly reservesByPool = new Map<string, PoolReserves>();
  /** Per pool: each holder's datatokens and shares, in holder order. */
  private readonly holdingsByPool = new Map<string, { datatokens: bigint[]; shares: bigint[] }>();
  private readonly stale = new Set<string>();
  private refreshing: Promise<void> | undefined;
  private balancesFor = -1;
  private balancesCall: PreparedCall<bigint[]> | undefined;

  /** `accounts`: every OCEAN holder but the pools (agents, economy, deployer, protocol contracts), whose OCEAN balances come after them. */
  constructor(
    private readonly world: OceanWorld,
    private readonly holders: readonly string[],
    private readonly accounts: readonly string[],
  ) {}

  /** Marks a pool whose balances or holders' balances are about to change. */
  touch(pool: string): void {
    this.stale.add(pool);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.fetchStale().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async fetchStale(): Promise<void> {
    const pools = this.world.pools.filter((p) => this.stale.has(p.address) || !this.reservesByPool.has(p.address));
    this.stale.clear();
    if (pools.length === 0) return;
    const [reserves, holdings] = await Promise.all([reservesOf(this.world.lens, this.world.oceanAddress, pools), readHoldings(this.world, this.holders, pools)]);
    pools.forEach((p, i) => {
      this.reservesByPool.set(p.address, reserves[i]);
      this.holdingsByPool.set(p.address, { datatokens: holdings.datatokens.map((row) => row[i]), shares: holdings.shares.map((row) => row[i]) });
    });
  }

  /** Every pool's reserves, in `world.pools` order. */
  async reserves(): Promise<PoolReserves[]> {
    await this.refresh();
    return this.world.pools.map((p) => this.reservesByPool.get(p.address)!);
  }

  /** Each holder's datatokens and shares of each pool: `[holder][pool]`. */
  async holdings(): Promise<Holdings> {
    await this.refresh();
    const perPool = this.world.pools.map((p) => this.holdingsByPool.get(p.address)!);
    return {
      datatokens: this.holders.map((_, h) => perPool.map((p) => p.datatokens[h])),
      shares: this.holders.map((_, h) => perPool.map((p) => p.shares[h])),
    };
  }

  /**
   * One of the reads' holders' shares of each pool, in `world.pools` order: from the same kept
   * reads as `holdings`, so a KPI that needs a protocol contract's shares (V4's side-staking bot)
   * costs no call of its own. Throws if `holder` is not one of the holders given to the constructor.
   */
  async sharesOf(holder: string): Promise<bigint[]> {
    const h = this.holders.indexOf(holder);
    if (h < 0) throw new Error(`MarketReads.sharesOf: ${holder} is not a holder the reads keep (${this.holders.length} holders)`);
    await this.refresh();
    return this.world.pools.map((p) => this.holdingsByPool.get(p.address)!.shares[h]);
  }

  /** OCEAN of each of `accounts`, then of each pool. */
  oceanBalances(): Promise<bigint[]> {
    const { world } = this;
    if (this.balancesFor !== world.pools.length) {
      this.balancesFor = world.pools.length;
      this.balancesCall = prepareCall(world.lens, "balancesOf", world.oceanAddress, [...this.accounts, ...world.pools.map((p) => p.address)]);
    }
    return this.balancesCall!();
  }
}
