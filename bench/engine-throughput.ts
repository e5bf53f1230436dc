/**
 * `npm run bench`: the engine's agent transactions per second on token-flow, against the raw
 * provider's eth_sendTransaction ceiling for the same transaction mix, in one process.
 *
 * 1. a short warm-up run (JIT, EDR initialisation);
 * 2. token-flow at its defaults (or BENCH_STEPS ticks), timing the tick loop only (setup excluded),
 *    recording every agent transaction (from, to, data, value) and a snapshot after setup;
 * 3. back to that snapshot, the recorded transactions replayed one at a time with raw
 *    `eth_sendTransaction` (explicit gas, automine), each tick's opening block re-created at the
 *    tick's time first (untimed) so the contracts see the same chain time: the ceiling is the time
 *    of the sends alone;
 * 4. RSS growth over the engine run, per 10k transactions.
 */
import hre from "hardhat";
import type { TransactionRecord } from "../src/engine/transactions";
import { DEFAULT_START_TIME } from "../src/model/netlist";

const NETLIST = process.env.BENCH_NETLIST ?? "token-flow";
const SEED = Number(process.env.BENCH_SEED ?? 1);
const STEPS = process.env.BENCH_STEPS === undefined ? undefined : Number(process.env.BENCH_STEPS);

async function main(): Promise<void> {
  const provider = hre.network.provider;
  await hre.tokenspice.run(NETLIST, { seed: SEED, steps: 10 }); // warm-up

  const mix: TransactionRecord[] = [];
  let afterSetupSnapshot = "";
  let loopStart = 0;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const outerSnapshot = (await provider.request({ method: "evm_snapshot" })) as string;
  const result = await hre.tokenspice.runInternal(NETLIST, {
    seed: SEED,
    steps: STEPS,
    keepChainState: true,
    afterSetup: async () => {
      afterSetupSnapshot = (await provider.request({ method: "evm_snapshot" })) as string;
      loopStart = performance.now();
    },
    observer: { onTransaction: (tx) => void (tx.agent !== "setup" && mix.push(tx)) },
  });
  const loopMs = performance.now() - loopStart;
  const rssAfter = process.memoryUsage().rss;
  const engineTps = (mix.length / loopMs) * 1000;

  await provider.request({ method: "evm_revert", params: [afterSetupSnapshot] });
  const gas = "0x" + (16_000_000).toString(16);
  const { netlist } = hre.tokenspice.resolve(NETLIST);
  const tickTime = (tick: number) => (netlist.time.start ?? DEFAULT_START_TIME) + tick * netlist.time.stepSeconds;
  let replayMs = 0;
  let replayReverts = 0;
  let openTick = 0;
  for (const tx of mix) {
    if (tx.tick !== openTick) {
      openTick = tx.tick;
      await provider.request({ method: "evm_mine", params: ["0x" + tickTime(tx.tick).toString(16)] });
    }
    const request: Record<string, string> = { from: tx.from, data: tx.data, value: "0x" + tx.value.toString(16), gas };
    if (tx.to) request.to = tx.to;
    const start = performance.now();
    await provider.request({ method: "eth_sendTransaction", params: [request] }).catch(() => replayReverts++);
    replayMs += performance.now() - start;
  }
  const rawTps = (mix.length / replayMs) * 1000;
  await provider.request({ method: "evm_revert", params: [outerSnapshot] });

  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const reads = result.kpiNames.length; // for the reader: what else a tick does besides transactions
  console.log(`netlist            ${NETLIST} (seed ${SEED}, ${result.ticks} ticks, ${reads} KPIs sampled per tick)`);
  console.log(`agent transactions ${mix.length} (${result.reverts.length} reverted; ${replayReverts} reverted in the replay)`);
  console.log(`engine             ${engineTps.toFixed(0)} tx/s   (tick loop ${(loopMs / 1000).toFixed(2)} s: agents, reads, KPIs, chain time)`);
  console.log(`raw ceiling        ${rawTps.toFixed(0)} tx/s   (same transactions, raw eth_sendTransaction, one at a time)`);
  console.log(`ratio              ${((engineTps / rawTps) * 100).toFixed(1)}% of the ceiling`);
  console.log(`memory             RSS ${mb(rssBefore)} -> ${mb(rssAfter)} MB, ${mb(((rssAfter - rssBefore) / mix.length) * 10_000)} MB per 10k transactions`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
