/**
 * Stands up the worked example's "live chain" (sims/uniswap-v2-fork/live-chain.ts): Uniswap V2's
 * published factory and pair with two weeks of history, served on http://127.0.0.1:<port> until
 * Ctrl-C, which prints the requests it answered (by method); `curl http://127.0.0.1:<port>/` shows
 * them while it runs.
 *
 *     LIVE_CHAIN_PORT=8545 LIVE_CHAIN_DELAY_MS=50 npx hardhat run --no-compile scripts/uniswap-v2-live-chain.ts
 *
 * LIVE_CHAIN_PORT (default 8545) and LIVE_CHAIN_DELAY_MS (default 0: milliseconds every answer
 * waits, a remote node's round trip) set how it is served. Compile first (`npx hardhat compile`):
 * the tokens are the project's AmmToken.
 */
import { startUniswapV2LiveChain } from "../sims/uniswap-v2-fork/live-chain";

async function main(): Promise<void> {
  const port = Number(process.env.LIVE_CHAIN_PORT ?? 8545);
  const delayMs = Number(process.env.LIVE_CHAIN_DELAY_MS ?? 0);
  if (!Number.isSafeInteger(port) || port < 0 || !Number.isSafeInteger(delayMs) || delayMs < 0) {
    throw new Error(`LIVE_CHAIN_PORT and LIVE_CHAIN_DELAY_MS must be whole numbers ≥ 0, got ${process.env.LIVE_CHAIN_PORT} and ${process.env.LIVE_CHAIN_DELAY_MS}`);
  }
  const { upstream, head } = await startUniswapV2LiveChain({ port, delayMs });
  console.log(`Uniswap V2 live chain on ${upstream.url()} (chain id 31337), history up to block ${head}${delayMs ? `, every answer ${delayMs} ms late` : ""}.`);
  console.log(`Fork it: npx hardhat sim uniswap-v2-fork --fork ${upstream.url()} --fork-block ${head} --fork-bundle forks/uniswap-v2-${head}`);
  const report = () => console.log(`${upstream.requests} requests answered: ${JSON.stringify(upstream.byMethod)}`);
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  report();
  await upstream.stop();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
