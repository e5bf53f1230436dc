import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { TokenspiceError } from "../../src/errors";
import { InProcessBackend } from "../../src/campaign/backends/in-process";
import { WorkerPoolBackend, defaultWorkerMemoryBytes } from "../../src/campaign/backends/workers";
import type { BackendEvents, RunJob, RunOutcome } from "../../src/campaign/types";
import type { RunSpec } from "../../src/runner/run-spec";
import { TokenspicePluginError } from "../../src/hardhat/errors";
import { rejectionOf as errorOf } from "./thrown";

// The worker pool's runs (worker processes) are tested in test/campaign-backends.test.ts.
const FAKE_WORKER = path.join(__dirname, "..", "fixtures", "fake-campaign-worker.js");

function spec(seed: number, params: Record<string, string | number | boolean> = {}): RunSpec {
  return { netlist: { name: "fake", file: "sims/fake.ts" }, params, seed, steps: 1, stepTimeoutMs: null, network: { name: "hardhat", chainId: 31337 } };
}

/** Records every event, in order. */
function recorder() {
  const starts: { key: string; worker: number }[] = [];
  const outcomes: RunOutcome[] = [];
  const events: BackendEvents = {
    onStart: (key, worker) => starts.push({ key, worker }),
    onOutcome: (o) => outcomes.push(o),
  };
  return { events, starts, outcomes };
}

describe("campaign backends, without processes", function () {
  let tmp: string;
  const job = (key: string, params: Record<string, string | number | boolean> = {}, seed = 1): RunJob => ({ key, spec: spec(seed, params), out: path.join(tmp, key) });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-backends-"));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("WorkerPoolBackend's options (no worker started)", () => {
    it("checks its options, and sizes the default worker memory for the machine", () => {
      expect(() => new WorkerPoolBackend({ entry: FAKE_WORKER, workers: 0 })).to.throw(/Workers 0 is not valid/);
      expect(() => new WorkerPoolBackend({ entry: FAKE_WORKER, maxRunsPerWorker: 0.5 })).to.throw(/Max runs per worker 0.5 is not valid/);
      expect(() => new WorkerPoolBackend({ entry: FAKE_WORKER, workerMemoryBytes: -1 })).to.throw(/Worker memory -1 is not valid/);
      const GiB = 2 ** 30;
      expect(defaultWorkerMemoryBytes(2, 24 * GiB)).to.equal(2 * GiB); // half of 24 GiB is 6 GiB each: capped
      expect(defaultWorkerMemoryBytes(4, 12 * GiB)).to.equal(1.5 * GiB);
      expect(defaultWorkerMemoryBytes(16, 8 * GiB)).to.equal(1 * GiB); // 256 MiB each: raised to the floor
      expect(new WorkerPoolBackend({ entry: FAKE_WORKER, workers: 3 }).workerMemoryBytes).to.equal(defaultWorkerMemoryBytes(3));
    });
  });

  describe("InProcessBackend (a fake runSpec)", () => {
    const plugin = (code: ConstructorParameters<typeof TokenspicePluginError>[0], message: string) => new TokenspicePluginError(code, message, { seed: 1 });

    it("runs jobs in order with { out, force: true, reuseSetup: true }; a failed run is an outcome and the next one runs", async () => {
      const calls: { seed: number; out: string; force: boolean }[] = [];
      const backend = new InProcessBackend(async (s, controls) => {
        calls.push({ seed: s.seed, ...controls });
        if (s.seed === 2) throw plugin("AGENT_FAILED", 'Agent "a" threw');
        if (s.seed === 3) throw new TokenspiceError("STEP_TIMEOUT", "KPI did not finish");
      });
      const r = recorder();
      const jobs = [job("a", {}, 1), job("b", {}, 2), job("c", {}, 3), job("d", {}, 4)];
      const outcomes = await backend.run(jobs, r.events);
      expect(calls).to.deep.equal(jobs.map((j) => ({ seed: j.spec.seed, out: j.out, force: true, reuseSetup: true })));
      expect(outcomes).to.deep.equal([
        { key: "a", status: "complete", error: null, attempts: 1 },
        { key: "b", status: "failed", error: { code: "AGENT_FAILED", message: 'Agent "a" threw' }, attempts: 1 },
        { key: "c", status: "failed", error: { code: "STEP_TIMEOUT", message: "KPI did not finish" }, attempts: 1 },
        { key: "d", status: "complete", error: null, attempts: 1 },
      ]);
      expect(r.outcomes).to.deep.equal(outcomes);
      expect(r.starts).to.deep.equal(jobs.map((j) => ({ key: j.key, worker: 0 })));
    });

    it("stops at bad input, infrastructure or an error that is not the plugin's, throwing it as it was", async () => {
      for (const thrown of [plugin("PARAM_INVALID", "bad param"), new TokenspiceError("NODE_ERROR", "node gone"), new RangeError("a bug")]) {
        const seen: number[] = [];
        const backend = new InProcessBackend(async (s) => {
          seen.push(s.seed);
          if (s.seed === 2) throw thrown;
        });
        expect(await errorOf(() => backend.run([job("a", {}, 1), job("b", {}, 2), job("c", {}, 3)]))).to.equal(thrown);
        expect(seen).to.deep.equal([1, 2]);
      }
    });

    it("starts nothing after close()", async () => {
      let calls = 0;
      const backend = new InProcessBackend(async () => void calls++);
      await backend.close();
      expect((await errorOf(() => backend.run([job("a")]))).code).to.equal("RUN_INTERRUPTED");
      expect(calls).to.equal(0);
    });
  });
});
