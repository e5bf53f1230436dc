import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { PAIR } from "../sims/uniswap-v2-fork/chain";
import { startUniswapV2LiveChain, type LiveChain } from "../sims/uniswap-v2-fork/live-chain";
import { ROOT, expectSameCampaignFiles, spawnCli, type CliResult } from "./helpers";

/**
 * The worked example of forks at small size (sims/uniswap-v2-fork, README there): a live chain with
 * Uniswap V2's published pair and two weeks of history, served on loopback from this process; a
 * 2-run campaign of amm's agents on a fork of it, recorded through 2 workers into a bundle; then the
 * same campaign offline from the bundle: byte for byte, with no request to the chain.
 */
describe("worked example: a campaign on a forked Uniswap V2 pair, then offline from its bundle", function () {
  this.timeout(240_000);
  let live: LiveChain;
  let tmp: string;
  const cli = (args: string[]): Promise<CliResult> => spawnCli(ROOT, args).done;

  before(async function () {
    live = await startUniswapV2LiveChain();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-uniswap-fork-"));
  });
  after(async function () {
    await live?.upstream.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("forks the pair at the chain's head: the runs start from its reserves, and rerun offline byte for byte with zero requests", async function () {
    const bundle = path.join(tmp, "bundle");
    const campaign = ["sim", "uniswap-v2-fork", "--replicates", "2", "--steps", "8", "--campaign-seed", "3", "--no-compile", "--quiet", "--fork-block", String(live.head), "--fork-bundle", bundle];
    const recorded = await cli([...campaign, "--workers", "2", "--out", path.join(tmp, "recorded"), "--fork", live.upstream.url()]);
    expect(recorded.status, recorded.output).to.equal(0);
    expect(live.upstream.requests).to.be.greaterThan(0);
    live.upstream.resetCounts();
    const offline = await cli([...campaign, "--workers", "1", "--out", path.join(tmp, "offline"), "--offline"]);
    expect(offline.status, offline.output).to.equal(0);
    expect(live.upstream.requests).to.equal(0);
    expectSameCampaignFiles(path.join(tmp, "recorded"), path.join(tmp, "offline"));

    // Tick 0 is the chain's pair as the history left it (reserves no run deployed), and the agents traded on it.
    const reserves = (await live.upstream.provider.request({ method: "eth_call", params: [{ to: PAIR, data: "0x0902f1ac" }, "latest"] })) as string;
    const [r0, r1] = [BigInt("0x" + reserves.slice(2, 66)), BigInt("0x" + reserves.slice(66, 130))];
    const runs = (fs.readdirSync(path.join(tmp, "recorded", "runs"), { recursive: true }) as string[]).filter((f) => f.endsWith("kpis.csv"));
    expect(runs).to.have.length(2);
    const csv = fs
      .readFileSync(path.join(tmp, "recorded", "runs", runs[0]), "utf8")
      .trim()
      .split("\n");
    const header = csv[0].split(",");
    const first = Object.fromEntries(header.map((h, i) => [h, csv[1].split(",")[i]]));
    const last = Object.fromEntries(header.map((h, i) => [h, csv[csv.length - 1].split(",")[i]]));
    expect([BigInt(first.reserveVolatile), BigInt(first.reserveStable)].sort()).to.deep.equal([r0, r1].sort());
    expect(Number(last.arbTrades) + Number(last.noiseTrades)).to.be.greaterThan(0);
    const campaignJson = JSON.parse(fs.readFileSync(path.join(tmp, "offline", "campaign.json"), "utf8"));
    expect(campaignJson.forkBundle.hash).to.equal(JSON.parse(fs.readFileSync(path.join(bundle, "bundle.json"), "utf8")).hash);
  });
});
