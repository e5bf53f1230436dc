import fs from "fs";
import path from "path";
import { inspect } from "util";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { join as shellJoin } from "shlex";
import { consoleOutput, exitCodeFor, missingRequired, recordedIn, type CliContext, type TaskSpec } from "../cli/index.js";
import { TokenspiceError, messageOf } from "../errors.js";
import { relativeStack } from "../model/user-frame.js";
import { scrubSecrets } from "../output/secrets.js";
import { configFlag, hardhatPrefix } from "../runner/run-spec.js";
import { PLUGIN_ID, toHardhat3Error } from "./errors.js";
import { HH3_DEFAULT_NETWORK, selectedNetwork } from "./sim-network.js";

/**
 * The Hardhat 3 side of the `sim*` tasks (their flags: src/cli/flags-table.ts, declared in ./index.ts;
 * their actions: ./tasks/*.ts): the context the commands of src/cli take, built from the Hardhat 3
 * runtime, and the action that runs one with the plugin's exit codes. The Hardhat 2 twin is
 * src/hardhat/cli.ts.
 */

/** A command's arguments as Hardhat 3 parses them: a repeatable flag (a list for the command) is one text. */
export type Hardhat3Args<A> = { [K in keyof A]: A[K] extends string[] | undefined ? string | undefined : A[K] extends string[] ? string : A[K] };

/** What the commands of src/cli take from this Hardhat 3 project (see src/cli/index.ts). */
export function cliContext3(hre: HardhatRuntimeEnvironment): CliContext {
  const config = configFlag(hre.config.paths.root, hre.config.paths.config);
  return {
    environment: hre.tokenspice.core,
    simsDir: hre.config.tokenspice.simsDir,
    // As Hardhat 3's own `run` and `test`: `build` (contracts, and the TypeChain factories netlists import).
    compile: async () => {
      await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
    },
    commandPrefix: hardhatPrefix({ name: selectedNetwork(hre), ...(config === undefined ? {} : { config }) }, { defaultNetwork: HH3_DEFAULT_NETWORK }),
    commandLine: shellJoin(["npx", "hardhat", ...process.argv.slice(2)]),
    output: consoleOutput,
    useFork: (flags) => hre.tokenspice.useForkFlags(flags),
  };
}

/**
 * Runs a task's command (src/cli) with the plugin's exit codes: 0 success; 1 a run, baseline,
 * yield or design that failed; 2 bad input or infrastructure (Hardhat 3's CLI exits 1 on any
 * error). On the command line the error is printed here, as Hardhat 3 prints a community plugin's
 * ("Error in community plugin hardhat-tokenspice: …", then the folder holding what was recorded),
 * and the exit code set; called from code (`hre.tasks.getTask(name).run(args)`) it throws the
 * plugin error (`code`, `details`, `cause`). `hre.tokenspice`'s chain is closed either way.
 * Required flags (Hardhat 3 options cannot be required) are checked first.
 */
export async function runCommand3<A extends object>(spec: TaskSpec, args: Hardhat3Args<A>, hre: HardhatRuntimeEnvironment, command: (ctx: CliContext, args: A) => Promise<void>): Promise<void> {
  try {
    const given = args as Record<string, unknown>;
    const missing = missingRequired(spec, given);
    if (missing.length > 0) throw new TokenspiceError("OPTION_INVALID", `${spec.name} needs ${missing.join(" and ")} (see npx hardhat ${spec.name} --help).`, { missing });
    // A repeatable flag is one text on Hardhat 3 (its values joined with ";"): the commands take a list.
    const plain = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === "string" && spec.flags.some((f) => f.name === k && f.kind === "repeatable") ? [v] : v]));
    await command(cliContext3(hre), plain as A);
  } catch (error) {
    const shown = toHardhat3Error(error);
    if (!isCommandLine(spec.name)) throw shown;
    const showStack = (hre.globalOptions as { showStackTraces?: boolean }).showStackTraces === true;
    printError(shown, showStack, hre.config.paths.root);
    process.exitCode = exitCodeFor(shown);
  } finally {
    await hre.tokenspice.close();
  }
}

/** True when this process is `npx hardhat … <taskName> …` (not a script or test running the task). */
function isCommandLine(taskName: string): boolean {
  let main = process.argv[1] ?? "";
  try {
    main = fs.realpathSync(main);
  } catch {
    // not a file: not Hardhat's CLI
  }
  return main.endsWith(path.join("hardhat", "dist", "src", "cli.js")) && process.argv.includes(taskName);
}

function printError(error: unknown, stack: boolean, root: string): void {
  const plugin = (error as { pluginId?: unknown } | null)?.pluginId === PLUGIN_ID;
  console.error(plugin ? `Error in community plugin ${PLUGIN_ID}: ${scrubSecrets(messageOf(error))}` : `An unexpected error occurred: ${scrubSecrets(inspect(error))}`);
  const recorded = recordedIn(error);
  if (recorded) console.error(`Everything recorded before the failure is in ${recorded.dir}${recorded.file ? ` (${recorded.file} says how it ended)` : ""}.`);
  console.error("");
  if (stack) console.error(scrubSecrets(relativeStack(error instanceof Error ? (error.stack ?? messageOf(error)) : messageOf(error), root)));
  else console.error("For more info run Hardhat with --show-stack-traces");
}
