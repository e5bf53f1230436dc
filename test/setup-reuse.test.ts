import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { Tokenspice } from "../src/hardhat/tokenspice";
import { defineNetlist } from "../src/api";
import { AmmToken__factory } from "../typechain-types";
import { ROOT, useEnvironment } from "./helpers";

const FILES = ["kpis.csv", "reverts.csv", "result.json"];
const agentTransactions = (transactions: Record<string, number>) =>
  Object.entries(transactions)
    .filter(([agent]) => agent !== "setup")
    .reduce((n, [, c]) => n + c, 0);
const filesOf = (dir: string) => Object.fromEntries(FILES.map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));

/**
 * Setup reused across a worker's runs (src/engine/setup-reuse.ts): the runs after the first answer
 * setup's requests from its recording, and their files are the files of runs made from scratch.
 */
describe("setup reused across runs (campaign workers)", function () {
  useEnvironment(ROOT);
  let out: string;
  beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-reuse-"))));
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  /** A fresh hre.tokenspice (its own simulation network), with every send to the chain counted. */
  async function counted(hre: unknown): Promise<{ tokenspice: Tokenspice; sends: () => number }> {
    const tokenspice = new Tokenspice(hre as ConstructorParameters<typeof Tokenspice>[0]);
    const env = await tokenspice.environment();
    let sends = 0;
    const { request, requestBatch } = env.provider;
    env.provider.request = (args) => {
      if (args.method === "eth_sendTransaction") sends++;
      return request.call(env.provider, args);
    };
    if (requestBatch) {
      env.provider.requestBatch = (calls) => {
        sends += calls.filter((c) => c.method === "eth_sendTransaction").length;
        return requestBatch.call(env.provider, calls);
      };
    }
    return { tokenspice, sends: () => sends };
  }

  it("sends setup once: the later runs' files are byte for byte those of runs made from scratch", async function () {
    this.timeout(120_000);
    const seeds = [1, 2, 3];
    const fresh: Record<string, string>[] = [];
    for (const seed of seeds) {
      const dir = path.join(out, `fresh-${seed}`);
      await new Tokenspice(this.hre).run("token-flow", { seed, steps: 6, out: dir });
      fresh.push(filesOf(dir));
    }
    const { tokenspice, sends } = await counted(this.hre);
    const sent: number[] = [];
    for (const seed of seeds) {
      const dir = path.join(out, `reused-${seed}`);
      const before = sends();
      const result = await tokenspice.run("token-flow", { seed, steps: 6, out: dir, reuseSetup: true });
      sent.push(sends() - before);
      expect(filesOf(dir), `seed ${seed}`).to.deep.equal(fresh[seeds.indexOf(seed)]);
      // The first run sends setup's transactions and its agents'; the others their agents' only.
      expect(sent.at(-1), `seed ${seed}`).to.equal(agentTransactions(result.transactions) + (seed === 1 ? result.transactions.setup : 0));
    }
    expect(sent[1]).to.be.lessThan(sent[0]);
    // A run that does not reuse finds the chain as before any setup: its files are a fresh run's.
    const after = path.join(out, "after");
    await tokenspice.run("token-flow", { seed: 1, steps: 6, out: after });
    expect(filesOf(after)).to.deep.equal(fresh[0]);
  });

  it("replays a setup whose draws from the seed stay in JavaScript (vesting's release offsets), with the same files", async function () {
    this.timeout(120_000);
    const { tokenspice, sends } = await counted(this.hre);
    for (const seed of [1, 2]) {
      const fresh = path.join(out, `fresh-${seed}`);
      await new Tokenspice(this.hre).run("vesting", { seed, steps: 20, out: fresh });
      const reused = path.join(out, `reused-${seed}`);
      const before = sends();
      const result = await tokenspice.run("vesting", { seed, steps: 20, out: reused, reuseSetup: true });
      expect(filesOf(reused), `seed ${seed}`).to.deep.equal(filesOf(fresh));
      expect(sends() - before, `seed ${seed}`).to.equal(agentTransactions(result.transactions) + (seed === 1 ? result.transactions.setup : 0));
    }
  });

  it("falls back to a real setup where setup sends what it draws from the seed, with the same files", async function () {
    this.timeout(120_000);
    // Setup mints a number of tokens drawn from the seed: its requests differ from one seed to the next.
    const netlist = defineNetlist({
      description: "setup that sends a draw",
      params: {},
      time: { steps: 3, stepSeconds: 3600 },
      async setup({ deploy, deployer, rng }) {
        const token = await deploy(AmmToken__factory, "Drawn", "DRW");
        await token.mint(deployer.address, BigInt(rng.int(1, 1_000_000)));
        return { world: { token, holder: deployer.address }, agents: [] };
      },
      kpis: { held: { value: async ({ world }) => world.token.balanceOf(world.holder) } },
    });
    const { tokenspice, sends } = await counted(this.hre);
    for (const seed of [1, 2, 3]) {
      const fresh = await new Tokenspice(this.hre).run(netlist, { seed, out: path.join(out, `fresh-${seed}`) });
      const before = sends();
      const reused = await tokenspice.run(netlist, { seed, reuseSetup: true, out: path.join(out, `reused-${seed}`) });
      expect(filesOf(path.join(out, `reused-${seed}`)), `seed ${seed}`).to.deep.equal(filesOf(path.join(out, `fresh-${seed}`)));
      expect(reused.kpi("held").values).to.deep.equal(fresh.kpi("held").values);
      expect(sends() - before, `seed ${seed}: setup sent for real`).to.equal(reused.transactions.setup);
    }
  });
});
