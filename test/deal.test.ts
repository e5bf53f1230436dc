import { expect } from "chai";
import { Agent, defineNetlist, type StepContext } from "../src/api";
import { DEAL_MAX_SLOT } from "../src/engine/deal";
import { errorOf, fixture, useEnvironment } from "./helpers";
import { ComputedBalanceToken__factory, SlotTwoToken__factory, VyperLayoutToken__factory, type SlotTwoToken } from "./fixture-projects/testbed/typechain-types";

const ONE = 10n ** 18n;

/** An inline netlist that deals `amount` of a token deployed from `Factory` to a wallet, and reads the balance as a KPI. */
function dealing(Factory: typeof SlotTwoToken__factory | typeof VyperLayoutToken__factory | typeof ComputedBalanceToken__factory, amount: bigint) {
  return defineNetlist({
    description: "deal",
    params: {},
    time: { steps: 2, stepSeconds: 60 },
    async setup({ deploy, wallet, deal }) {
      const token = await deploy(Factory);
      const holder = await wallet("holder");
      await deal(token, holder, amount);
      return { world: { token, holder: holder.address }, agents: [] };
    },
    kpis: { balance: ({ world }) => world.token.balanceOf(world.holder) },
  });
}

describe("deal: any ERC20 balance, its slot found by probing", function () {
  useEnvironment(fixture("testbed"));

  it("sets the balance of a Solidity token (mapping at slot 2) and of a Vyper-layout one (slot 5)", async function () {
    for (const Factory of [SlotTwoToken__factory, VyperLayoutToken__factory]) {
      const r = await this.hre.tokenspice.run(dealing(Factory, 1234n * ONE), { seed: 1 });
      expect(r.kpi("balance").values, Factory.name).to.deep.equal([1234n * ONE, 1234n * ONE, 1234n * ONE]);
    }
  });

  it("lets an agent act as an existing account (impersonate), which cannot sign messages", async function () {
    const WHALE = "0x00000000000000000000000000000000000b0b01";
    let signError = "";
    class Giver extends Agent<{ token: SlotTwoToken; to: string }, Record<string, never>> {
      async step({ world }: StepContext<{ token: SlotTwoToken; to: string }, Record<string, never>>) {
        await world.token.connect(this.wallet.signer).transfer(world.to, ONE);
      }
    }
    const netlist = defineNetlist({
      description: "impersonate",
      params: {},
      time: { steps: 3, stepSeconds: 60 },
      async setup({ deploy, wallet, deal, impersonate, deployer }) {
        const token = await deploy(SlotTwoToken__factory);
        await deal(token, WHALE, 10n * ONE);
        await deployer.signer.sendTransaction({ to: WHALE, value: ONE }); // gas money: nothing is added to an impersonated account
        const whale = await impersonate("whale", WHALE);
        expect(whale.address).to.equal(WHALE);
        signError = await whale.signer.signMessage("hi").then(
          () => "signed",
          (e: Error) => e.message,
        );
        const to = (await wallet("receiver")).address;
        return { world: { token, to }, agents: [new Giver(whale)] };
      },
      kpis: { received: ({ world }) => world.token.balanceOf(world.to), whale: ({ world }) => world.token.balanceOf(WHALE) },
    });
    const r = await this.hre.tokenspice.run(netlist, { seed: 1 });
    expect(r.kpi("received").values).to.deep.equal([0n, ONE, 2n * ONE, 3n * ONE]);
    expect(r.kpi("whale").values.at(-1)).to.equal(7n * ONE);
    expect(signError).to.match(/is an impersonated account: its key is not known, so it cannot sign a message/);
  });

  it("refuses a token whose balances are in no mapping, naming it (DEAL_FAILED)", async function () {
    const e = await errorOf(() => this.hre.tokenspice.run(dealing(ComputedBalanceToken__factory, ONE), { seed: 1 }));
    expect((e as { code?: string }).code).to.equal("DEAL_FAILED");
    expect(e.message).to.match(new RegExp(`deal\\(0x[0-9a-fA-F]{40}, 0x[0-9a-fA-F]{40}, ${ONE}\\): no storage slot up to ${DEAL_MAX_SLOT} holds its balances as a mapping`));
  });
});
