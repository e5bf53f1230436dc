import type { HardhatRuntimeEnvironmentHooks } from "hardhat/types/hooks";
import { Tokenspice3 } from "../tokenspice.js";
import { openChain3, selectedNetwork } from "../sim-network.js";

/**
 * `hre.tokenspice`, for parity with Hardhat 2: runs on the plugin's own simulation chain (opened
 * on first use, for an in-process network) or on the selected JSON-RPC network.
 */
export default async (): Promise<Partial<HardhatRuntimeEnvironmentHooks>> => ({
  async created(_context, hre) {
    let tokenspice: Tokenspice3 | undefined;
    Object.defineProperty(hre, "tokenspice", {
      configurable: true,
      enumerable: true,
      get: () => (tokenspice ??= new Tokenspice3(hre, () => openChain3(hre, selectedNetwork(hre)))),
    });
  },
});
