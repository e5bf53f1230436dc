import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-ethers";
// A user writes `import "hardhat-tokenspice";` here.
import "../../../src/index";

// Two sources pinned to two old compilers. Their solcjs builds are this repository's devDependencies
// `solc-0.5.16` and `solc-0.6.12`, npm aliases of `solc` (found without any config); "always", so the
// test never depends on Hardhat reaching the network.
const config: HardhatUserConfig = {
  solidity: { compilers: [{ version: "0.5.16" }, { version: "0.6.12" }] },
  tokenspice: { offlineCompiler: "always" },
};

export default config;
