// test/hardhat3.test.ts: an old compiler from an npm alias ("solc-0.5.16": "npm:solc@0.5.16" in
// package.json), found by the plugin and filled in as the compiler's path. Its own sources and
// output folders, apart from the main config's.
import { defineConfig } from "hardhat/config";
import tokenspice from "hardhat-tokenspice/hardhat3";

export default defineConfig({
  plugins: [tokenspice],
  paths: { sources: "old-contracts", artifacts: "artifacts-old", cache: "cache-old" },
  solidity: { compilers: [{ version: "0.5.16" }, { version: "0.8.28" }] },
  tokenspice: { offlineCompiler: "always" },
});
