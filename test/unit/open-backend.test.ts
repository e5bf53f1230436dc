import { expect } from "chai";
import os from "os";
import { defaultWorkerCount, openBackend } from "../../src/campaign/backends/choose";
import { InProcessBackend } from "../../src/campaign/backends/in-process";
import type { TokenspiceEnvironment, WorkerPoolRequest } from "../../src/campaign/environment";
import type { CampaignBackend } from "../../src/campaign/types";
import type { LoadedNetlist } from "../../src/runner/netlists";
import type { RunEnvironment } from "../../src/runner/run";
import { INLINE } from "../../src/runner/run-spec";
import { thrownBy as refusal } from "./thrown";

describe("the default worker count and the backend a campaign or search opens", () => {
  const named = { name: "walk", file: "/p/sims/walk/netlist.ts" } as LoadedNetlist;
  const inline = { name: "inline", file: INLINE } as LoadedNetlist;
  const env = {} as RunEnvironment;
  const pools: WorkerPoolRequest[] = [];
  const pool = { run: async () => [], close: async () => undefined } as unknown as CampaignBackend;
  const environment = { workerBackend: (r: WorkerPoolRequest) => (pools.push(r), pool) } as unknown as TokenspiceEnvironment;

  it("is the cores for a campaign from the sim task, 1 from the API and the searches", () => {
    expect(defaultWorkerCount("campaign-task")).to.equal(os.availableParallelism());
    expect(defaultWorkerCount("api")).to.equal(1);
  });

  it("runs in this process by default and with one worker, in the environment's pool with more", () => {
    expect(openBackend(environment, named, env, {})).to.be.instanceOf(InProcessBackend);
    expect(openBackend(environment, inline, env, { workers: 1 })).to.be.instanceOf(InProcessBackend);
    pools.length = 0;
    expect(openBackend(environment, named, env, { workers: 3, maxRunsPerWorker: 7, workerMemoryMB: 1.5 })).to.equal(pool);
    expect(pools).to.deep.equal([{ workers: 3, maxRunsPerWorker: 7, workerMemoryBytes: Math.round(1.5 * 2 ** 20) }]);
  });

  it("refuses a bad count, a netlist object on workers, and workers where the environment has none", () => {
    for (const workers of [0, -1, 1.5, NaN]) {
      const e = refusal(() => openBackend(environment, named, env, { workers }));
      expect(e.code, String(workers)).to.equal("OPTION_INVALID");
      expect(e.message).to.include("use a positive integer");
    }
    expect(refusal(() => openBackend(environment, inline, env, { workers: 2 })).message).to.include("A netlist object cannot go to worker processes");
    expect(refusal(() => openBackend(environment, named, env, { workers: 2, workerMemoryMB: 0 })).message).to.include("workerMemoryMB 0 is not valid");
    const e = refusal(() => openBackend({} as TokenspiceEnvironment, named, env, { workers: 2 }));
    expect([e.code, e.message]).to.deep.equal(["OPTION_INVALID", "2 workers: this environment runs in its own process only: use workers: 1."]);
  });
});
