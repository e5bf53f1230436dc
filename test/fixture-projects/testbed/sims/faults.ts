import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";
import { Testbed__factory, type Testbed } from "../typechain-types";

type World = { testbed: Testbed };
type Params = { mode: string; at: number; kpi: string; sleepMs: number };

/** Pokes every tick; at tick `at`, does what `mode` says (the faults the engine must survive or report). */
class Faulty extends Agent<World, Params> {
  async step({ world, params, tick }: StepContext<World, Params>): Promise<void> {
    const t = world.testbed.connect(this.wallet.signer);
    if (params.sleepMs > 0) await new Promise((r) => setTimeout(r, params.sleepMs));
    if (tick === params.at) {
      switch (params.mode) {
        case "hang":
          await new Promise<void>(() => undefined); // awaits something that never settles
          break;
        case "spin":
          for (;;); // a synchronous endless loop
        case "throwString":
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- the fault under test
          throw "a plain string";
        case "throwError":
          throw new Error("boom"); // the CLI test finds this line: keep "boom" on it
        case "oog":
          await t.burnAll({ gasLimit: 100_000 });
          break;
        case "oogDefault":
          await t.burnAll();
          break;
        case "refused":
          await t.deposit({ value: (await this.wallet.ethBalance()) * 2n });
          break;
      }
    }
    await t.poke();
  }
}

export default defineNetlist({
  description: "Faults: hangs, endless loops, out-of-gas, refused transactions, non-finite KPIs",
  params: {
    mode: param.choice({ choices: ["ok", "hang", "spin", "throwString", "throwError", "oog", "oogDefault", "refused"], default: "ok" }),
    at: param.int({ default: 2, min: 1, max: 1000, doc: "Tick at which the fault happens" }),
    kpi: param.choice({ choices: ["ok", "nan", "inf", "hang"], default: "ok", doc: "What the ratio KPI does from tick `at` on" }),
    sleepMs: param.int({ default: 0, min: 0, max: 10_000, doc: "Each step sleeps this long first (slow runs)" }),
  },
  time: { steps: 4, stepSeconds: 3600 },
  async setup({ deploy, wallet }) {
    const testbed = await deploy(Testbed__factory, 100n);
    return { world: { testbed }, agents: [new Faulty(await wallet("faulty"))] };
  },
  kpis: {
    pokes: ({ world }) => world.testbed.pokes(),
    reverts: ({ reverts }) => reverts,
    ratio: ({ params, tick }) => {
      if (tick < params.at || params.kpi === "ok") return tick / 2;
      if (params.kpi === "hang") return new Promise<number>(() => undefined);
      return params.kpi === "nan" ? 0 / 0 : tick / 0;
    },
  },
});
