import { expect } from "chai";
import { TokenspiceRuntime, type TokenspiceHost } from "../../src/runtime/tokenspice";

// Issue 21: a campaign boots its workers while it still checks (and may compile) the contracts, so
// a worker's boot builds the chain but must not read the contracts: its first run does, after.

describe("a campaign worker's boot", () => {
  const host = (calls: string[], prepare: boolean): TokenspiceHost => ({
    config: { simsDir: "sims", outDir: "out", checkRuns: 1, checkSeed: 1 },
    runEnvironment: async () => (calls.push("runEnvironment (reads the contracts)"), {} as never),
    ...(prepare ? { prepare: async () => void calls.push("prepare (the chain only)") } : {}),
    asErrors: (fn) => fn(),
    asErrorsSync: (fn) => fn(),
  });

  it("builds the adapter's chain without reading the contracts, when the adapter can", async () => {
    const calls: string[] = [];
    await new TokenspiceRuntime(host(calls, true)).prepareWorker();
    expect(calls).to.deep.equal(["prepare (the chain only)"]);
  });

  it("is the whole run environment for an adapter without that step", async () => {
    const calls: string[] = [];
    await new TokenspiceRuntime(host(calls, false)).prepareWorker();
    expect(calls).to.deep.equal(["runEnvironment (reads the contracts)"]);
  });
});
