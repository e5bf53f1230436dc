import { defineConfig } from "hardhat/config";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import tokenspice from "hardhat-tokenspice/hardhat3";

export default defineConfig({
  plugins: [hardhatEthers, hardhatTypechain, hardhatMocha, hardhatNodeTestRunner, tokenspice],
  // Each runner its own folder (both default to test/); the netlists' checks files are in sims/ (the tokenspice runner's).
  paths: { tests: { mocha: "test/mocha", nodejs: "test/node" } },
  // As the Hardhat 2 testbed compiles (solc 0.8.28, evm target paris), so runs compare byte for byte.
  solidity: {
    compilers: [{ version: "0.8.28", settings: { evmVersion: "paris" } }],
    // A shipped model's contract, copied in by test/hardhat3.test.ts: compiled as the repo's Hardhat 2 config compiles it.
    overrides: { "contracts/shipped/EmissionToken.sol": { version: "0.8.28", settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "paris" } } },
  },
  // TypeChain where Hardhat 2's @typechain/hardhat puts it, so netlists import "../typechain-types" on both.
  typechain: { outDir: "typechain-types" },
  // offlineCompiler "always": compile with the npm solc 0.8.28 installed here, never a download.
  tokenspice: { outDir: "sim-results", offlineCompiler: "always" },
});
