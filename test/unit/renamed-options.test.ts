import { expect } from "chai";
import path from "path";
import { resolveCampaignSpec } from "../../src/campaign/spec";
import { loadNetlist } from "../../src/runner/netlists";
import { renamedOption } from "../../src/renamed";
import { renamedFlag } from "../../src/cli";
import { thrownBy } from "./thrown";

// Issue 16's naming pass: `replicates` for runs per point, `searchSeed` for a search's own seed; the
// old names stay accepted (deprecated), and giving both is refused.

describe("renamed options and flags", () => {
  it("an option: the new name's value, else the old one's, with the name given", () => {
    expect(renamedOption("worstCase", { replicates: 2 }, "replicates", "seedsPerPoint")).to.deep.equal({ value: 2, name: "replicates" });
    expect(renamedOption("worstCase", { seedsPerPoint: 5 }, "replicates", "seedsPerPoint")).to.deep.equal({ value: 5, name: "seedsPerPoint" });
    expect(renamedOption("worstCase", {}, "replicates", "seedsPerPoint")).to.deep.equal({ value: undefined, name: "replicates" });
  });

  it("an option given under both names is refused, naming both", () => {
    const e = thrownBy(() => renamedOption("campaign", { replicates: 2, runs: 3 }, "replicates", "runs"));
    expect(e).to.include({ code: "OPTION_INVALID", message: "campaign: runs is the old name of replicates: give replicates only." });
  });

  it("a flag: the old one warns once on stderr's sink, naming the new flag; both are refused", () => {
    const warnings: string[] = [];
    const output = { log: () => undefined, warn: (line: string) => warnings.push(line) };
    expect(renamedFlag({ replicates: "4" }, "replicates", "runs", output)).to.deep.equal({ value: "4", flag: "--replicates" });
    expect(warnings).to.deep.equal([]);
    expect(renamedFlag({ runsPerCandidate: "2" }, "replicates", "runsPerCandidate", output)).to.deep.equal({ value: "2", flag: "--runs-per-candidate" });
    expect(warnings).to.deep.equal(["Warning: --runs-per-candidate is deprecated: use --replicates (same meaning)."]);
    const e = thrownBy(() => renamedFlag({ searchSeed: "1", seed: "2" }, "searchSeed", "seed", output));
    expect(e).to.include({ code: "OPTION_INVALID", message: "--seed is the old name of --search-seed: give --search-seed only." });
  });
});

describe("a campaign's replicates", () => {
  const loaded = loadNetlist(path.join(__dirname, "..", "fixtures", "core-sims"), "walk");
  const context = { file: "walk.ts", network: { name: "hardhat", chainId: 31337 }, defaultStepTimeoutMs: null };

  it("replicates and its old name runs give the same spec (campaign.json keeps its runs key)", () => {
    const spec = resolveCampaignSpec(loaded, { replicates: 3, seed: 1, sweep: { agents: [1, 2] } }, context);
    expect(spec.runs).to.equal(3);
    expect(resolveCampaignSpec(loaded, { runs: 3, seed: 1, sweep: { agents: [1, 2] } }, context)).to.deep.equal(spec);
  });

  it("refuses a bad count under the name given, and both names together", () => {
    expect(thrownBy(() => resolveCampaignSpec(loaded, { replicates: 0 }, context)).message).to.equal("--replicates 0 is not valid: use a positive integer (replicates per point).");
    expect(thrownBy(() => resolveCampaignSpec(loaded, { runs: 0 }, context)).message).to.equal("--runs 0 is not valid: use a positive integer (replicates per point).");
    expect(thrownBy(() => resolveCampaignSpec(loaded, { replicates: 2, runs: 2 }, context))).to.include({ code: "OPTION_INVALID" });
  });
});
