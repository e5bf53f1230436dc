import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { param } from "../../src/model/params";
import { runCampaign } from "../../src/campaign/campaign";
import { planCampaign } from "../../src/campaign/plan";
import type { CampaignBackend, CampaignSpec, RunJob, RunOutcome } from "../../src/campaign/types";
import type { RunSpec } from "../../src/runner/run-spec";

// Issue 21: a campaign whose runs go to worker processes loads what its outputs need (DuckDB,
// ECharts) while it waits for them, not after the last run.

const specs = { drift: param.float({ default: 0.1, min: -1, max: 1 }) };
const spec: CampaignSpec = {
  netlist: { name: "w", file: "sims/w/netlist.ts" },
  steps: 2,
  params: {},
  runs: 3,
  sweep: [],
  zip: false,
  sample: null,
  seed: 3,
  stepTimeoutMs: 60_000,
  network: { name: "hardhat", chainId: 31337 },
};
const plan = planCampaign(spec, specs, (params, seed): RunSpec => ({ netlist: spec.netlist, params, seed, steps: 2, stepTimeoutMs: 60_000, network: spec.network }), { stepTimeoutMs: 60_000 });

/** Ends its runs only when `finish()` is called; records what happened, in order. */
class HeldBackend implements CampaignBackend {
  finish!: () => void;
  constructor(private readonly events: string[]) {}
  run(jobs: RunJob[]): Promise<RunOutcome[]> {
    this.events.push("run");
    return new Promise((resolve) => {
      this.finish = () => {
        this.events.push("runs ended");
        resolve(jobs.map((j) => ({ key: j.key, status: "failed", error: { code: "AGENT_FAILED", message: "x" }, attempts: 1 })));
      };
    });
  }
  async close(): Promise<void> {}
}

describe("a campaign warms its outputs while its runs run elsewhere", () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-warm-"))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const start = (events: string[], extra: { shard?: { index: number; count: number } } = {}) => {
    const backend = new HeldBackend(events);
    const done = runCampaign({
      dir: path.join(tmp, "c"),
      spec,
      plan,
      versions: {},
      command: "",
      backend,
      writeOutputs: async () => void events.push("outputs"),
      warmOutputs: () => void events.push("warm"),
      ...extra,
    });
    return { backend, done };
  };
  const until = (events: string[], what: string) =>
    new Promise<void>((resolve) => {
      const poll = () => (events.includes(what) ? resolve() : setImmediate(poll));
      poll();
    });

  it("calls warmOutputs once the runs are handed over, before they end and before the outputs are written", async () => {
    const events: string[] = [];
    const { backend, done } = start(events);
    await until(events, "warm");
    expect(events).to.deep.equal(["run", "warm"]);
    backend.finish();
    await done;
    expect(events).to.deep.equal(["run", "warm", "runs ended", "outputs"]);
  });

  it("does not warm a shard's outputs (it writes none)", async () => {
    const events: string[] = [];
    const { backend, done } = start(events, { shard: { index: 1, count: 1 } });
    await until(events, "run");
    await new Promise((r) => setImmediate(r));
    backend.finish();
    await done;
    expect(events).to.deep.equal(["run", "runs ended"]);
  });
});
