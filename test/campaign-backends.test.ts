import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { TokenspiceError } from "../src/errors";
import { WorkerPoolBackend, defaultWorkerMemoryBytes, type WorkerPoolOptions } from "../src/campaign/backends/workers";
import type { BackendEvents, RunJob, RunOutcome } from "../src/campaign/types";
import type { RunSpec } from "../src/runner/run-spec";
import { ROOT, errorOf, waitFor } from "./helpers";
import { processIsAlive as alive } from "../src/output/folder-lock";

const FAKE_WORKER = path.join(__dirname, "fixtures", "fake-campaign-worker.js");
const MiB = 2 ** 20;

function spec(seed: number, params: Record<string, string | number | boolean> = {}): RunSpec {
  return { netlist: { name: "fake", file: "sims/fake.ts" }, params, seed, steps: 1, stepTimeoutMs: null, network: { name: "hardhat", chainId: 31337 } };
}

/** Records every event, in order. */
function recorder() {
  const starts: { key: string; worker: number }[] = [];
  const outcomes: RunOutcome[] = [];
  const workers: { worker: number; reason: string; rssBytes?: number }[] = [];
  const events: BackendEvents = {
    onStart: (key, worker) => starts.push({ key, worker }),
    onOutcome: (o) => outcomes.push(o),
    onWorker: (e) => workers.push(e),
  };
  return { events, starts, outcomes, workers };
}

describe("campaign backends", function () {
  this.timeout(60_000);
  let tmp: string;
  let log: string;
  let pools: WorkerPoolBackend[] = [];
  const job = (key: string, params: Record<string, string | number | boolean> = {}, seed = 1): RunJob => ({ key, spec: spec(seed, params), out: path.join(tmp, key) });
  const pool = (options: Partial<WorkerPoolOptions> = {}, env: Record<string, string> = {}) => {
    const p = new WorkerPoolBackend({ entry: FAKE_WORKER, workers: 2, env: { FAKE_LOG: log, ...env }, ...options });
    pools.push(p);
    return p;
  };
  /** The log's lines: which process booted and which ran which job, in order. */
  const lines = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => {
            const [pid, event, key] = l.split(" ");
            return { pid: Number(pid), event, key };
          })
      : [];
  const runsOf = (key: string) => lines().filter((l) => l.event === "run" && l.key === key);

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-backends-"));
    log = path.join(tmp, "log.txt");
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.close()));
    pools = [];
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("WorkerPoolBackend (a fake worker script)", () => {
    it("starts jobs in the given order and resolves outcomes in that order, whatever order they end in", async () => {
      const p = pool({ workers: 3 });
      const r = recorder();
      const jobs = [1500, 5, 40, 1, 30, 1, 20].map((ms, i) => job(`j${i}`, { ms }));
      const outcomes = await p.run(jobs, r.events);
      expect(outcomes.map((o) => o.key)).to.deep.equal(jobs.map((j) => j.key));
      expect(outcomes.every((o) => o.status === "complete" && o.attempts === 1 && o.error === null)).to.equal(true);
      expect(r.starts.map((s) => s.key)).to.deep.equal(jobs.map((j) => j.key));
      expect(r.outcomes.map((o) => o.key)).to.have.members(jobs.map((j) => j.key));
      expect(r.outcomes.map((o) => o.key)).to.not.deep.equal(jobs.map((j) => j.key)); // they ended out of order
      expect(r.starts.every((s) => [1, 2, 3].includes(s.worker))).to.equal(true);
      expect(new Set(r.starts.map((s) => s.worker)).size).to.be.greaterThan(1);
      expect(p.pids).to.have.length(3);
      for (const j of jobs) expect(fs.readFileSync(path.join(j.out, "done"), "utf8")).to.match(/^\d+$/);
    });

    it("starts no more workers than there are jobs, and reuses them for the next run()", async () => {
      const p = pool({ workers: 4 });
      await p.run([job("a", { ms: 500 }), job("b", { ms: 500 })]);
      expect(p.pids).to.have.length(2);
      await p.run([job("c"), job("d")]);
      expect(p.pids).to.have.length(2);
      expect(new Set(["c", "d"].map((key) => runsOf(key)[0].pid))).to.deep.equal(new Set(p.pids));
      await p.run([job("e"), job("f"), job("g")]); // more jobs than workers: a third one starts
      expect(p.pids).to.have.length(3);
    });

    it("prestart() boots workers before run(), which gives them its jobs without booting more", async () => {
      const p = pool({ workers: 3 });
      p.prestart(2);
      await waitFor("two prestarted workers to boot", () => p.bootTimes.length === 2);
      expect(lines().filter((l) => l.event === "boot")).to.have.length(2);
      const outcomes = await p.run([job("a"), job("b")]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(["complete", "complete"]);
      expect(p.pids).to.have.length(2);
      expect(new Set(["a", "b"].map((key) => runsOf(key)[0].pid))).to.deep.equal(new Set(p.pids));
    });

    it("limit() lets the workers above it go, and runs the jobs on those left", async () => {
      const p = pool({ workers: 3 });
      p.prestart(3);
      await waitFor("three prestarted workers to boot", () => p.bootTimes.length === 3);
      p.limit(1);
      expect(p.workers).to.equal(1);
      expect(p.workerMemoryBytes).to.equal(defaultWorkerMemoryBytes(1)); // the default share follows the count
      p.limit(5); // never raised
      expect(p.workers).to.equal(1);
      await p.run([job("a"), job("b"), job("c")]);
      expect(new Set(["a", "b", "c"].map((key) => runsOf(key)[0].pid)).size).to.equal(1);
      await waitFor("the two workers let go to exit", () => p.pids.filter(alive).length === 1);
    });

    it("records a failed run as data and goes on", async () => {
      const p = pool();
      const outcomes = await p.run([job("a"), job("b", { behavior: "fail" }, 42), job("c")]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(["complete", "failed", "complete"]);
      expect(outcomes[1]).to.deep.include({ attempts: 1 });
      expect(outcomes[1].error).to.deep.equal({ code: "AGENT_FAILED", message: 'Agent "a" threw (seed 42)' });
    });

    it("retries the run of a worker killed mid-run once, on a fresh worker, after releasing its folder's lock", async () => {
      const p = pool({ workers: 1 });
      const r = recorder();
      const outcomes = await p.run([job("a"), job("b", { behavior: "crash-once" }), job("c")], r.events);
      expect(outcomes.map((o) => [o.key, o.status, o.attempts])).to.deep.equal([
        ["a", "complete", 1],
        ["b", "complete", 2],
        ["c", "complete", 1],
      ]);
      const [first, second] = runsOf("b");
      expect(first.pid).to.not.equal(second.pid);
      // The retry is the fresh worker's first run.
      expect(lines().filter((l) => l.pid === second.pid && l.event === "run")[0].key).to.equal("b");
      expect(r.workers).to.deep.equal([{ worker: 1, reason: "died", rssBytes: r.workers[0].rssBytes }]);
      expect(r.starts.map((s) => s.key)).to.deep.equal(["a", "b", "b", "c"]);
      expect(alive(first.pid)).to.equal(false);
    });

    it("records WORKER_DIED, saying how each worker died, when the retry's worker dies too; other runs go on", async () => {
      const p = pool({ workers: 2 });
      const outcomes = await p.run([job("a", { ms: 200 }), job("b", { behavior: "crash" }), job("c", { behavior: "exit" }), job("d")]);
      expect(outcomes.map((o) => [o.key, o.status, o.attempts])).to.deep.equal([
        ["a", "complete", 1],
        ["b", "failed", 2],
        ["c", "failed", 2],
        ["d", "complete", 1],
      ]);
      expect(outcomes[1].error!.code).to.equal("WORKER_DIED");
      expect(outcomes[1].error!.message).to.match(
        /attempt 1: worker \d \(pid \d+\) killed by SIGKILL, last reported RSS \d+\.\d MB after \d+ runs; attempt 2: worker \d \(pid \d+\) killed by SIGKILL/,
      );
      expect(outcomes[2].error!.message).to.match(
        /attempt 1: worker \d \(pid \d+\) exited with code 3, .* \(its last output: fake worker: FATAL ERROR: out of memory\); attempt 2: .* exited with code 3/,
      );
      expect(runsOf("b")).to.have.length(2);
      expect(new Set(runsOf("b").map((l) => l.pid)).size).to.equal(2);
    });

    it("records a run the watchdog ended (its manifest says STEP_HUNG) as that, without a retry", async () => {
      const p = pool({ workers: 1 });
      const outcomes = await p.run([job("a", { behavior: "hung" }, 9), job("b")]);
      expect(outcomes[0]).to.deep.equal({ key: "a", status: "failed", error: { code: "STEP_HUNG", message: 'Agent "a" blocked the event loop' }, attempts: 1 });
      expect(outcomes[1].status).to.equal("complete");
      expect(runsOf("a")).to.have.length(1);
    });

    it("recycles a worker after maxRunsPerWorker runs", async () => {
      const p = pool({ workers: 1, maxRunsPerWorker: 2 });
      const r = recorder();
      const jobs = ["a", "b", "c", "d", "e"].map((k) => job(k));
      const outcomes = await p.run(jobs, r.events);
      expect(outcomes.every((o) => o.status === "complete")).to.equal(true);
      const pids = jobs.map((j) => runsOf(j.key)[0].pid);
      expect(pids[0]).to.equal(pids[1]);
      expect(pids[2]).to.equal(pids[3]);
      expect(new Set(pids).size).to.equal(3);
      expect(r.workers.map((w) => w.reason)).to.deep.equal(["max-runs", "max-runs"]);
      await waitFor("the recycled workers to exit", () => !alive(pids[0]) && !alive(pids[2]), 10_000);
    });

    it("recycles a worker whose RSS after a run passes workerMemoryBytes", async () => {
      const limit = 200 * MiB;
      const p = pool({ workers: 1, workerMemoryBytes: limit });
      const r = recorder();
      const outcomes = await p.run([job("a"), job("b", { behavior: "grow", mb: 300 }), job("c"), job("d")], r.events);
      expect(outcomes.every((o) => o.status === "complete")).to.equal(true);
      expect(r.workers).to.have.length(1);
      expect(r.workers[0].reason).to.equal("memory");
      expect(r.workers[0].rssBytes).to.be.greaterThan(limit);
      const [a, b, c, d] = ["a", "b", "c", "d"].map((k) => runsOf(k)[0].pid);
      expect(a).to.equal(b);
      expect(c).to.not.equal(b);
      expect(d).to.equal(c);
    });

    it("stops the campaign with the worker's error on bad input, and stops every worker", async () => {
      const p = pool({ workers: 2 });
      const e = (await errorOf(() => p.run([job("a", { ms: 3000 }), job("b", { behavior: "input" }), job("c"), job("d")]))) as TokenspiceError;
      expect(e).to.be.instanceOf(TokenspiceError);
      expect(e.code).to.equal("PARAM_INVALID");
      expect(e.kind).to.equal("input");
      expect(e.message).to.equal('Param "x" is out of range');
      expect(e.details).to.deep.include({ param: "x", key: "b" });
      expect(runsOf("c")).to.have.length(0);
      await waitFor("the workers to exit", () => p.pids.every((pid) => !alive(pid)), 10_000);
    });

    it("stops the campaign with WORKER_FAILED when a worker throws something that is not the plugin's", async () => {
      const p = pool({ workers: 1 });
      const e = (await errorOf(() => p.run([job("a", { behavior: "plain" })]))) as TokenspiceError;
      expect(e.code).to.equal("WORKER_FAILED");
      expect(e.message).to.match(/Campaign worker 1 failed running a: something broke/);
      expect((e.cause as Error).name).to.equal("TypeError");
    });

    it("stops the campaign when a worker cannot boot: its own error, or how it exited and what it printed", async () => {
      const refused = (await errorOf(() => pool({}, { FAKE_BOOT: "fail" }).run([job("a")]))) as TokenspiceError;
      expect(refused.code).to.equal("NETWORK_UNSUPPORTED");
      expect(refused.message).to.equal("no network here");
      const crashed = (await errorOf(() => pool({}, { FAKE_BOOT: "crash" }).run([job("a")]))) as TokenspiceError;
      expect(crashed.code).to.equal("WORKER_FAILED");
      expect(crashed.message).to.match(/Campaign worker \d exited with code 7 while booting\. Its last output:\nfake worker: cannot boot/);
      const slow = (await errorOf(() => pool({ bootTimeoutMs: 300 }, { FAKE_BOOT_MS: "5000" }).run([job("a")]))) as TokenspiceError;
      expect(slow.code).to.equal("WORKER_FAILED");
      expect(slow.message).to.match(/did not boot within 300 ms/);
    });

    it("stops the campaign (RUN_INTERRUPTED) when a worker is ended by SIGTERM it did not send", async () => {
      const p = pool({ workers: 1 });
      const e = (await errorOf(() => p.run([job("a", { behavior: "interrupt" }), job("b")]))) as TokenspiceError;
      expect(e.code).to.equal("RUN_INTERRUPTED");
      expect(e.message).to.match(/Campaign worker 1 was stopped by SIGTERM running a/);
      expect(runsOf("b")).to.have.length(0);
    });

    it("close() ends busy workers (SIGTERM) and idle ones, and rejects the run in progress", async () => {
      const p = pool({ workers: 2 });
      const running = p.run([job("slow", { ms: 30_000 }), job("quick")]);
      const rejected = errorOf(() => running);
      await waitFor("both jobs to start", () => fs.existsSync(path.join(tmp, "quick", "done")) && runsOf("slow").length === 1, 10_000);
      await p.close();
      expect(fs.existsSync(path.join(tmp, "slow", "done")), "close() ended the slow run rather than waiting for it").to.equal(false);
      expect(((await rejected) as TokenspiceError).code).to.equal("RUN_INTERRUPTED");
      expect(p.pids.every((pid) => !alive(pid))).to.equal(true);
      expect(((await errorOf(() => p.run([job("x")]))) as TokenspiceError).code).to.equal("OPTION_INVALID");
    });

    it("workers exit when the campaign's process dies, and idle workers do not keep it alive", async () => {
      // A parent process that runs a pool: "kill" waits on a long job (the test SIGKILLs it);
      // "forget" finishes its jobs and never calls close().
      const parent = (mode: string) => {
        const script = `
          const { WorkerPoolBackend } = require(${JSON.stringify(path.join(ROOT, "src/campaign/backends/workers.ts"))});
          const pool = new WorkerPoolBackend({ entry: ${JSON.stringify(FAKE_WORKER)}, workers: 2 });
          const out = (k) => require("path").join(${JSON.stringify(tmp)}, "${mode}-" + k);
          const job = (k, ms) => ({ key: k, out: out(k), spec: { seed: 1, params: { ms } } });
          let started = 0;
          const pids = () => console.log("pids " + pool.pids.join(" "));
          // "kill": both workers are running a job once the second has started; "forget": both ran one.
          const events = { onStart: () => ++started === 2 && ${JSON.stringify(mode)} === "kill" && pids() };
          pool.run([job("a", ${mode === "kill" ? 60_000 : 5}), job("b", 5)], events).then(() => { console.log("done"); pids(); });
        `;
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT });
        let stdout = "";
        child.stdout.on("data", (d) => (stdout += d));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        return { child, stdout: () => stdout, exited };
      };
      const killed = parent("kill");
      await waitFor("the parent's workers", () => /pids \d+ \d+/.test(killed.stdout()), 30_000);
      const pids = killed
        .stdout()
        .match(/pids (\d+) (\d+)/)!
        .slice(1)
        .map(Number);
      expect(pids.every(alive)).to.equal(true);
      killed.child.kill("SIGKILL");
      await waitFor("the orphaned workers to exit", () => pids.every((pid) => !alive(pid)), 10_000);

      const forgetful = parent("forget");
      expect(await forgetful.exited).to.equal(0);
      expect(forgetful.stdout()).to.match(/done\npids \d+ \d+/);
      const left = forgetful
        .stdout()
        .match(/pids (\d+) (\d+)/)!
        .slice(1)
        .map(Number);
      await waitFor("its workers to exit", () => left.every((pid) => !alive(pid)), 10_000);
    });
  });
});
