import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { TokenspiceError } from "../../errors.js";
import { freshRunDir } from "../../runner/out-dir.js";
import { asHardhat3ErrorsSync } from "../errors.js";

interface SimArgs {
  netlist: string;
  // Hardhat 3 has no integer option without a default: given as text, read here.
  seed?: string;
  steps?: string;
  out?: string;
  force: boolean;
  noCompile: boolean;
}

/**
 * `npx hardhat sim <netlist>` on Hardhat 3, for now a thin call into the core: build (unless
 * --no-compile), plan the run, run it into its folder (kpis.csv, reverts.csv, result.json, manifest), print the folder. src/cli (the
 * Hardhat-free layer the Hardhat 2 tasks' bodies move to) plugs in here: its `sim` action takes
 * these args and the runtime object (`hre.tokenspice`) and prints the summary, report and progress.
 */
export default async function simAction(args: SimArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  // As Hardhat 3's own `run` and `test`: build first (contracts, and TypeChain's factories netlists import).
  if (!args.noCompile) await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
  const ts = hre.tokenspice;
  const loaded = ts.resolve(args.netlist);
  const seed = asHardhat3ErrorsSync(() => integerOption("seed", args.seed));
  const steps = asHardhat3ErrorsSync(() => integerOption("steps", args.steps));
  const spec = await ts.plan(args.netlist, { seed, steps });
  const runDir = args.out ?? freshRunDir(hre.config.tokenspice.outDir, loaded.name, `seed${spec.seed}`);
  console.log(`${loaded.name}: ${loaded.netlist.description}`);
  console.log(`seed ${spec.seed}, ${spec.steps} steps`);
  const result = await ts.runSpec(spec, { out: runDir, force: args.force });
  console.log(`${result.ticks} ticks, ${result.reverts.length} reverts`);
  console.log(`Files in ${runDir}`);
  await ts.close();
}

/** An integer option given as text, or undefined when not given. @throws TokenspiceError OPTION_INVALID */
function integerOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new TokenspiceError("OPTION_INVALID", `--${name} ${JSON.stringify(text)} is not an integer.`, { [name]: text });
  }
  return Number(text);
}
