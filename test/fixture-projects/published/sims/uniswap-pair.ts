import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";

const ERC20 = "@uniswap/v2-core/build/ERC20.json";
const FACTORY = "@uniswap/v2-core/build/UniswapV2Factory.json";
const PAIR = "@uniswap/v2-core/build/UniswapV2Pair.json";
const E18 = 10n ** 18n;

type World = { a: any; b: any; pairAddress: string; blockNumber: () => Promise<number> };

/** Adds liquidity once, then swaps; asks for more than the curve gives on every third tick (reverts). */
class Trader extends Agent<World, { greedyEvery: number }> {
  async step({ world, params, tick, at }: StepContext<World, { greedyEvery: number }>) {
    const a = world.a.connect(this.wallet.signer);
    const pair = at(PAIR, world.pairAddress); // a contract the netlist did not deploy: a CREATE2 pair
    if (tick === 1) {
      await a.transfer(world.pairAddress, 1000n * E18);
      await world.b.connect(this.wallet.signer).transfer(world.pairAddress, 1000n * E18);
      await pair.mint(this.wallet.address);
      return;
    }
    await a.transfer(world.pairAddress, 10n * E18);
    const [r0, r1] = await pair.getReserves();
    const aIs0 = (await pair.token0()).toLowerCase() === (await a.getAddress()).toLowerCase();
    const [rin, rout] = aIs0 ? [r0, r1] : [r1, r0];
    const fair = (10n * E18 * 997n * rout) / (rin * 1000n + 10n * E18 * 997n);
    const ask = tick % params.greedyEvery === 0 ? fair * 2n : fair;
    await pair.swap(aIs0 ? 0n : ask, aIs0 ? ask : 0n, this.wallet.address, "0x");
  }
}

export default defineNetlist({
  description: "Uniswap V2's published bytecode: a pair made by the factory, swaps and a greedy swap that reverts",
  params: { greedyEvery: param.int({ default: 3, min: 1, max: 100 }) },
  time: { steps: 6, stepSeconds: 86_400, blocksPerStep: 7_200 },
  async setup({ deployArtifact, deployer, wallet, provider }) {
    const trader = await wallet("trader");
    const a = await deployArtifact(ERC20, [1_000_000n * E18]);
    const b = await deployArtifact(ERC20, [1_000_000n * E18]);
    await a.transfer(trader.address, 100_000n * E18);
    await b.transfer(trader.address, 100_000n * E18);
    const factory = await deployArtifact(FACTORY, [deployer.address]);
    await factory.createPair(await a.getAddress(), await b.getAddress());
    const pairAddress = await factory.getPair(await a.getAddress(), await b.getAddress());
    return { world: { a, b, pairAddress, blockNumber: () => provider.getBlockNumber() }, agents: [new Trader(trader)] };
  },
  kpis: {
    blockNumber: async ({ world }) => world.blockNumber(),
    reverts: ({ reverts }) => reverts,
  },
});
