import "hardhat/types/config";
import "hardhat/types/runtime";
import type { TokenspiceConfig, TokenspiceUserConfig } from "./config";
import type { Tokenspice } from "./hardhat/tokenspice";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    tokenspice?: TokenspiceUserConfig;
  }
  interface HardhatConfig {
    tokenspice: TokenspiceConfig;
  }
}

declare module "hardhat/types/runtime" {
  interface HardhatRuntimeEnvironment {
    tokenspice: Tokenspice;
  }
}
