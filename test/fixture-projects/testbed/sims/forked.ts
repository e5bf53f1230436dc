import { Agent, defineNetlist, param, type StepContext } from "../../../../src/api";
import { Testbed__factory, type Testbed } from "../typechain-types";

/**
 * Agents on a forked chain (test/fork.test.ts): the upstream deployed a Testbed at FORKED_TESTBED
 * (Hardhat's account #0, nonce 0) and poked it; here pokers poke it on, and the KPIs read state
 * that only the upstream had (its pokes before the fork, account #0's balance).
 */
export const FORKED_TESTBED = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

interface World {
  testbed: Testbed;
  provider: { getBalance(address: string): Promise<bigint> };
}
type Params = { pokers: number };

class Poker extends Agent<World, Params> {
  async step({ world, rng }: StepContext<World, Params>): Promise<void> {
    const testbed = world.testbed.connect(this.wallet.signer);
    await testbed.poke();
    if (rng.bool(0.3)) await testbed.deposit({ value: 1000n });
    if (rng.bool(0.2)) await testbed.checkedPoke(150n).catch(() => undefined); // reverts (limit 100): recorded in reverts.csv
  }
}

export default defineNetlist({
  description: "Pokers poke a Testbed that a forked chain deployed",
  params: { pokers: param.int({ default: 2, min: 1, max: 10 }) },
  time: { steps: 6, stepSeconds: 3600 },
  async setup({ at, wallet, params, provider }) {
    const testbed = at(Testbed__factory, FORKED_TESTBED);
    const agents = [];
    for (let i = 0; i < params.pokers; i++) agents.push(new Poker(await wallet(`poker-${i}`)));
    return { world: { testbed, provider }, agents };
  },
  kpis: {
    pokes: ({ world }) => world.testbed.pokes(),
    deposits: ({ world }) => world.provider.getBalance(FORKED_TESTBED),
    account0: ({ world }) => world.provider.getBalance(ACCOUNT_0),
  },
});
