import path from "path";
import { TokenspiceError } from "../errors";
import { hasForkFlags, type ForkFlags } from "../fork/options";
import type { CliContext } from "./context";
import { integerFlag } from "./flags";

/**
 * The `--fork*` flags as a command receives them (src/cli/flags-table.ts FORK_FLAGS): numbers as
 * text from a command line, or numbers from code. `sim` and every design-loop command take them.
 */
export interface ForkArgs {
  fork?: string;
  forkBlock?: number | string;
  forkBundle?: string;
  offline?: boolean;
  forkChainId?: number | string;
  forkBudget?: number | string;
  forkRps?: number | string;
  forkRetries?: number | string;
}

/**
 * Parses a command's `--fork*` flags (integers checked, `--fork-bundle` resolved from the current
 * directory, as `--out`) and, when any is given, makes them the fork the command's runs use
 * (`ctx.useFork`), checked before anything is compiled or run.
 * @returns the parsed flags (empty when none was given)
 * @throws TokenspiceError OPTION_INVALID for a flag that is not valid, or an adapter that cannot fork
 */
export function applyForkFlags(ctx: CliContext, args: ForkArgs): ForkFlags {
  const flags: ForkFlags = {
    fork: args.fork,
    forkBlock: integerFlag("--fork-block", args.forkBlock, "OPTION_INVALID"),
    forkBundle: args.forkBundle === undefined ? undefined : path.resolve(args.forkBundle),
    offline: args.offline === true ? true : undefined,
    forkChainId: integerFlag("--fork-chain-id", args.forkChainId, "OPTION_INVALID"),
    forkBudget: integerFlag("--fork-budget", args.forkBudget, "OPTION_INVALID"),
    forkRps: integerFlag("--fork-rps", args.forkRps, "OPTION_INVALID"),
    forkRetries: integerFlag("--fork-retries", args.forkRetries, "OPTION_INVALID"),
  };
  if (hasForkFlags(flags)) {
    if (ctx.useFork === undefined) throw new TokenspiceError("OPTION_INVALID", "This adapter cannot fork a chain from --fork flags.", {});
    ctx.useFork(flags);
  }
  return flags;
}
