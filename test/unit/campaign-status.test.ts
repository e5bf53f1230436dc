import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { readCampaignStatus } from "../../src/campaign/campaign";
import { campaignResumeCommand } from "../../src/campaign/spec";
import { NETWORK, campaignSpec, writeCampaignJson } from "../campaign-fixtures";
import { LOCK_NAME, lockFolder } from "../../src/output/folder-lock";

describe("campaign status.json as read", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-status-"));
    // A campaign run with --config other.config.ts --network localhost: its spec records both.
    const spec = campaignSpec({ network: { ...NETWORK, name: "localhost", config: "other.config.ts" } });
    const command = "npx hardhat --config other.config.ts --network localhost sim synthetic --runs 3 --campaign-seed 42 --steps 10";
    writeCampaignJson(dir, { tool: "hardhat-tokenspice", kind: "campaign", spec, points: [], runs: [], command, specHash: "h", versions: {} } as Parameters<typeof writeCampaignJson>[1]);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const status = (fields: Record<string, unknown>) => fs.writeFileSync(path.join(dir, "status.json"), JSON.stringify({ state: "running", shard: null, ...fields }));

  it("the resume command keeps Hardhat's options (config, network) and the shard, quoted for a shell", () => {
    const spec = campaignSpec({ network: { ...NETWORK, name: "localhost", config: "my config.ts" } });
    expect(campaignResumeCommand(spec, "/tmp/a b", { index: 2, count: 3 })).to.equal("npx hardhat --config 'my config.ts' --network localhost sim --resume '/tmp/a b' --shard 2/3");
    expect(campaignResumeCommand(campaignSpec(), "/tmp/c", undefined)).to.equal("npx hardhat sim --resume /tmp/c");
    // a network or config named like the task is still only an option's value
    const simNamed = campaignSpec({ network: { ...NETWORK, name: "sim", config: "sim" } });
    expect(campaignResumeCommand(simNamed, "/tmp/d", undefined)).to.equal("npx hardhat --config sim --network sim sim --resume /tmp/d");
  });

  it("'running' of a process on this host that is gone (SIGKILL, OOM) reads 'stopped', with the command that resumes it", () => {
    const dead = 2 ** 22 + 1; // above Linux's largest pid_max (2^22) and macOS's (99,998): no process has it
    status({ host: os.hostname(), pid: dead, shard: { index: 1, count: 2 } });
    expect(readCampaignStatus(dir)).to.include({
      state: "stopped",
      resume: `npx hardhat --config other.config.ts --network localhost sim --resume ${dir} --shard 1/2`,
    });
  });

  it("'running' is believed while its live process holds the folder's lock, and not once the lock is gone", () => {
    status({ host: os.hostname(), pid: process.pid });
    const lock = lockFolder(dir)!;
    expect(readCampaignStatus(dir)?.state).to.equal("running");
    lock.release();
    expect(readCampaignStatus(dir)?.state).to.equal("stopped");
  });

  it("'running' on another host: believed while its lock is fresh, 'stopped' once it is stale", () => {
    status({ host: "another-pod", pid: 1 });
    const lockDir = path.join(dir, LOCK_NAME);
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, "owner.json"), JSON.stringify({ pid: 1, host: "another-pod", token: "t" }));
    expect(readCampaignStatus(dir)?.state).to.equal("running");
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(lockDir, old, old);
    expect(readCampaignStatus(dir)?.state).to.equal("stopped");
  });

  it("an ended status reads as written; no status.json reads undefined", () => {
    expect(readCampaignStatus(dir)).to.equal(undefined);
    status({ state: "interrupted", signal: "SIGINT", host: os.hostname(), pid: 1 });
    expect(readCampaignStatus(dir)).to.include({ state: "interrupted", signal: "SIGINT" });
  });
});
