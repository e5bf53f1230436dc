import type { AgentWallet } from "./wallet";
import type { Rng } from "./rng";
import type { ContractTools } from "./netlist";

/** What an agent sees when it steps. */
export interface StepContext<World, Params> {
  readonly world: World;
  readonly params: Params;
  /** This agent's own seeded stream. */
  readonly rng: Rng;
  /** 1-based tick number. */
  readonly tick: number;
  /** The chain's block timestamp (seconds) at the start of this tick: sim time. */
  readonly time: number;
  /** A contract the netlist did not deploy (from a factory), connected to this agent's wallet and registered. */
  readonly at: ContractTools["at"];
}

/**
 * A participant in the simulation. Subclass it and implement `step`: it is called once a tick, in
 * the netlist's agent order. Transactions an agent sends are mined at once; a reverted one is
 * recorded and ends this agent's step for the tick (catch `TransactionRevertedError` to go on).
 * An agent that sends no transactions (a market model, an oracle) is an agent too.
 */
export abstract class Agent<World = unknown, Params = Record<string, unknown>> {
  constructor(readonly wallet: AgentWallet) {}

  /** The agent's name: its wallet's (`wallet("name")` in setup), as reverts, transaction counts and reports show it. */
  get name(): string {
    return this.wallet.name;
  }

  abstract step(ctx: StepContext<World, Params>): Promise<void> | void;
}

/**
 * True for an object shaped like an Agent: a `step` function and a wallet with an address (setup's agents are checked with it, so copies of the package count too).
 */
export function isAgent(value: unknown): value is Agent<unknown, unknown> {
  const v = value as Agent<unknown, unknown> | null;
  return typeof v === "object" && v !== null && typeof v.step === "function" && typeof v.wallet?.address === "string";
}
