import { Writable } from "stream";
import { expect } from "chai";
import { campaignProgress, formatDuration } from "../../src/campaign/progress";
import type { RunOutcome } from "../../src/campaign/types";

const outcome = (key: string, status: RunOutcome["status"] = "complete"): RunOutcome => ({
  key,
  status,
  error: status === "failed" ? { code: "AGENT_FAILED", message: "x" } : null,
  attempts: 1,
});

/** A terminal stand-in: everything written, as text. */
function terminal() {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  }) as Writable & { isTTY: boolean; columns: number; rows: number };
  stream.isTTY = true;
  stream.columns = 120;
  stream.rows = 40;
  return { stream, text: () => text };
}

describe("campaign progress", () => {
  it("off a terminal: a plain line each 10% with runs, failures, ETA and time; one per dead worker", () => {
    const lines: string[] = [];
    let clock = 1_000_000;
    const p = campaignProgress({ label: "token-flow", total: 20, stream: { isTTY: false } as never, log: (l) => lines.push(l), now: () => clock });
    for (let i = 1; i <= 20; i++) {
      clock += 1000;
      p.events.onOutcome!(outcome(`r${i}`, i % 7 === 0 ? "failed" : "complete"));
      if (i === 5) p.events.onWorker!({ worker: 2, reason: "died", rssBytes: 300 * 2 ** 20 });
      if (i === 6) p.events.onWorker!({ worker: 1, reason: "memory", rssBytes: 300 * 2 ** 20 });
    }
    p.stop();
    expect(lines).to.have.length(11);
    expect(lines[0]).to.equal("token-flow: 2/20 runs (10%), 0 failed, ETA 18.0 s, 2.0 s elapsed");
    expect(lines[2]).to.equal("token-flow: worker 2 died (last RSS 300 MB); a fresh one replaces it");
    expect(lines[4]).to.equal("token-flow: 8/20 runs (40%), 1 failed, ETA 12.0 s, 8.0 s elapsed");
    expect(lines[10]).to.equal("token-flow: 20/20 runs (100%), 2 failed, 20.0 s elapsed");
  });

  it("counts a resumed campaign's runs and measures the ETA on this process's runs only", () => {
    const lines: string[] = [];
    let clock = 0;
    const p = campaignProgress({ label: "c", total: 100, done: 50, failed: 5, stream: { isTTY: false } as never, log: (l) => lines.push(l), now: () => clock });
    for (let i = 0; i < 10; i++) {
      clock += 2000;
      p.events.onOutcome!(outcome(`r${i}`));
    }
    expect(lines).to.deep.equal(["c: 60/100 runs (60%), 5 failed, ETA 1m 20s, 20.0 s elapsed"]);
  });

  it("on a terminal: a bar with runs, failures and ETA; the cursor is hidden, then shown again on stop()", () => {
    const t = terminal();
    const p = campaignProgress({ label: "amm", total: 8, stream: t.stream, log: () => expect.fail("no plain lines on a terminal") });
    p.events.onOutcome!(outcome("a"));
    p.events.onOutcome!(outcome("b", "failed"));
    p.events.onOutcome!(outcome("c"));
    p.stop();
    p.stop();
    const text = t.text();
    expect(text).to.contain("\x1b[?25l");
    expect(text).to.match(/amm \[[█░]+\] 3\/8 runs \| 1 failed \| ETA /);
    expect(text.lastIndexOf("\x1b[?25h")).to.be.greaterThan(text.lastIndexOf("\x1b[?25l"));
  });

  it("leaves no listeners behind once stopped", () => {
    const before = ["exit", "SIGINT", "SIGTERM"].map((e) => process.listenerCount(e));
    const p = campaignProgress({ label: "x", total: 2, stream: terminal().stream });
    expect(process.listenerCount("SIGINT")).to.equal(before[1] + 1);
    p.stop();
    expect(["exit", "SIGINT", "SIGTERM"].map((e) => process.listenerCount(e))).to.deep.equal(before);
  });

  it("formats durations", () => {
    expect(formatDuration(42_100)).to.equal("42.1 s");
    expect(formatDuration(370_000)).to.equal("6m 10s");
    expect(formatDuration(3_720_000)).to.equal("1h 02m");
  });
});
