import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from "child_process";
import fs from "fs";
import path from "path";
import type { NetworkFacts } from "./run-spec";

/*
 * Facts about the project a run records in its manifest, the same on every adapter
 * (src/hardhat/environment.ts, src/hardhat3/environment.ts): the plugin's version, the git state,
 * the config file.
 */

/** Facts with `config` set (a copy), or as they are when the config is the default one. */
export function withConfigFile(facts: NetworkFacts, config: string | undefined): NetworkFacts {
  return config === undefined ? facts : { ...facts, config };
}

/** This package's version (from its package.json), or "unknown". */
export function pluginVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      if (pkg.name === "hardhat-tokenspice") return pkg.version;
    }
  }
  return "unknown";
}

/** The project's git commit and whether its work tree is dirty; null outside a git checkout. */
export function gitState(root: string): { commit: string; dirty: boolean } | null {
  try {
    const opts: ExecFileSyncOptionsWithStringEncoding = { cwd: root, stdio: ["ignore", "pipe", "ignore"], encoding: "utf8" };
    const commit = execFileSync("git", ["rev-parse", "HEAD"], opts).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], opts).trim() !== "";
    return { commit, dirty };
  } catch {
    return null; // not a git checkout, or no commits yet
  }
}
