import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { Contract, Interface, type Signer } from "ethers";
import { defineNetlist } from "../../src/api";
import { readPoolReserves } from "../../sims/oceanv3/market";
import oceanv3 from "../../sims/oceanv3/netlist";
import { maxSell, maxStake, quoteBuy } from "../../sims/oceanv3/quotes";
import { V3_ARTIFACTS, V3Venue, V3_MIN_FEE, deployOceanV3, v3SwapFee } from "../../sims/oceanv3/venue-v3";
import type { PoolListing } from "../../sims/oceanv3/world";
import { IERC20__factory } from "../../typechain-types";
import { ROOT, quietConsoleLog, useEnvironment } from "../helpers";
import { Clumsy, TOKEN, artifact, deployTools, directWorld, walletOf } from "./ocean-helpers";

describe("oceanv3 on Ocean V3's published bytecode (0.6.9)", function () {
  useEnvironment(ROOT);
  quietConsoleLog();

  describe("a V3 publisher's pool, and the agents' sizing against it", () => {
    let signers: Signer[];
    let addresses: string[];
    let env: Awaited<ReturnType<typeof directWorld>>;
    let hre: Mocha.Context["hre"];

    before(async function () {
      hre = this.hre;
      signers = (await hre.ethers.getSigners()).slice(0, 4); // deployer, publisher, trader, another trader
      addresses = await Promise.all(signers.map((s) => s.getAddress()));
    });

    async function publish(dtWeight: number, feeBps: number): Promise<{ venue: V3Venue; listing: PoolListing; pool: Contract }> {
      env = await directWorld(hre, addresses.slice(1), 10_000n * TOKEN);
      const contracts = await deployOceanV3(deployTools(signers[0], addresses[0]));
      const venue = new V3Venue(contracts, env.oceanAddress, {
        minted: 100n * TOKEN,
        staked: 50n * TOKEN,
        datatokenWeight: BigInt(dtWeight) * TOKEN,
        oceanWeight: BigInt(10 - dtWeight) * TOKEN,
        swapFee: v3SwapFee(feeBps),
      });
      const listing = await venue.publish(env.ctx(signers[1]), await walletOf(signers[1], "publisher"), 5_000n * TOKEN);
      env.world.pools.push(listing);
      return { venue, listing, pool: new Contract(listing.address, artifact(V3_ARTIFACTS.pool).abi, signers[0]) };
    }

    it("publishing: a datatoken clone capped at what is minted, minted to the publisher, bound with all its OCEAN in a BPool clone it controls", async () => {
      const { listing, pool } = await publish(3, 10);
      const dt = new Contract(listing.datatokenAddress, artifact(V3_ARTIFACTS.datatokenTemplate).abi, signers[0]);
      expect([await dt.cap(), await dt.totalSupply(), await dt.minter(), await dt.balanceOf(addresses[1])]).to.deep.equal([100n * TOKEN, 100n * TOKEN, addresses[1], 50n * TOKEN]);
      expect(await readPoolReserves(env.world, listing)).to.deep.equal({ datatoken: 50n * TOKEN, ocean: 5_000n * TOKEN, supply: 100n * TOKEN });
      expect([await pool.getController(), await pool.balanceOf(addresses[1]), await pool.getSwapFee(), await pool.isFinalized()]).to.deep.equal([addresses[1], 100n * TOKEN, 10n ** 15n, true]);
      expect([await pool.getDenormalizedWeight(listing.datatokenAddress), await pool.getDenormalizedWeight(env.oceanAddress)]).to.deep.equal([3n * TOKEN, 7n * TOKEN]);
      expect(await env.ocean.balanceOf(addresses[1])).to.equal(5_000n * TOKEN);
    });

    it("an order sends 0.1% of the datatoken to Ocean's community fee collector and the rest to the publisher", async () => {
      const { venue, listing } = await publish(3, 10);
      const trader = await walletOf(signers[2], "trader");
      await venue.buy(env.ctx(signers[2]), trader, listing, TOKEN, 10_000n * TOKEN);
      const dt = IERC20__factory.connect(listing.datatokenAddress, signers[0]);
      const before = await dt.balanceOf(addresses[1]);
      await venue.consume(env.ctx(signers[2]), trader, listing);
      expect(await dt.balanceOf(addresses[2])).to.equal(0n);
      expect((await dt.balanceOf(addresses[1])) - before).to.equal(999n * 10n ** 15n);
      expect(await dt.balanceOf(venue.contracts.collector)).to.equal(10n ** 15n);
    });

    it("quoteBuy covers what BPool charges for a datatoken by under 0.2%, and declines more than a third of its datatokens", async () => {
      for (const dtWeight of [1, 3, 9]) {
        const { venue, listing, pool } = await publish(dtWeight, 10);
        const r = await readPoolReserves(env.world, listing);
        const quote = quoteBuy(venue, listing, r, TOKEN)!;
        await env.ocean.connect(signers[2]).approve(listing.address, 2n ** 256n - 1n);
        const [cost] = await (pool.connect(signers[2]) as Contract).swapExactAmountOut.staticCall(env.oceanAddress, quote, listing.datatokenAddress, TOKEN, 2n ** 256n - 1n);
        expect(quote).to.be.at.least(cost);
        expect(Number(quote)).to.be.below(Number(cost) * 1.002);
        expect(quoteBuy(venue, listing, r, 17n * TOKEN)).to.equal(undefined);
      }
    });

    it("maxUnstake, maxStake and maxSell stay inside BPool's limits, and a little more does not", async () => {
      for (const dtWeight of [1, 3, 9]) {
        const { venue, listing, pool } = await publish(dtWeight, 0);
        const r = await readPoolReserves(env.world, listing);
        const over = (x: bigint) => x + x / 50n;
        const as = (s: Signer) => pool.connect(s) as Contract;
        const dtAddress = listing.datatokenAddress;
        await expect(as(signers[1]).exitswapPoolAmountIn.staticCall(env.oceanAddress, venue.maxUnstake(listing, r), 0n)).not.to.be.reverted;
        await expect(as(signers[1]).exitswapPoolAmountIn.staticCall(env.oceanAddress, over(venue.maxUnstake(listing, r)), 0n)).to.be.revertedWith("ERR_MAX_OUT_RATIO");
        await env.ocean.connect(signers[2]).approve(listing.address, 2n ** 256n - 1n);
        await expect(as(signers[2]).joinswapExternAmountIn.staticCall(env.oceanAddress, maxStake(venue, r), 0n)).not.to.be.reverted;
        await expect(as(signers[2]).joinswapExternAmountIn.staticCall(env.oceanAddress, over(maxStake(venue, r)), 0n)).to.be.revertedWith("ERR_MAX_IN_RATIO");
        await IERC20__factory.connect(dtAddress, signers[1]).approve(listing.address, 2n ** 256n - 1n);
        await expect(as(signers[1]).swapExactAmountIn.staticCall(dtAddress, maxSell(venue, r), env.oceanAddress, 0n, 2n ** 256n - 1n)).not.to.be.reverted;
        await expect(as(signers[1]).swapExactAmountIn.staticCall(dtAddress, over(maxSell(venue, r)), env.oceanAddress, 0n, 2n ** 256n - 1n)).to.be.revertedWith("ERR_MAX_IN_RATIO");
      }
    });

    it("a fee of 0 basis points is sent as BPool's minimum, 0.0001%", () => {
      expect(v3SwapFee(0)).to.equal(V3_MIN_FEE);
      expect(v3SwapFee(10)).to.equal(10n ** 15n);
    });

    it("the model's hand-written contract types name only methods the artifacts have", () => {
      const check = (path: string, names: string[]) => {
        const iface = new Interface(artifact(path).abi);
        for (const n of names) expect(iface.getFunction(n), `${path} ${n}`).to.not.equal(null);
      };
      check(V3_ARTIFACTS.pool, [
        "setup",
        "swapExactAmountIn",
        "swapExactAmountOut",
        "joinswapExternAmountIn",
        "exitswapPoolAmountIn",
        "joinPool",
        "exitPool",
        "getBalance",
        "getSwapFee",
        "getController",
      ]);
      check(V3_ARTIFACTS.datatokenTemplate, ["mint", "approve", "transfer", "startOrder", "cap", "minter"]);
      check(V3_ARTIFACTS.datatokenFactory, ["createToken"]);
      check(V3_ARTIFACTS.poolFactory, ["newBPool"]);
    });
  });

  it("names the reverts of every datatoken and pool the agents touch by contract and method, and records which bytecode was deployed", async function () {
    const clumsy = defineNetlist({
      ...oceanv3,
      async setup(ctx) {
        const r = await oceanv3.setup(ctx);
        r.agents.push(new Clumsy(await ctx.wallet("clumsy"), (a, s) => IERC20__factory.connect(a, s)));
        return r;
      },
    });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "oceanv3-clumsy-"));
    const r = await this.hre.tokenspice.run(clumsy, { seed: 1, steps: 8, out, params: { publishers: 1, consumers: 0, stakerSpeculators: 0, speculators: 0, maliciousPublishers: 0 } });
    const rows = [...new Set(r.reverts.map((x) => `${x.agent} ${x.call} | ${x.reason}`))];
    expect(rows).to.deep.equal([
      "clumsy BPool.joinswapExternAmountIn | ERR_MAX_IN_RATIO",
      "clumsy DataTokenTemplate.transfer | ERC20: transfer amount exceeds balance",
      "clumsy DataTokenTemplate.startOrder | ERC20: transfer amount exceeds balance",
    ]);
    for (const x of r.reverts) expect(x.call).to.not.match(/^0x|\?$/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    const published = manifest.deployments.filter((d: { source: string }) => d.source.startsWith("@oceanprotocol/"));
    expect(published.map((d: { name: string; source: string; compiler: string }) => `${d.name} ${d.source} ${d.compiler}`)).to.deep.equal(
      ["OPFCommunityFeeCollector", "DataTokenTemplate", "DTFactory", "BPool", "BFactory"].map((n) => `${n} @oceanprotocol/contracts@0.6.9/artifacts/${n}.json 0.5.7+commit.6da8b019`),
    );
  });
});
