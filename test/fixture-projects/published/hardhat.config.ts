import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-ethers";
import "@typechain/hardhat";
import "../../../src/index";

// Published protocols' bytecode on the hardfork of their era: Uniswap V2 ran before London.
const config: HardhatUserConfig = {
  solidity: "0.8.28",
  networks: { hardhat: { hardfork: process.env.PUBLISHED_HARDFORK ?? "berlin" } },
  tokenspice: { outDir: "sim-results" },
};

export default config;
