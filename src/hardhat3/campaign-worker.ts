/**
 * A campaign worker on Hardhat 3: the child process `createWorkerBackend3` forks (one per worker).
 * It boots Hardhat 3 once in the project, as its CLI does (tsx registered for TypeScript configs
 * and netlists, the user config imported, the runtime environment created with the campaign's
 * config file and network), then runs the jobs the pool sends (src/campaign/backends/protocol.ts)
 * with `hre.tokenspice.runSpec(job.spec, jobControls(job))`, one at a time.
 *
 * argv: `<project root> <config file> <network>`. tsx and hardhat are resolved from the project,
 * so the project's own Hardhat is used. The simulation chain is opened before `ready`, so the boot
 * time the pool sees is the whole cost; the project's contracts are read at the first run (the
 * campaign may boot workers while it still checks them, and sends no run before that has ended).
 */
import { createRequire } from "module";
import { pathToFileURL } from "url";
import type * as HardhatHre from "hardhat/hre";
import { jobControls, type RunJob } from "../campaign/types.js";
import { exitOnDisconnect, reportBootFailure, serveJobs } from "../campaign/backends/protocol.js";
import { forkFlagsFromEnv } from "../fork/options.js";

async function main(): Promise<void> {
  if (process.send === undefined) {
    process.stderr.write("hardhat-tokenspice campaign worker: start it through the campaign (it needs an IPC channel).\n");
    process.exit(2);
  }
  exitOnDisconnect(() => false); // the campaign may go away while this boots
  const [root, configPath, network] = process.argv.slice(2);
  if (root === undefined || configPath === undefined || network === undefined) throw new Error("campaign worker: give the project root, config file and network");
  process.chdir(root);
  const fromProject = createRequire(`${root}/package.json`);
  const tsx = (await import(pathToFileURL(fromProject.resolve("tsx/esm/api")).href)) as { register(this: void): void };
  tsx.register(); // TypeScript netlists and configs load as in `npx hardhat`
  const hardhat = (await import(pathToFileURL(fromProject.resolve("hardhat/hre")).href)) as typeof HardhatHre;
  const hre = await hardhat.createHardhatRuntimeEnvironment(await hardhat.importUserConfig(configPath), { config: configPath, network }, root);
  const forkFlags = forkFlagsFromEnv(); // the campaign's --fork* flags (FORK_FLAGS_ENV)
  if (forkFlags !== undefined) hre.tokenspice.useForkFlags(forkFlags);
  await hre.tokenspice.prepareWorker(); // the chain; the contracts are read at the first run, after the campaign's compile check
  process.removeAllListeners("disconnect");
  serveJobs((job: RunJob) => hre.tokenspice.runSpec(job.spec, jobControls(job)), Math.round(process.uptime() * 1000));
}

main().catch(reportBootFailure);
