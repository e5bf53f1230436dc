import fs from "fs";
import { Interface } from "ethers";
import { AmmToken__factory } from "../../typechain-types";
import { ACCOUNT_0, LoopbackUpstream, createLoopbackChain, type ChainProvider } from "../../scripts/loopback-chain";
import { getAmountOut } from "../uniswap-v2/v2-math";
import { DEPLOYER, FACTORY, HISTORY, PAIR, STABLE, VOLATILE } from "./chain";

/**
 * The worked example's "live chain": a fresh in-process Hardhat network with Uniswap V2's published
 * factory and pair (`@uniswap/v2-core@1.0.1`'s build, the bytecode deployed on mainnet) and two
 * tokens deployed, a founding deposit, then `HISTORY.days` days of swaps (one a day) and an LP's
 * deposit on day 7, each in blocks of their own; served over HTTP on 127.0.0.1 (scripts/loopback-chain.ts)
 * as a node a fork reads from. scripts/uniswap-v2-live-chain.ts runs it from the command line.
 */
const v2Build = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`@uniswap/v2-core/build/${name}.json`), "utf8")) as { abi: unknown[]; bytecode: string };

/** The chain's genesis time; its blocks follow at fixed times (`makeHistory`). */
const GENESIS = new Date("2024-01-01T00:00:00Z");

export interface LiveChain {
  upstream: LoopbackUpstream;
  /** The block the history ends at: the block to fork at. */
  head: number;
}

/**
 * Builds the chain and serves it on `port` (0: a free one), every answer waiting `delayMs`.
 * @throws what the chain throws when a transaction of the history fails (it should not)
 */
export async function startUniswapV2LiveChain(options: { port?: number; delayMs?: number } = {}): Promise<LiveChain> {
  const chain = await createLoopbackChain({ initialDate: GENESIS });
  await makeHistory(chain);
  const upstream = await LoopbackUpstream.serve(chain, { port: options.port });
  upstream.delayMs = options.delayMs ?? 0;
  return { upstream, head: await upstream.head() };
}

/** Deploys the tokens, the factory and the pair at the addresses of chain.ts, and trades on them. */
async function makeHistory(chain: ChainProvider): Promise<void> {
  // Every block's time is set (12 s apart, a day between trading days), so the chain's blocks and
  // their hashes are the same on every machine: a bundle recorded from one such chain forks another.
  let time = Math.floor(GENESIS.getTime() / 1000);
  const send = async (tx: { to?: string; data: string }) => {
    time += 12;
    await chain.request({ method: "evm_setNextBlockTimestamp", params: [time] });
    return chain.request({ method: "eth_sendTransaction", params: [{ from: ACCOUNT_0.address, gas: "0x" + (6_000_000).toString(16), ...tx }] });
  };
  const call = async (to: string, data: string) => (await chain.request({ method: "eth_call", params: [{ to, data }, "latest"] })) as string;
  const token = AmmToken__factory.createInterface();
  const factoryBuild = v2Build("UniswapV2Factory");
  const pair = new Interface(v2Build("UniswapV2Pair").abi as never);
  const factory = new Interface(factoryBuild.abi as never);

  await send({ data: AmmToken__factory.bytecode + token.encodeDeploy(["Volatile", "VOL"]).slice(2) });
  await send({ data: AmmToken__factory.bytecode + token.encodeDeploy(["Stable", "USD"]).slice(2) });
  await send({ data: "0x" + factoryBuild.bytecode.replace(/^0x/, "") + factory.encodeDeploy([DEPLOYER]).slice(2) });
  await send({ to: FACTORY, data: factory.encodeFunctionData("createPair", [VOLATILE, STABLE]) });
  const pairAt = factory.decodeFunctionResult("getPair", await call(FACTORY, factory.encodeFunctionData("getPair", [VOLATILE, STABLE])))[0] as string;
  if (pairAt.toLowerCase() !== PAIR.toLowerCase()) throw new Error(`the pair is at ${pairAt}, not ${PAIR} (chain.ts)`);

  const supply = 10n ** 9n * 10n ** 18n;
  await send({ to: VOLATILE, data: token.encodeFunctionData("mint", [DEPLOYER, supply]) });
  await send({ to: STABLE, data: token.encodeFunctionData("mint", [DEPLOYER, supply]) });
  const deposit = async (volatile: bigint, stable: bigint) => {
    await send({ to: VOLATILE, data: token.encodeFunctionData("transfer", [PAIR, volatile]) });
    await send({ to: STABLE, data: token.encodeFunctionData("transfer", [PAIR, stable]) });
    await send({ to: PAIR, data: pair.encodeFunctionData("mint", [DEPLOYER]) });
  };
  await deposit(HISTORY.foundingVolatile, HISTORY.foundingStable);

  const volatileIsToken0 = BigInt(VOLATILE) < BigInt(STABLE);
  const reserves = async () => {
    const [r0, r1] = pair.decodeFunctionResult("getReserves", await call(PAIR, pair.encodeFunctionData("getReserves"))) as unknown as [bigint, bigint];
    return volatileIsToken0 ? { volatile: r0, stable: r1 } : { volatile: r1, stable: r0 };
  };
  for (let day = 0; day < HISTORY.days; day++) {
    time += 86_400;
    const r = await reserves();
    const bps = HISTORY.swapsBps[day % HISTORY.swapsBps.length];
    const sellsVolatile = bps > 0;
    const [reserveIn, reserveOut] = sellsVolatile ? [r.volatile, r.stable] : [r.stable, r.volatile];
    const amountIn = (reserveIn * BigInt(Math.abs(bps))) / 10_000n;
    const amountOut = getAmountOut(amountIn, reserveIn, reserveOut);
    await send({ to: sellsVolatile ? VOLATILE : STABLE, data: token.encodeFunctionData("transfer", [PAIR, amountIn]) });
    const outVolatile = sellsVolatile ? 0n : amountOut;
    const outStable = sellsVolatile ? amountOut : 0n;
    const [out0, out1] = volatileIsToken0 ? [outVolatile, outStable] : [outStable, outVolatile];
    await send({ to: PAIR, data: pair.encodeFunctionData("swap", [out0, out1, DEPLOYER, "0x"]) });
    if (day === 7) {
      const now = await reserves();
      await deposit(now.volatile / 5n, now.stable / 5n); // an LP adds a fifth of the pool at its price
    }
  }
}
