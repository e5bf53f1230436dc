import { spawn } from "child_process";
import fs from "fs";
import path from "path";

/** How long a campaign took as a user sees it: the `sim` command from its start (ms; from the run manifests' ISO times and the command's exit). */
export interface CampaignTiming {
  args: string[];
  runs: number;
  failed: number;
  /** Command start → the first run's start (Hardhat load, compile check, plan, worker boot). */
  toFirstRunStartMs: number;
  /** Command start → the first run done. */
  toFirstRunDoneMs: number;
  /** First run's start → last run's end. */
  runsSpanMs: number;
  /** Last run's end → the command's exit (the campaign's outputs, shutting down). */
  afterRunsMs: number;
  totalMs: number;
  /** Runs a minute over the whole command. */
  runsPerMinute: number;
  /** Runs a minute between the first run's start and the last run's end. */
  runsPerMinuteSteady: number;
}

/** Every `manifest.json` under `dir`. */
function manifests(dir: string): { startedAt?: string; finishedAt?: string; status?: string }[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => path.basename(f) === "manifest.json").map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
}

/** Timings of a campaign from its command's start and end (epoch ms) and its runs' manifests ({startedAt, finishedAt, status}). @throws Error for a campaign without a finished run */
export function campaignTiming(args: string[], startedMs: number, endedMs: number, runs: { startedAt?: string; finishedAt?: string; status?: string }[]): CampaignTiming {
  const starts = runs.map((m) => Date.parse(m.startedAt ?? "")).filter(Number.isFinite);
  const ends = runs.map((m) => Date.parse(m.finishedAt ?? "")).filter(Number.isFinite);
  if (starts.length === 0 || ends.length === 0) throw new Error(`sim ${args.join(" ")}: no run finished`);
  const [firstStart, firstEnd, lastEnd] = [Math.min(...starts), Math.min(...ends), Math.max(...ends)];
  const totalMs = endedMs - startedMs;
  return {
    args,
    runs: runs.length,
    failed: runs.filter((m) => m.status !== undefined && m.status !== "complete").length,
    toFirstRunStartMs: firstStart - startedMs,
    toFirstRunDoneMs: firstEnd - startedMs,
    runsSpanMs: lastEnd - firstStart,
    afterRunsMs: endedMs - lastEnd,
    totalMs,
    runsPerMinute: (runs.length / totalMs) * 60_000,
    runsPerMinuteSteady: (runs.length / (lastEnd - firstStart)) * 60_000,
  };
}

/**
 * Runs `npx hardhat sim <args> --out <out> --quiet` in the project at `root` (Hardhat's CLI run
 * with node directly: npx's own start is left out) and times it from the moment it is started.
 * @throws Error when the command fails
 */
export async function timeCliCampaign(root: string, args: string[], out: string): Promise<CampaignTiming> {
  const cli = require.resolve("hardhat/internal/cli/bootstrap", { paths: [root] });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HARDHAT_")));
  const startedMs = Date.now();
  const child = spawn(process.execPath, [cli, "sim", ...args, "--out", out, "--quiet"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const endedMs = Date.now();
  if (code !== 0) throw new Error(`hardhat sim ${args.join(" ")} exited with ${code}:\n${output}`);
  return campaignTiming(args, startedMs, endedMs, manifests(path.join(out, "runs")));
}
