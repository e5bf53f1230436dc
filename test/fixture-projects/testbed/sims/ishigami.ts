import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";

type Params = { x1: number; x2: number; x3: number };
type World = { y: number };

/** Computes Ishigami's function of its three uncontrollables (no contract: the KPI is a closed form of the params). */
class Ishigami extends Agent<World, Params> {
  step({ world, params }: StepContext<World, Params>) {
    world.y = Math.sin(params.x1) + 7 * Math.sin(params.x2) ** 2 + 0.1 * params.x3 ** 4 * Math.sin(params.x1);
  }
}

const x = (doc: string) => param.float({ default: 0, min: -Math.PI, max: Math.PI, kind: "uncontrollable", doc });

/**
 * Known answers for sensitivity analysis: y = sin x1 + a sin² x2 + b x3⁴ sin x1 (Ishigami & Homma
 * 1990), a = 7, b = 0.1, each x uniform on [−π, π]: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
 */
export default defineNetlist({
  description: "Sensitivity fixture: Ishigami's function of three uncontrollables",
  params: { x1: x("first input"), x2: x("second input"), x3: x("third input") },
  time: { steps: 1, stepSeconds: 60 },
  async setup({ wallet }) {
    return { world: { y: 0 }, agents: [new Ishigami(await wallet("ishigami"))] };
  },
  kpis: { y: ({ world }) => world.y },
});
