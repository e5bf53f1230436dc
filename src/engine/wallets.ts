import { AbstractSigner, Wallet, computeAddress, keccak256, toUtf8Bytes, type Provider, type TransactionRequest, type TransactionResponse, type TypedDataDomain, type TypedDataField } from "ethers";
import { TokenspiceError } from "../errors";
import { assertWalletName } from "../model/names";
import type { AgentWallet } from "../model/wallet";
import type { Chain } from "./chain";
import type { TransactionSender } from "./transactions";

/** The private key of a named wallet: fixed by the name, so addresses are the same in every run. */
export function walletKey(name: string): string {
  return keccak256(toUtf8Bytes(`hardhat-tokenspice/wallet/${name}`));
}

/**
 * An ethers Signer for an agent wallet. Transactions go through the engine's sender (the node
 * signs for the impersonated account: no JavaScript ECDSA on the hot path); messages and typed
 * data are signed with the wallet's own key, so `permit` signatures verify on chain.
 */
export class AgentSigner extends AbstractSigner {
  private readonly keyWallet: Wallet | undefined;

  /** @param privateKey the wallet's key; undefined for an existing account the run impersonates (it cannot sign messages). */
  constructor(
    readonly address: string,
    privateKey: string | undefined,
    private readonly sender: TransactionSender,
  ) {
    super(sender.provider);
    this.keyWallet = privateKey === undefined ? undefined : new Wallet(privateKey);
  }

  private key(what: string): Wallet {
    if (this.keyWallet === undefined) {
      throw new TokenspiceError("OPTION_INVALID", `${this.address} is an impersonated account: its key is not known, so it cannot ${what} (it can send transactions).`, { address: this.address });
    }
    return this.keyWallet;
  }

  async getAddress(): Promise<string> {
    return this.address;
  }
  connect(_provider: Provider | null): AgentSigner {
    return this; // bound to the simulation's chain
  }
  /**
   * A read from this wallet: ethers' own `call` copies and resolves the request before the
   * provider does it all again; a request with no `from` is this wallet's, as ethers makes it.
   */
  override async call(tx: TransactionRequest): Promise<string> {
    if (tx.from != null) return super.call(tx); // ethers checks that it is this wallet
    return this.sender.provider.call({ ...tx, from: this.address });
  }
  override sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    return this.sender.send(this.address, tx);
  }
  async signTransaction(tx: TransactionRequest): Promise<string> {
    return this.key("sign a transaction").signTransaction(tx);
  }
  async signMessage(message: string | Uint8Array): Promise<string> {
    return this.key("sign a message").signMessage(message);
  }
  async signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string> {
    return this.key("sign typed data (a permit)").signTypedData(domain, types, value);
  }
}

/** The run's wallets by name: funded and impersonated on first use, the same object after; released at the end. */
export class Wallets {
  private readonly byName = new Map<string, AgentWallet>();
  private readonly funded = new Map<string, string>();
  private sender: TransactionSender | undefined;

  constructor(
    private readonly chain: Chain,
    private readonly fundWei: bigint,
  ) {}

  attach(sender: TransactionSender): void {
    this.sender = sender;
  }

  /** Funds and impersonates the named account (no signer yet: the engine probes the node with it). */
  async fund(name: string): Promise<{ address: string; key: string }> {
    const key = walletKey(name);
    const address = computeAddress(key);
    if (!this.funded.has(name)) {
      await this.chain.setBalance(address, this.fundWei);
      await this.chain.impersonate(address);
      this.funded.set(name, address);
    }
    return { address, key };
  }

  /** The accounts funded or impersonated so far. */
  accounts(): Set<string> {
    return new Set(this.funded.values());
  }

  /** Stops impersonating the run's accounts (but `keep`), so the node is left as the run found it. Never throws. */
  async release(keep: ReadonlySet<string> = new Set()): Promise<void> {
    for (const address of this.funded.values()) if (!keep.has(address)) await this.chain.stopImpersonating(address).catch(() => undefined);
    this.funded.clear();
  }

  /**
   * An existing account (a holder on a forked chain) as a wallet named `name`: impersonated, its ETH
   * balance as the chain has it (nothing is added), released at the end like every wallet.
   * @throws TokenspiceError NAME_INVALID for a bad name; OPTION_INVALID for an address that is not 0x and 40 hex digits, or a name already given to another address
   */
  async impersonate(name: string, address: string): Promise<AgentWallet> {
    assertWalletName("impersonate(name, address)", name);
    if (!/^0x[0-9a-fA-F]{40}$/.test(address))
      throw new TokenspiceError("OPTION_INVALID", `impersonate("${name}", ${JSON.stringify(address)}): the address must be 0x and 40 hex digits.`, { name, address });
    const existing = this.byName.get(name);
    if (existing) {
      if (existing.address.toLowerCase() === address.toLowerCase()) return existing;
      throw new TokenspiceError("OPTION_INVALID", `impersonate("${name}", ${address}): the wallet "${name}" is already ${existing.address}.`, { name, address });
    }
    if (!this.sender) throw new TokenspiceError("NODE_ERROR", "Wallets.impersonate before attach (an engine bug)");
    await this.chain.impersonate(address);
    this.funded.set(name, address);
    const provider = this.sender.provider;
    const wallet: AgentWallet = { name, address, signer: new AgentSigner(address, undefined, this.sender), ethBalance: () => provider.getBalance(address) };
    this.byName.set(name, wallet);
    return wallet;
  }

  async get(name: string): Promise<AgentWallet> {
    const existing = this.byName.get(name);
    if (existing) return existing;
    assertWalletName("wallet(name)", name);
    if (!this.sender) throw new TokenspiceError("NODE_ERROR", "Wallets.get before attach (an engine bug)");
    const { address, key } = await this.fund(name);
    const provider = this.sender.provider;
    const wallet: AgentWallet = {
      name,
      address,
      signer: new AgentSigner(address, key, this.sender),
      ethBalance: () => provider.getBalance(address),
    };
    this.byName.set(name, wallet);
    return wallet;
  }
}
