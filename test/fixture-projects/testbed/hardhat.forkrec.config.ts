import type { HardhatUserConfig } from "hardhat/config";
import base from "./hardhat.config";

// The testbed forking a chain through the plugin's recorder (test/fork.test.ts): tokenspice.fork
// from TOKENSPICE_FORK_URL / _BLOCK / _BUNDLE, with short timeouts and backoff for an upstream that
// the test makes misbehave.
const config: HardhatUserConfig = {
  ...base,
  tokenspice: {
    ...base.tokenspice,
    fork: {
      url: process.env.TOKENSPICE_FORK_URL,
      blockNumber: Number(process.env.TOKENSPICE_FORK_BLOCK),
      bundle: process.env.TOKENSPICE_FORK_BUNDLE,
      timeoutMs: 500,
      backoffMs: 20,
    },
  },
};

export default config;
