// The programmatic API on Hardhat 3 (run by test/hardhat3.test.ts with `hardhat run`): hre.tokenspice
// on the plugin's own chain, with every JSON-RPC request counted by method; then connection.tokenspice
// on a connection the script opens. Prints one JSON line.
import hre from "hardhat";

const counts: Record<string, number> = {};
hre.hooks.registerHandlers("network", {
  async onRequest(context, connection, request, next) {
    counts[request.method] = (counts[request.method] ?? 0) + 1;
    return next(context, connection, request);
  },
});

const capBefore = process.env.__EDR_MAX_CACHED_STATES;
const viaHre = await hre.tokenspice.run("jar", { seed: 1 });
// Set only while the chain's EDR provider is created (EDR reads it then), then put back.
const capAfter = process.env.__EDR_MAX_CACHED_STATES;
const env = await hre.tokenspice.environment();
const genesis = (await env.provider.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { timestamp: string };
const accounts = await env.provider.request({ method: "eth_accounts" });
const automine = await env.provider.request({ method: "hardhat_getAutomine" });
await hre.tokenspice.close();
const onSimChain = { ...counts };

const connection = await hre.network.create();
const viaConnection = await connection.tokenspice.run("jar", { seed: 1 });
await connection.close();

console.log(
  "RESULT " +
    JSON.stringify({
      network: env.network,
      genesis: Number(genesis.timestamp),
      edrCacheEnv: [capBefore ?? null, capAfter ?? null],
      accounts,
      automine,
      // The engine asks eth_feeHistory once per tick (gas per block) on any chain. On a connection as
      // the user made it, Hardhat 3 adds one per send (its gas-price handler); the plugin's own chain
      // sends fee fields, so it adds none.
      simChain: { sends: onSimChain.eth_sendTransaction ?? 0, feeHistory: onSimChain.eth_feeHistory ?? 0 },
      connection: { sends: (counts.eth_sendTransaction ?? 0) - (onSimChain.eth_sendTransaction ?? 0), feeHistory: (counts.eth_feeHistory ?? 0) - (onSimChain.eth_feeHistory ?? 0) },
      total: { hre: String(viaHre.kpi("total").at(-1)), connection: String(viaConnection.kpi("total").at(-1)) },
      reverts: { hre: viaHre.reverts.length, connection: viaConnection.reverts.length },
    }),
);
