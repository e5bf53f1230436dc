import type { ConfigHooks } from "hardhat/types/hooks";
import { resolveTokenspiceConfig } from "../../config.js";
import { fillSolcPaths, validateTokenspiceUserConfig } from "../config.js";
import { asHardhat3ErrorsSync } from "../errors.js";

/** `tokenspice` in hardhat.config: validated (each problem a path and a message), resolved after Hardhat's own fields, and the npm solc paths filled in. */
export default async (): Promise<Partial<ConfigHooks>> => ({
  async validateUserConfig(userConfig) {
    return validateTokenspiceUserConfig(userConfig.tokenspice);
  },
  async resolveUserConfig(userConfig, resolveConfigurationVariable, next) {
    const resolved = await next(userConfig, resolveConfigurationVariable);
    const tokenspice = asHardhat3ErrorsSync(() => resolveTokenspiceConfig(userConfig.tokenspice ?? {}, resolved.paths.root));
    asHardhat3ErrorsSync(() => fillSolcPaths(resolved.solidity, tokenspice, resolved.paths.root));
    return { ...resolved, tokenspice };
  },
});
