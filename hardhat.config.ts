import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";
import "./src/index";

const config: HardhatUserConfig = {
  // The npm `solc` package's version, so the project compiles offline (see README "Offline compilation").
  solidity: "0.8.28",
  tokenspice: {
    simsDir: "sims",
    outDir: "sim-results",
  },
};

export default config;
