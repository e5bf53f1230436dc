import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { createInProcessBackend, createWorkerBackend, workerEntry } from "../src/hardhat/campaign-backends";
import type { WorkerPoolBackend } from "../src/campaign/backends/workers";
import type { BackendEvents, RunJob, RunOutcome } from "../src/campaign/types";
import type { RunSpec } from "../src/runner/run-spec";
import { errorOf, fixture, useEnvironment, waitFor } from "./helpers";
import { processIsAlive as alive } from "../src/output/folder-lock";

/** The files a run's result depends on, as bytes (result.json only for a complete run). */
function runFiles(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const f of ["kpis.csv", "reverts.csv", "result.json"]) if (fs.existsSync(path.join(dir, f))) files[f] = fs.readFileSync(path.join(dir, f));
  return files;
}

/**
 * The worker backend with the real worker entry (src/hardhat/campaign-worker.ts, booting the testbed
 * fixture project's Hardhat under ts-node): runs equal in-process runs byte for byte, whichever worker
 * runs them and whatever it ran before; a worker SIGKILLed mid-run has its run retried; the
 * watchdog's kill is recorded as the run's failure.
 */
describe("campaign workers: Hardhat in worker processes (testbed fixture project)", function () {
  this.timeout(180_000);
  useEnvironment(fixture("testbed"));
  let tmp: string;
  let backends: WorkerPoolBackend[] = [];
  const workers = (hre: HardhatRuntimeEnvironment, options: Parameters<typeof createWorkerBackend>[1]) => {
    const b = createWorkerBackend(hre, options);
    backends.push(b);
    return b;
  };
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-workers-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(backends.map((b) => b.close()));
    backends = [];
  });
  const job = (key: string, spec: RunSpec, folder: string): RunJob => ({ key, spec, out: path.join(tmp, folder, key) });

  it("writes the same files as in-process runs, on a fresh worker or a used one; a failed run is an outcome", async function () {
    const plan = (name: string, request: object) => this.hre.tokenspice.plan(name, request);
    const specs: [string, RunSpec][] = [
      ["pokes-1", await plan("pokes", { seed: 1, steps: 8 })],
      ["pokes-2", await plan("pokes", { seed: 2, steps: 8, params: { pokers: 5 } })],
      ["fails", await plan("pokes", { seed: 3, steps: 8, params: { failAt: 4 } })],
      ["faults", await plan("faults", { seed: 4, params: { mode: "refused" } })],
      ["pokes-1-again", await plan("pokes", { seed: 1, steps: 8 })], // last: on a worker that has run others
    ];
    const starts: [string, number][] = [];
    const events: BackendEvents = { onStart: (key, worker) => starts.push([key, worker]) };
    const pool = workers(this.hre, { workers: 2 });
    const outcomes = await pool.run(
      specs.map(([key, spec]) => job(key, spec, "workers")),
      events,
    );
    expect(outcomes.map((o) => [o.key, o.status, o.error?.code ?? null, o.attempts])).to.deep.equal([
      ["pokes-1", "complete", null, 1],
      ["pokes-2", "complete", null, 1],
      ["fails", "failed", "AGENT_FAILED", 1],
      ["faults", "complete", null, 1],
      ["pokes-1-again", "complete", null, 1],
    ]);
    expect(outcomes[2].error!.message).to.match(/Agent "poker-0" threw \(netlist "pokes", tick 4, seed 3\): boom/);
    expect(pool.pids).to.have.length(2);
    expect(pool.bootTimes).to.have.length(2);
    expect(new Set(starts.map(([, w]) => w))).to.deep.equal(new Set([1, 2]));
    const again = starts.findIndex(([key]) => key === "pokes-1-again");
    expect(starts.slice(0, again).filter(([, w]) => w === starts[again][1])).to.not.be.empty; // its worker had run others

    const inProcess = await createInProcessBackend(this.hre).run(specs.map(([key, spec]) => job(key, spec, "in-process")));
    expect(inProcess).to.deep.equal(outcomes);
    for (const [key] of specs) {
      const a = runFiles(path.join(tmp, "workers", key));
      const b = runFiles(path.join(tmp, "in-process", key));
      expect(Object.keys(a)).to.deep.equal(key === "fails" ? ["kpis.csv", "reverts.csv"] : ["kpis.csv", "reverts.csv", "result.json"]);
      expect(a, key).to.deep.equal(b);
      const manifest = JSON.parse(fs.readFileSync(path.join(tmp, "workers", key, "manifest.json"), "utf8"));
      expect(manifest.status).to.equal(key === "fails" ? "failed" : "complete");
      expect(manifest.spec).to.deep.equal(specs.find(([k]) => k === key)![1]);
    }
    // The same spec first on a fresh worker and last on a used one.
    expect(runFiles(path.join(tmp, "workers", "pokes-1-again"))).to.deep.equal(runFiles(path.join(tmp, "workers", "pokes-1")));
    expect(fs.readFileSync(path.join(tmp, "workers", "pokes-2", "kpis.csv"))).to.not.deep.equal(fs.readFileSync(path.join(tmp, "workers", "pokes-1", "kpis.csv")));

    await pool.close();
    expect(pool.pids.some(alive)).to.equal(false);
  });

  it("retries the run of a worker SIGKILLed mid-run on a fresh worker, where it completes with the same files", async function () {
    const spec = await this.hre.tokenspice.plan("faults", { seed: 5, params: { sleepMs: 400 } });
    const seen: { worker: number; reason: string }[] = [];
    const starts: string[] = [];
    const pool = workers(this.hre, { workers: 1 });
    const killed = job("slow", spec, "killed");
    const running = pool.run([killed], { onStart: (key) => starts.push(key), onWorker: (e) => seen.push(e) });
    // Kill the worker once the run has written its first KPI row.
    await waitFor("the run to be under way", () => fs.existsSync(path.join(killed.out, "kpis.csv")) && fs.readFileSync(path.join(killed.out, "kpis.csv"), "utf8").split("\n").length > 2);
    const first = pool.pids[0];
    process.kill(first, "SIGKILL");
    const [outcome] = await running;
    expect(outcome).to.deep.equal({ key: "slow", status: "complete", error: null, attempts: 2 } satisfies RunOutcome);
    expect(starts).to.deep.equal(["slow", "slow"]);
    expect(seen).to.deep.include({ worker: 1, reason: "died", rssBytes: (seen[0] as { rssBytes?: number }).rssBytes });
    expect(pool.pids).to.have.length(2);
    expect(alive(first)).to.equal(false);
    expect(JSON.parse(fs.readFileSync(path.join(killed.out, "manifest.json"), "utf8")).status).to.equal("complete");
    expect(fs.existsSync(path.join(killed.out, ".tokenspice.lock"))).to.equal(false);

    const reference = job("slow", spec, "killed-reference");
    await createInProcessBackend(this.hre).run([reference]);
    expect(runFiles(killed.out)).to.deep.equal(runFiles(reference.out));
  });

  it("records a run the watchdog ends (a synchronous endless loop) as STEP_HUNG without retrying it, and goes on", async function () {
    const spin = await this.hre.tokenspice.plan("faults", { seed: 6, params: { mode: "spin" }, stepTimeoutMs: 1000 });
    const ok = await this.hre.tokenspice.plan("faults", { seed: 7 });
    const pool = workers(this.hre, { workers: 1 });
    const outcomes = await pool.run([job("spin", spin, "watchdog"), job("ok", ok, "watchdog")]);
    expect(outcomes[0]).to.deep.include({ key: "spin", status: "failed", attempts: 1 });
    expect(outcomes[0].error!.code).to.equal("STEP_HUNG");
    expect(outcomes[0].error!.message).to.match(/Agent "faulty" blocked the event loop for more than 1000 ms \(netlist "faults", tick 2, seed 6\)/);
    expect(outcomes[1]).to.deep.equal({ key: "ok", status: "complete", error: null, attempts: 1 });
    expect(pool.pids).to.have.length(2); // a fresh worker for the second run
  });

  it("refuses several workers on a JSON-RPC network, and finds its entry script next to itself (ts or js)", async function () {
    const hre = { ...this.hre, network: { ...this.hre.network, name: "loopback" } } as HardhatRuntimeEnvironment;
    const e = await errorOf(async () => createWorkerBackend(hre, { workers: 2 }));
    expect((e as { code?: string }).code).to.equal("OPTION_INVALID");
    expect(e.message).to.match(/2 workers cannot share network "loopback"/);
    expect(createWorkerBackend(hre, { workers: 1 }).workers).to.equal(1);

    const ts = workerEntry();
    expect(ts.file).to.equal(path.join(__dirname, "..", "src", "hardhat", "campaign-worker.ts"));
    expect(fs.existsSync(ts.file)).to.equal(true);
    expect(ts.execArgv).to.deep.equal(["--require", require.resolve("ts-node/register/transpile-only")]);
    const dist = path.join("/p", "node_modules", "hardhat-tokenspice", "dist", "src", "hardhat");
    expect(workerEntry(dist, path.join(dist, "campaign-backends.js"))).to.deep.equal({ file: path.join(dist, "campaign-worker.js"), execArgv: [] });
  });
});
