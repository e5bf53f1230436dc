import { Agent, defineNetlist, param, type StepContext } from "hardhat-tokenspice/api";
import { Testbed__factory, type Testbed } from "../typechain-types";

interface World {
  testbed: Testbed;
}
type Params = { pokers: number; failAt: number; slowEvery: number };

/** Pokes once a tick; at tick `failAt` throws a JavaScript error (0: never); sleeps past a second every `slowEvery` ticks. */
class Poker extends Agent<World, Params> {
  async step({ world, params, tick, rng }: StepContext<World, Params>): Promise<void> {
    if (params.failAt > 0 && tick === params.failAt && this.name === "poker-0") throw new Error("boom");
    const testbed = world.testbed.connect(this.wallet.signer);
    await testbed.poke();
    if (params.slowEvery > 0 && tick % params.slowEvery === 0) await new Promise((r) => setTimeout(r, 1100));
    if (rng.bool(0.5)) await testbed.poke();
  }
}

export default defineNetlist({
  description: "Pokers poke a testbed: chain time, determinism, errors",
  params: {
    pokers: param.int({ default: 3, min: 1, max: 20 }),
    failAt: param.int({ default: 0, min: 0, max: 1000, doc: "Tick at which poker-0 throws (0: never)" }),
    slowEvery: param.int({ default: 0, min: 0, max: 1000, doc: "Every n ticks a poker sleeps 1.1 s (0: never)" }),
  },
  time: { steps: 20, stepSeconds: 3600 },
  async setup({ deploy, wallet, params }) {
    const testbed = await deploy(Testbed__factory, 100n);
    const agents = [];
    for (let i = 0; i < params.pokers; i++) agents.push(new Poker(await wallet(`poker-${i}`)));
    return { world: { testbed }, agents };
  },
  kpis: {
    pokes: ({ world }) => world.testbed.pokes(),
    lastPokeTime: ({ world }) => world.testbed.lastPokeTime(),
    time: ({ time }) => time,
  },
});
