import { HardhatPluginError } from "hardhat/plugins";
import { TokenspiceError } from "../errors";

export const PLUGIN_NAME = "hardhat-tokenspice";

export function pluginError(message: string, cause?: unknown): HardhatPluginError {
  return new HardhatPluginError(PLUGIN_NAME, message, cause instanceof Error ? cause : undefined);
}

/** Runs `fn`, re-throwing the framework-free layers' errors as the plugin error users expect. */
export async function asPluginErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TokenspiceError) throw pluginError(error.message, error);
    throw error;
  }
}
