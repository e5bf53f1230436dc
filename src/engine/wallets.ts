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
  private readonly keyWallet: Wallet;

  constructor(
    readonly address: string,
    privateKey: string,
    private readonly sender: TransactionSender,
  ) {
    super(sender.provider);
    this.keyWallet = new Wallet(privateKey);
  }

  async getAddress(): Promise<string> {
    return this.address;
  }
  connect(_provider: Provider | null): AgentSigner {
    return this; // bound to the simulation's chain
  }
  override sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    return this.sender.send(this.address, tx);
  }
  signTransaction(tx: TransactionRequest): Promise<string> {
    return this.keyWallet.signTransaction(tx);
  }
  signMessage(message: string | Uint8Array): Promise<string> {
    return this.keyWallet.signMessage(message);
  }
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string> {
    return this.keyWallet.signTypedData(domain, types, value);
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

  /** Stops impersonating the run's accounts, so the node is left as the run found it. Never throws. */
  async release(): Promise<void> {
    for (const address of this.funded.values()) await this.chain.stopImpersonating(address).catch(() => undefined);
    this.funded.clear();
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
