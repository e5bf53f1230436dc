import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";
import "./src/index";

const config: HardhatUserConfig = {
  // The npm `solc` package's version, so the project compiles offline (see docs/how-to/offline-compilation.md).
  solidity: { version: "0.8.28", settings: { optimizer: { enabled: true, runs: 200 } } },
  networks: {
    // A node on loopback (\`npx hardhat node\`), for runs over JSON-RPC; the test suite sets the URL.
    loopback: { url: process.env.TOKENSPICE_LOOPBACK_URL ?? "http://127.0.0.1:8545" },
  },
  tokenspice: {
    simsDir: "sims",
    outDir: "sim-results",
  },
};

export default config;
