import type { HardhatRuntimeEnvironmentHooks } from "hardhat/types/hooks";
import { defineLazyTokenspice } from "../lazy.js";

/**
 * `hre.tokenspice`, for parity with Hardhat 2: runs on the plugin's own simulation chain (opened
 * on first use, for an in-process network) or on the selected JSON-RPC network.
 */
export default async (): Promise<Partial<HardhatRuntimeEnvironmentHooks>> => ({
  async created(_context, hre) {
    defineLazyTokenspice(hre, hre, async (fork) => {
      const { openChain3, selectedNetwork } = await import("../sim-network.js");
      return openChain3(hre, selectedNetwork(hre), fork);
    });
  },
});
