import { Agent, defineNetlist, param } from "../../../../src/api";

class Idle extends Agent {
  step() {}
}

/** Names and values that need quoting everywhere they go: a netlist name with a space, choices with , = ' \ and spaces. */
export default defineNetlist({
  description: "Odd names: a space in the netlist's name, awkward choice values and KPI names",
  params: {
    label: param.choice({ choices: ["plain", "a,b", "x y", "k=v", "it's", "back\\slash", "$HOME", "a,b x y", "k=v it's", "back\\slash $HOME"], default: "plain" }),
    size: param.int({ default: 1, min: 0, max: 10 }),
  },
  time: { steps: 2, stepSeconds: 60 },
  async setup({ wallet }) {
    return { world: {}, agents: [new Idle(await wallet("idle one"))] };
  },
  kpis: {
    "a,b": ({ params }) => ["plain", "a,b", "x y", "k=v", "it's", "back\\slash", "$HOME", "a,b x y", "k=v it's", "back\\slash $HOME"].indexOf(params.label),
    'say "hi"': ({ params, tick }) => params.size * tick,
    "Ünïcødé €/💥": ({ tick }) => BigInt(tick) * 10n ** 18n,
  },
});
