import { TokenspiceError } from "../errors";
import type { ContractRunner, FunctionFragment, Interface } from "ethers";

/** The parts of a TypeChain (ethers v6) contract a prepared call needs. */
export interface ContractLike {
  readonly interface: Interface;
  readonly target: unknown;
  readonly runner: ContractRunner | null;
}

type StaticMethod = { staticCall(...args: any[]): Promise<any> };
type MethodName<C> = { [K in keyof C]: C[K] extends StaticMethod ? K : never }[keyof C] & string;
type ArgsOf<F> = F extends { staticCall(...args: infer A): Promise<any> } ? A : never;
type ResultOf<F> = F extends { staticCall(...args: any[]): Promise<infer R> } ? R : never;

/** A read whose calldata was encoded once; call it as often as you like. */
export interface PreparedCall<R> {
  (): Promise<R>;
  readonly data: string;
}

/**
 * Encodes a view call once and returns a function that performs it: one `eth_call` and a decode.
 * For reads a simulation repeats every tick with the same arguments (all holders' balances, a
 * pool's reserves): ethers re-resolves and re-checksums every address argument on each call,
 * which for a list of addresses costs more than the call itself. Typed from the TypeChain contract:
 * `prepareCall(token, "balancesOf", holders)` returns `PreparedCall<bigint[]>`.
 */
export function prepareCall<C extends ContractLike, M extends MethodName<C>>(contract: C, method: M, ...args: ArgsOf<C[M]>): PreparedCall<ResultOf<C[M]>> {
  const fragment: FunctionFragment = contract.interface.getFunction(method)!;
  const data = contract.interface.encodeFunctionData(fragment, args);
  const runner = contract.runner;
  const caller = runner?.call ? runner : runner?.provider;
  if (typeof contract.target !== "string" || !caller?.call) {
    throw new TokenspiceError("OPTION_INVALID", `prepareCall(${method}): the contract needs an address target and a runner that can call`, { method });
  }
  const request = { to: contract.target, data };
  const call = async () => {
    const result = contract.interface.decodeFunctionResult(fragment, await caller.call!(request));
    return (result.length === 1 ? result[0] : result) as ResultOf<C[M]>;
  };
  return Object.assign(call, { data });
}
