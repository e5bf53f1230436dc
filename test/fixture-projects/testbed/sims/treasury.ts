import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";
import { FlawedTreasury__factory, type FlawedTreasury } from "../typechain-types";

type World = { treasury: FlawedTreasury };
type Params = { withdrawPerTick: number; noise: number };

/** Withdraws the same amount every tick; reverts once the treasury is below its floor. */
class Spender extends Agent<World, Params> {
  async step({ world, params }: StepContext<World, Params>) {
    if (params.withdrawPerTick > 0) await world.treasury.connect(this.wallet.signer).withdraw(params.withdrawPerTick);
  }
}

/** Random noise that does not touch the treasury: makes seeds matter without changing the flaw. */
class Tourist extends Agent<World, Params> {
  async step({ params, rng }: StepContext<World, Params>) {
    if (rng.bool(params.noise)) await this.wallet.ethBalance();
  }
}

export default defineNetlist({
  description: "A treasury with a floor, and a spender (the floor check is flawed)",
  params: {
    withdrawPerTick: param.int({ default: 100, min: 0, max: 2000, doc: "Amount withdrawn each tick" }),
    noise: param.float({ default: 0.5, min: 0, max: 1, kind: "uncontrollable" }),
  },
  time: { steps: 10, stepSeconds: 86_400 },
  async setup({ deploy, wallet }) {
    const treasury = await deploy(FlawedTreasury__factory);
    return { world: { treasury }, agents: [new Spender(await wallet("spender")), new Tourist(await wallet("tourist"))] };
  },
  kpis: {
    balance: ({ world }) => world.treasury.balance(),
    floor: ({ world }) => world.treasury.FLOOR(),
  },
});
