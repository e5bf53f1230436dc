// test/hardhat3.test.ts: tokenspice settings of the wrong types, refused by the plugin's config validation.
import { defineConfig } from "hardhat/config";
import tokenspice from "hardhat-tokenspice/hardhat3";

export default defineConfig({
  plugins: [tokenspice],
  solidity: { version: "0.8.28" },
  tokenspice: { offlineCompiler: "sometimes", checkRuns: 0, outDir: 7 } as never,
});
