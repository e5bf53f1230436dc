import { expect } from "chai";
import path from "path";
import { SimulationAbortedError } from "../../src/errors";
import { errorStack, toPluginError } from "../../src/hardhat/errors";

describe("errorStack: what --show-stack-traces prints", function () {
  it("goes down every cause to the error the user's code threw, once each, with paths relative to the project root", function () {
    const root = path.resolve("/home/me/project");
    const thrown = new Error("boom");
    thrown.stack = `Error: boom\n    at Payer.step (${path.join(root, "sims", "n06-throw", "netlist.ts")}:16:11)`;
    const aborted = new SimulationAbortedError("AGENT_FAILED", 'Agent "alice" threw: boom', { netlist: "n06-throw", seed: 1, tick: 2 }, thrown);
    const text = errorStack(toPluginError(aborted), root);
    expect(text).to.match(/^TokenspicePluginError: Agent "alice" threw: boom\n/);
    expect(text.match(/Caused by: SimulationAbortedError: Agent "alice" threw: boom/g)).to.have.length(1);
    expect(text.match(/Caused by: Error: boom\n\s+at Payer\.step \(sims\/n06-throw\/netlist\.ts:16:11\)$/g)).to.have.length(1);
    expect(text).to.not.contain(root + path.sep);
  });
});
