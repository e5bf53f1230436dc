// test/hardhat3.test.ts: the main config plus a JSON-RPC network "rpc" at TOKENSPICE_RPC_URL (a
// `hardhat node` the test starts), to run netlists with --network rpc.
import { defineConfig } from "hardhat/config";
import config from "./hardhat.config.ts";

export default defineConfig({
  ...config,
  networks: { rpc: { type: "http", url: process.env.TOKENSPICE_RPC_URL ?? "http://127.0.0.1:8545" } },
});
