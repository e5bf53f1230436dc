import type { HardhatUserConfigValidationError } from "hardhat/types/hooks";
import type { HardhatConfig } from "hardhat/types/config";
import type { TokenspiceConfig } from "../config.js";
import { findInstalledSolcs, solcPathFor, type InstalledSolc } from "../compiler/npm-solc.js";

const MODES = ["auto", "always", "never"];

/** What is wrong with the user's `tokenspice` config, in Hardhat 3's shape (each error a path and a message). */
export function validateTokenspiceUserConfig(value: unknown): HardhatUserConfigValidationError[] {
  if (value === undefined) return [];
  const at = (field?: string) => (field === undefined ? ["tokenspice"] : ["tokenspice", field]);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [{ path: at(), message: "Expected an object with tokenspice settings (simsDir, outDir, …)" }];
  const c = value as Record<string, unknown>;
  const errors: HardhatUserConfigValidationError[] = [];
  for (const field of ["simsDir", "outDir", "walletEth"]) {
    if (c[field] !== undefined && typeof c[field] !== "string") errors.push({ path: at(field), message: `Expected a string, got ${JSON.stringify(c[field])}` });
  }
  if (c.offlineCompiler !== undefined && !MODES.includes(c.offlineCompiler as string)) {
    errors.push({ path: at("offlineCompiler"), message: `Expected "auto", "always" or "never", got ${JSON.stringify(c.offlineCompiler)}` });
  }
  if (c.checkRuns !== undefined && !(Number.isSafeInteger(c.checkRuns) && (c.checkRuns as number) > 0)) {
    errors.push({ path: at("checkRuns"), message: `Expected a positive integer, got ${JSON.stringify(c.checkRuns)}` });
  }
  if (c.checkSeed !== undefined && !Number.isSafeInteger(c.checkSeed)) errors.push({ path: at("checkSeed"), message: `Expected an integer, got ${JSON.stringify(c.checkSeed)}` });
  if (c.stepTimeoutMs !== undefined && typeof c.stepTimeoutMs !== "number") {
    errors.push({ path: at("stepTimeoutMs"), message: `Expected milliseconds (a number; 0 for none), got ${JSON.stringify(c.stepTimeoutMs)}` });
  }
  if (c.fork !== undefined && (c.fork === null || typeof c.fork !== "object" || Array.isArray(c.fork))) {
    errors.push({ path: at("fork"), message: `Expected { url, blockNumber, … } (docs/how-to/forks.md), got ${JSON.stringify(c.fork)}` });
  }
  return errors;
}

/**
 * Fills `path` of every solc compiler (and override) of every build profile with the installed npm
 * `solc` of exactly its version (the project's `solc`, `npm:solc@…` aliases, `tokenspice.solcPackages`),
 * as `tokenspice.offlineCompiler` says, and checks paths already set to an npm solc against their
 * version (src/compiler/npm-solc.ts `solcPathFor`). Mutates `solidity`.
 *
 * @throws TokenspiceError COMPILER_UNAVAILABLE
 */
export function fillSolcPaths(solidity: HardhatConfig["solidity"], tokenspice: TokenspiceConfig, root: string): void {
  let installed: InstalledSolc[] | undefined;
  const solcs = () => (installed ??= findInstalledSolcs(root, tokenspice.solcPackages));
  for (const profile of Object.values(solidity.profiles)) {
    for (const compiler of [...profile.compilers, ...Object.values(profile.overrides)]) {
      if (compiler.type !== undefined && compiler.type !== "solc") continue;
      const filled = solcPathFor(compiler.version, compiler.path, tokenspice.offlineCompiler, solcs);
      if (filled !== undefined) compiler.path = filled;
    }
  }
}
