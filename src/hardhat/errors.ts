import { HardhatPluginError } from "hardhat/plugins";
import { TokenspiceError } from "../errors";

export const PLUGIN_NAME = "hardhat-tokenspice";

export function pluginError(message: string, cause?: unknown): HardhatPluginError {
  return new HardhatPluginError(PLUGIN_NAME, message, cause instanceof Error ? cause : undefined);
}

/** The framework-free layers' errors become the plugin error users expect; others pass unchanged. */
export function toPluginError(error: unknown): unknown {
  return error instanceof TokenspiceError ? pluginError(error.message, error) : error;
}

export async function asPluginErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toPluginError(error);
  }
}

export function asPluginErrorsSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toPluginError(error);
  }
}
