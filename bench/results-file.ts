import { execFileSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

/** Where the benches write their figures (gitignored): one JSON file a bench run, for later sessions to compare. */
export const RESULTS_DIR = path.join(__dirname, "..", "bench-results");

/**
 * Writes `bench-results/<name>-<UTC time>.json`: the figures with when, where (load average, cores,
 * Node, the checkout's commit) and the environment variables of the bench (BENCH_*). Returns its path.
 */
export function writeResults(name: string, figures: unknown): string {
  const date = new Date().toISOString();
  let commit: string | null = null;
  try {
    commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: __dirname, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  const file = path.join(RESULTS_DIR, `${name}-${date.replace(/[:.]/g, "-")}.json`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("BENCH_")));
  fs.writeFileSync(file, JSON.stringify({ bench: name, date, loadavg: os.loadavg(), cores: os.availableParallelism(), node: process.version, commit, env, figures }, null, 1) + "\n");
  return file;
}
