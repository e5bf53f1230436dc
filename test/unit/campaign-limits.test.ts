import { expect } from "chai";
import { param, type ParamSpecs } from "../../src/model/params";
import { assertSample, parseSweep } from "../../src/campaign/axes";
import { MAX_CAMPAIGN_RUNS, campaignRunCount, assertCampaignSize, assertSearchSize } from "../../src/campaign/limits";
import { planCampaign } from "../../src/campaign/plan";
import type { CampaignSpec } from "../../src/campaign/types";
import type { RunSpec } from "../../src/runner/run-spec";
import { thrownBy as errorOf } from "./thrown";

// F22: a campaign of a million runs (a 100 x 10 grid x 1,000 replicates) died with "Invalid string
// length" after half a minute of planning nobody could interrupt. It is refused from its counts.
const specs: ParamSpecs = {
  drift: param.float({ default: 0.1, min: -1, max: 1, kind: "uncontrollable" }),
  agents: param.int({ default: 2, min: 1, max: 10 }),
  mode: param.choice({ choices: ["a", "b"], default: "a" }),
};

const campaign = (over: Partial<CampaignSpec> = {}): CampaignSpec => ({
  netlist: { name: "f3-basic", file: "sims/f3-basic/netlist.ts" },
  steps: 5,
  params: {},
  runs: 1,
  sweep: [],
  zip: false,
  sample: null,
  seed: 1,
  stepTimeoutMs: 60_000,
  network: { name: "hardhat", chainId: 31337 },
  ...over,
});

/** A toRunSpec that counts its calls: a refusal from counts calls it never. */
function counting(c: CampaignSpec) {
  const calls = { n: 0 };
  const fn = (params: Record<string, unknown>, seed: number): RunSpec => {
    calls.n++;
    return { netlist: c.netlist, params: params as RunSpec["params"], seed, steps: c.steps, stepTimeoutMs: c.stepTimeoutMs, network: c.network };
  };
  return { calls, fn };
}

describe("campaign size limits", () => {
  const grid = [parseSweep("f3-basic", specs, "drift=-1:1:100"), parseSweep("f3-basic", specs, "agents=1:10:10")];

  it("counts runs from the axes alone: a grid multiplies, zip pairs, a sample multiplies, replicates multiply", () => {
    expect(campaignRunCount(campaign({ sweep: grid, runs: 1000 })).runs).to.equal(1_000_000);
    expect(campaignRunCount(campaign({ sweep: grid, runs: 1000 })).shape).to.equal("100 × 10 points × 1,000 replicates");
    const zipped = [parseSweep("f3-basic", specs, "drift=0.1,0.2,0.3"), parseSweep("f3-basic", specs, "agents=1,2,3")];
    expect(campaignRunCount(campaign({ sweep: zipped, zip: true, runs: 4 })).runs).to.equal(12);
    expect(campaignRunCount(campaign({ sweep: zipped, zip: false, runs: 4 })).runs).to.equal(36);
    const sample = assertSample("f3-basic", specs, "lhs", 64, ["drift"]);
    expect(campaignRunCount(campaign({ sweep: [zipped[1]], sample, runs: 2 })).runs).to.equal(3 * 64 * 2);
    expect(campaignRunCount(campaign({ runs: 7 })).runs).to.equal(7);
  });

  it("refuses a million runs from the counts, with the limit, why and what to do, before planning any run", () => {
    const c = campaign({ sweep: grid, runs: 1000 });
    const { calls, fn } = counting(c);
    const e = errorOf(() => planCampaign(c, specs, fn, { stepTimeoutMs: 60_000 }));
    expect(e.code).to.equal("CAMPAIGN_TOO_LARGE");
    expect(e.message).to.contain("1,000,000 runs (100 × 10 points × 1,000 replicates)");
    expect(e.message).to.contain(`at most ${MAX_CAMPAIGN_RUNS.toLocaleString("en-US")} runs`);
    expect(e.message)
      .to.match(/campaign\.json/)
      .and.match(/same --campaign-seed/)
      .and.match(/Nothing was written/);
    expect(calls.n).to.equal(0);
    expect(() => assertCampaignSize(c)).to.throw(/1,000,000 runs/);
  });

  it("writes every count of the shape for a person: a 2,000-value axis and 2,000 samples with their comma", () => {
    const wide = [parseSweep("f3-basic", specs, "drift=-1:1:2000"), parseSweep("f3-basic", specs, "agents=1:10:10")];
    expect(campaignRunCount(campaign({ sweep: wide, runs: 3 })).shape).to.equal("2,000 × 10 points × 3 replicates");
    const sample = assertSample("f3-basic", specs, "lhs", 2000, ["drift"]);
    expect(campaignRunCount(campaign({ sample, runs: 1 })).shape).to.contain("2,000 samples");
  });

  it("takes a campaign at the limit, and refuses one run more", () => {
    const at = campaign({ sweep: [parseSweep("f3-basic", specs, "agents=1:10:10")], runs: MAX_CAMPAIGN_RUNS / 10 });
    expect(() => assertCampaignSize(at)).to.not.throw();
    expect(errorOf(() => assertCampaignSize({ ...at, runs: at.runs + 1 })).code).to.equal("CAMPAIGN_TOO_LARGE");
  });

  it("refuses a grid past 2^53 runs and a range or sample bigger than the limit without building them", () => {
    const huge = Array.from({ length: 6 }, () => ({ param: "drift", values: new Array(1000).fill(0) }));
    expect(errorOf(() => assertCampaignSize(campaign({ sweep: huge, runs: 1000 }))).code).to.equal("CAMPAIGN_TOO_LARGE");
    expect(errorOf(() => parseSweep("f3-basic", specs, "drift=-1:1:1000000000")).code).to.equal("CAMPAIGN_TOO_LARGE");
    expect(errorOf(() => assertSample("f3-basic", specs, "random", 10 ** 9, ["drift"])).code).to.equal("CAMPAIGN_TOO_LARGE");
  });

  it("refuses a campaign.json too big for its runs' size, estimated from the first run", () => {
    // 60 params whose values are long strings: about 5 kB a run, so 50,000 runs pass 128 MB.
    const wide: ParamSpecs = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}`, param.choice({ choices: ["x".repeat(30), "y"], default: "x".repeat(30) })]));
    const c = campaign({ runs: 50_000 });
    const { calls, fn } = counting(c);
    const e = errorOf(() => planCampaign(c, wide, fn, { stepTimeoutMs: 60_000 }));
    expect(e.code).to.equal("CAMPAIGN_TOO_LARGE");
    expect(e.message).to.match(/campaign\.json would take about \d+ MB \(50,000 runs of about [\d,]+ bytes each\)/);
    expect(calls.n).to.equal(1);
  });

  it("refuses a design-loop search asking for more runs than the limit, naming the option", () => {
    const e = errorOf(() => assertSearchSize("verify", { maxRuns: 1_000_000, budget: undefined }));
    expect(e.code).to.equal("CAMPAIGN_TOO_LARGE");
    expect(e.message).to.contain("verify: maxRuns (--max-runs) 1,000,000").and.contain("at most 100,000");
    expect(() => assertSearchSize("optimize", { budget: MAX_CAMPAIGN_RUNS, maxRuns: undefined })).to.not.throw();
  });
});
