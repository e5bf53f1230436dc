/**
 * One run of a model in the checkout this process was started in (bench/models.ts --compare starts
 * it in this checkout and in the baseline's, alternating), measured with what every release has:
 * `hre.tokenspice.environment()` and `hre.tokenspice.run(name, { seed, steps, out, force })`. Its
 * imports are this folder's clocks only, never the checkout's src/, so both sides run their own
 * code. Emits a CompareResult.
 */
import fs from "fs";
import { childInput, emit } from "./child";
import { between, stamp, type Span } from "./span";

/** What bench/models.ts gives this process. */
export interface CompareInput {
  netlist: string;
  seed: number;
  steps?: number;
  out: string;
}

/** A run's figures in one checkout: the process's start (node → Hardhat loaded, compile check, network) and the measured run (after a 10-tick warm-up). */
export interface CompareResult {
  kind: "compare";
  start: Span;
  run: Span;
  ticks: number;
}

// Hardhat's runtime environment, as hardhat/register left it in global scope: typed here by what both checkouts have.
interface AnyHre {
  run(task: string, args: Record<string, unknown>): Promise<unknown>;
  tokenspice: {
    environment(): Promise<unknown>;
    run(name: string, options: { seed: number; steps?: number; out?: string; force?: boolean }): Promise<{ ticks: number }>;
  };
}

async function main(): Promise<void> {
  const input = childInput<CompareInput>();
  const hre = (globalThis as unknown as { hre: AnyHre }).hre;
  await hre.run("compile", { quiet: true });
  await hre.tokenspice.environment();
  // performance.now() counts from the process's start.
  const start: Span = { wallMs: performance.now(), cpuMs: stamp().cpuMs };
  await hre.tokenspice.run(input.netlist, { seed: input.seed, steps: input.steps === undefined ? 10 : Math.min(10, input.steps) });
  const t0 = stamp();
  const result = await hre.tokenspice.run(input.netlist, { seed: input.seed, steps: input.steps, out: input.out, force: true });
  const run = between(t0, stamp());
  fs.rmSync(input.out, { recursive: true, force: true });
  emit({ kind: "compare", start, run, ticks: result.ticks } satisfies CompareResult);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
