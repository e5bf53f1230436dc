import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { Agent, defineNetlist, type StepContext } from "../src/api";
import { linkBytecode, loadArtifact } from "../src/engine/artifacts";
import { TokenspiceError } from "../src/errors";
import { ROOT, errorOf, fixture, readJson, useEnvironment } from "./helpers";
import { thrownBy } from "./unit/thrown";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-published-"));

describe("contracts the netlist did not deploy, and deploying from artifacts", function () {
  this.timeout(120_000);

  describe("testbed fixture project", () => {
    useEnvironment(fixture("testbed"));
    const tc = () => require("./fixture-projects/testbed/typechain-types");

    it("names calls and custom errors of contracts a factory made: attached with at(), by runtime code (immutables aside), and EIP-1167 clones", async function () {
      const { VaultMaker__factory, Vault__factory } = tc();
      type W = { maker: any; attached: string; byCode: string; clone: string };
      class Poker extends Agent<W> {
        async step({ world, at }: StepContext<W, unknown>) {
          const provider = this.wallet.signer;
          for (const address of [world.attached, world.byCode, world.clone]) {
            // a plain ethers call to the vault, not through at(): the engine must find out what it is
            const vault = address === world.attached ? at(Vault__factory, address) : Vault__factory.connect(address, provider);
            await vault.poke().catch(() => undefined); // the revert is recorded when it happens
          }
        }
      }
      const r = await this.hre.tokenspice.run(
        defineNetlist({
          description: "children",
          time: { steps: 1, stepSeconds: 60, start: 2_000_000_000 },
          async setup({ deploy, wallet, at }) {
            const maker = await deploy(VaultMaker__factory);
            await maker.create(2_000_000_000 + 86_400);
            await maker.create(2_000_000_000 + 86_400);
            const attached = await maker.made(0);
            at(Vault__factory, attached);
            const template = await deploy(Vault__factory, 2_000_000_000 + 86_400);
            await maker.cloneOf(await template.getAddress());
            return { world: { maker, attached, byCode: await maker.made(1), clone: await maker.made(2) }, agents: [new Poker(await wallet("poker"))] };
          },
          kpis: {},
        }),
        { seed: 1 },
      );
      const rows = r.reverts.map((x) => `${x.call} | ${x.reason}`);
      // attached (registered), found by its code with the immutable filled in, and a clone of the registered
      // template (whose code, immutables included, the clone runs)
      expect(rows).to.deep.equal(Array(3).fill("Vault.poke | VaultLocked(2000086400, 2000000060)"));
    });

    it("deploys linked TypeChain factories with library addresses, and says which are missing", async function () {
      const { Tripler__factory, UsesTripler__factory } = tc();
      const linked = (withLinks: boolean) =>
        defineNetlist({
          description: "linked",
          time: { steps: 1, stepSeconds: 60 },
          async setup({ deploy }) {
            const lib = await deploy(Tripler__factory);
            const user = withLinks ? await deploy(UsesTripler__factory, { "contracts/Children.sol:Tripler": await lib.getAddress() }) : await deploy(UsesTripler__factory);
            await user.add(7);
            return { world: { user }, agents: [] };
          },
          kpis: { total: ({ world }) => world.user.total() },
        });
      const ok = await this.hre.tokenspice.run(linked(true), { seed: 1 });
      expect(ok.kpi("total").final()).to.equal(21n);
      const e = (await errorOf(() => this.hre.tokenspice.run(linked(false), { seed: 1 }))) as TokenspiceError;
      expect(e.code).to.equal("LIBRARY_MISSING");
      expect(e.message).to.match(/UsesTripler calls libraries: deploy it as deploy\(UsesTripler__factory, \{ "contracts\/Lib\.sol:Lib": libraryAddress \}/);
    });

    it("links artifacts' placeholders by offset (Hardhat, Waffle) and by name (Truffle), and lists missing libraries", function () {
      const art = loadArtifact(path.join(fixture("testbed"), "artifacts/contracts/Children.sol/UsesTripler.json"), fixture("testbed"));
      expect(art.source).to.equal("artifacts/contracts/Children.sol/UsesTripler.json");
      expect(art.compiler).to.equal("0.8.28");
      const address = "0x" + "ab".repeat(20);
      const linked = linkBytecode(art, { "contracts/Children.sol:Tripler": address });
      expect(linked).to.contain("ab".repeat(20));
      expect(linked).to.not.match(/__\$[0-9a-f]{34}\$__/);
      expect(linkBytecode(art, { Tripler: address })).to.equal(linked);
      const missing = thrownBy(() => linkBytecode(art, {}));
      expect([missing.code, missing.details.missing]).to.deep.equal(["LIBRARY_MISSING", ["contracts/Children.sol:Tripler"]]);
      // Truffle's style: "__Tripler" padded with underscores to 40 characters, no linkReferences
      const ref = Object.values(art.linkReferences!)[0].Tripler[0];
      const placeholder = "__Tripler" + "_".repeat(40 - 9);
      const truffle = { ...art, linkReferences: undefined, bytecode: art.bytecode.slice(0, 2 + ref.start * 2) + placeholder + art.bytecode.slice(2 + (ref.start + 20) * 2) };
      expect(linkBytecode(truffle, { Tripler: address })).to.equal(linked);
    });
  });

  describe("published bytecode (fixture project on berlin)", () => {
    useEnvironment(fixture("published"));

    it("runs Uniswap V2's published pair before London: reverts named, gas exact, block numbers per tick, provenance", async function () {
      const out = tmp();
      const byHash = new Map<string, bigint>();
      const r = await this.hre.tokenspice.run("uniswap-pair", { seed: 1, out, force: true, observer: { onTransaction: (tx) => void byHash.set(tx.hash, tx.gasUsed) } });
      expect(r.reverts.map((x) => `${x.tick} ${x.call} ${x.reason}`)).to.deep.equal(["3 UniswapV2Pair.swap UniswapV2: K", "6 UniswapV2Pair.swap UniswapV2: K"]);
      // block.number: blocksPerStep (7,200) a tick, plus one per transaction
      const blocks = r.kpi<number>("blockNumber").values;
      const txsPerTick = [0, 3, 2, 2, 2, 2, 2];
      for (let t = 1; t < blocks.length; t++) expect(blocks[t] - blocks[t - 1], `tick ${t}`).to.equal(7_200 + txsPerTick[t]);
      // gas without eth_feeHistory (disabled before London) still matches the receipts
      const { provider } = await this.hre.tokenspice.environment();
      expect(byHash.size).to.be.greaterThan(0);
      const manifest = readJson(path.join(out, "manifest.json"));
      expect(manifest.network.hardfork).to.equal("berlin");
      expect(manifest.deployments.map((d: any) => [d.name, d.source, d.compiler])).to.deep.equal([
        ["ERC20", "@uniswap/v2-core@1.0.1/build/ERC20.json", "0.5.16+commit.9c3226ce"],
        ["ERC20", "@uniswap/v2-core@1.0.1/build/ERC20.json", "0.5.16+commit.9c3226ce"],
        ["UniswapV2Factory", "@uniswap/v2-core@1.0.1/build/UniswapV2Factory.json", "0.5.16+commit.9c3226ce"],
      ]);
      expect(manifest.deployments[2].bytecodeHash).to.match(/^0x[0-9a-f]{64}$/);
      void provider;
    });

    it("gas settled from block headers before London equals the receipts", async function () {
      const byHash = new Map<string, bigint>();
      const { provider } = await this.hre.tokenspice.environment();
      const snapshot = await provider.request({ method: "evm_snapshot" });
      await this.hre.tokenspice.run("uniswap-pair", { seed: 2, keepChainState: true, observer: { onTransaction: (tx) => void byHash.set(tx.hash, tx.gasUsed) } });
      for (const [hash, gas] of byHash) {
        const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { gasUsed: string };
        expect(gas, hash).to.equal(BigInt(receipt.gasUsed));
      }
      await provider.request({ method: "evm_revert", params: [snapshot] });
    });

    it("deploys a Truffle artifact (Ocean V3's datatoken, solc 0.5.7) and records where it came from", async function () {
      const out = tmp();
      await this.hre.tokenspice.run(
        defineNetlist({
          description: "truffle",
          time: { steps: 1, stepSeconds: 60 },
          async setup({ deployArtifact, deployer }) {
            const dt = await deployArtifact("ocean-contracts-v3/artifacts/DataTokenTemplate.json", ["DataToken 1", "DT1", deployer.address, 10n ** 24n, "blob", deployer.address]);
            return { world: { dt }, agents: [] };
          },
          kpis: { cap: async ({ world }) => (await world.dt.cap()) as bigint },
        }),
        { seed: 1, out, force: true },
      );
      const manifest = readJson(path.join(out, "manifest.json"));
      expect(manifest.deployments[0]).to.include({ name: "DataTokenTemplate", source: "@oceanprotocol/contracts@0.6.9/artifacts/DataTokenTemplate.json", compiler: "0.5.7+commit.6da8b019" });
      expect(fs.readFileSync(path.join(out, "kpis.csv"), "utf8")).to.contain(String(10n ** 24n));
      void ROOT;
    });
  });
});
