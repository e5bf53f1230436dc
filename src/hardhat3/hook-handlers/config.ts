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
    // The checks files live in the sims folder: naming it as the tokenspice runner's test folder keeps
    // mocha and node:test (which take any file outside the other runners' folders) off them.
    return { ...resolved, paths: { ...resolved.paths, tests: { ...resolved.paths.tests, tokenspice: tokenspice.simsDir } }, tokenspice };
  },
});
