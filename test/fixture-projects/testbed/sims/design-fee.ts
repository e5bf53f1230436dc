import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";

type Params = { fee: number; demand: number; noise: number };
type World = { volume: number; revenue: number };

/** Buyers: volume 1000 · demand · e^(−fee/50), with seeded noise; revenue = fee × volume. */
class Market extends Agent<World, Params> {
  step({ world, params, rng }: StepContext<World, Params>) {
    const volume = 1000 * params.demand * Math.exp(-params.fee / 50) * (1 + params.noise * rng.normal());
    world.volume = volume;
    world.revenue = params.fee * volume;
  }
}

/**
 * Known answers for the design loop: revenue fee·e^(−fee/50) peaks at fee = 50 whatever the
 * demand; volume ≥ 300 at demand 0.5 holds up to fee = 50·ln(500/300) ≈ 25.5; `risk` = (demand − 0.8)²
 * is least at demand 0.8.
 */
export default defineNetlist({
  description: "Design-loop fixture: a fee against demand, with known optima",
  params: {
    fee: param.int({ default: 30, min: 0, max: 100, kind: "controllable" }),
    demand: param.float({ default: 1, min: 0.5, max: 1.5, kind: "uncontrollable", dist: { type: "normal", mean: 1, sd: 0.2 } }),
    noise: param.float({ default: 0, min: 0, max: 0.5, kind: "controllable" }),
  },
  time: { steps: 1, stepSeconds: 86_400 },
  async setup({ wallet }) {
    return { world: { volume: 0, revenue: 0 }, agents: [new Market(await wallet("market"))] };
  },
  kpis: {
    volume: ({ world }) => world.volume,
    revenue: ({ world }) => world.revenue,
    risk: ({ params }) => (params.demand - 0.8) ** 2,
  },
});
