import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";

type World = { ok: number };

/** Meets its spec unless a seeded draw falls below `failure`: a yield of exactly 1 − failure by construction. */
class Coin extends Agent<World, { failure: number }> {
  step({ world, params, rng }: StepContext<World, { failure: number }>) {
    world.ok = rng() < params.failure ? 0 : 1;
  }
}

export default defineNetlist({
  description: "Design-loop fixture: a run fails its spec with a fixed probability",
  params: { failure: param.float({ default: 0.01, min: 0, max: 1 }) },
  time: { steps: 1, stepSeconds: 60 },
  async setup({ wallet }) {
    return { world: { ok: 1 }, agents: [new Coin(await wallet("coin"))] };
  },
  kpis: { ok: ({ world }) => world.ok },
});
