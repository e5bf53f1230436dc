import type { HardhatUserConfig } from "hardhat/config";
import base from "./hardhat.config";

// The testbed forking a chain at a pinned block through TOKENSPICE_FORK_URL (the CLI test gives a URL with keys in it).
const config: HardhatUserConfig = {
  ...base,
  networks: { hardhat: { forking: { url: process.env.TOKENSPICE_FORK_URL ?? "http://127.0.0.1:8545", blockNumber: 19_000_000 } } },
};

export default config;
