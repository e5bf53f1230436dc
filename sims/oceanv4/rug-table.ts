/**
 * The headline TokenSPICE never finished: what a rug pull costs stakers and gains the malicious
 * publisher, Ocean V3 against Ocean V4, over many seeds.
 *
 *   npx hardhat run sims/oceanv4/rug-table.ts
 *   RUG_RUNS=30 RUG_STEPS=90 RUG_FIRST_SEED=1 npx hardhat run sims/oceanv4/rug-table.ts
 *
 * For each model (oceanv3, oceanv4) and each seed s in RUG_FIRST_SEED … RUG_FIRST_SEED + RUG_RUNS − 1,
 * it runs the model at its defaults for RUG_STEPS daily ticks with the rug (`rugPull=true`) and the
 * same seed without it (`rugPull=false`), and compares the two runs' final KPIs: the same agents
 * made the same random choices until the first rug, so the difference is what the rugs did.
 * (A campaign pairs them only with `--common-seeds`: otherwise it derives each run's seed from its
 * params too, so the two points never share a seed.) It prints a Markdown table and writes it,
 * with every pair's numbers, to sim-results/rug-table/<UTC time>/ (table.md, pairs.json, pairs.csv).
 * Each pair is reproduced by `npx hardhat sim <model> --seed s --steps RUG_STEPS` and the same with
 * `--params rugPull=false`.
 */
import fs from "fs";
import path from "path";
import hre from "hardhat";

const E18 = 1e18;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** One seed's paired runs: what the rugs changed, in OCEAN (not wei). */
interface Pair {
  model: string;
  seed: number;
  /** Staker-speculators' final net worth without the rugs minus with them. */
  stakersLoss: number;
  /** The malicious publisher's final net worth with the rugs minus without them. */
  maliciousGain: number;
  /** Its realized profit from the rugs (rug_OCEAN_profit): OCEAN its exits and dumps paid it minus the OCEAN it had staked into those pools. */
  rugProfit: number;
  /** OCEAN its dumps of datatokens paid it (rug_OCEAN_dumped). */
  dumped: number;
  /** Speculators' and honest publishers' final net worth without the rugs minus with them. */
  speculatorsLoss: number;
  publishersLoss: number;
  rugs: number;
}

const ocean = (v: bigint) => Number(v) / E18;

/**
 * A run, run again (up to 3 times) when the engine stops it with CHAIN_DRIFT: on a loaded machine a
 * pause of over 100 ms while sending lets the node stamp a block from the wall clock; the engine
 * refuses such a run rather than record it, and says to run it again (the result does not change).
 */
async function run(model: string, seed: number, steps: number, rugPull: boolean) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await hre.tokenspice.run(model, { seed, steps, params: { rugPull } });
    } catch (error) {
      if ((error as { code?: string }).code !== "CHAIN_DRIFT" || attempt === 3) throw error;
      console.log(`${model} seed ${seed} rugPull=${rugPull}: chain time drifted (a loaded machine); running it again`);
    }
  }
}

async function pair(model: string, seed: number, steps: number): Promise<Pair> {
  const withRug = await run(model, seed, steps, true);
  const without = await run(model, seed, steps, false);
  const final = (r: typeof withRug, kpi: string) => r.kpi<bigint>(kpi).final();
  const loss = (kpi: string) => ocean(final(without, kpi) - final(withRug, kpi));
  return {
    model,
    seed,
    stakersLoss: loss("stakerSpeculator_OCEAN_networth"),
    maliciousGain: -loss("maliciousPublisher_OCEAN_networth"),
    rugProfit: ocean(final(withRug, "rug_OCEAN_profit")),
    dumped: ocean(final(withRug, "rug_OCEAN_dumped")),
    speculatorsLoss: loss("speculator_OCEAN_networth"),
    publishersLoss: loss("publisher_OCEAN_networth"),
    rugs: withRug.kpi<number>("n_rugged").final(),
  };
}

/** Mean, population standard deviation, and the order statistics of `xs`. */
function stats(xs: number[]): { mean: number; sd: number; min: number; median: number; max: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const sorted = [...xs].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { mean, sd, min: sorted[0], median, max: sorted[n - 1] };
}

const fmt = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

function table(pairs: Pair[], models: string[], runs: number, steps: number, firstSeed: number): string {
  const rows: [string, keyof Pair][] = [
    ["Stakers' loss (net worth, without − with)", "stakersLoss"],
    ["Malicious publisher's gain (net worth, with − without)", "maliciousGain"],
    ["Malicious publisher's realized rug profit (OCEAN out − OCEAN staked)", "rugProfit"],
    ["… of which its datatoken dumps paid", "dumped"],
    ["Speculators' loss", "speculatorsLoss"],
    ["Honest publishers' loss", "publishersLoss"],
    ["Pools rugged", "rugs"],
  ];
  const lines = [
    `Rug pulls, Ocean V3 against Ocean V4: ${runs} seeds (${firstSeed}–${firstSeed + runs - 1}), ${steps} daily ticks, default params, each seed paired with the same seed without the rug. OCEAN at the last tick; mean ± standard deviation [min, median, max].`,
    "",
    `| | ${models.join(" | ")} |`,
    `| --- | ${models.map(() => "---").join(" | ")} |`,
  ];
  for (const [label, key] of rows) {
    const cells = models.map((m) => {
      const s = stats(pairs.filter((p) => p.model === m).map((p) => p[key] as number));
      return `${fmt(s.mean)} ± ${fmt(s.sd)} [${fmt(s.min)}, ${fmt(s.median)}, ${fmt(s.max)}]`;
    });
    lines.push(`| ${label} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const runs = envInt("RUG_RUNS", 30);
  const steps = envInt("RUG_STEPS", 90);
  const firstSeed = envInt("RUG_FIRST_SEED", 1);
  const models = (process.env.RUG_MODELS ?? "oceanv3,oceanv4").split(",").filter(Boolean);
  const started = Date.now();
  const pairs: Pair[] = [];
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    for (const model of models) {
      const p = await pair(model, seed, steps);
      pairs.push(p);
      console.log(
        `${model} seed ${seed}: stakers lose ${fmt(p.stakersLoss)}, the malicious publisher gains ${fmt(p.maliciousGain)} (rug profit ${fmt(p.rugProfit)}) [${((Date.now() - started) / 1000).toFixed(0)} s]`,
      );
    }
  }
  const md = table(pairs, models, runs, steps, firstSeed);
  const dir = path.join(
    path.resolve(hre.config.paths.root, hre.config.tokenspice.outDir),
    "rug-table",
    new Date()
      .toISOString()
      .replace(/:/g, "-")
      .replace(/\.\d+Z$/, "Z"),
  );
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "table.md"), md + "\n");
  fs.writeFileSync(path.join(dir, "pairs.json"), JSON.stringify({ runs, steps, firstSeed, models, pairs }, null, 2) + "\n");
  const keys = Object.keys(pairs[0]) as (keyof Pair)[];
  fs.writeFileSync(path.join(dir, "pairs.csv"), [keys.join(","), ...pairs.map((p) => keys.map((k) => p[k]).join(","))].join("\n") + "\n");
  console.log(`\n${md}\n\n${pairs.length * 2} runs in ${((Date.now() - started) / 1000).toFixed(0)} s; files in ${dir}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
