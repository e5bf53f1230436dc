import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { Contract, Interface, MaxUint256, type Signer } from "ethers";
import { defineNetlist, type SimResult } from "../../src/api";
import { readPoolReserves } from "../../sims/oceanv3/market";
import oceanv4 from "../../sims/oceanv4/netlist";
import { V4_ARTIFACTS, V4Venue, deployOceanV4, signedZeroProviderFee, type V4Pool, type V4SideStaking } from "../../sims/oceanv4/venue-v4";
import { AGENT_KINDS, type PoolListing } from "../../sims/oceanv3/world";
import { IERC20__factory } from "../../typechain-types";
import { ROOT, quietConsoleLog, useEnvironment } from "../helpers";
import { BONE, Clumsy, TOKEN, artifact, bdiv, bmul, deployTools, directWorld, walletOf } from "./ocean-helpers";

const OPC_FEE = 10n ** 15n; // FactoryRouter 1.0.0: swapOceanFee, 0.1%
const LP_FEE = 10n ** 15n; // the model's default LP fee, 0.1%

describe("oceanv4 on Ocean V4's published bytecode (1.0.0)", function () {
  useEnvironment(ROOT);
  quietConsoleLog();

  describe("deployment and one publish, stake, swap, order and unstake, against Balancer's math to the wei", () => {
    let signers: Signer[];
    let addresses: string[];
    let venue: V4Venue;
    let env: Awaited<ReturnType<typeof directWorld>>;
    let listing: PoolListing;
    let pool: V4Pool;
    let ss: V4SideStaking;

    before(async function () {
      signers = (await this.hre.ethers.getSigners()).slice(0, 5); // deployer, publisher, staker, buyer, provider
      addresses = await Promise.all(signers.map((s) => s.getAddress()));
      env = await directWorld(this.hre, addresses.slice(1, 4), 10_000n * TOKEN);
      const contracts = await deployOceanV4(deployTools(signers[0], addresses[0]), env.oceanAddress);
      const [opcFee, vestingBlocks] = [await contracts.router.getOPCFee(env.oceanAddress), await contracts.router.getMinVestingPeriod()];
      venue = new V4Venue(
        contracts,
        env.oceanAddress,
        { rate: TOKEN / 10n, lpFee: LP_FEE, vestingAmount: 100n * TOKEN },
        opcFee,
        vestingBlocks,
        await signedZeroProviderFee(await walletOf(signers[4], "provider")),
        addresses[0],
      );
      ss = contracts.sideStaking;
    });

    it("is deployed as Ocean's script deploys it: the router knows its factory and side staking, with the shipped fees and vesting minimum", async () => {
      const { router } = venue.contracts;
      const routerRead = new Contract(venue.contracts.routerAddress, artifact(V4_ARTIFACTS.router).abi, signers[0]);
      expect(await routerRead.factory()).to.equal(venue.contracts.factoryAddress);
      expect(await routerRead.isSSContract(venue.contracts.sideStakingAddress)).to.equal(true);
      expect(await routerRead.isPoolTemplate(venue.contracts.poolTemplate)).to.equal(true);
      expect(await router.isApprovedToken(env.oceanAddress)).to.equal(true);
      expect([venue.opcFee, await router.getOPCConsumeFee(), venue.vestingBlocks]).to.deep.equal([OPC_FEE, 3n * 10n ** 16n, 2_426_000n]);
      expect(venue.protocolAccounts).to.have.length(4);
    });

    it("publishing: the publisher sends only OCEAN; the bot mints the whole cap, binds rate × OCEAN datatokens 50/50, and keeps half of the 100 shares", async function () {
      const publisher = await walletOf(signers[1], "publisher");
      listing = await venue.publish(env.ctx(signers[1]), publisher, 5_000n * TOKEN);
      env.world.pools.push(listing);
      const created = BigInt(await this.hre.ethers.provider.getBlockNumber());
      pool = new Contract(listing.address, artifact(V4_ARTIFACTS.pool).abi, signers[0]) as unknown as V4Pool;
      const dt = IERC20__factory.connect(listing.datatokenAddress, signers[0]);
      expect(await readPoolReserves(env.world, listing)).to.deep.equal({ datatoken: 500n * TOKEN, ocean: 5_000n * TOKEN, supply: 100n * TOKEN });
      expect([await pool.balanceOf(addresses[1]), await pool.balanceOf(venue.contracts.sideStakingAddress)]).to.deep.equal([50n * TOKEN, 50n * TOKEN]);
      expect(await env.ocean.balanceOf(addresses[1])).to.equal(5_000n * TOKEN);
      expect(await dt.balanceOf(addresses[1])).to.equal(0n);
      // ERC20Template 1.0.0 forces the cap to 2^256 − 1 and SideStaking mints all of it: the publisher can mint nothing more
      expect(await dt.totalSupply()).to.equal(MaxUint256);
      expect(await dt.balanceOf(venue.contracts.sideStakingAddress)).to.equal(MaxUint256 - 500n * TOKEN);
      const dtAsPublisher = new Contract(listing.datatokenAddress, artifact(V4_ARTIFACTS.datatoken).abi, signers[1]);
      await expect(dtAsPublisher.mint(addresses[1], TOKEN)).to.be.reverted;
      expect([await pool.getSwapFee(), await pool.getOPCFee(), await pool.getController()]).to.deep.equal([LP_FEE, OPC_FEE, venue.contracts.sideStakingAddress]);
      expect(listing.swapFee).to.equal(LP_FEE + OPC_FEE);
      expect([listing.datatokenWeight, listing.oceanWeight, await pool.getDenormalizedWeight(env.oceanAddress)]).to.deep.equal([5n * TOKEN, 5n * TOKEN, 5n * TOKEN]);
      // vesting asked for (100 DT over 2 426 000 blocks), forced to 0 (contracts issue #603)
      expect(await ss.getvestingAmount(listing.datatokenAddress)).to.equal(0n);
      expect(await ss.getvestingEndBlock(listing.datatokenAddress)).to.equal(created);
    });

    it("staking OCEAN alone: shares for half its proportional value, and the bot adds the matching datatokens for as many shares again", async () => {
      const staker = await walletOf(signers[2], "staker");
      await venue.stake(env.ctx(signers[2]), staker, listing, 1_000n * TOKEN);
      // BMath 1.0.0 calcPoolOutGivenSingleIn: bmul(bdiv(B + in, B) − 1, S) / 2; calcSingleInGivenPoolOut: bmul(bdiv(S + p, S) − 1, B_dt) × 2
      const p = bmul(bdiv(6_000n * TOKEN, 5_000n * TOKEN) - BONE, 100n * TOKEN) / 2n;
      const dtIn = bmul(bdiv(100n * TOKEN + p, 100n * TOKEN) - BONE, 500n * TOKEN) * 2n;
      expect(p).to.equal(10n * TOKEN);
      expect(await pool.balanceOf(addresses[2])).to.equal(p);
      expect(await pool.balanceOf(venue.contracts.sideStakingAddress)).to.equal(50n * TOKEN + p);
      expect(await readPoolReserves(env.world, listing)).to.deep.equal({ datatoken: 500n * TOKEN + dtIn, ocean: 6_000n * TOKEN, supply: 100n * TOKEN + 2n * p });
      expect(dtIn).to.equal(100n * TOKEN); // the price is unchanged: 10 OCEAN a datatoken
    });

    it("a buy pays calcInGivenOut with the LP and OPC fees; the OPC fee is held apart for Ocean; an order pays 0.97 to the publisher and 0.03 to Ocean", async () => {
      const buyer = await walletOf(signers[3], "buyer");
      const before = await env.ocean.balanceOf(addresses[3]);
      const r = await readPoolReserves(env.world, listing);
      await venue.buy(env.ctx(signers[3]), buyer, listing, TOKEN, before);
      // weights 5/5: bpow(y, 1) = y exactly
      const paid = bdiv(bmul(r.ocean, bdiv(r.datatoken, r.datatoken - TOKEN) - BONE), BONE - LP_FEE - OPC_FEE);
      const opc = paid - bmul(paid, BONE - OPC_FEE);
      expect(before - (await env.ocean.balanceOf(addresses[3]))).to.equal(paid);
      expect(await readPoolReserves(env.world, listing)).to.deep.equal({ datatoken: r.datatoken - TOKEN, ocean: r.ocean + paid - opc, supply: r.supply });
      expect(await pool.communityFees(env.oceanAddress)).to.equal(opc);
      expect(await env.ocean.balanceOf(listing.address)).to.equal(r.ocean + paid); // the record plus the OPC fee
      await venue.consume(env.ctx(signers[3]), buyer, listing);
      const dt = IERC20__factory.connect(listing.datatokenAddress, signers[0]);
      expect([await dt.balanceOf(addresses[3]), await dt.balanceOf(addresses[1]), await dt.balanceOf(venue.contracts.collector)]).to.deep.equal([0n, 97n * 10n ** 16n, 3n * 10n ** 16n]);
    });

    it("unstaking pays twice the proportional OCEAN, and the bot burns as many shares for its datatokens: the price does not move", async () => {
      const staker = await walletOf(signers[2], "staker");
      const r = await readPoolReserves(env.world, listing);
      const before = await env.ocean.balanceOf(addresses[2]);
      const shares = 5n * TOKEN;
      expect(shares).to.be.at.most(venue.maxUnstake(listing, r));
      await venue.unstake(env.ctx(signers[2]), staker, listing, shares);
      // calcSingleOutGivenPoolIn: bmul(1 − bdiv(S − 2p, S), B), for OCEAN to the staker and datatokens to the bot, both at the same S
      const ratio = BONE - bdiv(r.supply - 2n * shares, r.supply);
      const out = bmul(ratio, r.ocean);
      expect((await env.ocean.balanceOf(addresses[2])) - before).to.equal(out);
      expect(await readPoolReserves(env.world, listing)).to.deep.equal({ datatoken: r.datatoken - bmul(ratio, r.datatoken), ocean: r.ocean - out, supply: r.supply - 2n * shares });
      const after = await readPoolReserves(env.world, listing);
      expect(Number((after.ocean * TOKEN) / after.datatoken)).to.be.closeTo(Number((r.ocean * TOKEN) / r.datatoken), 1e3);
      // a little over a quarter of the shares would take over half the OCEAN: refused
      const tooMany = after.supply / 4n + after.supply / 100n;
      await expect(pool.connect(signers[1]).exitswapPoolAmountIn(tooMany, 0n)).to.be.revertedWith("ERR_MAX_OUT_RATIO");
    });

    it("the rug: the publisher's exits take back its own OCEAN and leave the staker's shares worth what they were", async () => {
      const publisher = await walletOf(signers[1], "publisher");
      const stakerShares = await pool.balanceOf(addresses[2]);
      const r = await readPoolReserves(env.world, listing);
      const stakerValue = (2n * stakerShares * r.ocean) / r.supply;
      const claim = (2n * (await pool.balanceOf(addresses[1])) * r.ocean) / r.supply;
      const before = await env.ocean.balanceOf(addresses[1]);
      await venue.withdrawAll(env.ctx(signers[1]), publisher, listing, await pool.balanceOf(addresses[1]));
      const got = (await env.ocean.balanceOf(addresses[1])) - before;
      const after = await readPoolReserves(env.world, listing);
      const left = await pool.balanceOf(addresses[1]);
      expect((2n * left * after.ocean) / after.supply).to.be.lessThan(10n ** 12n); // dust: worth under a millionth of an OCEAN
      expect(Number(got)).to.be.closeTo(Number(claim), 1e13); // its claim, but for the dust and Balancer's rounding
      expect(Number((2n * stakerShares * after.ocean) / after.supply)).to.be.closeTo(Number(stakerValue), 1e13);
      expect(await pool.balanceOf(venue.contracts.sideStakingAddress)).to.equal(after.supply / 2n);
    });

    it("vesting stays 0 however many blocks pass: getVesting pays the publisher nothing", async function () {
      await this.hre.network.provider.send("hardhat_mine", ["0x" + (2_500_000).toString(16)]);
      const dt = IERC20__factory.connect(listing.datatokenAddress, signers[0]);
      const before = await dt.balanceOf(addresses[1]);
      expect(await ss.getAvailableVesting(listing.datatokenAddress)).to.equal(0n);
      await ss.connect(signers[1]).getVesting(listing.datatokenAddress);
      expect(await dt.balanceOf(addresses[1])).to.equal(before);
    });

    it("the model's hand-written contract types name only methods the artifacts have", () => {
      const check = (path: string, names: string[]) => {
        const iface = new Interface(artifact(path).abi);
        for (const n of names) expect(iface.getFunction(n), `${path} ${n}`).to.not.equal(null);
      };
      check(V4_ARTIFACTS.pool, ["swapExactAmountIn", "swapExactAmountOut", "joinswapExternAmountIn", "exitswapPoolAmountIn", "getBalance", "communityFees", "getOPCFee"]);
      check(V4_ARTIFACTS.datatoken, ["startOrder", "mint", "getPaymentCollector", "getPools"]);
      check(V4_ARTIFACTS.sideStaking, ["getVesting", "getAvailableVesting", "getvestingAmount", "getvestingEndBlock", "getDatatokenBalance"]);
      check(V4_ARTIFACTS.factory, ["createNftWithErc20WithPool"]);
      check(V4_ARTIFACTS.router, ["addFactory", "addSSContract", "getOPCFee", "getOPCConsumeFee", "getMinVestingPeriod", "isApprovedToken"]);
    });
  });

  it("names the reverts of every datatoken and pool the agents touch by contract and method, and records which bytecode was deployed", async function () {
    const clumsy = defineNetlist({
      ...oceanv4,
      async setup(ctx) {
        const r = await oceanv4.setup(ctx);
        r.agents.push(new Clumsy(await ctx.wallet("clumsy"), (a, s) => IERC20__factory.connect(a, s)));
        return r;
      },
    });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "oceanv4-clumsy-"));
    const r = await this.hre.tokenspice.run(clumsy, { seed: 1, steps: 8, out, params: { publishers: 1, consumers: 0, stakerSpeculators: 0, speculators: 0, maliciousPublishers: 0 } });
    const rows = [...new Set(r.reverts.map((x) => `${x.agent} ${x.call} | ${x.reason}`))];
    expect(rows).to.deep.equal([
      "clumsy BPool.joinswapExternAmountIn | ERR_MAX_IN_RATIO",
      "clumsy ERC20Template.transfer | ERC20: transfer amount exceeds balance",
      "clumsy ERC20Template.startOrder | Not enough datatokens to start Order",
    ]);
    for (const x of r.reverts) expect(x.call).to.not.match(/^0x|\?$/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    const published = manifest.deployments.filter((d: { source: string }) => d.source.startsWith("@oceanprotocol/"));
    expect(published.map((d: { name: string; compiler: string }) => `${d.name} ${d.compiler}`)).to.deep.equal(
      ["OPFCommunityFeeCollector", "BPool", "FactoryRouter", "SideStaking", "ERC20Template", "ERC721Template", "ERC721Factory"].map((n) => `${n} 0.8.12`),
    );
    for (const d of published) expect(d.source).to.match(/^@oceanprotocol\/contracts@v1\.0\.0\/artifacts\/contracts\//);
  });

  describe("a default run of 40 days", () => {
    let r: SimResult;
    before(async function () {
      r = await this.hre.tokenspice.run("oceanv4", { seed: 1, steps: 40 });
    });

    it("conserves OCEAN at every tick, the bot holds exactly half of every pool, no reverts", () => {
      expect(r.kpi("OCEAN_unaccounted")).to.stay.within(0n, 0n);
      expect(r.kpi("sideStaking_share_gap")).to.stay.within(0n, 0n);
      const minted = (10n * 5_000n + 1_000_000n) * TOKEN;
      const tracked = (i: number) => AGENT_KINDS.reduce((s, k) => s + r.kpi<bigint>(`${k}_OCEAN`).at(i), 0n) + r.kpi<bigint>("economy_OCEAN").at(i) + r.kpi<bigint>("OCEAN_staked").at(i);
      // OCEAN outside agents, the economy and the pools: none (the bot passes the publisher's OCEAN straight into the pool)
      for (let i = 0; i < r.kpi("n_pools").values.length; i++) expect(tracked(i), `tick ${i}`).to.equal(minted);
      expect(r.reverts).to.have.length(0);
    });

    it("publishes and rugs on oceanv3's timers", () => {
      const pools = r.kpi<number>("n_pools");
      const rugged = r.kpi<number>("n_rugged");
      expect([pools.at(6), pools.at(7), pools.at(9), pools.at(10)]).to.deep.equal([0, 2, 2, 3]);
      expect([14, 15, 24, 25, 34, 35].map((t) => rugged.at(t))).to.deep.equal([0, 1, 1, 2, 2, 3]);
    });

    it("the malicious publisher holds no datatoken it was not paid, and its rugs take back about what it staked", () => {
      const mal = r.kpi<bigint>("maliciousPublisher_OCEAN");
      expect([mal.at(9), mal.at(10), mal.at(14)]).to.deep.equal([5_000n * TOKEN, 0n, 0n]);
      // back with its stake and its share of the fees, within 5%
      expect(Number(mal.at(15)) / 1e18).to.be.within(5_000, 5_250);
      const profit = Number(r.kpi<bigint>("rug_OCEAN_profit").final()) / 1e18;
      const staked = 3 * 5_000;
      expect(Math.abs(profit)).to.be.below(0.05 * staked);
      expect(r.kpi<bigint>("rug_OCEAN_exited").final()).to.be.greaterThan(14_000n * TOKEN);
    });

    it("values add up and are non-negative; consumers end up", () => {
      for (const kind of AGENT_KINDS) {
        const parts = ["OCEAN", "OCEAN_in_DTs", "OCEAN_in_BPTs"].map((p) => r.kpi<bigint>(`${kind}_${p}`));
        parts.forEach((s) => expect(s).to.never.dropBelow(0n));
        r.kpi<bigint>(`${kind}_OCEAN_networth`).values.forEach((v, i) => expect(v).to.equal(parts[0].values[i] + parts[1].values[i] + parts[2].values[i]));
      }
      expect(r.kpi("consumer_OCEAN")).to.be.nonDecreasing;
      expect(r.kpi("consumer_OCEAN_in_DTs")).to.stay.within(0n, 0n);
    });
  });
});
