import { expect } from "chai";
import { split as shellSplit } from "shlex";
import { campaignCommand, campaignResumeCommand } from "../../src/campaign/spec";
import { configFlag, hardhatPrefix, reproduceCommand, type RunSpec } from "../../src/runner/run-spec";
import type { CampaignSpec } from "../../src/campaign/types";

// F39: a run made with `--config other.config.ts` printed a reproduce command without it, which ran
// on another chain. Every command built from a spec carries the config and the network.

const run = (network: RunSpec["network"]): RunSpec => ({
  netlist: { name: "f3-chain", file: "sims/f3-chain.ts" },
  params: {},
  seed: 1,
  steps: 2,
  stepTimeoutMs: 60_000,
  network,
});

describe("printed commands carry --config and --network", () => {
  it("configFlag: the config relative to the project root, nothing for the default hardhat.config.*", () => {
    expect(configFlag("/p", "/p/hardhat.config.ts")).to.equal(undefined);
    expect(configFlag("/p", "/p/hardhat.config.js")).to.equal(undefined);
    expect(configFlag("/p", "/p/hardhat.f3berlin.config.ts")).to.equal("hardhat.f3berlin.config.ts");
    expect(configFlag("/p", "/p/configs/hardhat.config.ts")).to.equal("configs/hardhat.config.ts");
    expect(configFlag("/p", "/elsewhere/x.config.ts")).to.equal("../elsewhere/x.config.ts");
    expect(configFlag("/p", undefined)).to.equal(undefined);
  });

  it("a run's reproduce command names a non-default config (quoted for sh) and network", () => {
    expect(reproduceCommand(run({ name: "hardhat", chainId: 31337 }))).to.equal("npx hardhat sim f3-chain --seed 1 --steps 2");
    const berlin = reproduceCommand(run({ name: "hardhat", chainId: 1, hardfork: "berlin", config: "hardhat.f3berlin.config.ts" }));
    expect(berlin).to.equal("npx hardhat --config hardhat.f3berlin.config.ts sim f3-chain --seed 1 --steps 2");
    const spaced = reproduceCommand(run({ name: "localhost", chainId: 31337, config: "my configs/$HOME's.ts" }));
    expect(shellSplit(spaced)).to.deep.equal(["npx", "hardhat", "--config", "my configs/$HOME's.ts", "--network", "localhost", "sim", "f3-chain", "--seed", "1", "--steps", "2"]);
  });

  it("names --network hardhat when the config's defaultNetwork is another one", () => {
    expect(hardhatPrefix({ name: "hardhat" }, { defaultNetwork: "localhost" })).to.deep.equal(["npx", "hardhat", "--network", "hardhat"]);
    expect(hardhatPrefix({ name: "hardhat" }, { defaultNetwork: "hardhat" })).to.deep.equal(["npx", "hardhat"]);
    expect(reproduceCommand(run({ name: "hardhat", chainId: 31337 }), { stepTimeoutMs: 60_000, defaultNetwork: "sepolia" })).to.match(/^npx hardhat --network hardhat sim /);
  });

  it("the campaign's command and the resume command carry them too", () => {
    const spec: CampaignSpec = {
      netlist: { name: "f3-vendor", file: "sims/f3-vendor.ts" },
      steps: 2,
      params: {},
      runs: 3,
      sweep: [],
      zip: false,
      sample: null,
      seed: 9,
      stepTimeoutMs: 60_000,
      network: { name: "hardhat", chainId: 1, hardfork: "berlin", config: "hardhat.f3berlin.config.ts" },
    };
    expect(campaignCommand(spec, { stepTimeoutMs: 60_000 })).to.equal("npx hardhat --config hardhat.f3berlin.config.ts sim f3-vendor --runs 3 --campaign-seed 9 --steps 2");
    expect(campaignResumeCommand(spec, "out dir/shard-1", { index: 1, count: 4 })).to.equal("npx hardhat --config hardhat.f3berlin.config.ts sim --resume 'out dir/shard-1' --shard 1/4");
    expect(campaignResumeCommand({ network: { name: "hardhat", chainId: 31337 } }, "c", null)).to.equal("npx hardhat sim --resume c");
  });
});
