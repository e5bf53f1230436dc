import fs from "fs";
import { Contract, ContractFactory, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Agent, isTransactionReverted, type AgentWallet, type StepContext } from "../../src/api";
import type { OceanWorld, PoolListing, PopulationParams, VenueContext } from "../../sims/oceanv3/world";
import { OceanLens__factory, OceanV3Token__factory, type OceanLens, type OceanV3Token } from "../../typechain-types";
import { ROOT } from "../helpers";

export const TOKEN = 10n ** 18n;

/** Balancer V1's fixed-point helpers (BNum.sol, the same in 0.6.9 and 1.0.0): round half up. */
export const BONE = 10n ** 18n;
export const bmul = (a: bigint, b: bigint) => (a * b + BONE / 2n) / BONE;
export const bdiv = (a: bigint, b: bigint) => (a * BONE + b / 2n) / b;

/** An artifact of an installed package, by package path. */
export function artifact(path: string): { abi: any[]; bytecode: string } {
  return JSON.parse(fs.readFileSync(require.resolve(path, { paths: [ROOT] }), "utf8"));
}

/** The `deployArtifact` and `deployer` of a setup, on the test's own network and signer (no engine). */
export function deployTools(signer: Signer, deployerAddress: string) {
  return {
    deployer: { name: "deployer", address: deployerAddress, signer, ethBalance: async () => 0n } as AgentWallet,
    deployArtifact: (async (path: string, args: unknown[] = []) => {
      const a = artifact(path);
      const contract = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
      await contract.waitForDeployment();
      return contract;
    }) as any,
  };
}

/** A signer of the test network as an agent's wallet. */
export async function walletOf(signer: Signer, name: string): Promise<AgentWallet> {
  return { name, address: await signer.getAddress(), signer, ethBalance: async () => 0n };
}

/**
 * A world with OCEAN minted to `holders` and the lens, for calling a venue directly on the test
 * network; its `at` attaches an artifact's ABI (nothing to register without the engine).
 */
export async function directWorld(
  hre: HardhatRuntimeEnvironment,
  holders: string[],
  oceanEach: bigint,
): Promise<{ ocean: OceanV3Token; oceanAddress: string; lens: OceanLens; ctx: (signer: Signer) => VenueContext; world: OceanWorld }> {
  const [deployer] = await hre.ethers.getSigners();
  const ocean = await new OceanV3Token__factory(deployer).deploy(
    holders,
    holders.map(() => oceanEach),
  );
  const lens = await new OceanLens__factory(deployer).deploy();
  const oceanAddress = await ocean.getAddress();
  const world = { pools: [] as PoolListing[], ocean, oceanAddress, lens, reads: { touch: () => undefined } } as unknown as OceanWorld;
  const ctx = (signer: Signer): VenueContext => ({ world, tick: 0, at: ((path: string, address: string) => new Contract(address, artifact(path).abi, signer)) as any });
  return { ocean, oceanAddress, lens, ctx, world };
}

/**
 * An agent that makes a mistake with every pool and datatoken listed, once each: stakes more than
 * half the pool's OCEAN, sends datatokens it does not have (through a plain ERC20 ABI), and pays for
 * an access without a datatoken. Each reverts; the run records where.
 */
export class Clumsy extends Agent<OceanWorld, PopulationParams> {
  private readonly tried = new Set<string>();
  constructor(
    wallet: AgentWallet,
    private readonly erc20: (address: string, signer: Signer) => { transfer(to: string, amount: bigint): Promise<unknown> },
  ) {
    super(wallet);
  }
  async step(ctx: StepContext<OceanWorld, PopulationParams>): Promise<void> {
    for (const listing of ctx.world.pools) {
      if (this.tried.has(listing.address)) continue;
      this.tried.add(listing.address);
      const attempts = [
        () => ctx.world.venue.stake(ctx, this.wallet, listing, 10n ** 30n),
        () => this.erc20(listing.datatokenAddress, this.wallet.signer).transfer(listing.publisher, 10n ** 30n),
        () => ctx.world.venue.consume(ctx, this.wallet, listing),
      ];
      for (const attempt of attempts) {
        try {
          await attempt();
        } catch (error) {
          if (!isTransactionReverted(error)) throw error;
        }
      }
    }
  }
}
