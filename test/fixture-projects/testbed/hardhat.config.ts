import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-ethers";
import "@typechain/hardhat";
// A user writes `import "hardhat-tokenspice";` here.
import "../../../src/index";

const config: HardhatUserConfig = {
  solidity: "0.8.28",
  tokenspice: { outDir: "sim-results" },
};

export default config;
