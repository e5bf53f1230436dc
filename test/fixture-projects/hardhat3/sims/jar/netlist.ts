import { Agent, defineNetlist, param, type StepContext } from "hardhat-tokenspice/api";
import { Jar__factory, type Jar } from "../../typechain-types";

type World = { jar: Jar };
type Params = { greed: number };

class Saver extends Agent<World, Params> {
  async step({ world, params, rng }: StepContext<World, Params>) {
    const jar = world.jar.connect(this.wallet.signer);
    if (rng() < params.greed) await jar.take(rng.int(1, 5));
    else await jar.put(rng.int(1, 3));
  }
}

export default defineNetlist({
  description: "Savers put coins in a jar and sometimes take too many",
  params: { greed: param.float({ default: 0.4, min: 0, max: 1, doc: "Chance to take instead of put" }) },
  time: { steps: 10, stepSeconds: 86_400 },
  async setup({ deploy, wallet }) {
    const jar = await deploy(Jar__factory);
    return { world: { jar }, agents: [new Saver(await wallet("alice")), new Saver(await wallet("bob"))] };
  },
  kpis: {
    total: { value: ({ world }) => world.jar.total(), label: "Coins in the jar", unit: "coins", doc: "Jar.total()" },
    reverts: ({ reverts }) => reverts,
  },
});
