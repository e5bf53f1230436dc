import path from "path";
import { validateSolcPackages } from "./compiler/npm-solc";
import { resolveForkRequest, type ForkUserConfig } from "./fork/options";
import { assertStepTimeout, DEFAULT_STEP_TIMEOUT_MS } from "./runner/run-spec";

/** When to compile with the npm `solc` package (src/hardhat/offline-compiler.ts): on a failed download, always, or never. */
export type OfflineCompilerMode = "auto" | "always" | "never";

/** What users may write under `tokenspice` in hardhat.config. */
export interface TokenspiceUserConfig {
  /** Folder of netlists, relative to the project root. Default "sims". */
  simsDir?: string;
  /** Folder where `npx hardhat sim` writes runs, relative to the project root. Default "sim-results". */
  outDir?: string;
  /**
   * When to compile with the npm `solc` package's solcjs: "auto" (when the download fails),
   * "always", or "never". Default "auto".
   */
  offlineCompiler?: OfflineCompilerMode;
  /**
   * Compiler version → npm package name or path of a `solc` package, for offline compilation with
   * several compilers: `{ "0.5.16": "solc-0.5.16" }`. Not needed for packages installed as npm aliases
   * (`npm install --save-dev solc-0.5.16@npm:solc@0.5.16`): those are found by themselves.
   */
  solcPackages?: Record<string, string>;
  /** ETH (in ether) every agent wallet starts with. Default "1000000". */
  walletEth?: string;
  /** Simulations `tokenspice.check` searches by default. Default 20. */
  checkRuns?: number;
  /** Fixes `tokenspice.check`'s fast-check seed (for CI); the TOKENSPICE_SEED environment variable wins. */
  checkSeed?: number;
  /**
   * How long (ms) setup, one agent's step or one KPI may take before the run fails (STEP_TIMEOUT,
   * or STEP_HUNG for a synchronous loop the watchdog stops). Default 60000; 0 turns it off.
   */
  stepTimeoutMs?: number;
  /**
   * Fork a live chain at a pinned block, recording every read into a bundle (docs/how-to/forks.md):
   * `{ url, blockNumber }`, and optionally `bundle` (folder), `offline`, `chainId`, `httpHeaders`,
   * `budget`, `rps`, `retries`, `timeoutMs`, `backoffMs`. The `--fork*` flags of `sim` win over it.
   */
  fork?: ForkUserConfig;
}

/**
 * `hre.config.tokenspice`: the user's `tokenspice` config with every default filled in (src/index.ts's
 * extendConfig): folders resolved to absolute paths, `solcPackages` checked, the step timeout checked.
 */
export interface TokenspiceConfig {
  simsDir: string; // absolute
  outDir: string; // absolute
  offlineCompiler: OfflineCompilerMode;
  solcPackages: Record<string, string>;
  walletEth: string;
  checkRuns: number;
  checkSeed: number | undefined;
  /** null: no step timeout. */
  stepTimeoutMs: number | null;
  /** The user's `tokenspice.fork` as written (checked), or undefined. */
  fork: ForkUserConfig | undefined;
}

/** Default `simsDir`: the netlists' folder, relative to the project root. */
export const DEFAULT_SIMS_DIR = "sims";
/** Default `outDir`: where runs are written, relative to the project root. */
export const DEFAULT_OUT_DIR = "sim-results";
/** Default `walletEth`: the ETH (in ether, a decimal string) every wallet starts with. */
export const DEFAULT_WALLET_ETH = "1000000";
/** Default `checkRuns`: simulations a property check runs. */
export const DEFAULT_CHECK_RUNS = 20;
export { DEFAULT_STEP_TIMEOUT_MS } from "./runner/run-spec";

/**
 * The resolved `tokenspice` config from what the user wrote, with defaults (above) and folders made
 * absolute against the project root. The same for Hardhat 2 (`extendConfig`, src/index.ts) and
 * Hardhat 3 (the config hook, src/hardhat3/hook-handlers/config.ts).
 *
 * @throws TokenspiceError OPTION_INVALID for a bad `solcPackages` map or step timeout
 */
export function resolveTokenspiceConfig(user: TokenspiceUserConfig, root: string): TokenspiceConfig {
  return {
    simsDir: path.resolve(root, user.simsDir ?? DEFAULT_SIMS_DIR),
    outDir: path.resolve(root, user.outDir ?? DEFAULT_OUT_DIR),
    offlineCompiler: user.offlineCompiler ?? "auto",
    solcPackages: validateSolcPackages(user.solcPackages),
    walletEth: user.walletEth ?? DEFAULT_WALLET_ETH,
    checkRuns: user.checkRuns ?? DEFAULT_CHECK_RUNS,
    checkSeed: user.checkSeed,
    stepTimeoutMs: assertStepTimeout(user.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS),
    fork: checkedFork(user.fork, root),
  };
}

/** `tokenspice.fork` as written, once checked (resolveForkRequest's errors, OPTION_INVALID). */
function checkedFork(fork: ForkUserConfig | undefined, root: string): ForkUserConfig | undefined {
  if (fork === undefined) return undefined;
  resolveForkRequest({}, fork, root);
  return fork;
}
