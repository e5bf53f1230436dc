import type { Signer } from "ethers";

/** An agent's account: a fresh EOA funded with ETH, its address fixed by its name. */
export interface AgentWallet {
  readonly name: string;
  readonly address: string;
  /** An ethers v6 Signer: pass it to TypeChain's `connect`, or to a factory. */
  readonly signer: Signer;
  ethBalance(): Promise<bigint>;
}
