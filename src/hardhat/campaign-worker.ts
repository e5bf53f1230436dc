/**
 * A campaign worker: the child process `createWorkerBackend` forks (one per worker). It boots Hardhat
 * once in the project, as `npx hardhat run` boots a script's process, then runs the jobs the pool
 * sends it (protocol.ts) with `hre.tokenspice.runSpec(job.spec, jobControls(job))`,
 * one at a time, until the pool disconnects it or the pool's process dies.
 *
 * argv: `<project root>`. Environment, set by the pool: HARDHAT_NETWORK and HARDHAT_CONFIG (and
 * HARDHAT_TSCONFIG, HARDHAT_TYPECHECK when the campaign was given them), read by Hardhat itself;
 * TOKENSPICE_FORK_FLAGS, the campaign's `--fork*` flags (src/fork/options.ts FORK_FLAGS_ENV).
 *
 * - `hardhat/register` (resolved from the project, so the project's own Hardhat) registers ts-node
 *   exactly as Hardhat's CLI does when the config is TypeScript (`loadTsNode`: transpile-only unless
 *   --typecheck), loads the config and plugins, and builds the runtime environment.
 * - Netlists are loaded by name from the spec, as `runSpec` does; nothing is compiled here (the
 *   campaign's process checks the contracts while this boots).
 * - The simulation network is built before `ready`, so the boot time the pool sees is the whole cost;
 *   the project's contracts are read at the first run: the campaign may boot workers while it still
 *   checks (and compiles) them, and sends no run before that has ended.
 * - stdout and stderr go to the pool, which keeps their tail for its error messages; nothing of it
 *   reaches the campaign's terminal.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { jobControls, type RunJob } from "../campaign/types";
import { exitOnDisconnect, reportBootFailure, serveJobs } from "../campaign/backends/protocol";
import { forkFlagsFromEnv } from "../fork/options";

async function main(): Promise<void> {
  if (process.send === undefined) {
    process.stderr.write("hardhat-tokenspice campaign worker: start it through the campaign (it needs an IPC channel).\n");
    process.exit(2);
  }
  exitOnDisconnect(() => false); // the campaign may go away while this boots
  const root = process.argv[2];
  if (root === undefined) throw new Error("campaign worker: no project root given");
  process.chdir(root);
  const fromProject = (id: string) => require.resolve(id, { paths: [root] });
  require(fromProject("hardhat/register"));
  const hre: HardhatRuntimeEnvironment = require(fromProject("hardhat"));
  const forkFlags = forkFlagsFromEnv(); // the campaign's --fork* flags (FORK_FLAGS_ENV)
  if (forkFlags !== undefined) hre.tokenspice.useForkFlags(forkFlags);
  await hre.tokenspice.prepareWorker(); // the chain; the contracts are read at the first run, after the campaign's compile check
  process.removeAllListeners("disconnect");
  serveJobs((job: RunJob) => hre.tokenspice.runSpec(job.spec, jobControls(job)), Math.round(process.uptime() * 1000));
}

main().catch(reportBootFailure);
