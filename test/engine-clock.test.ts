import { expect } from "chai";
import { Agent, defineNetlist, type StepContext } from "../src/api";
import { simulate } from "../src/engine/engine";
import type { Eip1193Provider } from "../src/engine/provider";
import { fixture, nextWallClockSecond, useEnvironment } from "./helpers";

/**
 * Chain time must not depend on how fast the process runs. The node stamps an unpinned block from
 * the wall clock when it mines it, so the failure this guards against is a pause between the
 * engine deciding a block's timestamp and the node mining it (a GC pause, a starved CPU). The
 * provider below provokes exactly that: it holds every eth_sendTransaction until the wall clock has
 * entered a later second, so each one reaches the node in a later wall-clock second than the engine
 * saw. The engine used to pin a block's timestamp only when the wall clock was near a new second,
 * and failed this with CHAIN_DRIFT.
 */
describe("engine: block timestamps are set by the engine alone", function () {
  useEnvironment(fixture("testbed"));

  for (const batches of [false, true]) {
    const how = batches ? "pin and transaction in one batch (the plugin's network)" : "pin and transaction as two requests (JSON-RPC)";
    it(`stamps every block with the tick's time when sends reach the node a second late: ${how}`, async function () {
      this.timeout(120_000);
      const env = await this.hre.tokenspice.environment();
      const node = env.provider;
      const hold = nextWallClockSecond;
      const paused: Eip1193Provider = {
        async request(args) {
          if (args.method === "eth_sendTransaction") await hold();
          return node.request(args);
        },
      };
      if (batches) {
        expect(node.requestBatch, "the plugin's network takes batches").to.be.a("function");
        paused.requestBatch = async (calls) => {
          if (calls.some((c) => c.method === "eth_sendTransaction")) await hold();
          return node.requestBatch!(calls);
        };
      }
      const times: number[] = [];
      class Payer extends Agent<{ to: string }> {
        async step({ world }: StepContext<{ to: string }, unknown>) {
          const tx = await this.wallet.signer.sendTransaction({ to: world.to, value: 1n });
          const block = (await node.request({ method: "eth_getBlockByNumber", params: [`0x${tx.blockNumber!.toString(16)}`, false] })) as { timestamp: string };
          times.push(Number(block.timestamp));
        }
      }
      const start = 2_000_000_000;
      const netlist = defineNetlist({
        description: "payments",
        time: { steps: 3, stepSeconds: 3_600, start },
        async setup({ wallet }) {
          return { world: { to: (await wallet("payee")).address }, agents: [new Payer(await wallet("payer"))] };
        },
        kpis: {},
      });
      const outcome = await simulate(paused, {
        name: "payments",
        netlist,
        params: {},
        seed: 1,
        steps: 3,
        walletWei: 10n ** 21n,
        stepTimeoutMs: Infinity,
        node: { blockTime: "tick" },
      });
      expect(outcome.ticks).to.equal(3);
      expect(outcome.transactions.payer).to.equal(3);
      expect(times).to.deep.equal([1, 2, 3].map((t) => start + t * 3_600));
    });
  }

  it("fails with CHAIN_DRIFT when a block is mined behind the engine's back", async function () {
    this.timeout(120_000);
    const env = await this.hre.tokenspice.environment();
    const node = env.provider;
    class Meddler extends Agent<{ to: string }> {
      async step({ world, time }: StepContext<{ to: string }, unknown>) {
        await node.request({ method: "evm_mine", params: [`0x${(time + 100).toString(16)}`] }); // not through a wallet
        await this.wallet.signer.sendTransaction({ to: world.to, value: 1n });
      }
    }
    const netlist = defineNetlist({
      description: "meddling",
      time: { steps: 2, stepSeconds: 3_600, start: 2_000_000_000 },
      async setup({ wallet }) {
        return { world: { to: (await wallet("payee")).address }, agents: [new Meddler(await wallet("meddler"))] };
      },
      kpis: {},
    });
    const error = await simulate(node, { name: "meddling", netlist, params: {}, seed: 1, steps: 2, walletWei: 10n ** 21n, stepTimeoutMs: Infinity, node: { blockTime: "tick" } }).then(
      () => undefined,
      (e) => e,
    );
    expect(error?.code).to.equal("CHAIN_DRIFT");
    expect(error.message).to.match(/tick 1: expected block \d+ at 2000003600, found block \d+ at 2000003700/);
  });
});
