import "hardhat/types/config";
import "hardhat/types/network";
import "hardhat/types/hre";
import type { TokenspiceConfig, TokenspiceUserConfig } from "../config.js";
import type { Tokenspice3 } from "./tokenspice.js";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    /** hardhat-tokenspice's settings: docs/reference/config.md (the same fields as on Hardhat 2). */
    tokenspice?: TokenspiceUserConfig;
  }
  interface HardhatConfig {
    tokenspice: TokenspiceConfig;
  }
  interface TestPathsConfig {
    /** The `test tokenspice` runner's files: the sims folder, where netlists' checks files are (`tokenspice.simsDir`). */
    tokenspice: string;
  }
}

declare module "hardhat/types/network" {
  // A module augmentation repeats Hardhat's declaration exactly (type parameter, constraint, default).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-redundant-type-constituents
  interface NetworkConnection<ChainTypeT extends ChainType | string = DefaultChainType> {
    /** Runs, checks, campaigns and searches on this connection's chain (src/hardhat3/tokenspice.ts). */
    tokenspice: Tokenspice3;
  }
}

declare module "hardhat/types/hre" {
  interface HardhatRuntimeEnvironment {
    /**
     * As `hre.tokenspice` on Hardhat 2: runs on the plugin's own simulation chain (for an in-process
     * network, `--network` or the default one) or on the selected JSON-RPC network.
     */
    tokenspice: Tokenspice3;
  }
}
