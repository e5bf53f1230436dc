import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";
import { Testbed__factory, type Testbed } from "../typechain-types";

interface World {
  testbed: Testbed;
  volume: number;
}
type Params = { traders: number; tradeProbability: number; tradeSize: number };

/** Trades (a poke of the testbed) with probability `tradeProbability` each tick, of size `tradeSize`. */
class Trader extends Agent<World, Params> {
  async step({ world, params, rng }: StepContext<World, Params>): Promise<void> {
    if (!rng.bool(params.tradeProbability)) return;
    await world.testbed.connect(this.wallet.signer).poke();
    world.volume += params.tradeSize;
  }
}

/**
 * Known answers for calibration by simulated moments: each of `traders` traders trades with
 * probability p a tick, so the trades over the run (`trades final`) are Binomial(traders · steps, p),
 * of mean traders · steps · p (20 p by default); `volume final` is `tradeSize` times that. The trades'
 * mean identifies p and says nothing of `tradeSize`.
 */
export default defineNetlist({
  description: "Calibration fixture: traders trade with a known probability a tick",
  params: {
    traders: param.int({ default: 2, min: 1, max: 10 }),
    tradeProbability: param.float({ default: 0.5, min: 0.05, max: 0.95, kind: "uncontrollable", doc: "Chance a trader trades in a tick" }),
    tradeSize: param.float({ default: 1, min: 0.5, max: 5, kind: "uncontrollable", doc: "Each trade's size" }),
  },
  time: { steps: 10, stepSeconds: 3600 },
  async setup({ deploy, wallet, params }) {
    const testbed = await deploy(Testbed__factory, 1n);
    const agents = [];
    for (let i = 0; i < params.traders; i++) agents.push(new Trader(await wallet(`trader-${i}`)));
    return { world: { testbed, volume: 0 }, agents };
  },
  kpis: {
    trades: ({ world }) => world.testbed.pokes(),
    volume: ({ world }) => world.volume,
  },
});
