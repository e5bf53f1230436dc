import { spawn } from "child_process";
import fs from "fs";
import path from "path";
import { campaignTiming, type CampaignTiming, type RunTimes } from "./campaign-timing";

/** Every `manifest.json` under `dir`. */
function manifests(dir: string): RunTimes[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => path.basename(f) === "manifest.json").map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
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
