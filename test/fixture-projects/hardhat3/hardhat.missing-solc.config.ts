// test/hardhat3.test.ts: a compiler version no installed npm solc provides, with offlineCompiler "always".
import { defineConfig } from "hardhat/config";
import tokenspice from "hardhat-tokenspice/hardhat3";

export default defineConfig({
  plugins: [tokenspice],
  solidity: { version: "0.8.30" },
  tokenspice: { offlineCompiler: "always" },
});
