import { defineNetlist, type Agent, type AgentWallet } from "../../src/api";
import { OceanV3DatatokenFactory__factory, OceanV3Lens__factory, OceanV3PoolFactory__factory, OceanV3Token__factory } from "../../typechain-types";
import { Consumer } from "./consumer";
import { Economy } from "./economy";
import { oceanV3Kpis, sampleMarket } from "./kpis";
import { MarketReads } from "./market";
import { MaliciousPublisher } from "./malicious-publisher";
import { oceanV3Params } from "./params";
import { Publisher } from "./publisher";
import { Speculator } from "./speculator";
import { StakerSpeculator } from "./staker-speculator";
import { TOKEN } from "./units";
import type { AgentKind, OceanV3Params, OceanV3World } from "./world";

const DAY = 86_400;

export default defineNetlist({
  description: "Ocean Market V3: publishers, datatoken/OCEAN weighted pools, consumers, stakers, speculators and a rug-pulling publisher",
  params: oceanV3Params,
  time: { steps: 180, stepSeconds: DAY },
  // Publishers first; consumers, then the economy that pays them; traders; malicious publishers last,
  // so a rug is the tick's last move and everything before it in the tick is as it would be without it.
  agentOrder: "declared",

  async setup({ deploy, wallet, deployer, params, provider }) {
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
    const world: OceanV3World = {
      ocean,
      oceanAddress,
      datatokenFactory: await deploy(OceanV3DatatokenFactory__factory),
      poolFactory: await deploy(OceanV3PoolFactory__factory, oceanAddress),
      lens: await deploy(OceanV3Lens__factory),
      reader: provider,
      pools: [],
      rugged: new Set(),
      holders: holders.map((h) => ({ address: h.wallet.address, kind: h.kind })),
      economy: economy.wallet.address,
      deployer: deployer.address,
      owedToConsumers: new Map(),
      reads: undefined!, // needs the world: set just below
    };
    const holderAddresses = world.holders.map((h) => h.address);
    world.reads = new MarketReads(world, holderAddresses, [...holderAddresses, world.economy, world.deployer]);
    const agents: Agent<OceanV3World, OceanV3Params>[] = [
      ...publishers.map((h) => h.agent),
      ...consumers.map((h) => h.agent),
      economy,
      ...stakers.map((h) => h.agent),
      ...speculators.map((h) => h.agent),
      ...malicious.map((h) => h.agent),
    ];
    return { world, agents };
  },

  sample: sampleMarket,
  kpis: oceanV3Kpis,
});
