import { expect } from "chai";
import { SetupReplayMismatch, SetupReuse, SetupTape } from "../../src/engine/setup-reuse";
import type { Eip1193Provider } from "../../src/engine/provider";
import { rejectionOf } from "./thrown";

/** The error a promise rejects with (rejectionOf). */
const failureOf = (p: Promise<unknown>): Promise<unknown> => rejectionOf(() => p);

/** A node that answers every request with its method and a counter, and fails `eth_fail`. */
function node(): Eip1193Provider & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async request({ method }) {
      calls.push(method);
      if (method === "eth_fail") throw Object.assign(new Error("reverted"), { data: "0x01" });
      return { method, n: calls.length };
    },
    async requestBatch(batch) {
      calls.push(`batch(${batch.length})`);
      return batch.map((c) => c.method);
    },
  };
}

describe("SetupTape: setup's requests recorded, then replayed", function () {
  it("replays results and failures in order without touching the node", async function () {
    const inner = node();
    const tape = new SetupTape(inner);
    tape.record();
    const a = await tape.request({ method: "eth_a", params: [1] });
    const failure = await failureOf(tape.request({ method: "eth_fail", params: [] }));
    const b = await tape.requestBatch!([{ method: "eth_x", params: [] }]);
    const recording = tape.stop();
    expect(inner.calls).to.deep.equal(["eth_a", "eth_fail", "batch(1)"]);

    tape.replay(recording);
    expect(await tape.request({ method: "eth_a", params: [1] })).to.deep.equal(a);
    expect(await failureOf(tape.request({ method: "eth_fail", params: [] }))).to.equal(failure);
    expect(await tape.requestBatch!([{ method: "eth_x", params: [] }])).to.deep.equal(b);
    expect(tape.stop()).to.equal(recording);
    expect(inner.calls).to.have.length(3); // nothing more reached the node
  });

  it("gives each replay its own copy of a result (callers may change what they get)", async function () {
    const tape = new SetupTape(node());
    tape.record();
    await tape.request({ method: "eth_a" });
    const recording = tape.stop();
    tape.replay(recording);
    const first = (await tape.request({ method: "eth_a" })) as { n: number };
    first.n = 99;
    tape.replay(recording);
    expect(await tape.request({ method: "eth_a" })).to.deep.equal({ method: "eth_a", n: 1 });
  });

  it("refuses another request, and every one after it, and a replay that stops short", async function () {
    const tape = new SetupTape(node());
    tape.record();
    await tape.request({ method: "eth_a", params: [1] });
    await tape.request({ method: "eth_b", params: [] });
    const recording = tape.stop();

    tape.replay(recording);
    const mismatch = await failureOf(tape.request({ method: "eth_a", params: [2] }));
    expect(mismatch).to.be.instanceOf(SetupReplayMismatch).and.to.have.property("message").that.contains("eth_a:[1]").and.contains("eth_a:[2]");
    // setup code that caught it and went on still fails, and so does the end of the replay
    expect(await failureOf(tape.request({ method: "eth_b", params: [] }))).to.equal(mismatch);
    expect(tape.mismatched).to.equal(mismatch);
    expect(() => tape.stop()).to.throw(SetupReplayMismatch);

    tape.replay(recording);
    await tape.request({ method: "eth_a", params: [1] });
    expect(() => tape.stop()).to.throw(SetupReplayMismatch, /expected eth_b:\[\]/);
  });

  it("passes requests on untouched when live", async function () {
    const inner = node();
    const tape = new SetupTape(inner);
    await tape.request({ method: "eth_a" });
    expect(tape.stop()).to.deep.equal([]);
    expect(inner.calls).to.deep.equal(["eth_a"]);
  });
});

describe("SetupReuse: the kept setup of one chain", function () {
  it("releases by reverting to the base snapshot and ending the impersonations setup left", async function () {
    const tape = new SetupTape(node());
    tape.record();
    for (const [method, address] of [
      ["hardhat_impersonateAccount", "0x00000000000000000000000000000000000000aa"],
      ["hardhat_impersonateAccount", "0x00000000000000000000000000000000000000bb"],
      ["hardhat_stopImpersonatingAccount", "0x00000000000000000000000000000000000000bb"],
    ]) {
      await tape.request({ method, params: [address] });
    }
    const reuse = new SetupReuse();
    reuse.keep("k", tape.stop(), "0x1", "0x2");
    expect(reuse.recordingFor("k")).to.have.length(3);
    expect(reuse.recordingFor("other")).to.equal(undefined);
    const sent: [string, unknown[]][] = [];
    await reuse.release(async (method, params) => void sent.push([method, params]));
    expect(sent).to.deep.equal([
      ["evm_revert", ["0x1"]],
      ["hardhat_stopImpersonatingAccount", ["0x00000000000000000000000000000000000000aa"]],
    ]);
    expect(reuse.recordingFor("k")).to.equal(undefined);
    await reuse.release(async (method, params) => void sent.push([method, params])); // nothing kept: nothing sent
    expect(sent).to.have.length(2);
  });
});
