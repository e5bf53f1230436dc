import type { Agent, AgentWallet, SetupContext, SetupResult } from "../../src/api";
import { OceanLens__factory, OceanV3Token__factory, type OceanV3Token } from "../../typechain-types";
import { Consumer } from "./consumer";
import { Economy } from "./economy";
import { MarketReads } from "./market";
import { MaliciousPublisher } from "./malicious-publisher";
import { Publisher } from "./publisher";
import { Speculator } from "./speculator";
import { StakerSpeculator } from "./staker-speculator";
import { TOKEN } from "./units";
import type { AgentKind, OceanWorld, PopulationParams, Venue } from "./world";

/**
 * Sets up an Ocean market: the population of TokenSPICE's oceanv3 netlist (publishers, consumers,
 * staker-speculators, speculators, malicious publishers, and the economy that pays consumers), OCEAN
 * minted to them, and the protocol the venue deploys. oceanv3 and oceanv4 differ only in the venue.
 *
 * OCEAN is the model's own ERC20 (`OceanV3Token`, contracts/oceanv3): neither Ocean package ships the
 * OCEAN token (V4's `MockOcean` mints a fixed 100 000 to one owner, short of the economy's million).
 *
 * Agents step in this order: publishers, consumers, the economy (pays the consumers), staker-
 * speculators, speculators, malicious publishers last, so a rug is the tick's last move and
 * everything before it in the tick is as it would be without it.
 */
export async function setupPopulation(
  ctx: SetupContext<PopulationParams>,
  deployVenue: (ocean: OceanV3Token, oceanAddress: string) => Promise<Venue>,
): Promise<SetupResult<OceanWorld, PopulationParams>> {
  const { deploy, wallet, deployer, params, provider } = ctx;
  const make = async <A>(kind: AgentKind, count: number, Type: new (w: AgentWallet) => A) => {
    const made: { agent: A; wallet: AgentWallet; kind: AgentKind }[] = [];
    for (let i = 0; i < count; i++) {
      const w = await wallet(`${kind}-${i}`);
      made.push({ agent: new Type(w), wallet: w, kind });
    }
    return made;
  };
  const publishers = await make("publisher", params.publishers, Publisher);
  const consumers = await make("consumer", params.consumers, Consumer);
  const stakers = await make("stakerSpeculator", params.stakerSpeculators, StakerSpeculator);
  const speculators = await make("speculator", params.speculators, Speculator);
  const malicious = await make("maliciousPublisher", params.maliciousPublishers, MaliciousPublisher);
  const economy = new Economy(await wallet("economy"));
  const holders = [...publishers, ...consumers, ...stakers, ...speculators, ...malicious];

  const ocean = await deploy(
    OceanV3Token__factory,
    [...holders.map((h) => h.wallet.address), economy.wallet.address],
    [...holders.map(() => BigInt(params.initialOcean) * TOKEN), BigInt(params.economyOcean) * TOKEN],
  );
  const oceanAddress = await ocean.getAddress();
  const world: OceanWorld = {
    venue: await deployVenue(ocean, oceanAddress),
    ocean,
    oceanAddress,
    lens: await deploy(OceanLens__factory),
    reader: provider,
    pools: [],
    rugged: new Set(),
    rugs: { exited: 0n, dumped: 0n, staked: 0n },
    holders: holders.map((h) => ({ address: h.wallet.address, kind: h.kind })),
    economy: economy.wallet.address,
    deployer: deployer.address,
    owedToConsumers: new Map(),
    reads: undefined!, // needs the world: set just below
  };
  const holderAddresses = world.holders.map((h) => h.address);
  // Agents first (the sample's per-kind sums index them), then the protocol contracts whose shares KPIs read.
  world.reads = new MarketReads(world, [...holderAddresses, ...(world.venue.shareHolders ?? [])], [...holderAddresses, world.economy, world.deployer, ...world.venue.protocolAccounts]);
  const agents: Agent<OceanWorld, PopulationParams>[] = [
    ...publishers.map((h) => h.agent),
    ...consumers.map((h) => h.agent),
    economy,
    ...stakers.map((h) => h.agent),
    ...speculators.map((h) => h.agent),
    ...malicious.map((h) => h.agent),
  ];
  return { world, agents };
}
