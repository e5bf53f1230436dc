import { expect } from "chai";
import os from "os";
import { TICKS_PER_EXTRA_WORKER, defaultWorkerCount, openBackend } from "../../src/campaign/backends/choose";
import { keepOrOpenBackend, startWorkersEarly } from "../../src/campaign/start";
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

  it("is the cores for a campaign from the sim task before it is planned, 1 from the API and the searches", () => {
    expect(defaultWorkerCount("campaign-task")).to.equal(os.availableParallelism());
    expect(defaultWorkerCount("api")).to.equal(1);
    expect(defaultWorkerCount("api", { runs: 1000, steps: 365 }, 8)).to.equal(1);
  });

  it("gives a planned campaign a worker per TICKS_PER_EXTRA_WORKER ticks of work, at most the cores and the runs", () => {
    const count = (runs: number, steps: number, cores: number) => defaultWorkerCount("campaign-task", { runs, steps }, cores);
    expect(TICKS_PER_EXTRA_WORKER).to.equal(250);
    expect(count(12, 60, 2)).to.equal(2); // 720 ticks: the 12-run token-flow campaign
    expect(count(4, 60, 2)).to.equal(1); // 240 ticks: a second boot would not pay
    expect(count(3, 365, 2)).to.equal(2); // 1095 ticks
    expect(count(3, 365, 16)).to.equal(3); // no more workers than runs
    expect(count(1, 100_000, 16)).to.equal(1);
    expect(count(200, 90, 16)).to.equal(16); // no more than the cores
    expect(count(20, 50, 16)).to.equal(4); // 1000 ticks: 4 workers' worth
    expect(count(0, 60, 4)).to.equal(1);
    expect(count(10, 60, 0)).to.equal(1);
  });

  it("runs a planned campaign from the sim task in this process when its work does not pay for a second worker", () => {
    pools.length = 0;
    expect(openBackend(environment, named, env, { workersFor: "campaign-task" }, { runs: 2, steps: 60 })).to.be.instanceOf(InProcessBackend);
    expect(pools).to.deep.equal([]);
    const big = openBackend(environment, named, env, { workersFor: "campaign-task" }, { runs: 20, steps: 365 });
    if (os.availableParallelism() > 1) expect([big, pools[0]?.workers]).to.deep.equal([pool, Math.min(20, os.availableParallelism())]);
    else expect(big).to.be.instanceOf(InProcessBackend);
  });

  describe("startWorkersEarly (workers booted before the campaign is planned)", () => {
    const started: { workers: number; prestarted: number[] }[] = [];
    const early = {
      workerBackend: (r: WorkerPoolRequest) => {
        const record = { workers: r.workers, prestarted: [] as number[] };
        started.push(record);
        return { ...pool, prestart: (n: number) => record.prestarted.push(n) };
      },
    } as unknown as TokenspiceEnvironment;
    beforeEach(() => (started.length = 0));

    it("boots as many as the count given or the default allows, bounded by the runs the flags give", () => {
      expect(startWorkersEarly(early, { workers: 3 }, {})).to.not.equal(undefined);
      expect(startWorkersEarly(early, { workers: 3 }, { runs: 2 })).to.not.equal(undefined);
      expect(started).to.deep.equal([
        { workers: 3, prestarted: [3] },
        { workers: 2, prestarted: [2] },
      ]);
      const byDefault = startWorkersEarly(early, { workersFor: "campaign-task" }, { runs: 12, steps: 60 }); // 720 ticks: 2 workers' worth
      if (os.availableParallelism() > 1) expect(started[2]).to.deep.equal({ workers: 2, prestarted: [2] });
      else expect(byDefault).to.equal(undefined);
    });

    it("boots nothing for one worker, a campaign too small for two, a resume, or an environment without workers", () => {
      expect(startWorkersEarly(early, { workers: 1 }, {})).to.equal(undefined);
      expect(startWorkersEarly(early, {}, { runs: 50, steps: 365 })).to.equal(undefined); // the API's default: 1
      expect(startWorkersEarly(early, { workersFor: "campaign-task" }, { runs: 3, steps: 10 })).to.equal(undefined);
      expect(startWorkersEarly(early, { workers: 4 }, { runs: 1 })).to.equal(undefined);
      expect(startWorkersEarly(early, { workers: 4, resume: true }, {})).to.equal(undefined);
      expect(startWorkersEarly({} as TokenspiceEnvironment, { workers: 4 }, {})).to.equal(undefined);
      expect(started).to.deep.equal([]);
    });

    it("leaves a refusal of the pool to the campaign's start, which says it with its message", () => {
      const refusing = {
        workerBackend: () => {
          throw new Error("cannot share network");
        },
      } as unknown as TokenspiceEnvironment;
      expect(startWorkersEarly(refusing, { workers: 2 }, {})).to.equal(undefined);
      expect(startWorkersEarly(early, { workers: 2, workerMemoryMB: -1 }, {})).to.equal(undefined);
    });
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

  describe("keepOrOpenBackend (the planned campaign's backend)", () => {
    const opened = { run: async () => [], close: async () => undefined } as unknown as CampaignBackend;
    const earlyPool = () => {
      const limits: number[] = [];
      return { limits, pool: { ...pool, limit: (n: number) => limits.push(n) } as CampaignBackend };
    };

    it("keeps the early workers, limited to the count the plan gives, when it is above 1", async () => {
      const { limits, pool: early } = earlyPool();
      expect(await keepOrOpenBackend(early, () => opened, { workers: 3 }, { runs: 2, steps: 1 })).to.equal(early);
      expect(await keepOrOpenBackend(early, () => opened, { workersFor: "campaign-task" }, { runs: 40, steps: 365 })).to.equal(os.availableParallelism() > 1 ? early : opened);
      expect(limits).to.deep.equal(os.availableParallelism() > 1 ? [3, Math.min(40, os.availableParallelism())] : [3]);
    });

    it("opens the backend (in this process) when the plan gives 1 worker, and without early workers", async () => {
      const { limits, pool: early } = earlyPool();
      expect(await keepOrOpenBackend(early, () => opened, { workersFor: "campaign-task" }, { runs: 3, steps: 60 })).to.equal(opened);
      expect(await keepOrOpenBackend(early, () => opened, { workers: 1 }, { runs: 300, steps: 365 })).to.equal(opened);
      expect(await keepOrOpenBackend(undefined, () => opened, { workers: 4 }, { runs: 300, steps: 365 })).to.equal(opened);
      expect(limits).to.deep.equal([]);
    });
  });
});
