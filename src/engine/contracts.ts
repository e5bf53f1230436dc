import { BaseContract, Contract, ContractFactory, Interface, type Signer } from "ethers";
import { TokenspiceError } from "../errors";
import type { ArtifactSource, ContractTools } from "../model/netlist";
import { bytecodeHash, compilerOf, libraryAddress, linkBytecode, loadArtifact, type LoadedArtifact } from "./artifacts";
import type { KnownContract, RevertDecoder } from "./reverts";

/**
 * One ethers Interface per loaded artifact (artifacts read from a file are cached while it is
 * unchanged: src/engine/artifacts.ts): parsing an ABI into fragments is most of the cost of
 * attaching to a contract, which models do for every pool they create. An Interface is immutable.
 */
const interfaces = new WeakMap<LoadedArtifact, Interface>();
function interfaceOf(art: LoadedArtifact): Interface {
  let iface = interfaces.get(art);
  if (iface === undefined) {
    iface = new Interface(art.abi);
    interfaces.set(art, iface);
  }
  return iface;
}

/** A contract a run deployed, as the manifest's `deployments` lists it. */
export interface Deployment {
  name: string;
  address: string;
  /** `package@version/file` for a published artifact, the source file for a project contract. */
  source: string | null;
  compiler: string | null;
  /** keccak256 of the creation bytecode sent (libraries linked). */
  bytecodeHash: string;
}

/** Project contracts by name, with where they come from (the adapter reads the compiled artifacts). */
export interface ProjectContract extends KnownContract {
  source?: string;
  compiler?: string | null;
}

type AnyFactory = { deploy(...args: any[]): Promise<unknown>; interface?: Interface; bytecode?: string };
type FactoryClassLike = (new (...args: any[]) => AnyFactory) & {
  linkBytecode?: (links: unknown) => string;
  connect?: (address: string, runner?: unknown) => unknown;
  createInterface?: () => Interface;
  abi?: unknown;
};

/**
 * Deploying and attaching contracts for a run: every contract is registered with the revert
 * decoder (so its reverts and calls are named) and every deployment recorded with its provenance.
 */
export class ContractTracker {
  readonly deployments: Deployment[] = [];
  private readonly project = new Map<string, ProjectContract>();

  constructor(
    private readonly decoder: RevertDecoder,
    projectContracts: readonly ProjectContract[],
    private readonly projectRoot: string,
  ) {
    for (const c of projectContracts) if (!this.project.has(c.name)) this.project.set(c.name, c);
  }

  /** The deploy/deployArtifact/at functions bound to a signer (setup's deployer, or an agent's wallet for `at`). */
  tools(signer: Signer): ContractTools {
    return {
      deploy: async (FactoryOrInstance: unknown, ...args: unknown[]) => this.deploy(signer, FactoryOrInstance, args),
      deployArtifact: async (artifact: ArtifactSource, args: unknown[] = [], options: { libraries?: Record<string, string> } = {}) => this.deployArtifact(signer, artifact, args, options.libraries),
      at: (FactoryOrArtifact: unknown, address: string) => this.at(signer, FactoryOrArtifact, address),
    } as ContractTools;
  }

  private async deploy(signer: Signer, FactoryOrInstance: unknown, args: unknown[]): Promise<unknown> {
    let factory: AnyFactory;
    let name: string;
    if (typeof FactoryOrInstance === "function") {
      const Factory = FactoryOrInstance as FactoryClassLike;
      name = Factory.name.replace(/__factory$/, "");
      if (typeof Factory.linkBytecode === "function") {
        // TypeChain's factory for a contract that calls libraries: constructed with their addresses.
        const links = args.shift();
        if (typeof links !== "object" || links === null) {
          throw new TokenspiceError(
            "LIBRARY_MISSING",
            `${name} calls libraries: deploy it as deploy(${Factory.name}, { "contracts/Lib.sol:Lib": libraryAddress }, ...constructorArgs) (TypeChain's names of the libraries).`,
            { contract: name },
          );
        }
        for (const [library, address] of Object.entries(links)) libraryAddress(name, library, address);
        try {
          Factory.linkBytecode(links);
        } catch {
          throw new TokenspiceError("LIBRARY_MISSING", `${name}: a library address is missing from ${JSON.stringify(links)} (TypeChain names them "path.sol:Lib").`, {
            contract: name,
          });
        }
        factory = new Factory(links, signer);
      } else {
        factory = new Factory(signer);
      }
    } else if (typeof (FactoryOrInstance as AnyFactory)?.deploy === "function") {
      factory = FactoryOrInstance as AnyFactory;
      const connect = (factory as { connect?: (s: Signer) => AnyFactory }).connect;
      if (typeof connect === "function" && !(factory as { runner?: unknown }).runner) factory = connect.call(factory, signer);
      name = factory.constructor?.name?.replace(/__factory$/, "") ?? "Contract";
      if (name === "ContractFactory") name = "Contract";
    } else {
      throw new TokenspiceError("OPTION_INVALID", "deploy: pass a TypeChain factory class (or a factory instance) and the constructor args.", {});
    }
    // Known before the deployment is sent, so a constructor's custom error decodes by name.
    if (factory.interface) this.decoder.register(name, factory.interface);
    const contract = (await factory.deploy(...args)) as BaseContract;
    const address = await contract.getAddress();
    this.decoder.register(name, contract.interface, address);
    const known = this.project.get(name);
    this.deployments.push({
      name,
      address,
      source: known?.source ?? null,
      compiler: known?.compiler ?? (factory.bytecode ? compilerOf({}, known?.deployedBytecode ?? factory.bytecode) : null),
      bytecodeHash: factory.bytecode ? bytecodeHash(factory.bytecode) : "",
    });
    return contract;
  }

  private async deployArtifact(signer: Signer, source: ArtifactSource, args: unknown[], libraries: Record<string, string> | undefined): Promise<unknown> {
    const art = loadArtifact(source, this.projectRoot);
    const bytecode = linkBytecode(art, libraries);
    const name = this.uniqueName(art.name, art.source);
    this.decoder.know({ name, abi: art.abi, deployedBytecode: art.deployedBytecode });
    const iface = interfaceOf(art);
    this.decoder.register(name, iface);
    const contract = (await new ContractFactory(iface, bytecode, signer).deploy(...args)) as BaseContract;
    const address = await contract.getAddress();
    this.decoder.register(name, iface, address);
    this.deployments.push({ name, address, source: art.source, compiler: art.compiler, bytecodeHash: bytecodeHash(bytecode) });
    return contract;
  }

  private at(signer: Signer, FactoryOrArtifact: unknown, address: string): unknown {
    if (typeof FactoryOrArtifact === "function" && typeof (FactoryOrArtifact as FactoryClassLike).connect === "function") {
      const Factory = FactoryOrArtifact as FactoryClassLike;
      const contract = Factory.connect!(address, signer) as BaseContract;
      this.decoder.register(Factory.name.replace(/__factory$/, ""), contract.interface, address);
      return contract;
    }
    if (typeof FactoryOrArtifact === "string" || (typeof FactoryOrArtifact === "object" && FactoryOrArtifact !== null)) {
      const art = loadArtifact(FactoryOrArtifact, this.projectRoot);
      const name = this.uniqueName(art.name, art.source);
      const iface = interfaceOf(art);
      this.decoder.register(name, iface, address);
      return new Contract(address, iface, signer);
    }
    throw new TokenspiceError("OPTION_INVALID", "at: pass a TypeChain factory class (with its static connect) or an artifact, and the address.", { address });
  }

  /**
   * A published artifact's contract named as itself, or with its package when another contract of
   * the project or the run has the name (two protocols' BPool): "BPool[@oceanprotocol/contracts@1.0.0]".
   */
  private uniqueName(name: string, source: string): string {
    const owner = this.names.get(name) ?? this.project.get(name)?.source;
    if (owner === undefined || owner === source) {
      this.names.set(name, source);
      return name;
    }
    const qualified = `${name}[${source
      .split("/")
      .slice(0, source.startsWith("@") ? 2 : 1)
      .join("/")}]`;
    this.names.set(qualified, source);
    return qualified;
  }
  private readonly names = new Map<string, string>();
}
